"""Registry of entity-list formats: detection, reading, and the content-hash Parquet cache.

    FORMATS[name] -> reader(paths, stats=..., partial=...) -> canonical frame
    detect_format(path) -> name            (by file name, extension, first bytes)
    read_entities(path_or_paths, format=None) -> frame
    load_entities_cached(paths, format=None, cache_dir=None) -> frame

`--entities` accepts any of these files directly; `load_entities_cached` imports each one once
and keeps a Parquet copy keyed by the sha256 of its bytes and the importer version under
`$FLAGGER_CACHE_DIR` (default `~/.cache/flagger`). A `.parquet` written by `flagger lists import`
is read as is.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import polars as pl

from flagger.entities import eu_fsf, eu_journal, ofac_csv, ofac_xml, opensanctions, uk_ofsi, un_xml, us_csl
from flagger.entities._common import ImportStats
from flagger.entities.default_list import BUILT_NAME
from flagger.entities.schema import ENTITY_SCHEMA, conform
from flagger.entities.simple import read_simple
from flagger.errors import EntityListError
from flagger.paths import cache_root

CACHE_VERSION = 1  # bump when the canonical schema or the cache layout changes


def _single(reader) -> Callable:
    def read(paths, *, stats: ImportStats, partial: bool = False) -> pl.DataFrame:
        if len(paths) != 1:
            raise EntityListError(f"this format reads one file at a time, got {len(paths)}")
        return reader(paths[0], stats=stats)
    read.__doc__ = reader.__doc__
    return read


def _read_simple(path, *, stats: ImportStats) -> pl.DataFrame:
    frame = read_simple(path)
    stats.records = frame.height
    return frame


def read_parquet_list(path, *, stats: ImportStats) -> pl.DataFrame:
    """A canonical frame saved as Parquet (by `flagger lists import` or the cache)."""
    file = str(path)
    try:
        frame = pl.read_parquet(path)
    except Exception as exc:  # polars raises several types for corrupt/absent files
        raise EntityListError(f"cannot read Parquet: {exc}", file) from exc
    missing = [c for c in ENTITY_SCHEMA if c not in frame.columns]
    if missing:
        raise EntityListError(f"not an entity list: Parquet lacks column(s) {missing}", file)
    try:
        frame = conform(frame)
    except Exception as exc:
        raise EntityListError(f"Parquet columns do not have the entity-list types: {exc}", file) from exc
    stats.records = frame.height
    return frame


def _read_ofac_csv(paths, *, stats: ImportStats, partial: bool = False) -> pl.DataFrame:
    return ofac_csv.read_ofac_csv(paths, partial=partial, stats=stats)


FORMATS: dict[str, Callable[..., pl.DataFrame]] = {
    "ofac-csv": _read_ofac_csv,
    "ofac-xml": _single(ofac_xml.read_ofac_xml),
    "un-xml": _single(un_xml.read_un_xml),
    "eu-fsf": _single(eu_fsf.read_eu_fsf),
    "eu-journal": _single(eu_journal.read_eu_journal),
    "uk-ofsi": _single(uk_ofsi.read_uk_ofsi),
    "us-csl": _single(us_csl.read_us_csl),
    "opensanctions-csv": _single(opensanctions.read_opensanctions_csv),
    "opensanctions-ftm": _single(opensanctions.read_opensanctions_ftm),
    "simple": _single(_read_simple),
    "parquet": _single(read_parquet_list),
}
DESCRIPTIONS = {
    "ofac-csv": "OFAC legacy CSV set: sdn.csv+alt.csv+add.csv+sdn_comments.csv, or cons_prim/alt/add/comments.csv",
    "ofac-xml": "OFAC enhanced XML (SDN_ENHANCED.XML, CONS_ENHANCED.XML)",
    "un-xml": "UN Security Council consolidated list XML",
    "eu-fsf": "EU consolidated financial sanctions list, XML export 1.1 (xmlFullSanctionsList_1_1)",
    "eu-journal": "EU sanctions annexes from the Official Journal (OpenSanctions <CELEX>.csv)",
    "uk-ofsi": "UK Sanctions List CSV (FCDO UK-Sanctions-List.csv) or OFSI consolidated list (ConList.csv)",
    "us-csl": "US Consolidated Screening List CSV (trade.gov consolidated.csv)",
    "opensanctions-csv": "OpenSanctions targets.simple.csv",
    "opensanctions-ftm": "OpenSanctions FollowTheMoney JSON lines (entities.ftm.json)",
    "simple": "flagger's simple CSV/JSONL format (docs/entities.md)",
    "parquet": "a canonical entity frame saved as Parquet (flagger lists import -o)",
}
VERSIONS = {
    "ofac-csv": ofac_csv.VERSION, "ofac-xml": ofac_xml.VERSION, "un-xml": un_xml.VERSION,
    "eu-fsf": eu_fsf.VERSION, "eu-journal": eu_journal.VERSION, "uk-ofsi": uk_ofsi.VERSION, "us-csl": us_csl.VERSION,
    "opensanctions-csv": opensanctions.VERSION, "opensanctions-ftm": opensanctions.VERSION,
    "simple": 1, "parquet": 1,
}

OFAC_NAMES = {n.lower() for names in ofac_csv.ROLES.values() for n in names[:2]}


def _head(path: Path, size: int = 4096) -> str:
    try:
        with open(path, "rb") as fh:
            raw = fh.read(size)
    except OSError as exc:
        raise EntityListError(f"cannot read: {exc.strerror or exc}", str(path)) from exc
    return raw.decode("utf-8", errors="replace").lstrip("\ufeff")


def detect_format(path: str | Path) -> str:
    """Name of the format of `path` (a file, or a directory holding an OFAC CSV set)."""
    path = Path(path)
    file = str(path)
    if path.is_dir():
        names = {f.name.lower() for f in path.iterdir()}
        if "sdn.csv" in names or "cons_prim.csv" in names:
            return "ofac-csv"
        raise EntityListError("directory holds no known list (expected an OFAC CSV set: sdn.csv or cons_prim.csv)",
                              file)
    if not path.exists():
        raise EntityListError("no such file", file)
    name = path.name.lower()
    suffix = path.suffix.lower()
    if name in OFAC_NAMES:
        return "ofac-csv"
    if suffix == ".parquet":
        return "parquet"
    head = _head(path)
    if suffix == ".xml" or head.lstrip().startswith("<"):
        if "<CONSOLIDATED_LIST" in head:
            return "un-xml"
        if "<sanctionsData" in head or "ENHANCED_XML" in head:
            return "ofac-xml"
        if "fpi/fsd/export" in head or "<sanctionEntity" in head:
            return "eu-fsf"
        raise EntityListError("XML file of unknown kind (expected a UN CONSOLIDATED_LIST, OFAC enhanced "
                              "sanctionsData or EU FSF export root); pass --format", file)
    if suffix in (".json", ".jsonl", ".ndjson"):
        first = next((ln for ln in head.splitlines() if ln.strip()), "")
        if '"schema"' in first and '"properties"' in first:
            return "opensanctions-ftm"
        return "simple"
    lines = head.splitlines()
    first_line = lines[0] if lines else ""
    header = [h.strip().strip('"') for h in first_line.split(",")]
    if (header and header[0] in ("Last Updated", "Name 6")) or first_line.lower().startswith('report date') \
            or (len(lines) > 1 and "Name 6" in lines[1].split(",")):
        return "uk-ofsi"
    if {"_id", "source", "alt_names"} <= set(header):
        return "us-csl"
    if {"celex", "programKey", "schema"} <= set(header):
        return "eu-journal"
    if {"id", "schema", "name", "aliases", "dataset"} <= set(header):
        return "opensanctions-csv"
    if {"id", "name", "type"} <= set(header):
        return "simple"
    if header and header[0].isdigit():
        raise EntityListError("looks like an OFAC CSV file but is not named as one (sdn.csv, alt.csv, add.csv, "
                              "sdn_comments.csv, cons_*.csv); rename it or pass the set's directory", file)
    raise EntityListError(f"cannot tell the list format from the name or first line; pass --format "
                          f"(one of {', '.join(FORMATS)})", file)


SIDECAR_SUFFIXES = (".http.json", ".part", ".tmp")


def _expand(path: Path) -> list[Path]:
    """A folder that is not an OFAC set stands for the lists inside it (e.g. `lists update --dest`)."""
    if not path.is_dir():
        return [path]
    names = {f.name.lower() for f in path.iterdir()}
    if "sdn.csv" in names or "cons_prim.csv" in names:
        return [path]
    out: list[Path] = []
    for child in sorted(path.iterdir()):
        if child.name.startswith(".") or child.name.lower().endswith(SIDECAR_SUFFIXES):
            continue
        if child.name == BUILT_NAME:    # the default list `lists update` built from the lists beside it
            continue
        out.extend(_expand(child))
    if not out:
        raise EntityListError("directory holds no known list", str(path))
    return out


def _units(paths, format: str | None) -> list[tuple[str, list[Path]]]:
    """Group input paths into import units: (format, [paths]); an OFAC CSV set is one unit."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    paths = [Path(p) for p in paths]
    if not paths:
        raise EntityListError("no entity list given")
    if format is not None and format not in FORMATS:
        raise EntityListError(f"unknown format {format!r}; known: {', '.join(FORMATS)}")
    if format is None:
        paths = [q for p in paths for q in _expand(p)]
    units: list[tuple[str, list[Path]]] = []
    ofac_files: dict[str, list[Path]] = {}
    for p in paths:
        fmt = format or detect_format(p)
        if fmt == "ofac-csv" and not p.is_dir():
            # loose files of one set travel together (SDN files and consolidated files apart)
            role = ofac_csv._role_of(p)
            ofac_files.setdefault(role[0] if role else "?", []).append(p)
        else:
            units.append((fmt, [p]))
    units[:0] = [("ofac-csv", files) for files in ofac_files.values()]
    return units


def read_entities(path_or_paths, format: str | None = None, *, stats: ImportStats | None = None,
                  partial: bool = False) -> pl.DataFrame:
    """Read one or more list files (any registered format) into one canonical frame."""
    frames = []
    for fmt, unit in _units(path_or_paths, format):
        unit_stats = ImportStats()
        frames.append(FORMATS[fmt](unit, stats=unit_stats, partial=partial))
        if stats is not None:
            stats.records += unit_stats.records
            stats.skipped.update(unit_stats.skipped)
            stats.warnings += unit_stats.warnings
    return pl.concat(frames, how="vertical") if len(frames) > 1 else frames[0]


def _unit_files(fmt: str, unit: list[Path], partial: bool) -> list[Path]:
    if fmt == "ofac-csv":
        _kind, files = ofac_csv.resolve_set(unit, partial=partial)
        return [files[r] for r in ("prim", "alt", "add", "comments") if r in files]
    return unit


@lru_cache(maxsize=1)
def importer_digest() -> str:
    """Hash of the importer code itself, so an edited importer never serves a stale cache entry."""
    h = hashlib.sha256()
    for src in sorted(Path(__file__).parent.glob("*.py")):
        h.update(src.name.encode() + b"\0" + src.read_bytes())
    return h.hexdigest()[:16]


def cache_key(fmt: str, files: list[Path]) -> str:
    h = hashlib.sha256()
    h.update(f"flagger-entities/{CACHE_VERSION}/{fmt}/{VERSIONS[fmt]}/{importer_digest()}\n".encode())
    for f in files:
        try:
            data = f.read_bytes()
        except OSError as exc:
            raise EntityListError(f"cannot read: {exc.strerror or exc}", str(f)) from exc
        # a set's file names say which role each file plays; a single file may be renamed freely
        label = f.name.lower() if fmt == "ofac-csv" else ""
        h.update(f"{label}\n{len(data)}\n".encode())
        h.update(data)
    return h.hexdigest()


def load_entities_cached(paths, format: str | None = None, cache_dir: str | Path | None = None, *,
                         stats: ImportStats | None = None, partial: bool = False) -> pl.DataFrame:
    """Like `read_entities`, but each import unit is cached as Parquet keyed by its content hash."""
    cache = Path(cache_dir) if cache_dir is not None else cache_root()
    frames = []
    for fmt, unit in _units(paths, format):
        unit_stats = ImportStats()
        if fmt == "parquet":
            frame = read_parquet_list(unit[0], stats=unit_stats)
        else:
            files = _unit_files(fmt, unit, partial)
            key = cache_key(fmt, files)
            target = cache / "entities" / f"{fmt}-{key[:40]}.parquet"
            frame = None
            if target.exists():
                try:
                    frame = read_parquet_list(target, stats=unit_stats)
                    meta = json.loads(target.with_suffix(".json").read_text())
                    unit_stats.skipped.update(meta.get("skipped", {}))
                    unit_stats.warnings += meta.get("warnings", [])
                    # same bytes may now live elsewhere: point at the file given this time
                    frame = frame.with_columns(pl.lit(str(files[0])).alias("source_file"))
                except (EntityListError, OSError, ValueError):
                    frame = None  # unreadable cache entry: import again and overwrite it
            if frame is None:
                frame = FORMATS[fmt](files if fmt == "ofac-csv" else unit, stats=unit_stats, partial=partial)
                _write_cache(target, frame, unit_stats)
        frames.append(frame)
        if stats is not None:
            stats.records += unit_stats.records
            stats.skipped.update(unit_stats.skipped)
            stats.warnings += unit_stats.warnings
    return pl.concat(frames, how="vertical") if len(frames) > 1 else frames[0]


def write_parquet_atomic(frame: pl.DataFrame, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        frame.write_parquet(tmp)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_cache(target: Path, frame: pl.DataFrame, stats: ImportStats) -> None:
    try:
        write_parquet_atomic(frame, target)
        target.with_suffix(".json").write_text(json.dumps(
            {"records": stats.records, "skipped": dict(stats.skipped), "warnings": stats.warnings}))
    except OSError as exc:  # a read-only cache must not stop screening
        stats.warn(f"could not write entity cache {target}: {exc}")
