"""EU sanctions annexes as transcribed from the Official Journal by OpenSanctions (`<CELEX>.csv`).

One row per designated party per legal context (annex + measure); each row becomes one entity
with id `EU:<celex>:<annex>:<recordId>` (the CSV line when recordId is empty). Multi-valued
cells are `; `-separated (quote-aware). Names in non-Latin script (whole values, or a part in
parentheses) go to original_names. `Asset` rows (ports and other non-party assets) are skipped
and counted.
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from flagger.entities._common import (
    ImportStats,
    countries,
    iso_date,
    iso_listed,
    join_notes,
    merge_aliases,
    split_original_script,
    to_frame,
    uniq,
)
from flagger.entities._csvutil import read_table, split_multi
from flagger.errors import EntityListError

VERSION = 1
REQUIRED = ("celex", "recordId", "programKey", "annex", "schema", "name")
TYPES = {"person": "person", "legalentity": "organisation", "company": "organisation",
         "organization": "organisation", "publicbody": "organisation", "vessel": "vessel",
         "airplane": "aircraft"}
IDENTS = {"imoNumber": "IMO", "mmsi": "MMSI", "passportNumber": "PASSPORT", "registrationNumber": "REGISTRATION",
          "taxNumber": "TAX_ID", "idNumber": "ID", "innCode": "INN", "ogrnCode": "OGRN", "kppCode": "KPP",
          "okpoCode": "OKPO", "leiCode": "LEI", "swiftBic": "SWIFT_BIC"}
NOTE_FIELDS = ("measure", "position", "birthPlace", "gender", "address", "sector", "legalForm",
               "incorporationDate", "phone", "email", "website", "reason", "notes")


# Labels the Official Journal prints before a name and that the transcription kept as names
# of their own ("Text of image", "Chinese:"): shared by many entries, no one's name.
_LABELS = frozenset({"text of image", "image", "chinese", "russian", "ukrainian", "belarusian", "native script"})


def _is_label(value: str) -> bool:
    bare = value.strip().strip("\u2019'\"`")
    return not any(c.isalpha() for c in bare) or bare.endswith(":") or bare.casefold() in _LABELS


def _names(values: list[str], strength: str) -> tuple[list[dict], list[str]]:
    out, orig = [], []
    for v in values:
        if _is_label(v):
            continue
        latin, originals = split_original_script(v)
        orig.extend(originals)
        if latin and not _is_label(latin):    # "’’ (НПП Аэросила)": the Latin part is only quotes
            out.append({"name": latin, "strength": strength})
    return out, orig


def read_eu_journal(path: str | Path, *, stats: ImportStats | None = None) -> pl.DataFrame:
    stats = stats if stats is not None else ImportStats()
    file = str(path)
    rows: list[dict] = []
    seen: set[str] = set()
    for line, r in read_table(path, REQUIRED, stats):
        schema = (r["schema"] or "").lower()
        if schema == "asset":
            stats.skip("schema Asset (a port or other asset, not a party)")
            continue
        etype = TYPES.get(schema)
        if etype is None:
            raise EntityListError(f"unknown schema {r['schema']!r} (expected Person, LegalEntity, Company, "
                                  "Organization, Vessel, Airplane or Asset)", file, line)
        if not r["name"]:
            raise EntityListError("empty name", file, line)
        if not r["celex"]:
            raise EntityListError("empty celex", file, line)
        name, original = split_original_script(r["name"])
        strong, o1 = _names(split_multi(r.get("alias")) + split_multi(r.get("previousName")), "strong")
        weak, o2 = _names(split_multi(r.get("weakAlias")), "weak")
        original += o1 + o2
        if name is None:  # a name printed only in its own script
            name = (strong or weak or [{"name": original[0]}])[0]["name"]
        if etype == "vessel" and "(" in name:  # `Chong Bong (Greenlight) (Blue Nouvelle)`: other names
            others = re.findall(r"\(([^()]+)\)", name)
            bare = re.sub(r"\s*\([^()]*\)", "", name).strip()
            if bare:
                name = bare
                strong += [{"name": o.strip(), "strength": "strong"} for o in others if o.strip()]
        ident, extra = [], []
        for col, scheme in IDENTS.items():
            for v in split_multi(r.get(col)):
                # `563110024 (issued by the DPRK)`: the number alone is the identifier; the rest is in notes
                number = re.sub(r"\s*\(.*\)\s*$", "", v).strip() or v
                ident.append({"scheme": scheme, "value": number})
                if number != v:
                    extra.append(f"{col}: {v}")
        rid = f"EU:{r['celex']}:{r['annex'] or '-'}:{r['recordId'] or f'L{line}'}"
        if rid in seen:
            rid = f"{rid}:L{line}"
        seen.add(rid)
        births = []
        for v in split_multi(r.get("birthDate")):
            births.extend(iso_date(v))
        rows.append({
            "id": rid,
            "type": etype,
            "name": name,
            "aliases": merge_aliases(strong, weak, exclude=name),
            "original_names": uniq(original),
            "countries": countries(split_multi(r.get("nationality")) + split_multi(r.get("country"))
                                   + split_multi(r.get("jurisdiction")) + split_multi(r.get("flag"))),
            "programs": uniq([r["programKey"], f"{r['celex']} Annex {r['annex']}" if r["annex"] else None]),
            "list": f"EU {r['celex']}",
            "identifiers": uniq(ident),
            "birth_dates": uniq(births),
            "listed_on": iso_listed(r.get("startDate")),
            "source_file": file,
            "source_record": str(line),
            "notes": join_notes(*(f"{k}: {r[k]}" for k in NOTE_FIELDS if r.get(k)), *extra),
        })
    stats.records = len(rows)
    stats.log_skips(file)
    return to_frame(rows)
