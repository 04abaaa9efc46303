"""The default entity list: the official UN and OFAC SDN lists, all of them, merged with flagger's
hand-curated additions (names in other scripts, press spellings, nicknames).

Two places build it, with the same code: `scripts/build_default_entities.py` writes the copy
that ships inside the package (from the newest complete files in a folder of official lists),
and `flagger lists update` writes one into the lists cache from the files it downloaded, which
scans then use instead of the shipped one (`current_default`).

The result is one Parquet file (zstd; a canonical entity frame) whose Parquet metadata records,
under the key ``flagger_default``, each source file with its date and record count: the UN
list's ``dateGenerated``; for an OFAC CSV file, which carries no date, the ``Last-Modified`` of
its download (`lists update`), else a YYYY-MM-DD in its folder's name, else its file time.

One party is one entity: an OFAC entry that is the same party as a UN entry (the same kind,
a primary or strong name in common, and for a person no birth year that disagrees) is merged
into it, and a curated row into the official entry it names (by its UN id, else by a primary or
strong name in common, when exactly one official entry of its kind has it). A merged entity keeps
the first of its ids in the order UN, curated, OFAC (curated ids are the ones labels and
baselines were written with), and records every id under the identifier scheme ``LIST-ID``;
names, programmes, countries, identifiers and birth dates are the union of its rows'.

A one-word name of an official entry that is a word or name in general use in some language
(wordfreq Zipf frequency >= GENERAL_ZIPF in one of GENERAL_LANGUAGES: the comedian and the
sailor Sinbad, an opera, the Latin "Makin") is weak unless the curated additions give that name
themselves: the matcher then needs corroboration before it takes the word for the listed party
(another of its names, its country or an identifier nearby). So is an organisation's name of
several words that only describe a body any country has, every word in general use in English
and none a country ("SECOND ACADEMY OF NATURAL SCIENCES" and its alias "ACADEMY OF NATURAL
SCIENCES", Philadelphia's museum; "AEROSPACE RESEARCH INSTITUTE", also South Korea's), unless the
curated additions give that name. A weak primary name is written as an alias of the same name
with strength "weak" (flagger.engine.compile reads it so).
"""

from __future__ import annotations

import email.utils
import json
import os
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl
from anyascii import anyascii

from flagger.digest import sha256_file
from flagger.entities._common import ImportStats, known_country
from flagger.entities.ofac_csv import read_ofac_csv
from flagger.entities.schema import conform
from flagger.entities.simple import read_simple
from flagger.entities.un_xml import read_un_xml
from flagger.errors import EntityListError

DEFAULT_LIST_NAME = "flagger default"
METADATA_KEY = "flagger_default"
METADATA_FORMAT = 1
LIST_ID = "LIST-ID"
UN_NAME, OFAC_NAME, CURATED_NAME = "UN SC consolidated", "OFAC SDN", "flagger curated"
# The sources whose date says how current the default list is (the curated file has none).
OFFICIAL = (UN_NAME, OFAC_NAME)
OFAC_PARTS = ("alt.csv", "add.csv", "sdn_comments.csv")

# "In general use": a word met at least once in 10 million words of one of these languages'
# text (wordfreq); coined company names (Garantex, Rosoboronexport) stay far below.
GENERAL_ZIPF = 2.0
GENERAL_LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "pl", "nl", "ru", "uk", "tr", "ar", "id", "sv", "cs")
# A name of several words each this common in English text (1 in 1,000,000 words or more) says
# what a body does, not which one it is ("Academy of Natural Sciences").
DESCRIPTIVE_ZIPF = 3.0

_ISO_DAY = re.compile(r"(?<![0-9])([0-9]{4}-[0-9]{2}-[0-9]{2})(?![0-9])")
_UN_DATE = re.compile(rb'dateGenerated="([0-9]{4}-[0-9]{2}-[0-9]{2})')


@dataclass(frozen=True)
class OfficialFiles:
    """The files one default list is built from."""

    un: Path
    sdn: Path
    ofac_parts: tuple[Path, ...]       # alt.csv, add.csv, sdn_comments.csv (the newest of each found)


# -- finding the files and their dates -----------------------------------------------------------

def un_date(path: Path) -> str | None:
    """The UN list's own date (root attribute dateGenerated)."""
    try:
        with open(path, "rb") as fh:
            m = _UN_DATE.search(fh.read(4096))
    except OSError:
        return None
    return m.group(1).decode() if m else None


def ofac_date(path: Path) -> str | None:
    """An OFAC CSV file's date: the Last-Modified of its download (`<file>.http.json` written by
    `lists update`), else a YYYY-MM-DD in its folder's or its own name, else its file time."""
    meta = path.with_name(path.name + ".http.json")
    try:
        stamp = json.loads(meta.read_text()).get("last_modified") if meta.is_file() else None
        if stamp:
            return email.utils.parsedate_to_datetime(stamp).astimezone(UTC).date().isoformat()
    except (OSError, ValueError, TypeError, AttributeError):
        pass
    for text in (path.parent.name, path.name):
        m = _ISO_DAY.search(text)
        if m:
            return m.group(1)
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC).date().isoformat()
    except OSError:
        return None


def find_official_files(folder: Path) -> OfficialFiles:
    """The newest UN consolidated XML and OFAC SDN CSV set below `folder`: a folder of dated
    copies (un-sc-consolidated/consolidated_DATE.xml, ofac-sdn/DATE/sdn.csv) or the lists
    cache of `flagger lists update` (un/consolidated.xml, ofac-sdn/sdn.csv ...). EntityListError
    naming what is missing when either list is not there."""
    files = [p for p in folder.rglob("*") if p.is_file()
             and not any(part.startswith(".") for part in p.relative_to(folder).parts)]   # not a download under way
    un = [p for p in files if p.suffix.lower() == ".xml" and p.name.lower().startswith("consolidated") and un_date(p)]
    sdn = [p for p in files if p.name.lower() == "sdn.csv"]
    missing = [what for what, found in (("the UN consolidated list (consolidated*.xml)", un),
                                        ("the OFAC SDN list (sdn.csv)", sdn)) if not found]
    if missing:
        raise EntityListError(f"{' and '.join(missing)} not found below this folder", str(folder))
    newest_un = max(un, key=lambda p: (un_date(p) or "", str(p)))
    newest_sdn = max(sdn, key=lambda p: (ofac_date(p) or "", str(p)))
    parts = []
    for name in OFAC_PARTS:    # the newest of each, as long as it is not older than the sdn.csv
        found = [p for p in files if p.name.lower() == name and (ofac_date(p) or "") >= (ofac_date(newest_sdn) or "")]
        if found:
            parts.append(max(found, key=lambda p: (ofac_date(p) or "", str(p))))
    return OfficialFiles(newest_un, newest_sdn, tuple(parts))


# -- merging ---------------------------------------------------------------------------------------

def name_key(name: str) -> tuple[str, ...]:
    """A name's words, romanised, lower-cased and sorted: 'KIM, Jong Un' and 'Kim Jong-un' agree."""
    text = anyascii(unicodedata.normalize("NFKC", name or "")).lower()
    return tuple(sorted(re.findall(r"[a-z0-9]+", text)))


def _written(name: str) -> str:
    """A name as written, case and spacing aside: 'KIM, Jong Un' and 'Jong Un Kim' stay two names."""
    return " ".join(unicodedata.normalize("NFKC", name or "").split()).casefold()


def _keys(row: dict) -> set[tuple[str, ...]]:
    names = [row["name"], *[a["name"] for a in row.get("aliases") or [] if a["strength"] == "strong"]]
    return {k for n in names if len(k := name_key(n)) >= 1 and len("".join(k)) >= 4}


def _years(row: dict) -> set[str]:
    return {d[:4] for d in row.get("birth_dates") or [] if d and d[:4].isdigit()}


def _same_party(a: dict, b: dict) -> bool:
    if a["type"] != b["type"]:
        return False
    ya, yb = _years(a), _years(b)
    return not (a["type"] == "person" and ya and yb and not ya & yb)


def _union(values: Iterable) -> list:
    out, seen = [], set()
    for v in values:
        k = json.dumps(v, sort_keys=True) if isinstance(v, dict) else v
        if v and k not in seen:
            seen.add(k)
            out.append(v)
    return out


def _merge_into(base: dict, extra: dict) -> None:
    """`extra`'s names and facts added to `base` (the same party); base keeps its id and name."""
    known = {_written(base["name"])}
    aliases = []
    for a in [*(base["aliases"] or []), {"name": extra["name"], "strength": "strong"}, *(extra["aliases"] or [])]:
        k = _written(a["name"])
        if not k or k in known:
            continue
        known.add(k)
        aliases.append(a)
    base["aliases"] = aliases
    for col in ("original_names", "countries", "programs", "identifiers", "birth_dates"):
        base[col] = _union([*(base[col] or []), *(extra[col] or [])])
    base["listed_on"] = min(x for x in (base["listed_on"], extra["listed_on"], "9999") if x)
    if base["listed_on"] == "9999":
        base["listed_on"] = None
    base["notes"] = "; ".join(_union([base["notes"], extra["notes"]])) or None


def _with_list_id(row: dict) -> dict:
    row = dict(row)
    row["identifiers"] = _union([*(row["identifiers"] or []), {"scheme": LIST_ID, "value": row["id"]}])
    return row


def _attach(targets: list[dict], rows: Iterable[dict], by_id: dict[str, dict] | None = None) -> list[dict]:
    """Merge each of `rows` into the one target that is the same party (by id when `by_id` has
    it, else by name); return the rows that matched none (or several)."""
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, t in enumerate(targets):
        for k in _keys(t):
            index[k].append(i)
    left = []
    for row in rows:
        target = by_id.get(row["id"]) if by_id else None
        if target is None:
            found = {i for k in _keys(row) for i in index.get(k, ()) if _same_party(targets[i], row)}
            target = targets[found.pop()] if len(found) == 1 else None
        if target is None:
            left.append(row)
        else:
            _merge_into(target, _with_list_id(row))
    return left


def merge_default(un: pl.DataFrame, sdn: pl.DataFrame, curated: pl.DataFrame) -> pl.DataFrame:
    """One canonical frame: UN entries (OFAC and curated rows of the same party merged in), then
    curated rows (OFAC rows of the same party merged in), then the remaining OFAC entries."""
    un_rows = [_with_list_id(r) for r in conform(un).to_dicts()]
    by_id = {r["id"]: r for r in un_rows}
    curated_rows = [_with_list_id(r) for r in conform(curated).to_dicts()]
    # curated rows that name a UN entry, or are the same party as one
    curated_left = _attach(un_rows, curated_rows, by_id)
    sdn_rows = [_with_list_id(r) for r in conform(sdn).to_dicts()]
    sdn_left = _attach(un_rows, sdn_rows)
    # a curated row keeps its id and takes in the OFAC entry of the same party
    sdn_left = _attach(curated_left, sdn_left)
    rows = [*un_rows, *curated_left, *sdn_left]
    curated_rows = conform(curated).to_dicts()
    vouched = {k[0] for r in curated_rows for k in _keys(r) if len(k) == 1}
    general = general_words({k[0] for r in rows for k in _keys(r) if len(k) == 1} - vouched)
    given = {_written(n) for r in curated_rows for n in _strong_names(r)}
    descriptive = descriptive_names({n for r in rows if r["type"] == "organisation" for n in _strong_names(r)
                                     if _written(n) not in given})
    for r in rows:
        r["list"] = DEFAULT_LIST_NAME
        _weaken_general_names(r, general)
        if r["type"] == "organisation":
            _weaken(r, lambda name: name in descriptive)
    return conform(pl.DataFrame(rows, schema=conform(un).schema))


def _strong_names(row: dict) -> list[str]:
    return [row["name"], *[a["name"] for a in row.get("aliases") or [] if a["strength"] == "strong"]]


_LINK_WORDS = frozenset({"of", "the", "and", "for", "s", "in", "on", "de"})


def descriptive_names(names: set[str]) -> set[str]:
    """The `names` of two or more words that describe a body any country has: every word in
    general use in English (wordfreq Zipf >= DESCRIPTIVE_ZIPF), none a country or its adjective
    ('SECOND ACADEMY OF NATURAL SCIENCES', 'AEROSPACE RESEARCH INSTITUTE'; not 'KOREAN PEOPLE'S
    ARMY', not 'TANCHON COMMERCIAL BANK')."""
    import wordfreq  # not a flagger module; only a build needs it

    out = set()
    for name in names:
        # "QA'IDA" is one word; one- and two-letter tokens ("AL", "CO", "S.A.") say nothing either way
        words = [w for w in re.findall(r"[a-z0-9]+", re.sub(r"['\u2019`]", "", anyascii(name).lower()))
                 if w not in _LINK_WORDS and len(w) >= 3]
        if len(words) < 2 or any(_country_word(w) for w in words):
            continue
        if all(not w.isdigit() and wordfreq.zipf_frequency(w, "en") >= DESCRIPTIVE_ZIPF for w in words):
            out.add(name)
    return out


def _country_word(word: str) -> bool:
    """A country's name or adjective ('korea', 'korean', 'syrian', 'iraqi'), 4+ letters."""
    return len(word) >= 4 and any(known_country(w) for w in (word, word[:-1], word[:-2]) if len(w) >= 4)


def _weaken(row: dict, weak: Callable[[str], bool]) -> None:
    """Mark the row's names for which `weak` holds weak (the primary name by a weak alias of it)."""
    row["aliases"] = [{"name": a["name"], "strength": "weak"} if a["strength"] == "strong" and weak(a["name"])
                      else a for a in row["aliases"] or []]
    if weak(row["name"]) and not any(a["name"] == row["name"] for a in row["aliases"]):
        row["aliases"].append({"name": row["name"], "strength": "weak"})


def general_words(words: set[str]) -> set[str]:
    """The `words` in general use in one of GENERAL_LANGUAGES (see the module docstring)."""
    import wordfreq  # not a flagger module; only a build needs it (about 30 MB per language)

    found = set()
    for lang in GENERAL_LANGUAGES:
        found.update(w for w in words if w not in found and wordfreq.zipf_frequency(w, lang) >= GENERAL_ZIPF)
        for name in ("get_frequency_dict", "get_frequency_list"):
            getattr(getattr(wordfreq, name, None), "cache_clear", lambda: None)()
    return found


def _weaken_general_names(row: dict, general: set[str]) -> None:
    aliases = []
    for a in row["aliases"] or []:
        k = name_key(a["name"])
        aliases.append({"name": a["name"], "strength": "weak"} if len(k) == 1 and k[0] in general else a)
    k = name_key(row["name"])
    if len(k) == 1 and k[0] in general and not any(a["name"] == row["name"] for a in aliases):
        aliases.append({"name": row["name"], "strength": "weak"})
    row["aliases"] = aliases


# -- building and reading the file -----------------------------------------------------------------

def _source(name: str, path: Path, day: str | None, records: int | None, relative_to: Path | None) -> dict:
    shown = path
    if relative_to is not None:
        try:
            shown = path.resolve().relative_to(relative_to.resolve())
        except ValueError:
            shown = Path(path.name)
    return {"name": name, "file": shown.as_posix(), "date": day, "records": records, "sha256": sha256_file(path)}


def build_default(files: OfficialFiles, curated: Path, *, relative_to: Path | None = None
                  ) -> tuple[pl.DataFrame, dict]:
    """The merged default frame and its metadata (sources with dates and record counts)."""
    un = read_un_xml(files.un)
    sdn = read_ofac_csv([files.sdn, *files.ofac_parts], partial=True, stats=ImportStats())
    hand = read_simple(curated, list_name=DEFAULT_LIST_NAME)
    frame = merge_default(un, sdn, hand)
    # paths inside the shipped file say where each entry came from, never the build machine's folders
    shown = {str(files.un): files.un.name, str(files.sdn): files.sdn.name, str(curated): curated.name}
    frame = frame.with_columns(pl.col("source_file").replace(shown))
    sources = [_source(UN_NAME, files.un, un_date(files.un), un.height, relative_to),
               _source(OFAC_NAME, files.sdn, ofac_date(files.sdn), sdn.height, relative_to),
               *[_source(f"{OFAC_NAME} {p.stem}", p, ofac_date(p), None, relative_to) for p in files.ofac_parts],
               _source(CURATED_NAME, curated, None, hand.height, None)]
    sources[-1]["file"] = curated.name
    meta = {"format": METADATA_FORMAT, "sources": sources, "entities": frame.height,
            "names": int(frame.height + frame["aliases"].list.len().sum() + frame["original_names"].list.len().sum())}
    return frame, meta


def write_default(frame: pl.DataFrame, meta: dict, target: Path) -> None:
    """Write the default list (zstd Parquet, metadata inside) atomically."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        frame.write_parquet(tmp, compression="zstd", compression_level=19, statistics=False,
                            metadata={METADATA_KEY: json.dumps(meta, sort_keys=True)})
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def read_default_meta(path: Path) -> dict | None:
    """The metadata a default list file records (None when it is not one)."""
    try:
        raw = pl.read_parquet_metadata(path).get(METADATA_KEY)
        meta = json.loads(raw) if raw else None
    except Exception:       # polars raises several types for absent or corrupt files
        return None
    return meta if isinstance(meta, dict) and isinstance(meta.get("sources"), list) else None


def read_default(path: Path) -> pl.DataFrame:
    """The default list's frame (EntityListError naming the file when it cannot be read)."""
    try:
        return conform(pl.read_parquet(path))
    except Exception as exc:
        raise EntityListError(f"cannot read the default entity list: {exc}", str(path)) from exc


def official_date(meta: dict | None) -> str | None:
    """How current a default list is: the oldest date of its official sources (None if unknown)."""
    days = [s.get("date") for s in (meta or {}).get("sources", []) if s.get("name") in OFFICIAL]
    return min(days) if days and all(days) else None


def current_default(bundled: Path, cache_dir: Path) -> tuple[Path, dict | None]:
    """The default list a scan uses: the one `flagger lists update` built in `cache_dir` when it
    is readable and not older than the bundled one, else the bundled one."""
    built = cache_dir / BUILT_NAME
    bundled_meta = read_default_meta(bundled)
    if built.is_file():
        meta = read_default_meta(built)
        if meta is not None and (official_date(meta) or "") >= (official_date(bundled_meta) or ""):
            return built, meta
    return bundled, bundled_meta


BUILT_NAME = "default-entities.parquet"


def age_warning(meta: dict | None, today: date, *, max_days: int, path: str = "") -> str | None:
    """The warning a scan prints once when its default list is older than `max_days` (None if not)."""
    day = official_date(meta)
    if not day:
        return None
    age = (today - date.fromisoformat(day)).days
    if age <= max_days:
        return None
    dated = ", ".join(f"{s['name']} of {s['date']}" for s in meta["sources"] if s.get("name") in OFFICIAL)
    return (f"the default entity list is {age} days old ({dated}); run `flagger lists update` to download "
            f"the current lists, which scans then use instead{f' ({path})' if path else ''}")


def default_sources(meta: dict | None) -> Sequence[dict]:
    return list((meta or {}).get("sources") or [])
