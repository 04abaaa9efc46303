"""OFAC legacy CSV sets: SDN (sdn/alt/add/sdn_comments.csv) and Consolidated non-SDN (cons_*.csv).

No header rows; `-0- ` means no value; a 0x1A end-of-file byte ends most files; Remarks are cut
at 1,000 characters and continue in sdn_comments.csv. The Program column joins several tags
with `] [`. DOB, nationality/citizenship, passports and national ids, IMO numbers, MMSI, `a.k.a.`
names and `Linked To:` parties are parsed out of Remarks; the whole remark text stays in notes.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import polars as pl

from flagger.entities._common import (
    ImportStats,
    aliases,
    check_unique,
    clean,
    countries,
    decode,
    iso_date,
    join_notes,
    merge_aliases,
    read_bytes,
    to_frame,
    uniq,
)
from flagger.errors import EntityListError

VERSION = 1

# role -> (file name in an SDN set, file name in a consolidated set, column count)
ROLES = {
    "prim": ("sdn.csv", "cons_prim.csv", 12),
    "alt": ("alt.csv", "cons_alt.csv", 5),
    "add": ("add.csv", "cons_add.csv", 6),
    "comments": ("sdn_comments.csv", "cons_comments.csv", 2),
}
LIST_NAMES = {"sdn": "OFAC SDN", "cons": "OFAC Consolidated (non-SDN)"}
TYPES = {"individual": "person", "vessel": "vessel", "aircraft": "aircraft", None: "organisation",
         "entity": "organisation"}


def _role_of(path: Path) -> tuple[str, str] | None:
    name = path.name.lower()
    for role, (sdn_name, cons_name, _) in ROLES.items():
        if name == sdn_name:
            return "sdn", role
        if name == cons_name:
            return "cons", role
    return None


def _listing(folder: Path) -> dict[str, Path]:
    """Files of `folder` by lower-case name (OFAC serves SDN.CSV, mirrors keep sdn.csv)."""
    try:
        return {f.name.lower(): f for f in folder.iterdir() if f.is_file()}
    except OSError:
        return {}


def resolve_set(paths, partial: bool = False) -> tuple[str, dict[str, Path]]:
    """Find the four files of a set from a directory, the main file, or explicit paths.

    Returns (kind, {role: path}). A missing sibling is an error unless `partial` (then that role is
    simply absent and the caller records a warning). File names are matched case-insensitively.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    paths = [Path(p) for p in paths]
    found: dict[str, Path] = {}
    kind: str | None = None
    for p in paths:
        if p.is_dir():
            listing = _listing(p)
            k = "sdn" if "sdn.csv" in listing else "cons" if "cons_prim.csv" in listing else None
            if k is None:
                raise EntityListError("directory holds neither sdn.csv nor cons_prim.csv", str(p))
            if kind is not None and k != kind:
                raise EntityListError(f"mixes an {LIST_NAMES[k]} set into an {LIST_NAMES[kind]} set", str(p))
            kind = k
            idx = 0 if k == "sdn" else 1
            for role, names in ROLES.items():
                if names[idx] in listing:
                    found.setdefault(role, listing[names[idx]])
            continue
        rk = _role_of(p)
        if rk is None:
            raise EntityListError(
                "not a file of an OFAC CSV set (expected sdn.csv, alt.csv, add.csv, sdn_comments.csv "
                "or cons_prim.csv, cons_alt.csv, cons_add.csv, cons_comments.csv)", str(p))
        k, role = rk
        if kind is not None and k != kind:
            raise EntityListError(f"mixes an {LIST_NAMES[k]} file into an {LIST_NAMES[kind]} set", str(p))
        kind = k
        if not p.exists():
            raise EntityListError("no such file", str(p))
        found[role] = p
    if kind is None:
        raise EntityListError("no OFAC CSV files given")
    idx = 0 if kind == "sdn" else 1
    if "prim" not in found:
        base = next(iter(found.values())).parent
        raise EntityListError(f"missing the main file of the set ({ROLES['prim'][idx]})",
                              str(base / ROLES["prim"][idx]))
    base = found["prim"].parent
    listing = _listing(base)
    missing = []
    for role, names in ROLES.items():
        if role in found:
            continue
        if names[idx] in listing:
            found[role] = listing[names[idx]]
        else:
            missing.append(names[idx])
    if missing and not partial:
        raise EntityListError(
            f"incomplete OFAC CSV set: missing {', '.join(missing)} (a set is "
            f"{', '.join(n[idx] for n in ROLES.values())}); to import it without them anyway, pass --partial "
            "(partial=True from Python): their aliases, addresses or remarks will be absent", str(base / missing[0]))
    return kind, found


def _rows(path: Path, ncols: int, stats: ImportStats):
    """Yield (line, fields) for each data row; checks column count and ent_num."""
    file = str(path)
    text, enc = decode(read_bytes(path), file, ("utf-8", "cp1252"))
    if enc != "utf-8":
        stats.warn(f"{file}: not UTF-8, read as {enc}")
    reader = csv.reader(io.StringIO(text, newline=""))
    for fields in reader:
        line = reader.line_num
        if not fields or (len(fields) == 1 and fields[0].strip() in ("", "\x1a")):
            continue
        if fields[0].startswith("\x1a"):
            continue
        if len(fields) != ncols:
            raise EntityListError(f"expected {ncols} columns, found {len(fields)}", file, line)
        if not fields[0].strip().isdigit():
            raise EntityListError(f"ent_num {fields[0]!r} is not a number", file, line)
        yield line, fields


# --- remarks -------------------------------------------------------------------------------------

_IDENT_PATTERNS = [
    (re.compile(r"^Vessel Registration Identification IMO\s+(\d{7})", re.I), "IMO"),
    (re.compile(r"^(?:alt\.\s+)?Identification Number IMO\s+(\d{7})", re.I), "IMO_COMPANY"),
    (re.compile(r"^(?:alt\.\s+)?MMSI\s+(\d+)", re.I), "MMSI"),
    (re.compile(r"^(?:alt\.\s+)?(?:Diplomatic\s+)?Passport\s+(?:No\.\s*)?([A-Z0-9][A-Z0-9\-/ ]*?)(?:\s*\(|\s+issued|\s+expires|$)", re.I), "PASSPORT"),
    (re.compile(r"^(?:alt\.\s+)?National ID No\.\s+([A-Z0-9][A-Z0-9\-/ ]*?)(?:\s*\(|\s+issued|\s+expires|$)", re.I), "NATIONAL_ID"),
    (re.compile(r"^(?:alt\.\s+)?Tax ID No\.\s+([A-Z0-9][A-Z0-9\-/ ]*?)(?:\s*\(|$)", re.I), "TAX_ID"),
    (re.compile(r"^(?:alt\.\s+)?Registration (?:Number|ID)\s+([A-Z0-9][A-Z0-9\-/ ]*?)(?:\s*\(|$)", re.I), "REGISTRATION"),
    (re.compile(r"^(?:alt\.\s+)?SWIFT/BIC\s+([A-Z0-9]{8,11})", re.I), "SWIFT_BIC"),
    (re.compile(r"^(?:alt\.\s+)?Aircraft Manufacturer's Serial Number \(MSN\)\s+(\S+)", re.I), "AIRCRAFT_MSN"),
    (re.compile(r"^Digital Currency Address - (\w+)\s+(\S+)", re.I), "DIGITAL_CURRENCY"),
]
_DOB = re.compile(r"^(?:alt\.\s+)?DOB\s+(.+)$", re.I)
_NAT = re.compile(r"^(?:alt\.\s+)?(?:nationality(?:\s+of\s+registration)?|citizen)\s+(.+)$", re.I)
_AKA = re.compile(r"\b([afn])\.k\.a\.,?\s+'([^']+)'", re.I)
_LINK = re.compile(r"^Linked To:\s*(.+?)\.?$", re.I)


def parse_remarks(remarks: str | None) -> dict:
    """Pull structured facts out of an SDN Remarks text (the text itself is kept elsewhere)."""
    out = {"birth_dates": [], "countries": [], "identifiers": [], "aliases": [], "linked_to": []}
    if not remarks:
        return out
    for alias_match in _AKA.finditer(remarks):
        out["aliases"].append(alias_match.group(2).strip())
    for part in re.split(r";\s+", remarks.strip().rstrip(".")):
        part = part.strip()
        if m := _DOB.match(part):
            out["birth_dates"].extend(iso_date(m.group(1)))
        elif m := _NAT.match(part):
            out["countries"].append(m.group(1).strip())
        elif m := _LINK.match(part):
            out["linked_to"].append(m.group(1).strip())
        else:
            for pattern, scheme in _IDENT_PATTERNS:
                if m := pattern.match(part):
                    if scheme == "DIGITAL_CURRENCY":
                        out["identifiers"].append({"scheme": f"CRYPTO_{m.group(1).upper()}", "value": m.group(2)})
                    else:
                        out["identifiers"].append({"scheme": scheme, "value": m.group(1).strip()})
                    break
    return out


def split_programs(value: str | None) -> list[str]:
    if not value:
        return []
    return uniq(p.strip().strip("[]").strip() for p in value.split("] ["))


def read_ofac_csv(paths, *, partial: bool = False, stats: ImportStats | None = None) -> pl.DataFrame:
    """Read an OFAC SDN or consolidated CSV set (directory, main file, or list of the files)."""
    stats = stats if stats is not None else ImportStats()
    kind, files = resolve_set(paths, partial=partial)
    idx = 0 if kind == "sdn" else 1
    for role, names in ROLES.items():
        if role not in files:
            stats.warn(f"{files['prim'].parent / names[idx]}: absent, imported without it (partial)")
    list_name = LIST_NAMES[kind]
    prim_file = str(files["prim"])

    comments: dict[int, str] = {}
    if "comments" in files:
        for _line, f in _rows(files["comments"], 2, stats):
            ent = int(f[0])
            comments[ent] = comments.get(ent, "") + (f[1] if clean(f[1]) else "")

    records: dict[int, dict] = {}
    for line, f in _rows(files["prim"], 12, stats):
        ent = int(f[0])
        if ent in records:
            raise EntityListError(f"duplicate ent_num {ent} (first on line {records[ent]['source_record']})",
                                  prim_file, line)
        name = clean(f[1])
        if name is None:
            raise EntityListError(f"ent_num {ent} has no name", prim_file, line)
        sdn_type = clean(f[2])
        etype = TYPES.get(sdn_type.lower() if sdn_type else None)
        if etype is None:
            raise EntityListError(f"unknown SDN_Type {sdn_type!r}", prim_file, line)
        remarks = clean(f[11])
        if ent in comments:
            remarks = (f[11] if remarks else "") + comments.pop(ent)
            remarks = remarks.strip()
        facts = parse_remarks(remarks)
        vessel = [f"{label} {clean(v)}" for label, v in
                  (("Call sign", f[5]), ("Vessel type", f[6]), ("Tonnage", f[7]), ("GRT", f[8]),
                   ("Flag", f[9]), ("Owner", f[10])) if clean(v)]
        records[ent] = {
            "id": f"OFAC:{ent}",
            "type": etype,
            "name": name,
            "aliases": aliases(facts["aliases"], strength="weak", exclude=name),   # remark a.k.a.s are weak
            "original_names": [],
            "countries_raw": facts["countries"] + ([clean(f[9])] if clean(f[9]) else []),
            "programs": split_programs(clean(f[3])),
            "list": list_name,
            "identifiers": uniq(facts["identifiers"]),
            "birth_dates": uniq(facts["birth_dates"]),
            "listed_on": None,
            "source_file": prim_file,
            "source_record": str(line),
            "title": clean(f[4]),
            "vessel": vessel,
            "remarks": remarks,
            "linked_to": facts["linked_to"],
            "addresses": [],
        }
    stats.records = len(records)
    if comments:
        stats.skip("sdn_comments row for an ent_num not in the main file", len(comments))

    if "alt" in files:
        alt_file = files["alt"]
        for line, f in _rows(alt_file, 5, stats):
            rec = records.get(int(f[0]))
            if rec is None:
                stats.skip("alt row for an ent_num not in the main file")
                continue
            alt_name = clean(f[3])
            if alt_name is None:
                raise EntityListError(f"alias row for ent_num {f[0]} has no name", str(alt_file), line)
            rec["aliases"] = merge_aliases(rec["aliases"], aliases([alt_name]), exclude=rec["name"])
    if "add" in files:
        for _line, f in _rows(files["add"], 6, stats):
            rec = records.get(int(f[0]))
            if rec is None:
                stats.skip("add row for an ent_num not in the main file")
                continue
            country = clean(f[4])
            if country:
                rec["countries_raw"].append(country)
            addr = ", ".join(x for x in (clean(f[2]), clean(f[3]), country) if x)
            if addr:
                rec["addresses"].append(addr)

    rows = []
    for rec in records.values():
        rec["countries"] = countries(rec.pop("countries_raw"))
        rec.pop("linked_to")  # also in the remarks text kept in notes; no schema column yet
        addresses = rec.pop("addresses")
        rec["notes"] = join_notes(
            rec.pop("title"), "; ".join(rec.pop("vessel")),
            ("Addresses: " + " | ".join(addresses)) if addresses else None,
            rec.pop("remarks"))
        rows.append(rec)
    check_unique(rows, prim_file)
    stats.log_skips(prim_file)
    return to_frame(rows)
