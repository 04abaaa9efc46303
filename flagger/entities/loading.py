"""One way to load entity lists: the bundled default list plus any files, each with its provenance entry.

`load_entity_lists` gives the canonical frame (columns in `flagger.entities.schema`);
`load_entity_lists_with_info` also gives, per list, the name, path, record count, list date and
content hash that a report's provenance records.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

import polars as pl

from flagger.digest import sha256_file
from flagger.entities.default_list import (
    DEFAULT_LIST_NAME,
    age_warning,
    current_default,
    default_sources,
    official_date,
    read_default,
)
from flagger.entities.formats import load_entities_cached
from flagger.entities.schema import empty_entities
from flagger.paths import bundled_entities_path, lists_dir

__all__ = ["DEFAULT_LIST_NAME", "default_list_path", "entity_list_info", "list_date", "load_entity_lists",
           "load_entity_lists_with_info", "stale_default_warning"]

MAX_DEFAULT_AGE_DAYS = 90

_DATE_PATTERNS = (
    re.compile(r'dateGenerated="([0-9]{4}-[0-9]{2}-[0-9]{2})'),                       # UN SC XML
    re.compile(r"<Publish_Date>\s*([0-9/.-]{8,10})", re.I),                           # OFAC legacy XML
    re.compile(r"datePublished[^0-9]{0,40}([0-9]{4}-[0-9]{2}-[0-9]{2})"),             # OFAC enhanced XML
    re.compile(r"<publishDate>\s*([0-9]{4}-[0-9]{2}-[0-9]{2})", re.I),
    re.compile(r"^\ufeff?\"?Last Updated\"?,\"?([0-9]{1,2}/[0-9]{1,2}/[0-9]{4})", re.M),  # UK OFSI
)


def list_date(path: str | Path) -> str | None:
    """The date a list file says it was published/generated, when its header carries one."""
    p = Path(path)
    if p.is_dir() or p.suffix.lower() == ".parquet":
        return None
    try:
        with open(p, "rb") as fh:
            head = fh.read(16384).decode("utf-8", errors="replace")
    except OSError:
        return None
    for pattern in _DATE_PATTERNS:
        m = pattern.search(head)
        if m:
            value = m.group(1)
            d = re.fullmatch(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})", value)
            if d:  # OFSI writes day/month/year
                value = f"{d.group(3)}-{int(d.group(2)):02d}-{int(d.group(1)):02d}"
            return value
    return None


def entity_list_info(frame: pl.DataFrame, path: str | None, *, builtin: bool = False,
                     sources: list[dict] | None = None) -> dict:
    """Name, path, record count, list date (if the file has one) and content hash of one list;
    for the default list, the official lists it was built from, each with its date (`sources`)."""
    names = [n for n in frame["list"].unique(maintain_order=True).to_list() if n] if "list" in frame.columns else []
    if not names and path:
        names = [Path(path).stem]
    latest = None
    if "listed_on" in frame.columns and frame.height:
        latest = frame["listed_on"].drop_nulls().max()
    return {
        "name": "; ".join(names) if names else "(in-memory frame)",
        "path": path,
        "builtin": builtin,
        "records": frame.height,
        "list_date": official_date({"sources": sources}) if sources else (list_date(path) if path else None),
        "latest_listed_on": latest,
        "sha256": sha256_file(path) if path else None,
        **({"sources": sources} if sources is not None else {}),
    }


def default_list_path() -> tuple[Path, dict | None]:
    """The default list scans use, with its metadata: the one `flagger lists update` built in the
    lists cache when there is one not older than the bundled one, else the bundled one."""
    return current_default(bundled_entities_path(), lists_dir())


def stale_default_warning(entity_lists: Sequence[dict], today: date,
                          max_days: int = MAX_DEFAULT_AGE_DAYS) -> str | None:
    """What a scan says (once) when the default list it uses is older than `max_days` on `today`:
    its official sources' dates and `flagger lists update`. None when it is current, when the
    default list is not used, or when its date is unknown. `entity_lists`: provenance entries."""
    for info in entity_lists:
        if info.get("builtin"):
            return age_warning({"sources": info.get("sources") or []}, today, max_days=max_days)
    return None


def load_entity_lists_with_info(paths: Sequence[str | Path] = (), default_entities: bool = True
                                ) -> tuple[pl.DataFrame, list[dict]]:
    """The bundled default list (unless dropped) plus every list given, as one canonical frame,
    and one provenance entry per list."""
    frames, infos = [], []
    if default_entities:
        path, meta = default_list_path()
        frame = read_default(path)
        frames.append(frame)
        infos.append(entity_list_info(frame, str(path), builtin=True, sources=list(default_sources(meta))))
    for path in paths:
        frame = load_entities_cached([path])
        frames.append(frame)
        infos.append(entity_list_info(frame, str(path)))
    if not frames:
        return empty_entities(), []
    return (frames[0] if len(frames) == 1 else pl.concat(frames, how="vertical")), infos


def load_entity_lists(paths: Iterable[str | Path] = (), default_entities: bool = True) -> pl.DataFrame:
    """The bundled default list (unless dropped) plus every list given, as one canonical frame."""
    return load_entity_lists_with_info(list(paths), default_entities)[0]
