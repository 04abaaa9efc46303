"""`flagger lists ...`: import official sanctions lists into Parquet, and download their newest versions.

    flagger lists formats
    flagger lists import [--format FORMAT] [--partial] SRC... -o lists.parquet
    flagger lists update [--config lists.toml] [--url NAME=URL ...] [--dest DIR] [--only NAME ...]

`update` uses the standard library (urllib): the lists are a handful of plain HTTPS GETs, and
conditional requests, retries and atomic replacement are a few lines each, so no HTTP library
is needed.
"""

from __future__ import annotations

import email.utils
import json
import os
import shutil
import sys
import tempfile
import time
import tomllib
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import click
import polars as pl
import yaml

from flagger.entities import ofac_csv
from flagger.entities._common import ImportStats
from flagger.entities.formats import DESCRIPTIONS, FORMATS, detect_format, read_entities, write_parquet_atomic
from flagger.errors import EntityListError, FlaggerError
from flagger.paths import lists_dir

OFAC_BASE = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports"
# name -> (url, file under --dest). The names are what --url, --only and the config refer to.
DEFAULT_SOURCES: dict[str, tuple[str, str]] = {
    "ofac-sdn": (f"{OFAC_BASE}/SDN.CSV", "ofac-sdn/sdn.csv"),
    "ofac-sdn-alt": (f"{OFAC_BASE}/ALT.CSV", "ofac-sdn/alt.csv"),
    "ofac-sdn-add": (f"{OFAC_BASE}/ADD.CSV", "ofac-sdn/add.csv"),
    "ofac-sdn-comments": (f"{OFAC_BASE}/SDN_COMMENTS.CSV", "ofac-sdn/sdn_comments.csv"),
    "ofac-cons": (f"{OFAC_BASE}/CONS_PRIM.CSV", "ofac-cons/cons_prim.csv"),
    "ofac-cons-alt": (f"{OFAC_BASE}/CONS_ALT.CSV", "ofac-cons/cons_alt.csv"),
    "ofac-cons-add": (f"{OFAC_BASE}/CONS_ADD.CSV", "ofac-cons/cons_add.csv"),
    "ofac-cons-comments": (f"{OFAC_BASE}/CONS_COMMENTS.CSV", "ofac-cons/cons_comments.csv"),
    "un": ("https://scsanctions.un.org/resources/xml/en/consolidated.xml", "un/consolidated.xml"),
    # the EU publishes the file behind a public, documented guest token ("token-2017", base64)
    "eu-fsf": ("https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content"
               "?token=dG9rZW4tMjAxNw", "eu/xmlFullSanctionsList_1_1.xml"),
    # OFSI retired its Consolidated List (ConList.csv) on 2026-01-28; the FCDO list replaced it
    "uk": ("https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.csv", "uk/UK-Sanctions-List.csv"),
    "us-csl": ("https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv",
               "us-csl/consolidated.csv"),
}
USER_AGENT = "flagger-lists-update/1 (+sanctions screening; conditional GET)"


@dataclass
class Source:
    name: str
    url: str
    file: str


class UpdateError(FlaggerError):
    pass


def load_sources(config: Path | None, overrides: tuple[str, ...]) -> dict[str, Source]:
    """Default sources, then a TOML/YAML config (`[lists.NAME] url=..., file=...`), then --url NAME=URL."""
    sources = {n: Source(n, u, f) for n, (u, f) in DEFAULT_SOURCES.items()}
    if config is not None:
        try:
            raw = config.read_bytes()
            data = tomllib.loads(raw.decode()) if config.suffix.lower() == ".toml" else yaml.safe_load(raw)
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
            raise click.BadParameter(f"{config}: {exc}", param_hint="--config") from exc
        lists = (data or {}).get("lists", {})
        if not isinstance(lists, dict):
            raise click.BadParameter(f"{config}: `lists` must be a table of NAME -> {{url, file}}",
                                     param_hint="--config")
        if (data or {}).get("replace_defaults"):
            sources = {}
        for name, entry in lists.items():
            if entry is False or entry is None:  # `NAME = false` disables a default
                sources.pop(name, None)
                continue
            if not isinstance(entry, dict) or not entry.get("url"):
                raise click.BadParameter(f"{config}: lists.{name} needs a `url`", param_hint="--config")
            default_file = sources[name].file if name in sources else _file_for(name, entry["url"])
            sources[name] = Source(name, str(entry["url"]), str(entry.get("file") or default_file))
    for item in overrides:
        name, sep, url = item.partition("=")
        if not sep or not name.strip() or not url.strip():
            raise click.BadParameter(f"{item!r} is not NAME=URL", param_hint="--url")
        name = name.strip()
        file = sources[name].file if name in sources else _file_for(name, url.strip())
        sources[name] = Source(name, url.strip(), file)
    return sources


def _file_for(name: str, url: str) -> str:
    base = Path(urlparse(url).path).name or "list"
    return f"{name}/{base}"


def _meta_path(target: Path) -> Path:
    return target.with_name(target.name + ".http.json")


def fetch(source: Source, dest: Path, *, timeout: float = 60.0, retries: int = 3, backoff: float = 2.0,
          validate: bool = True, log=lambda msg: None) -> str:
    """Download one list with a conditional GET; replace the old file atomically.

    Returns "updated", "not modified". Raises UpdateError (the old file stays as it was).
    """
    target = dest / source.file
    meta_file = _meta_path(target)
    meta = {}
    if target.exists() and meta_file.exists():
        try:
            meta = json.loads(meta_file.read_text())
        except (OSError, ValueError):
            meta = {}
        if meta.get("url") != source.url:
            meta = {}
    headers = {"User-Agent": USER_AGENT}
    if meta.get("etag"):
        headers["If-None-Match"] = meta["etag"]
    if meta.get("last_modified"):
        headers["If-Modified-Since"] = meta["last_modified"]
    last_error = "no attempt made"
    for attempt in range(retries + 1):
        if attempt:
            delay = backoff * (2 ** (attempt - 1))
            log(f"{source.name}: retry {attempt}/{retries} in {delay:g}s after: {last_error}")
            time.sleep(delay)
        request = urllib.request.Request(source.url, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as resp:
                return _store(resp, source, target, meta_file, validate)
        except urllib.error.HTTPError as exc:
            if exc.code == 304:
                return "not modified"
            last_error = f"HTTP {exc.code} {exc.reason}"
            if exc.code < 500 and exc.code not in (408, 429):
                break  # a client error will not go away by retrying
        except TimeoutError:
            last_error = f"timed out after {timeout:g}s"
        except urllib.error.URLError as exc:
            reason = exc.reason
            last_error = f"timed out after {timeout:g}s" if isinstance(reason, TimeoutError) \
                else f"cannot connect: {reason}"
        except UpdateError:
            raise
        except (ConnectionError, OSError) as exc:
            last_error = f"connection failed: {exc}"
    raise UpdateError(f"{source.name}: {source.url}: {last_error} (kept the previous file"
                      f"{'' if target.exists() else '; none yet'})")


def validate_list_file(path: Path) -> str:
    """Check that a downloaded file is a list flagger can read; return its format (EntityListError if not)."""
    fmt = detect_format(path)
    if fmt == "ofac-csv":
        _kind, role = ofac_csv._role_of(path) or ("", "")
        for _row in ofac_csv._rows(path, ofac_csv.ROLES[role][2], ImportStats()):
            pass
    else:
        FORMATS[fmt]([path], stats=ImportStats())
    return fmt


def _store(resp, source: Source, target: Path, meta_file: Path, validate: bool = True) -> str:
    ctype = resp.headers.get("Content-Type", "")
    target.parent.mkdir(parents=True, exist_ok=True)
    # the download goes to <dir>/.<name>.XXXX.part/<name>: same file system (atomic os.replace) and
    # the real name, so the format can be detected and checked before the old file is replaced
    workdir = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent))
    tmp = workdir / target.name
    size = 0
    try:
        with open(tmp, "wb") as out:
            while True:
                chunk = resp.read(1 << 16)
                if not chunk:
                    break
                out.write(chunk)
                size += len(chunk)
        where = f"{source.name}: {source.url}"
        expected = resp.headers.get("Content-Length")
        if expected is not None and expected.isdigit() and int(expected) != size:
            raise UpdateError(f"{where}: truncated download ({size} of {expected} bytes); kept the previous file")
        if size == 0:
            raise UpdateError(f"{where}: empty response; kept the previous file")
        if "text/html" in ctype.lower() and target.suffix.lower() not in (".html", ".htm"):
            raise UpdateError(f"{where}: got an HTML page, not a list file; kept the previous file")
        if validate:
            try:
                validate_list_file(tmp)
            except EntityListError as exc:
                detail = str(exc).replace(str(tmp), "download")
                raise UpdateError(f"{where}: the downloaded file is not a readable list ({detail}); "
                                  "kept the previous file") from exc
        os.replace(tmp, target)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    meta = {"url": source.url, "etag": resp.headers.get("ETag"), "last_modified": resp.headers.get("Last-Modified"),
            "fetched": email.utils.formatdate(usegmt=True), "bytes": size}
    meta_file.write_text(json.dumps(meta, indent=1))
    return "updated"


@click.group("lists")
def lists() -> None:
    """Import and update official sanctions lists (OFAC, UN, EU, UK, US CSL, OpenSanctions)."""


@lists.command("formats")
def formats_cmd() -> None:
    """List the formats `lists import` and `--entities` understand."""
    for name, text in DESCRIPTIONS.items():
        click.echo(f"{name:18} {text}")


@lists.command("import")
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default=None,
              help="Format of SRC (default: detected from name and first bytes).")
@click.option("--partial", is_flag=True, help="Import an OFAC CSV set even if alt/add/comments files are missing.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Parquet file to write (replaced atomically).")
@click.argument("src", nargs=-1, required=True, type=click.Path(path_type=Path))
def import_cmd(fmt: str | None, partial: bool, output: Path, src: tuple[Path, ...]) -> None:
    """Import SRC list files into one canonical entity Parquet."""
    stats = ImportStats()
    started = time.perf_counter()
    try:
        frame = read_entities(list(src), format=fmt, stats=stats, partial=partial)
    except EntityListError as exc:
        raise click.ClickException(str(exc)) from exc
    elapsed = time.perf_counter() - started
    # ids are unique within a list; one party may be on several lists (OFAC SDN and non-SDN)
    dup = frame.filter(pl.struct("list", "id").is_duplicated())
    if dup.height:
        raise click.ClickException(f"{dup['id'].n_unique()} id(s) occur more than once in the same list, "
                                   f"e.g. {dup['id'][0]!r} in {dup['list'][0]!r}: was a list given twice?")
    try:
        write_parquet_atomic(frame, output)
    except OSError as exc:
        raise click.ClickException(f"{output}: cannot write: {exc}") from exc
    click.echo(f"{frame.height} entities from {len(src)} source(s) in {elapsed:.2f}s -> {output}")
    by_list = Counter(frame["list"].to_list())
    by_type = Counter(frame["type"].to_list())
    click.echo("by type: " + ", ".join(f"{t} {n}" for t, n in sorted(by_type.items())))
    click.echo("by list:")
    for name, n in sorted(by_list.items()):
        click.echo(f"  {name}: {n}")
    for reason, n in sorted(stats.skipped.items()):
        click.echo(f"skipped {n} row(s): {reason}")
    for warning in stats.warnings:
        click.echo(f"warning: {warning}", err=True)


@lists.command("update")
@click.option("--config", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="TOML or YAML file: [lists.NAME] url = ..., file = ... (NAME = false disables a default).")
@click.option("--url", "urls", multiple=True, metavar="NAME=URL", help="Override or add a list URL (repeatable).")
@click.option("--only", multiple=True, metavar="NAME", help="Update only these lists (repeatable).")
@click.option("--dest", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the downloaded files (default $FLAGGER_LISTS_DIR or ~/.cache/flagger/lists).")
@click.option("--timeout", type=float, default=60.0, show_default=True, help="Seconds per request.")
@click.option("--retries", type=int, default=3, show_default=True, help="Retries after a failure (5xx, timeout).")
@click.option("--backoff", type=float, default=2.0, show_default=True,
              help="First retry delay in seconds; doubles each retry.")
@click.option("--no-validate", is_flag=True,
              help="Replace the old file without first checking that the download is a readable list.")
def update_cmd(config, urls, only, dest, timeout, retries, backoff, no_validate) -> None:
    """Download the newest official lists (conditional GET; atomic replace; one line per list)."""
    sources = load_sources(config, urls)
    if only:
        unknown = [n for n in only if n not in sources]
        if unknown:
            raise click.BadParameter(f"unknown list(s) {unknown}; known: {', '.join(sources)}", param_hint="--only")
        sources = {n: s for n, s in sources.items() if n in only}
    dest = dest or lists_dir()
    failed = 0
    for source in sources.values():
        try:
            outcome = fetch(source, dest, timeout=timeout, retries=retries, backoff=backoff,
                            validate=not no_validate, log=lambda m: click.echo(m, err=True))
            click.echo(f"{source.name}: {outcome} ({dest / source.file})")
        except UpdateError as exc:
            failed += 1
            click.echo(f"{source.name}: FAILED: {exc}", err=True)
    if failed:
        click.echo(f"{failed} of {len(sources)} list(s) failed", err=True)
        sys.exit(1)


__all__ = ["lists", "fetch", "load_sources", "DEFAULT_SOURCES", "Source", "UpdateError"]
