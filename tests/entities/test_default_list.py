"""The default entity list: built from the official UN and OFAC SDN lists merged with the curated
additions, dated, used from the lists cache after `flagger lists update`, and said to be old
when it is (flagger.entities.default_list, scripts/build_default_entities.py)."""

from __future__ import annotations

import datetime
import importlib.util
import json
import re
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner
from lists_support import FIXTURES

from flagger.entities import default_list as dl
from flagger.entities.loading import load_entity_lists_with_info, stale_default_warning
from flagger.errors import EntityListError
from flagger.paths import bundled_entities_path

BUILD = FIXTURES / "default_build"
ROOT = Path(__file__).resolve().parents[2]


def general_for_tests(words: set[str]) -> set[str]:
    """wordfreq's verdict on the fixture's one-word names, without loading 15 languages' lists."""
    return words & {"mariner", "window"}


@pytest.fixture
def built(monkeypatch):
    monkeypatch.setattr(dl, "general_words", general_for_tests)
    files = dl.find_official_files(BUILD)
    frame, meta = dl.build_default(files, BUILD / "curated.csv", relative_to=BUILD)
    return frame, meta


def by_id(frame: pl.DataFrame) -> dict[str, dict]:
    return {r["id"]: r for r in frame.to_dicts()}


def list_ids(row: dict) -> set[str]:
    return {i["value"] for i in row["identifiers"] if i["scheme"] == dl.LIST_ID}


def names(row: dict, strength: str | None = None) -> set[str]:
    return {a["name"] for a in row["aliases"] if strength is None or a["strength"] == strength}


def test_the_newest_complete_files_are_found_in_a_folder_of_dated_copies():
    files = dl.find_official_files(BUILD)
    assert files.un.name == "consolidated_2026-01-10.xml"
    assert files.sdn.parent.name == "2026-11-20"                 # not the 2020-01-01 copy
    assert {p.name for p in files.ofac_parts} == {"alt.csv", "add.csv", "sdn_comments.csv"}


def test_a_folder_without_one_of_the_two_lists_is_an_error_naming_what_is_missing(tmp_path):
    shutil.copytree(BUILD / "un-sc-consolidated", tmp_path / "un-sc-consolidated")
    with pytest.raises(EntityListError, match=r"OFAC SDN list \(sdn\.csv\)") as err:
        dl.find_official_files(tmp_path)
    assert str(tmp_path) in str(err.value)


def test_one_party_on_both_lists_is_one_entity_with_both_list_ids(built):
    rows = by_id(built[0])
    trading = rows["UN:KPe.901"]
    assert "OFAC:501" not in rows
    assert list_ids(trading) == {"UN:KPe.901", "OFAC:501"}
    assert {"UN-1718", "DPRK2"} <= set(trading["programs"])
    # the curated row of that UN entry adds its press spelling and its Korean name
    assert "Haedong River Trading Corp" in names(trading) and "해동강무역회사" in trading["original_names"]
    assert all(r["list"] == dl.DEFAULT_LIST_NAME for r in rows.values())


def test_people_of_the_same_name_born_in_different_years_stay_apart(built):
    rows = by_id(built[0])
    assert list_ids(rows["UN:KPi.901"]) == {"UN:KPi.901", "OFAC:502"}      # born 1970 on both lists
    assert "OFAC:503" in rows                                               # born 1988: another man


def test_a_curated_row_keeps_its_id_and_takes_in_the_official_entry_of_the_same_party(built):
    rows = by_id(built[0])
    zorvexco = rows["FLG:zorvexco"]
    assert "OFAC:505" not in rows and list_ids(zorvexco) == {"FLG:zorvexco", "OFAC:505"}
    assert {"ZORVEXCO", "ZORVEX COMPANY", "Zorvexco LLC"} <= names(zorvexco) | {zorvexco["name"].upper()}
    assert rows["FLG:glimmer-fleet"]["name"] == "Glimmer Fleet Holding"       # on no list: added as it is
    assert len(rows) == 7


def test_a_one_word_name_in_general_use_is_weak_unless_the_curated_additions_give_it(built):
    rows = by_id(built[0])
    mariner = rows["OFAC:504"]
    # the primary name is marked weak by a weak alias of the same name; a one-word alias is weak too
    assert {"MARINER", "WINDOW"} <= names(mariner, "weak")
    assert "ZORVEXCO" not in names(rows["FLG:zorvexco"], "weak")              # a coined word stands alone


def test_a_name_that_only_describes_a_body_is_weak_unless_the_curated_additions_give_it(built):
    rows = by_id(built[0])
    assert "NATIONAL SCIENCE ACADEMY" in names(rows["OFAC:506"], "weak")          # any country has one
    assert "HAEDONG RIVER TRADING CORPORATION" not in names(rows["UN:KPe.901"], "weak")
    assert "Glimmer Fleet Holding" not in names(rows["FLG:glimmer-fleet"], "weak")   # given by the curated file
    assert dl.descriptive_names({"SECOND ACADEMY OF NATURAL SCIENCES", "KOREAN PEOPLE'S ARMY", "AL QA'IDA",
                                 "TANCHON COMMERCIAL BANK", "AEROSPACE RESEARCH INSTITUTE"}) == {
        "SECOND ACADEMY OF NATURAL SCIENCES", "AEROSPACE RESEARCH INSTITUTE"}


def test_a_descriptive_name_is_reported_only_with_its_country_nearby(built):
    from flagger.api import Scanner

    scanner = Scanner(rules=[ROOT / "tests/fixtures/rules/basic.yaml"], entities=built[0], default_entities=False)
    assert not scanner.scan_text("The National Science Academy of Ruritania opened a fossil hall.").entities
    found = scanner.scan_text("North Korea's National Science Academy tested a new engine.").entities
    assert [e.entity_id for e in found] == ["OFAC:506"]


def test_the_matcher_needs_corroboration_for_a_weak_one_word_name(built):
    from flagger.api import Scanner

    scanner = Scanner(rules=[ROOT / "tests/fixtures/rules/basic.yaml"], entities=built[0], default_entities=False)
    alone = scanner.scan_text("The old mariner told the children a story about the sea.")
    assert not alone.entities
    coined = scanner.scan_text("Zorvexco shipped machine tools last year.")
    assert [e.entity_id for e in coined.entities] == ["FLG:zorvexco"]


def test_the_file_records_each_source_with_its_date_and_no_path_of_the_build_machine(built, tmp_path):
    frame, meta = built
    target = tmp_path / "default.parquet"
    dl.write_default(frame, meta, target)
    read = dl.read_default_meta(target)
    dates = {s["name"]: s["date"] for s in read["sources"]}
    assert dates[dl.UN_NAME] == "2026-01-10"                  # dateGenerated inside the XML
    assert dates[dl.OFAC_NAME] == "2026-11-20"                # the CSV has none: its folder's date
    assert read["sources"][0]["file"] == "un-sc-consolidated/consolidated_2026-01-10.xml"
    assert read["entities"] == frame.height == dl.read_default(target).height
    assert not any(str(BUILD.resolve()) in (v or "") for v in dl.read_default(target)["source_file"].to_list())
    assert dl.official_date(read) == "2026-01-10"


def test_an_ofac_download_is_dated_by_its_last_modified_header(tmp_path):
    sdn = tmp_path / "ofac-sdn" / "sdn.csv"
    sdn.parent.mkdir()
    shutil.copy(BUILD / "ofac-sdn/2026-11-20/sdn.csv", sdn)
    (tmp_path / "ofac-sdn" / "sdn.csv.http.json").write_text(json.dumps(
        {"url": "http://127.0.0.1:9/sdn.csv", "last_modified": "Fri, 27 Nov 2026 10:00:00 GMT"}))
    assert dl.ofac_date(sdn) == "2026-11-27"


def test_the_build_script_writes_the_list_from_a_folder_of_official_lists(monkeypatch, tmp_path, capsys):
    spec = importlib.util.spec_from_file_location("build_default_entities", ROOT / "scripts/build_default_entities.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    monkeypatch.setattr(dl, "general_words", general_for_tests)
    out = tmp_path / "default.parquet"
    assert script.main(["--lists", str(BUILD), "--curated", str(BUILD / "curated.csv"), "-o", str(out)]) == 0
    assert "7 entities" in capsys.readouterr().out
    assert dl.read_default(out).height == 7
    assert script.main(["--lists", str(tmp_path / "nothing"), "-o", str(out)]) == 2
    assert "the UN consolidated list (consolidated*.xml) and the OFAC SDN list (sdn.csv) not found" in \
        capsys.readouterr().err


# -- the bundled list and its age ------------------------------------------------------------------

def test_the_bundled_list_is_the_official_lists_and_records_their_dates():
    meta = dl.read_default_meta(bundled_entities_path())
    assert meta is not None
    official = {s["name"]: s for s in meta["sources"] if s["name"] in dl.OFFICIAL}
    assert set(official) == {dl.UN_NAME, dl.OFAC_NAME}
    assert all(datetime.date.fromisoformat(s["date"]) for s in official.values())
    assert official[dl.UN_NAME]["records"] > 900 and official[dl.OFAC_NAME]["records"] > 10_000
    frame, infos = load_entity_lists_with_info()
    assert frame.height == meta["entities"]
    assert infos[0]["builtin"] and infos[0]["list_date"] == dl.official_date(meta)
    assert [s["name"] for s in infos[0]["sources"]] == [s["name"] for s in meta["sources"]]


def _lists(day: str) -> list[dict]:
    return [{"name": "flagger default", "builtin": True, "sources": [
        {"name": dl.UN_NAME, "date": "2026-05-30"}, {"name": dl.OFAC_NAME, "date": day},
        {"name": dl.CURATED_NAME, "date": None}]}]


def test_a_default_list_older_than_90_days_is_said_to_be_old_with_its_dates():
    today = datetime.date(2026, 6, 1)
    warning = stale_default_warning(_lists("2026-03-02"), today)     # 91 days
    assert warning is not None
    # the oldest official source says how old the list is; each is named with its date
    assert "91 days old" in warning and "OFAC SDN of 2026-03-02" in warning
    assert "UN SC consolidated of 2026-05-30" in warning and "flagger lists update" in warning
    assert stale_default_warning(_lists("2026-05-31"), datetime.date(2026, 5, 30)) is None      # 90 days: current


def test_no_age_warning_without_the_default_list_or_without_dates():
    today = datetime.date(2030, 1, 1)
    assert stale_default_warning([{"name": "mine", "builtin": False}], today) is None
    assert stale_default_warning([{"name": "flagger default", "builtin": True, "sources": []}], today) is None


# -- the list built by `flagger lists update` -------------------------------------------------------

def test_a_list_built_in_the_lists_cache_is_used_instead_of_the_bundled_one(monkeypatch, tmp_path):
    from flagger.entities.loading import default_list_path

    monkeypatch.setattr(dl, "general_words", general_for_tests)
    cache = tmp_path / "lists"
    monkeypatch.setenv("FLAGGER_LISTS_DIR", str(cache))
    assert default_list_path()[0] == bundled_entities_path()
    frame, meta = dl.build_default(dl.find_official_files(BUILD), BUILD / "curated.csv")
    dl.write_default(frame, meta, cache / dl.BUILT_NAME)
    path, used = default_list_path()
    assert path == cache / dl.BUILT_NAME and used["entities"] == 7
    loaded, infos = load_entity_lists_with_info()
    assert loaded.height == 7 and infos[0]["path"] == str(path) and infos[0]["list_date"] == "2026-01-10"
    # one older than the bundled list is not used
    old = dict(meta, sources=[dict(s, date="2001-01-01") if s["name"] == dl.UN_NAME else s for s in meta["sources"]])
    dl.write_default(frame, old, cache / dl.BUILT_NAME)
    assert default_list_path()[0] == bundled_entities_path()


class _Lists(BaseHTTPRequestHandler):
    """The fixture's official lists, as the official servers would send them."""

    files = {"/un.xml": BUILD / "un-sc-consolidated/consolidated_2026-01-10.xml",
             **{f"/{n}": BUILD / "ofac-sdn/2026-11-20" / n for n in ("sdn.csv", *dl.OFAC_PARTS)}}

    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802 - http.server API
        path = self.files.get(self.path)
        if path is None:
            self.send_error(404)
            return
        body = path.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "application/xml" if self.path.endswith(".xml") else "text/csv")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", "Fri, 27 Nov 2026 10:00:00 GMT")
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def official_server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Lists)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)   # quick shutdown()
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_lists_update_builds_the_default_list_that_scans_then_use(official_server, monkeypatch, tmp_path):
    from flagger.cli.lists import lists
    from flagger.cli.scan import scan

    monkeypatch.setattr(dl, "general_words", general_for_tests)
    cache = tmp_path / "lists"
    monkeypatch.setenv("FLAGGER_LISTS_DIR", str(cache))
    sources = {"un": "un.xml", "ofac-sdn": "sdn.csv", "ofac-sdn-alt": "alt.csv", "ofac-sdn-add": "add.csv",
               "ofac-sdn-comments": "sdn_comments.csv"}
    args = ["update", "--retries", "0"]
    for name, file in sources.items():
        args += ["--url", f"{name}={official_server}/{file}", "--only", name]
    runner = CliRunner()
    result = runner.invoke(lists, args)
    assert result.exit_code == 0, result.output
    # the downloaded lists merged with the curated additions that ship with flagger
    assert re.search(r"default entity list: [0-9,]+ entities from UN SC consolidated of 2026-01-10, "
                     r"OFAC SDN of 2026-11-27", result.stdout), result.stdout
    assert (cache / dl.BUILT_NAME).is_file()

    article = tmp_path / "a.txt"
    article.write_text("Zorvexco shipped machine tools to a plant near Moscow last spring.\n", encoding="utf-8")
    report = tmp_path / "r.json"
    result = runner.invoke(scan, [str(article), "--rules", str(ROOT / "tests/fixtures/rules/basic.yaml"),
                                  "-f", "json", "-o", str(report)])
    assert result.exit_code in (0, 1), result.output
    doc = json.loads(report.read_text(encoding="utf-8"))
    assert [e["id"] for e in doc["articles"][0]["entities"]] == ["OFAC:505"]
    default = doc["provenance"]["entity_lists"][0]
    assert default["builtin"] and default["path"] == str(cache / dl.BUILT_NAME)
    assert {s["name"]: s["date"] for s in default["sources"]}[dl.OFAC_NAME] == "2026-11-27"
    # this list is from January 2026: the scan says so, once, and names the command that renews it
    assert result.stderr.count("days old") == 1 and "flagger lists update" in result.stderr


def test_a_scan_without_the_default_list_says_nothing_of_its_age(tmp_path):
    from flagger.cli.scan import scan

    article = tmp_path / "a.txt"
    article.write_text("A quiet afternoon of gardening by the river.\n", encoding="utf-8")
    result = CliRunner().invoke(scan, [str(article), "--rules", str(ROOT / "tests/fixtures/rules/basic.yaml"),
                                       "--no-default-entities", "-f", "csv"])
    assert result.exit_code == 0, result.output
    assert "days old" not in result.stderr


def test_reports_name_the_default_list_with_the_dates_of_its_official_lists(tmp_path):
    from flagger.report.provenance import entity_lists_line

    prov = {"entity_lists": [
        {"name": "flagger default", "builtin": True, "records": 15313, "list_date": "2024-05-03", "sources": [
            {"name": dl.UN_NAME, "date": "2026-02-27", "records": 1003},
            {"name": dl.OFAC_NAME, "date": "2024-05-03", "records": 14965},
            {"name": "OFAC SDN alt", "date": "2025-01-06", "records": None},
            {"name": dl.CURATED_NAME, "date": None, "records": 255}]},
        {"name": "mine", "builtin": False, "records": 2, "list_date": "2026-01-01"}]}
    assert entity_lists_line(prov) == ("flagger default (15,313 entries: UN SC consolidated of 2026-02-27, "
                                       "OFAC SDN of 2024-05-03); mine (2 entries: list of 2026-01-01)")
    assert entity_lists_line({}) == ""


@pytest.mark.parametrize("fmt", ["markdown", "html", "json"])
def test_a_report_names_the_bundled_lists_and_their_dates(fmt, tmp_path):
    from flagger.cli.scan import scan

    meta = dl.read_default_meta(bundled_entities_path())
    dates = {s["name"]: s["date"] for s in meta["sources"]}
    article = tmp_path / "a.txt"
    article.write_text("A quiet afternoon of gardening by the river.\n", encoding="utf-8")
    out = tmp_path / f"r.{fmt}"
    result = CliRunner().invoke(scan, [str(article), "-f", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    for name in dl.OFFICIAL:
        assert f"{name} of {dates[name]}" in text or f'"date": "{dates[name]}"' in text


def test_the_lists_cache_read_as_a_folder_of_lists_leaves_the_built_default_list_out(monkeypatch, tmp_path):
    from flagger.entities.formats import read_entities

    monkeypatch.setattr(dl, "general_words", general_for_tests)
    shutil.copy(BUILD / "un-sc-consolidated/consolidated_2026-01-10.xml", tmp_path / "consolidated.xml")
    frame, meta = dl.build_default(dl.find_official_files(BUILD), BUILD / "curated.csv")
    dl.write_default(frame, meta, tmp_path / dl.BUILT_NAME)
    assert read_entities([tmp_path])["id"].to_list() == ["UN:KPi.901", "UN:KPe.901"]


def test_press_spellings_of_qods_find_the_listed_name():
    from flagger.api import Scanner
    from flagger.entities.schema import conform

    listed = conform(pl.DataFrame([{"id": "T:1", "type": "organisation", "name": "QODS TESTING WORKSHOPS",
                                    "aliases": [], "list": "test"}]))
    scanner = Scanner(rules=[ROOT / "tests/fixtures/rules/basic.yaml"], entities=listed, default_entities=False)
    for text in ("Quds Testing Workshops built the engines.", "Ghods Testing Workshops built the engines."):
        assert [e.entity_id for e in scanner.scan_text(text).entities] == ["T:1"], text


def test_the_curated_additions_give_the_head_figures_names_in_the_scripts_of_the_news():
    from flagger.entities.simple import read_simple
    from flagger.paths import bundled_curated_path

    rows = {r["id"]: r for r in read_simple(bundled_curated_path()).to_dicts()}
    scripts = {"Cyrillic": "\u0400-\u04ff", "Han": "\u4e00-\u9fff", "Kana": "\u30a0-\u30ff", "Hangul": "\uac00-\ud7af",
               "Arabic": "\u0600-\u06ff"}
    for person in ("FLG:kim-jong-un", "FLG:vladimir-putin", "FLG:sergei-shoigu", "FLG:sergei-lavrov"):
        written = " ".join([a["name"] for a in rows[person]["aliases"]] + rows[person]["original_names"])
        missing = [s for s, span in scripts.items() if not re.search(f"[{span}]", written)]
        assert not missing, (person, missing)


def test_the_docs_state_the_age_after_which_a_scan_warns_as_the_code_does():
    from flagger.entities.loading import MAX_DEFAULT_AGE_DAYS

    docs = (Path(__file__).resolve().parents[2] / "docs" / "entities.md").read_text(encoding="utf-8")
    assert f"more than {MAX_DEFAULT_AGE_DAYS} days old" in " ".join(docs.split())
    today = datetime.date(2026, 1, 1)
    for days, warns in ((MAX_DEFAULT_AGE_DAYS, False), (MAX_DEFAULT_AGE_DAYS + 1, True)):
        meta = {"sources": [{"name": name, "date": (today - datetime.timedelta(days=days)).isoformat()}
                            for name in sorted(dl.OFFICIAL)]}
        assert (dl.age_warning(meta, today, max_days=MAX_DEFAULT_AGE_DAYS) is not None) is warns
