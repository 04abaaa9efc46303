"""`flagger lists import` and `flagger lists update` (against a local HTTP server; never the internet)."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner
from lists_support import FIXTURES, resolve_shared_lists

from flagger.cli.lists import lists
from flagger.entities.update import (
    UPDATE_FETCH,
    Source,
    SourceError,
    UpdateError,
    download_list,
    load_sources,
    select_sources,
)

shared_lists = pytest.fixture(resolve_shared_lists)
UN_BYTES = (FIXTURES / "un" / "small.xml").read_bytes()


def run(*args):
    result = CliRunner().invoke(lists, list(map(str, args)))
    return result


# --- import --------------------------------------------------------------------------------------

def test_import_prints_counts(tmp_path):
    out = tmp_path / "lists.parquet"
    r = run("import", FIXTURES / "un/small.xml", FIXTURES / "ofac_good", "-o", out)
    assert r.exit_code == 0, r.output
    assert "5 entities from 2 source(s)" in r.output
    assert "by type: organisation 2, person 2, vessel 1" in r.output
    assert "  OFAC SDN: 3" in r.output and "  UN SC consolidated: 2" in r.output
    assert "skipped 1 row(s): alt row for an ent_num not in the main file" in r.output
    df = pl.read_parquet(out)
    assert df.height == 5


def test_import_with_format_and_error(tmp_path):
    r = run("import", "--format", "eu-journal", FIXTURES / "eu/wrong_columns.csv", "-o", tmp_path / "x.parquet")
    assert r.exit_code != 0
    assert "wrong_columns.csv:1: header lacks column(s)" in r.output
    assert not (tmp_path / "x.parquet").exists()
    r = run("import", FIXTURES / "ofac_missing_sibling", "-o", tmp_path / "x.parquet")
    # a usage error (exit 2) naming what is missing and the option that imports it anyway
    assert r.exit_code == 2 and "incomplete OFAC CSV set: missing add.csv" in r.output and "--partial" in r.output
    r = run("import", "--partial", FIXTURES / "ofac_missing_sibling", "-o", tmp_path / "x.parquet")
    assert r.exit_code == 0 and "3 entities" in r.output


def test_import_refuses_duplicate_ids(tmp_path):
    r = run("import", FIXTURES / "un/small.xml", FIXTURES / "un/small.xml", "-o", tmp_path / "x.parquet")
    assert r.exit_code != 0 and "more than once" in r.output


def test_formats_command():
    r = run("formats")
    assert r.exit_code == 0 and "un-xml" in r.output and "ofac-csv" in r.output


def test_import_real_un_and_sdn(shared_lists, tmp_path):
    r = run("import", shared_lists / "un-sc-consolidated/consolidated_2026-02-27.xml",
            shared_lists / "ofac-sdn/2021-07-07", "-o", tmp_path / "l.parquet")
    assert r.exit_code == 0, r.output
    assert "9979 entities" in r.output and "  OFAC SDN: 8976" in r.output


# --- update --------------------------------------------------------------------------------------

class Handler(BaseHTTPRequestHandler):
    counts: dict[str, int] = {}
    etag = '"v1"'

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):  # noqa: N802 - http.server API
        n = Handler.counts[self.path] = Handler.counts.get(self.path, 0) + 1
        if self.path == "/un.xml":
            if self.headers.get("If-None-Match") == Handler.etag:
                self.send_response(304)
                self.end_headers()
                return
            self._ok(UN_BYTES)
        elif self.path == "/flaky.xml":
            if n == 1:
                self.send_error(500, "boom")
            else:
                self._ok(UN_BYTES)
        elif self.path == "/broken.xml":
            self.send_error(503, "down")
        elif self.path == "/missing.xml":
            self.send_error(404, "not found")
        elif self.path == "/slow.xml":
            time.sleep(1.5)
            self._ok(UN_BYTES)
        elif self.path == "/garbage.xml":
            self._ok(b"<?xml version='1.0'?><CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>")
        elif self.path == "/sdn.csv":
            self._ok(b'1,"A","individual","DPRK",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\x1a', ctype="text/csv")
        elif self.path == "/html.xml":
            self._ok(b"<html>login</html>", ctype="text/html")
        else:
            self.send_error(404)

    def _ok(self, body: bytes, ctype="application/xml"):
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", Handler.etag)
        self.send_header("Last-Modified", "Fri, 27 Nov 2026 10:00:00 GMT")
        self.end_headers()
        self.wfile.write(body)


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # the timeout test hangs up on purpose
        pass


@pytest.fixture
def server():
    Handler.counts = {}
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)   # quick shutdown()
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_update_then_304(server, tmp_path):
    args = ["update", "--dest", tmp_path, "--url", f"un={server}/un.xml", "--only", "un", "--backoff", "0.01"]
    r = run(*args)
    assert r.exit_code == 0, r.output
    target = tmp_path / "un" / "consolidated.xml"
    assert target.read_bytes() == UN_BYTES and "un: updated" in r.output
    meta = json.loads((tmp_path / "un" / "consolidated.xml.http.json").read_text())
    assert meta["etag"] == '"v1"' and meta["last_modified"].startswith("Fri, 27 Nov 2026")
    r = run(*args)
    assert r.exit_code == 0 and "un: not modified" in r.output
    assert Handler.counts["/un.xml"] == 2


def test_retry_after_500(server, tmp_path):
    messages = []
    outcome = download_list(Source("flaky", f"{server}/flaky.xml", "flaky.xml"), tmp_path,
                            fetch=replace(UPDATE_FETCH, retries=2, backoff=0.01), log=messages.append)
    assert outcome.status == "updated" and outcome.path == tmp_path / "flaky.xml" and outcome.size == len(UN_BYTES)
    assert Handler.counts["/flaky.xml"] == 2
    assert "retry 1/2 in 0.01s" in messages[0] and "HTTP 500" in messages[0]


def test_timeout_is_a_clear_error(server, tmp_path):
    t0 = time.perf_counter()
    with pytest.raises(UpdateError) as err:
        download_list(Source("slow", f"{server}/slow.xml", "slow.xml"), tmp_path,
                      fetch=replace(UPDATE_FETCH, timeout=0.3, retries=1, backoff=0.01))
    assert "slow:" in str(err.value) and "timed out after 0.3s" in str(err.value)
    assert "2 tries" in str(err.value) and time.perf_counter() - t0 < 1.4
    assert not (tmp_path / "slow.xml").exists()


def test_failure_keeps_old_file_and_reports_each_list(server, tmp_path):
    old = tmp_path / "un" / "consolidated.xml"
    old.parent.mkdir(parents=True)
    old.write_bytes(b"OLD CONTENT")
    r = run("update", "--dest", tmp_path, "--retries", "1", "--backoff", "0.01",
            "--url", f"un={server}/broken.xml", "--url", f"gone={server}/missing.xml",
            "--url", f"html={server}/html.xml", "--url", f"ok={server}/flaky.xml",
            "--only", "un", "--only", "gone", "--only", "html", "--only", "ok")
    assert r.exit_code == 1
    assert old.read_bytes() == b"OLD CONTENT"  # atomic swap: never half-written, never replaced on failure
    assert "un: FAILED" in r.output and "HTTP 503" in r.output and "kept the previous file" in r.output
    assert "gone: FAILED" in r.output and "HTTP 404" in r.output
    assert Handler.counts["/missing.xml"] == 1  # a 404 is not retried
    assert "html: FAILED" in r.output and "HTML page" in r.output
    assert "ok: updated" in r.output and "3 of 4 list(s) failed" in r.output
    leftovers = [p for p in tmp_path.rglob("*") if p.name.endswith(".part")]
    assert leftovers == []


def test_sources_from_config(tmp_path):
    toml = tmp_path / "lists.toml"
    toml.write_text('[lists.un]\nurl = "http://127.0.0.1:9/un.xml"\n[lists.custom]\nurl = "http://127.0.0.1:9/a/b.csv"\n'
                    "[lists]\nus-csl = false\n")
    sources = load_sources(toml, ("ofac-sdn=http://127.0.0.1:9/sdn.csv",))
    assert sources["un"].url == "http://127.0.0.1:9/un.xml" and sources["un"].file == "un/consolidated.xml"
    assert sources["custom"].file == "custom/b.csv"
    assert "us-csl" not in sources
    assert sources["ofac-sdn"].file == "ofac-sdn/sdn.csv"
    yml = tmp_path / "lists.yaml"
    yml.write_text("replace_defaults: true\nlists:\n  only:\n    url: http://127.0.0.1:9/x.xml\n")
    assert list(load_sources(yml, ())) == ["only"]


def test_bad_url_option():
    r = run("update", "--url", "nonsense")
    assert r.exit_code != 0 and "is not NAME=URL" in r.output and "--url" in r.output
    r = run("update", "--only", "nope")
    assert r.exit_code != 0 and "unknown list(s) ['nope']" in r.output and "--only" in r.output
    with pytest.raises(SourceError) as err:
        select_sources(load_sources(), ["un", "nope"])
    assert err.value.option == "--only"


def test_default_sources_are_official():
    sources = load_sources(None, ())
    assert sources["un"].url.startswith("https://scsanctions.un.org/")
    assert sources["ofac-sdn"].url.startswith("https://sanctionslistservice.ofac.treas.gov/")
    assert {Path(s.file).parent.name for s in sources.values()} >= {"ofac-sdn", "un", "uk", "us-csl"}


def test_invalid_download_never_replaces_the_list(server, tmp_path):
    old = tmp_path / "un" / "consolidated.xml"
    old.parent.mkdir(parents=True)
    old.write_bytes(UN_BYTES)
    r = run("update", "--dest", tmp_path, "--url", f"un={server}/garbage.xml", "--only", "un", "--retries", "0")
    assert r.exit_code == 1 and "not a readable list" in r.output and "malformed XML" in r.output
    assert old.read_bytes() == UN_BYTES
    r = run("update", "--dest", tmp_path, "--url", f"un={server}/garbage.xml", "--only", "un", "--no-validate")
    assert r.exit_code == 0 and old.read_bytes() != UN_BYTES


def test_ofac_file_checked_by_its_role(server, tmp_path):
    r = run("update", "--dest", tmp_path, "--url", f"ofac-sdn={server}/sdn.csv", "--only", "ofac-sdn")
    assert r.exit_code == 0, r.output
    assert (tmp_path / "ofac-sdn" / "sdn.csv").read_bytes().startswith(b"1,")
    assert list(tmp_path.rglob("*.part")) == []
