"""Download the newest official sanctions lists (`flagger lists update`): the sources table, where
each file goes, and the download itself.

Each list is fetched through flagger.http (one deadline per try, retries with backoff and
Retry-After, a size cap, truncated bodies refused) with a conditional GET: the ETag and
Last-Modified of the last download are kept in `<file>.http.json` beside the file, and a 304
answer leaves the file as it is. A download goes to a temporary folder beside the file and
replaces the old file (os.replace, atomic) only when it is complete, is not an HTML page and
reads as a list of its format; otherwise the old file stays. Every list is tried, whatever
happened to the ones before it; the result says what happened to each.
"""

from __future__ import annotations

import email.utils
import json
import os
import shutil
import tempfile
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from urllib.parse import urlparse

import yaml

from flagger.entities import ofac_csv
from flagger.entities._common import ImportStats
from flagger.entities.default_list import BUILT_NAME, build_default, find_official_files, write_default
from flagger.entities.formats import FORMATS, detect_format
from flagger.errors import ConfigError, EntityListError, FlaggerError
from flagger.http import Client, FetchError, FetchOptions
from flagger.paths import bundled_curated_path, lists_dir

OFAC_BASE = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports"
# name -> (url, file under the lists folder). The names are what --url, --only and the config refer to.
DEFAULT_SOURCES: Mapping[str, tuple[str, str]] = MappingProxyType({
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
})
USER_AGENT = "flagger-lists-update/1 (+sanctions screening; conditional GET)"
MAX_LIST_BYTES = 2 * 1024 ** 3     # written to disk as it arrives, never held in memory
# How `lists update` fetches unless told otherwise: official files are larger and their servers
# slower than news feeds, hence the longer timeout and backoff.
UPDATE_FETCH = FetchOptions(timeout=60.0, retries=3, backoff=2.0, user_agent=USER_AGENT, max_bytes=MAX_LIST_BYTES)

UPDATED, NOT_MODIFIED, FAILED = "updated", "not modified", "failed"


@dataclass(frozen=True)
class Source:
    name: str
    url: str
    file: str          # where it goes, relative to the lists folder


@dataclass(frozen=True)
class ListUpdate:
    """What happened to one list."""

    name: str
    url: str
    path: Path         # the list's file
    status: str        # UPDATED, NOT_MODIFIED or FAILED
    error: str = ""    # why it failed (the old file, if any, was kept)
    size: int = 0      # bytes downloaded

    @property
    def failed(self) -> bool:
        return self.status == FAILED


@dataclass(frozen=True)
class UpdateResult:
    dest: Path
    lists: tuple[ListUpdate, ...]

    @property
    def failed(self) -> tuple[ListUpdate, ...]:
        return tuple(u for u in self.lists if u.failed)

    @property
    def ok(self) -> bool:
        return not self.failed


class UpdateError(FlaggerError):
    """One list could not be updated; the old file (if any) was kept."""


class SourceError(ConfigError):
    """The sources table asked for is wrong; `option` is the command-line option it came from."""

    def __init__(self, message: str, option: str):
        self.option = option
        super().__init__(message)


# -- which lists --------------------------------------------------------------------------------

def load_sources(config: Path | None = None, overrides: Iterable[str] = ()) -> dict[str, Source]:
    """The default sources, then a TOML/YAML config (`[lists.NAME] url=..., file=...`; `NAME = false`
    drops a default; `replace_defaults = true` drops them all), then NAME=URL overrides."""
    sources = {n: Source(n, u, f) for n, (u, f) in DEFAULT_SOURCES.items()}
    if config is not None:
        try:
            raw = config.read_bytes()
            data = tomllib.loads(raw.decode()) if config.suffix.lower() == ".toml" else yaml.safe_load(raw)
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
            raise SourceError(f"{config}: {exc}", "--config") from exc
        lists = (data or {}).get("lists", {})
        if not isinstance(lists, dict):
            raise SourceError(f"{config}: `lists` must be a table of NAME -> {{url, file}}", "--config")
        if (data or {}).get("replace_defaults"):
            sources = {}
        for name, entry in lists.items():
            if entry is False or entry is None:  # `NAME = false` disables a default
                sources.pop(name, None)
                continue
            if not isinstance(entry, dict) or not entry.get("url"):
                raise SourceError(f"{config}: lists.{name} needs a `url`", "--config")
            default_file = sources[name].file if name in sources else _file_for(name, entry["url"])
            sources[name] = Source(name, str(entry["url"]), str(entry.get("file") or default_file))
    for item in overrides:
        name, sep, url = item.partition("=")
        if not sep or not name.strip() or not url.strip():
            raise SourceError(f"{item!r} is not NAME=URL", "--url")
        name = name.strip()
        file = sources[name].file if name in sources else _file_for(name, url.strip())
        sources[name] = Source(name, url.strip(), file)
    return sources


def select_sources(sources: Mapping[str, Source], only: Iterable[str]) -> dict[str, Source]:
    """The sources named in `only` (all of them when it is empty), in table order."""
    only = list(only)
    if not only:
        return dict(sources)
    unknown = [n for n in only if n not in sources]
    if unknown:
        raise SourceError(f"unknown list(s) {unknown}; known: {', '.join(sources)}", "--only")
    return {n: s for n, s in sources.items() if n in only}


def _file_for(name: str, url: str) -> str:
    base = Path(urlparse(url).path).name or "list"
    return f"{name}/{base}"


# -- the default entity list -----------------------------------------------------------------------
# The downloads a default list is built from: when one of them changed, the list is built again.
DEFAULT_LIST_SOURCES = ("un", "ofac-sdn", "ofac-sdn-alt", "ofac-sdn-add", "ofac-sdn-comments")


def default_list_stale(result: UpdateResult) -> bool:
    """Whether `result` changed a file the default list is built from (or none was built yet)."""
    return (not (result.dest / BUILT_NAME).is_file()
            or any(u.status == UPDATED and u.name in DEFAULT_LIST_SOURCES for u in result.lists))


def build_default_list(dest: Path | None = None, curated: Path | None = None) -> tuple[Path, dict]:
    """Build the default entity list from the UN and OFAC SDN lists downloaded into `dest` (default:
    the lists cache) merged with the curated additions, into `dest`/default-entities.parquet, which
    scans then use instead of the bundled list (flagger.entities.loading.default_list_path).
    EntityListError naming the folder when either list is not there or cannot be read."""
    dest = dest if dest is not None else lists_dir()
    files = find_official_files(dest)
    frame, meta = build_default(files, curated or bundled_curated_path(), relative_to=dest)
    target = dest / BUILT_NAME
    write_default(frame, meta, target)
    return target, meta


# -- downloading ---------------------------------------------------------------------------------

def update_lists(sources: Iterable[Source], dest: Path | None = None, *, fetch: FetchOptions = UPDATE_FETCH,
                 validate: bool = True, log: Callable[[str], None] | None = None,
                 on_list: Callable[[ListUpdate], None] | None = None) -> UpdateResult:
    """Download every source into `dest` (default: flagger.paths.lists_dir()), one after the other,
    sharing one pooled client. A failure is recorded and the next list is tried. `log` gets a line
    before each retry; `on_list` gets each list's outcome as soon as it is known."""
    dest = dest if dest is not None else lists_dir()
    done = []
    with Client(fetch) as client:
        for source in sources:
            try:
                outcome = download_list(source, dest, client=client, validate=validate, log=log)
            except UpdateError as exc:
                outcome = ListUpdate(source.name, source.url, dest / source.file, FAILED, error=str(exc))
            done.append(outcome)
            if on_list is not None:
                on_list(outcome)
    return UpdateResult(dest, tuple(done))


def download_list(source: Source, dest: Path, *, client: Client | None = None, fetch: FetchOptions = UPDATE_FETCH,
                  validate: bool = True, log: Callable[[str], None] | None = None) -> ListUpdate:
    """Download one list with a conditional GET and replace the old file atomically (UPDATED or
    NOT_MODIFIED); UpdateError, the old file kept, when it cannot. Without `client`, one is made
    from `fetch`."""
    if client is None:
        with Client(fetch) as own:
            return download_list(source, dest, client=own, validate=validate, log=log)
    target = dest / source.file
    meta_file = _meta_path(target)
    meta = _read_meta(target, meta_file, source.url)
    kept = f"kept the previous file{'' if target.exists() else '; none yet'}"
    retries = client.options.retries

    def on_retry(number: int, delay: float, error: FetchError) -> None:
        if log is not None:
            log(f"{source.name}: retry {number}/{retries} in {delay:g}s after: {error.detail}")

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # the download goes to <dir>/.<name>.XXXX.part/<name>: the same file system (atomic os.replace)
        # and the real name, so that the format can be detected and checked before the old file goes
        workdir = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent))
    except OSError as exc:
        raise UpdateError(f"{source.name}: cannot write to {target.parent}: {exc.strerror or exc}") from exc
    try:
        tmp = workdir / target.name
        try:
            with open(tmp, "wb") as sink:
                got = client.get(source.url, etag=meta.get("etag"), last_modified=meta.get("last_modified"),
                                 sink=sink, on_retry=on_retry)
        except FetchError as exc:
            raise UpdateError(f"{source.name}: {exc} ({kept})") from exc
        except OSError as exc:
            raise UpdateError(f"{source.name}: cannot write {tmp}: {exc.strerror or exc} ({kept})") from exc
        if got.not_modified:
            return ListUpdate(source.name, source.url, target, NOT_MODIFIED)
        _check(source, tmp, got.size, got.content_type, validate, target)
        os.replace(tmp, target)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    meta = {"url": source.url, "etag": got.etag, "last_modified": got.last_modified,
            "fetched": email.utils.formatdate(usegmt=True), "bytes": got.size}
    try:
        meta_file.write_text(json.dumps(meta, indent=1))
    except OSError as exc:     # the list is new; only the next conditional GET will not be conditional
        raise UpdateError(f"{source.name}: updated {target}, but cannot write {meta_file}: "
                          f"{exc.strerror or exc}") from exc
    return ListUpdate(source.name, source.url, target, UPDATED, size=got.size)


def _check(source: Source, tmp: Path, size: int, content_type: str, validate: bool, target: Path) -> None:
    """UpdateError unless the download can replace the list."""
    where = f"{source.name}: {source.url}"
    if size == 0:
        raise UpdateError(f"{where}: empty response; kept the previous file")
    if "text/html" in content_type.lower() and tmp.suffix.lower() not in (".html", ".htm"):
        raise UpdateError(f"{where}: got an HTML page, not a list file; kept the previous file")
    if validate:
        try:
            _fmt, entries = _read_entries(tmp)
        except EntityListError as exc:
            detail = str(exc).replace(str(tmp), "download")
            raise UpdateError(f"{where}: the downloaded file is not a readable list ({detail}); "
                              "kept the previous file") from exc
        _check_shrink(where, entries, target)


def validate_list_file(path: Path) -> str:
    """Check that a downloaded file is a list flagger can read; return its format (EntityListError if not)."""
    return _read_entries(path)[0]


def _read_entries(path: Path) -> tuple[str, int]:
    """(format, number of entries) of a list file; EntityListError when it cannot be read."""
    fmt = detect_format(path)
    if fmt == "ofac-csv":
        _kind, role = ofac_csv._role_of(path) or ("", "")
        n = sum(1 for _row in ofac_csv._rows(path, ofac_csv.ROLES[role][2], ImportStats()))
    else:
        n = FORMATS[fmt]([path], stats=ImportStats()).height
    return fmt, n


# A list that lost more than this share of its entries since the last download is refused: a
# close-delimited response cut cleanly at a line boundary is valid CSV and valid HTTP, and the
# entry count is the one sign left (official lists grow or shrink by a few entries at a time).
MAX_SHRINK = 0.5


def _check_shrink(where: str, new: int, target: Path) -> None:
    if not target.is_file():
        return
    try:
        _fmt, old = _read_entries(target)
    except (EntityListError, OSError):
        return                                   # the old file is unreadable: nothing to compare with
    if old and new < old * (1 - MAX_SHRINK):
        raise UpdateError(f"{where}: the download has {new:,} entries, the previous file {old:,}: a list that "
                          f"lost more than {MAX_SHRINK:.0%} of its entries is taken for a cut-off download "
                          "(use --no-validate to accept it); kept the previous file")


def _meta_path(target: Path) -> Path:
    return target.with_name(target.name + ".http.json")


def _read_meta(target: Path, meta_file: Path, url: str) -> dict:
    """The validators of the last download of this URL, if its file is still there."""
    if not (target.exists() and meta_file.exists()):
        return {}
    try:
        meta = json.loads(meta_file.read_text())
    except (OSError, ValueError):
        return {}
    return meta if isinstance(meta, dict) and meta.get("url") == url else {}
