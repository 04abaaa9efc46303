"""EU Consolidated Financial Sanctions List (FSF), XML export 1.1 (`xmlFullSanctionsList_1_1`).

Root `export` (namespace http://eu.europa.ec/fpi/fsd/export), one `sanctionEntity` per listed
party, data in attributes. subjectType `person` -> person, `enterprise` -> organisation (the
FSF has no vessel type). `nameAlias`: the first Latin-script wholeName is the name; the others
are aliases, weak when `strong="false"`; non-Latin wholeNames -> original_names. `citizenship`
and address `countryIso2Code` -> countries; `birthdate` -> birth_dates; `identification` ->
identifiers; `regulation/@programme` -> programs (`EU-<programme>`); `designationDate` ->
listed_on; `euReferenceNumber`, UN id, functions, remarks -> notes. Streamed.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from flagger.entities._common import (
    ImportStats,
    check_unique,
    countries,
    is_latin,
    iso_date,
    join_notes,
    merge_aliases,
    to_frame,
    uniq,
)
from flagger.entities._xml import findall, iter_xml, text
from flagger.errors import EntityListError

VERSION = 1
LIST_NAME = "EU consolidated (FSF)"
TYPES = {"person": "person", "p": "person", "enterprise": "organisation", "e": "organisation",
         "entity": "organisation"}
ID_SCHEMES = {"passport": "PASSPORT", "id": "NATIONAL_ID", "regnumber": "REGISTRATION", "fiscalcode": "TAX_ID",
              "swiftbic": "SWIFT_BIC", "imo": "IMO", "other": "ID"}


def _whole(alias) -> str | None:
    name = (alias.get("wholeName") or "").strip()
    if not name:
        name = " ".join(p for p in (alias.get("firstName"), alias.get("middleName"), alias.get("lastName"))
                        if p and p.strip()).strip()
    return name or None


def _entity(elem, file: str, n: int) -> dict:
    lid = elem.get("logicalId")
    where = f"sanctionEntity #{n}" + (f" (logicalId {lid})" if lid else "")
    if not lid:
        raise EntityListError(f"{where}: no logicalId", file)
    subject = findall(elem, "subjectType")
    code = (subject[0].get("code") or subject[0].get("classificationCode") or "").lower() if subject else ""
    etype = TYPES.get(code)
    if etype is None:
        raise EntityListError(f"{where}: unknown subjectType {code!r}", file)
    name = None
    alias_list, original, functions = [], [], []
    for a in findall(elem, "nameAlias"):
        whole = _whole(a)
        if not whole:
            continue
        if a.get("function"):
            functions.append(a.get("function"))
        if not is_latin(whole):
            original.append(whole)
        elif name is None:
            name = whole
        else:
            alias_list.append({"name": whole, "strength": "weak" if a.get("strong") == "false" else "strong"})
    if name is None:
        if not original:
            raise EntityListError(f"{where}: no nameAlias with a name", file)
        name = original[0]
    ctry = [c.get("countryIso2Code") for c in findall(elem, "citizenship")]
    ctry += [c.get("countryIso2Code") for c in findall(elem, "address")]
    births = []
    for b in findall(elem, "birthdate"):
        births += iso_date(b.get("birthdate")) or ([b.get("year")] if b.get("year") else [])
    ident = []
    for i in findall(elem, "identification"):
        if i.get("number"):
            code = (i.get("identificationTypeCode") or "").lower()
            ident.append({"scheme": ID_SCHEMES.get(code, code.upper() or "ID"), "value": i.get("number")})
    programmes = [r.get("programme") for r in findall(elem, "regulation") if r.get("programme")]
    remarks = [text(r) for r in findall(elem, "remark") if text(r)]
    return {
        "id": f"EU:{lid}",
        "type": etype,
        "name": name,
        "aliases": merge_aliases(alias_list, exclude=name),
        "original_names": uniq(o for o in original if o != name),
        "countries": countries(c for c in ctry if c and c != "00"),
        "programs": uniq(f"EU-{p}" for p in programmes),
        "list": LIST_NAME,
        "identifiers": uniq(ident),
        "birth_dates": uniq(births),
        "listed_on": (elem.get("designationDate") or None),
        "source_file": file,
        "source_record": f"logicalId {lid}",
        "notes": join_notes(
            f"EU reference {elem.get('euReferenceNumber')}" if elem.get("euReferenceNumber") else None,
            f"UN id {elem.get('unitedNationId')}" if elem.get("unitedNationId") else None,
            "; ".join(uniq(functions)), "; ".join(remarks)),
    }


def read_eu_fsf(path: str | Path, *, stats: ImportStats | None = None) -> pl.DataFrame:
    """Read the EU FSF consolidated XML into the canonical frame."""
    stats = stats if stats is not None else ImportStats()
    file = str(path)
    rows = []
    for _tag, elem in iter_xml(path, {"sanctionEntity"}):
        rows.append(_entity(elem, file, len(rows) + 1))
    if not rows:
        raise EntityListError("no <sanctionEntity> elements: not an EU FSF XML export", file)
    check_unique(rows, file)
    stats.records = len(rows)
    stats.log_skips(file)
    return to_frame(rows)
