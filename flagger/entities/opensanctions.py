"""OpenSanctions exports: `targets.simple.csv` and FollowTheMoney JSON lines (`entities.ftm.json`).

simple CSV: one row per target; multi-valued cells are `;`-separated; identifiers carry no scheme
(IMO numbers written `IMO1234567` are recognised). FtM: one JSON object per line; Person,
Organization, Company, LegalEntity, PublicBody, Vessel and Airplane objects become entities;
`Sanction` objects add their programme and listing date to the entity they point at; `Passport`
and `Identification` objects add identifiers to their holder; other schemata (Address, Ownership,
...) and objects with `"target": false` are skipped and counted.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import polars as pl

from flagger.entities._common import (
    ImportStats,
    countries,
    decode,
    iso_date,
    join_notes,
    merge_aliases,
    read_bytes,
    split_original_script,
    to_frame,
    uniq,
)
from flagger.entities._csvutil import read_table, split_multi
from flagger.errors import EntityListError

VERSION = 1
TYPES = {"person": "person", "organization": "organisation", "company": "organisation",
         "legalentity": "organisation", "publicbody": "organisation", "vessel": "vessel", "airplane": "aircraft"}
SIMPLE_REQUIRED = ("id", "schema", "name", "aliases", "countries", "identifiers")
FTM_IDENTS = {"imoNumber": "IMO", "mmsi": "MMSI", "passportNumber": "PASSPORT", "idNumber": "ID",
              "registrationNumber": "REGISTRATION", "taxNumber": "TAX_ID", "innCode": "INN", "ogrnCode": "OGRN",
              "leiCode": "LEI", "swiftBic": "SWIFT_BIC", "callSign": "CALL_SIGN", "serialNumber": "SERIAL"}
FTM_COUNTRIES = ("nationality", "citizenship", "country", "jurisdiction", "mainCountry", "flag")
FTM_NOTES = ("position", "notes", "summary", "birthPlace", "address", "topics")


def _ident(value: str) -> dict:
    m = re.fullmatch(r"IMO\s*(\d{7})", value.strip(), re.I)
    return {"scheme": "IMO", "value": m.group(1)} if m else {"scheme": "ID", "value": value.strip()}


def _split_names(values, strength):
    out, orig = [], []
    for v in values:
        latin, originals = split_original_script(v)
        orig += originals
        if latin:
            out.append({"name": latin, "strength": strength})
    return out, orig


def read_opensanctions_csv(path: str | Path, *, stats: ImportStats | None = None) -> pl.DataFrame:
    """Read an OpenSanctions `targets.simple.csv` export."""
    stats = stats if stats is not None else ImportStats()
    file = str(path)
    rows, seen = [], set()
    for line, r in read_table(path, SIMPLE_REQUIRED, stats):
        etype = TYPES.get((r["schema"] or "").lower())
        if etype is None:
            stats.skip(f"schema {r['schema']!r} is not a person/organisation/vessel/aircraft")
            continue
        if not r["id"] or not r["name"]:
            raise EntityListError("empty id or name", file, line)
        rid = f"OS:{r['id']}"
        if rid in seen:
            raise EntityListError(f"duplicate id {r['id']!r}", file, line)
        seen.add(rid)
        names, orig = _split_names(split_multi(r.get("aliases")), "strong")
        births = []
        for v in split_multi(r.get("birth_date")):
            births += iso_date(v)
        rows.append({
            "id": rid, "type": etype, "name": r["name"],
            "aliases": merge_aliases(names, exclude=r["name"]),
            "original_names": uniq(orig),
            "countries": countries(split_multi(r.get("countries"))),
            "programs": split_multi(r.get("program_ids")),
            "list": r.get("dataset") or "OpenSanctions",
            "identifiers": uniq(_ident(v) for v in split_multi(r.get("identifiers"))),
            "birth_dates": uniq(births),
            "listed_on": None,
            "source_file": file, "source_record": str(line),
            "notes": join_notes(*(f"{k}: {r[k]}" for k in ("sanctions", "addresses", "first_seen", "last_seen")
                                  if r.get(k))),
        })
    stats.records = len(rows)
    stats.log_skips(file)
    return to_frame(rows)


def read_opensanctions_ftm(path: str | Path, *, stats: ImportStats | None = None) -> pl.DataFrame:
    """Read FollowTheMoney JSON lines (`entities.ftm.json`, one entity object per line)."""
    stats = stats if stats is not None else ImportStats()
    file = str(path)
    text, _ = decode(read_bytes(path), file)
    entities: dict[str, dict] = {}
    extras: list[tuple[int, dict]] = []
    for line, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise EntityListError(f"malformed JSON: {exc.msg} (column {exc.colno})", file, line) from exc
        if not isinstance(obj, dict) or not isinstance(obj.get("properties", {}), dict):
            raise EntityListError("each line must be a JSON object with a `properties` object", file, line)
        if not obj.get("id") or not obj.get("schema"):
            raise EntityListError("object lacks `id` or `schema`", file, line)
        schema = str(obj["schema"])
        if schema.lower() in TYPES:
            if obj.get("target") is False:
                stats.skip("not a target (a related party, `target: false`)")
                continue
            if obj["id"] in entities:
                raise EntityListError(f"duplicate id {obj['id']!r} (first on line {entities[obj['id']]['line']})",
                                      file, line)
            entities[obj["id"]] = {"line": line, "obj": obj}
        elif schema in ("Sanction", "Passport", "Identification"):
            extras.append((line, obj))
        else:
            stats.skip(f"schema {schema} (not a listed party)")
    for _line, obj in extras:
        props = obj.get("properties", {})
        owner_key = "entity" if obj["schema"] == "Sanction" else "holder"
        owners = [o["id"] if isinstance(o, dict) else o for o in props.get(owner_key, [])]
        hit = [entities[o] for o in owners if o in entities]
        if not hit:
            stats.skip(f"{obj['schema']} object for an entity not in the file")
            continue
        for ent in hit:
            ent.setdefault("extra", []).append(obj)
    rows = []
    for eid, ent in entities.items():
        obj, props = ent["obj"], ent["obj"].get("properties", {})

        def p(key, props=props):
            v = props.get(key, [])
            return [str(x) for x in (v if isinstance(v, list) else [v]) if x not in (None, "")]

        all_names = p("name")
        if not all_names:
            raise EntityListError(f"entity {eid!r} has no `name` property", file, ent["line"])
        name_latin, orig = _split_names(all_names, "strong")
        strong, o1 = _split_names(p("alias") + p("previousName"), "strong")
        weak, o2 = _split_names(p("weakAlias"), "weak")
        orig += o1 + o2
        caption = obj.get("caption") if obj.get("caption") in all_names else None
        primary = caption or (name_latin[0]["name"] if name_latin else all_names[0])
        ident = [{"scheme": s, "value": v} for k, s in FTM_IDENTS.items() for v in p(k)]
        programs = p("programId") + p("program")
        listed = []
        for extra in ent.get("extra", []):
            ep = extra.get("properties", {})
            if extra["schema"] == "Sanction":
                programs += [str(x) for x in ep.get("programId", []) + ep.get("program", [])]
                listed += [str(x)[:10] for x in ep.get("listingDate", []) + ep.get("startDate", [])]
            else:
                scheme = "PASSPORT" if extra["schema"] == "Passport" else "ID"
                ident += [{"scheme": scheme, "value": str(n)} for n in ep.get("number", [])]
        births = []
        for v in p("birthDate"):
            births += iso_date(v)
        rows.append({
            "id": f"OS:{eid}", "type": TYPES[obj["schema"].lower()], "name": primary,
            "aliases": merge_aliases(name_latin, strong, weak, exclude=primary),
            "original_names": uniq(orig),
            "countries": countries([v for k in FTM_COUNTRIES for v in p(k)]),
            "programs": uniq(programs),
            "list": ", ".join(obj.get("datasets") or []) or "OpenSanctions",
            "identifiers": uniq(ident),
            "birth_dates": uniq(births),
            "listed_on": min(listed) if listed else None,
            "source_file": file, "source_record": str(ent["line"]),
            "notes": join_notes(*(f"{k}: {'; '.join(p(k))}" for k in FTM_NOTES if p(k))),
        })
    stats.records = len(rows)
    stats.log_skips(file)
    return to_frame(rows)
