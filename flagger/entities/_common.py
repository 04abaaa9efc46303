"""Helpers shared by the official-list importers: reading bytes, decoding, countries, dates, stats.

Every importer builds plain dict rows and hands them to `to_frame()`, which returns the canonical
frame (`model.ENTITY_SCHEMA`). Rows an importer cannot use are never dropped silently: they are
counted in an `ImportStats` with the reason, and logged.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import polars as pl

from flagger.entities.schema import ENTITY_SCHEMA, conform
from flagger.errors import EntityListError

log = logging.getLogger("flagger.entities")

MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}


@dataclass
class ImportStats:
    """What an import did besides returning rows: rows skipped (by reason) and warnings."""

    records: int = 0
    skipped: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)

    def skip(self, reason: str, n: int = 1) -> None:
        self.skipped[reason] += n

    def warn(self, message: str) -> None:
        self.warnings.append(message)
        log.warning(message)

    def log_skips(self, file: str) -> None:
        for reason, n in sorted(self.skipped.items()):
            log.info("%s: skipped %d row(s): %s", file, n, reason)


def read_bytes(path: str | Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise EntityListError(f"cannot read: {exc.strerror or exc}", str(path)) from exc


def decode(raw: bytes, file: str, encodings: tuple[str, ...] = ("utf-8-sig",)) -> tuple[str, str]:
    """Decode with the first encoding that works; return (text, encoding). Error names the byte."""
    first_error: UnicodeDecodeError | None = None
    for enc in encodings:
        try:
            return raw.decode(enc), enc
        except UnicodeDecodeError as exc:
            first_error = first_error or exc
    assert first_error is not None
    line = raw[: first_error.start].count(b"\n") + 1
    raise EntityListError(
        f"not valid {'/'.join(encodings)} (byte 0x{raw[first_error.start]:02x} at offset {first_error.start})",
        file, line)


def clean(value: str | None) -> str | None:
    """Strip; OFAC's `-0-` and empty strings become None."""
    if value is None:
        return None
    value = value.strip()
    if not value or value == "-0-":
        return None
    return value


def uniq(values) -> list:
    """Drop empties and duplicates, keep order."""
    seen = set()
    out = []
    for v in values:
        if v is None or v == "":
            continue
        key = repr(v)
        if key not in seen:
            seen.add(key)
            out.append(v)
    return out


def aliases(names, strength: str = "strong", exclude: str | None = None) -> list[dict]:
    return [{"name": n, "strength": strength} for n in uniq(n.strip() for n in names if n and n.strip())
            if n != exclude]


def merge_aliases(*groups: list[dict], exclude: str | None = None) -> list[dict]:
    """Concatenate alias groups; a name listed strong anywhere stays strong; never the primary name."""
    best: dict[str, str] = {}
    for group in groups:
        for a in group:
            name = a["name"]
            if not name or name == exclude:
                continue
            if best.get(name) != "strong":
                best[name] = a["strength"]
    return [{"name": n, "strength": s} for n, s in best.items()]


# --- scripts -------------------------------------------------------------------------------------

def is_latin(text: str) -> bool:
    """True if every letter of `text` is Latin script (accents allowed)."""
    return all(unicodedata.name(ch, "").startswith("LATIN") for ch in text if ch.isalpha())


_PAREN = re.compile(r"\s*\(([^()]*)\)")
_LIST_PAREN = re.compile(r"(.+?)\s*\(([^()]*;[^()]*)\)\s*")
_NAME_SEPARATOR = re.compile(r"\s*;\s*|\s+[b-h]\)\s+")
_ENUM_START = re.compile(r"^[a-h]\)\s+")


def split_name_list(value: str) -> list[str]:
    """One list field holding several names, as the UN list writes some: "Azim Adhajani; Azim
    Agha-Jani", "a) X; Y b) Z", "أبو شيماء (Abu-Shaima; Abu- Shayma)" -> each name on its own
    (a name made of all of them matches nobody's). A field without ';' or "b)" is one name."""
    value = value.strip()
    if ";" not in value and not re.search(r"\s[b-h]\)\s", value):
        return [value] if value else []
    paren = _LIST_PAREN.fullmatch(value)
    if paren:
        return [*split_name_list(paren.group(1)), *split_name_list(paren.group(2))]
    out = []
    for part in _NAME_SEPARATOR.split(_ENUM_START.sub("", value)):
        part = part.strip(" ,")
        if part and any(ch.isalpha() for ch in part) and part not in out:
            out.append(part)
    return out


def split_original_script(name: str) -> tuple[str | None, list[str]]:
    """`Sergei AKSENOV (Сергей АКСЁНОВ)` -> ("Sergei AKSENOV", ["Сергей АКСЁНОВ"]).

    A wholly non-Latin name returns (None, [name]). Latin parentheses are left in place.
    """
    name = name.strip()
    if not name:
        return None, []
    if not is_latin(name):
        originals = [m.group(1).strip() for m in _PAREN.finditer(name) if not is_latin(m.group(1))]
        rest = _PAREN.sub(lambda m: "" if not is_latin(m.group(1)) else m.group(0), name).strip()
        if rest and is_latin(rest):
            return rest, originals
        return None, [name]
    return name, []


# --- countries -----------------------------------------------------------------------------------

# Names used by the lists that ISO's own names do not cover.
COUNTRY_EXTRA = {
    "korea, north": "KP", "north korea": "KP", "dprk": "KP", "democratic people's republic of korea": "KP",
    "korea, south": "KR", "south korea": "KR", "republic of korea": "KR", "korea": "KR",
    "burma": "MM", "russia": "RU", "russian federation": "RU", "iran": "IR", "syria": "SY",
    "syrian arab republic": "SY", "venezuela": "VE", "bolivia": "BO", "tanzania": "TZ", "vietnam": "VN",
    "viet nam": "VN", "laos": "LA", "moldova": "MD", "taiwan": "TW", "macau": "MO", "macao": "MO",
    "turkey": "TR", "türkiye": "TR", "turkiye": "TR", "czech republic": "CZ", "czechia": "CZ",
    "the netherlands": "NL", "netherlands": "NL", "united kingdom": "GB", "uk": "GB",
    "united states": "US", "usa": "US", "united states of america": "US", "kosovo": "XK",
    "palestinian": "PS", "palestine": "PS", "west bank": "PS", "gaza": "PS",
    "palestinian territories": "PS", "occupied palestinian territory": "PS",
    "democratic republic of the congo": "CD", "congo, democratic republic of the": "CD", "drc": "CD",
    "congo, republic of the": "CG", "republic of the congo": "CG", "congo": "CG",
    "cote d'ivoire": "CI", "côte d'ivoire": "CI", "ivory coast": "CI", "brunei": "BN",
    "cape verde": "CV", "swaziland": "SZ", "eswatini": "SZ", "macedonia": "MK", "north macedonia": "MK",
    "the former yugoslav republic of macedonia": "MK", "micronesia": "FM", "st. kitts and nevis": "KN",
    "st. lucia": "LC", "st. vincent and the grenadines": "VC", "saint vincent and the grenadines": "VC",
    "the bahamas": "BS", "bahamas": "BS", "the gambia": "GM", "gambia": "GM", "vatican": "VA",
    "holy see": "VA", "curacao": "CW", "sint maarten": "SX", "british virgin islands": "VG",
    "virgin islands, british": "VG", "hong kong": "HK", "china": "CN", "people's republic of china": "CN",
    "uae": "AE", "united arab emirates": "AE", "ussr": "SU", "soviet union": "SU", "yugoslavia": "YU",
    "serbia and montenegro": "CS", "region: crimea": "UA", "crimea": "UA", "timor-leste": "TL",
    "east timor": "TL", "falkland islands": "FK", "reunion": "RE", "bosnia-herzegovina": "BA",
    # flags of convenience seen on sanctioned tankers (so vessel flags map even without pycountry)
    "gabon": "GA", "panama": "PA", "liberia": "LR", "marshall islands": "MH", "malta": "MT",
    "cameroon": "CM", "comoros": "KM", "sierra leone": "SL", "togo": "TG", "mongolia": "MN",
    "belize": "BZ", "cook islands": "CK", "palau": "PW", "saint kitts and nevis": "KN",
    "st kitts and nevis": "KN", "barbados": "BB", "djibouti": "DJ", "eswatini (swaziland)": "SZ",
    "guinea-bissau": "GW", "equatorial guinea": "GQ", "sao tome and principe": "ST", "tuvalu": "TV",
    "vanuatu": "VU", "antigua and barbuda": "AG", "dominica": "DM", "cyprus": "CY", "greece": "GR",
    "bosnia and herzegovina": "BA", "north macedonia, the republic of": "MK", "st. kitts & nevis": "KN",
    "man, isle of": "IM", "state of palestine": "PS", "former soviet union": "SU",
    "china, hong kong special administrative region": "HK", "none identified": None, "kyrgyzstan": "KG", "slovakia": "SK", "libya": "LY",
}


# Nationality adjectives some lists use instead of country names.
DEMONYMS = {
    "russian": "RU", "ukrainian": "UA", "belarusian": "BY", "belarussian": "BY", "iranian": "IR",
    "syrian": "SY", "afghan": "AF", "iraqi": "IQ", "tunisian": "TN", "indonesian": "ID", "pakistani": "PK",
    "algerian": "DZ", "north korean": "KP", "libyan": "LY", "saudi": "SA", "saudi arabian": "SA",
    "yemeni": "YE", "somali": "SO", "sudanese": "SD", "egyptian": "EG", "jordanian": "JO",
    "lebanese": "LB", "kuwaiti": "KW", "moroccan": "MA", "chinese": "CN", "turkish": "TR",
    "british": "GB", "american": "US", "venezuelan": "VE", "nicaraguan": "NI", "cuban": "CU",
    "burmese": "MM", "palestinian": "PS", "qatari": "QA", "emirati": "AE", "bahraini": "BH",
    "omani": "OM", "mauritanian": "MR", "malian": "ML", "nigerian": "NG", "nigerien": "NE",
    "kenyan": "KE", "ethiopian": "ET", "eritrean": "ER", "ugandan": "UG", "rwandan": "RW",
    "burundian": "BI", "central african": "CF", "south sudanese": "SS", "chadian": "TD",
    "filipino": "PH", "malaysian": "MY", "bangladeshi": "BD", "indian": "IN", "uzbek": "UZ",
    "kazakh": "KZ", "tajik": "TJ", "kyrgyz": "KG", "turkmen": "TM", "azerbaijani": "AZ",
    "armenian": "AM", "georgian": "GE", "moldovan": "MD", "serbian": "RS", "bosnian": "BA",
    "german": "DE", "french": "FR", "italian": "IT", "spanish": "ES", "dutch": "NL", "belgian": "BE",
    "swiss": "CH", "austrian": "AT", "swedish": "SE", "danish": "DK", "norwegian": "NO",
    "finnish": "FI", "polish": "PL", "czech": "CZ", "cypriot": "CY", "greek": "GR", "latvian": "LV",
    "lithuanian": "LT", "estonian": "EE", "canadian": "CA", "australian": "AU", "israeli": "IL",
    "zimbabwean": "ZW", "south african": "ZA", "guinean": "GN", "ivorian": "CI", "haitian": "HT",
    "colombian": "CO", "mexican": "MX", "trinidadian": "TT", "maldivian": "MV", "sri lankan": "LK",
    "congolese": "CD", "kosovar": "XK", "senegalese": "SN", "gambian": "GM", "beninese": "BJ",
    "bulgarian": "BG", "romanian": "RO", "hungarian": "HU", "slovak": "SK", "albanian": "AL",
    "macedonian": "MK", "montenegrin": "ME", "croatian": "HR", "slovenian": "SI",
}


@lru_cache(maxsize=1)
def _country_table() -> dict[str, str]:
    table: dict[str, str] = {}
    try:
        import pycountry
    except ImportError:  # pragma: no cover - pycountry is a declared dependency
        pycountry = None
    if pycountry is not None:
        for c in pycountry.countries:
            for attr in ("name", "official_name", "common_name"):
                value = getattr(c, attr, None)
                if value:
                    table[value.lower()] = c.alpha_2
            table[c.alpha_3.lower()] = c.alpha_2
    table.update(DEMONYMS)
    table.update(COUNTRY_EXTRA)
    return table


def known_country(name: str) -> str | None:
    """ISO-3166 alpha-2 for a country's name, official name or demonym; None for any other word."""
    return _country_table().get(name.replace("\u2019", "'").strip().lower())


def country_code(name: str | None) -> str | None:
    """ISO-3166 alpha-2 for a country name or code as the lists write it; else the cleaned name."""
    if name is None:
        return None
    value = name.replace("\u2019", "'").strip().strip(".").strip()
    if not value:
        return None
    table = _country_table()
    key = value.lower()
    if len(value) == 2 and value.isalpha():
        return table.get(key) or value.upper()
    if key in table:
        return table[key]
    key = re.sub(r"\s*\(.*\)$", "", key).strip()
    if key in table:
        return table[key]
    return value


def countries(names) -> list[str]:
    """Country codes for names; `Ukrainian, Russian` (several in one value) is split when every part maps."""
    out = []
    for n in names:
        if not n:
            continue
        code = country_code(n)
        if code is not None and len(code) > 2 and ("," in code or " and " in code):
            core = re.sub(r"\s*\(.*\)$", "", code)
            parts = [country_code(p) for p in re.split(r",\s*|\s+and\s+", core) if p.strip()]
            if parts and all(p is not None and len(p) == 2 for p in parts):
                out.extend(parts)
                continue
        out.append(code)
    return uniq(out)


# --- dates ---------------------------------------------------------------------------------------

_DMY_TEXT = re.compile(r"^(?:(\d{1,2})\s+)?([A-Za-z]{3})[a-z]*\.?\s+(\d{4})$")
_DMY_NUM = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$")
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def iso_date(text: str | None) -> list[str]:
    """Parse the date forms the lists use into ISO dates/years (a range gives both ends).

    `18 Jun 1964`, `Jun 1964`, `1964`, `circa 1947`, `1960 to 1962`, `13.10.1944`, `00/00/1980`,
    `1944-10-13`. Returns [] when nothing date-like is found (the caller keeps the text in notes).
    """
    if not text:
        return []
    t = text.strip().rstrip(".").strip()
    t = re.sub(r"^(circa|approximately|approx\.?|about|ca\.)\s+", "", t, flags=re.I)
    if re.search(r"\s(to|-|–)\s", t):
        out: list[str] = []
        for part in re.split(r"\s(?:to|-|–)\s", t):
            out.extend(iso_date(part))
        return uniq(out)
    m = _DMY_TEXT.match(t)
    if m and m.group(2).lower()[:3] in MONTHS:
        day, mon, year = m.group(1), MONTHS[m.group(2).lower()[:3]], m.group(3)
        return [f"{year}-{mon:02d}-{int(day):02d}" if day else f"{year}-{mon:02d}"]
    m = _DMY_NUM.match(t)
    if m:
        day, mon, year = int(m.group(1)), int(m.group(2)), m.group(3)
        if year == "0000":
            return []
        if mon == 0:
            return [year]
        if day == 0:
            return [f"{year}-{mon:02d}"]
        return [f"{year}-{mon:02d}-{day:02d}"]
    m = _ISO.match(t)
    if m:
        return [m.group(0)]
    return []


def iso_listed(text: str | None) -> str | None:
    dates = iso_date(text)
    return dates[0] if dates else None


# --- frame ---------------------------------------------------------------------------------------

def to_frame(rows: list[dict]) -> pl.DataFrame:
    return conform(pl.DataFrame(rows, schema=ENTITY_SCHEMA))


def check_unique(rows: list[dict], file: str) -> None:
    seen: dict[str, str] = {}
    for row in rows:
        if row["id"] in seen:
            raise EntityListError(
                f"duplicate id {row['id']!r} (first at record {seen[row['id']]})", file,
                int(row["source_record"]) if str(row["source_record"]).isdigit() else None)
        seen[row["id"]] = row["source_record"]


def join_notes(*parts) -> str | None:
    text = "; ".join(p.strip() for p in parts if p and p.strip())
    return text or None
