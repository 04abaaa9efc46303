"""OFAC legacy CSV sets (SDN and consolidated non-SDN)."""

from __future__ import annotations

import polars as pl
import pytest
from lists_support import FIXTURES, resolve_shared_lists

from flagger.entities._common import ImportStats
from flagger.entities.ofac_csv import parse_remarks, read_ofac_csv, split_programs
from flagger.entities.schema import ENTITY_SCHEMA
from flagger.errors import EntityListError

shared_lists = pytest.fixture(resolve_shared_lists)


def _one(frame, ent_id):
    rows = frame.filter(pl.col("id") == ent_id).to_dicts()
    assert len(rows) == 1, ent_id
    return rows[0]


def test_programs_split():
    assert split_programs("NPWMD] [DPRK2") == ["NPWMD", "DPRK2"]
    assert split_programs("DPRK") == ["DPRK"]
    assert split_programs(None) == []


def test_remarks_parsed():
    facts = parse_remarks("DOB circa 1947; alt. DOB 18 Jun 1964; nationality Korea, North; "
                          "Passport 381420754 issued 07 Dec 2011; Vessel Registration Identification IMO 7937317; "
                          "Linked To: NATIONAL DEFENSE COMMISSION.")
    assert facts["birth_dates"] == ["1947", "1964-06-18"]
    assert facts["countries"] == ["Korea, North"]
    assert {"scheme": "PASSPORT", "value": "381420754"} in facts["identifiers"]
    assert {"scheme": "IMO", "value": "7937317"} in facts["identifiers"]
    assert facts["linked_to"] == ["NATIONAL DEFENSE COMMISSION"]


def test_small_set_joined():
    stats = ImportStats()
    df = read_ofac_csv(FIXTURES / "ofac_good", stats=stats)
    assert df.schema == pl.Schema(ENTITY_SCHEMA)
    assert df.height == 3
    kim = _one(df, "OFAC:100")
    assert kim["type"] == "person" and kim["programs"] == ["DPRK3", "NPWMD"]
    assert {"name": "KIM, Tester", "strength": "strong"} in kim["aliases"]
    assert {"name": "KIM T.", "strength": "weak"} in kim["aliases"]   # a remark a.k.a. is a weak alias
    assert kim["birth_dates"] == ["1964-06-18", "1965"]
    assert kim["countries"] == ["KP"]
    # the remark cut at the end of sdn.csv continues in sdn_comments.csv
    assert kim["notes"].endswith("North Korea Sanctions Regulations, sections 510.201 and 510.210.")
    assert kim["source_record"] == "1"
    vessel = _one(df, "OFAC:200")
    assert vessel["type"] == "vessel"
    assert {"scheme": "IMO", "value": "1234567"} in vessel["identifiers"]
    assert {"scheme": "MMSI", "value": "445123456"} in vessel["identifiers"]
    org = _one(df, "OFAC:300")
    assert org["type"] == "organisation" and org["countries"] == ["CN"]
    assert org["aliases"] == [{"name": "OLD TRADING CO", "strength": "strong"}]
    # nothing dropped silently: the alias of an unknown ent_num is counted
    assert stats.skipped == {"alt row for an ent_num not in the main file": 1}


def test_set_found_from_main_file_or_list():
    a = read_ofac_csv(FIXTURES / "ofac_good" / "sdn.csv")
    b = read_ofac_csv([FIXTURES / "ofac_good" / n for n in ("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv")])
    assert a.drop("source_file").equals(b.drop("source_file"))


def test_wrong_column_count_names_file_and_line():
    with pytest.raises(EntityListError) as err:
        read_ofac_csv(FIXTURES / "ofac_bad_columns")
    assert err.value.file.endswith("ofac_bad_columns/sdn.csv") and err.value.line == 2
    assert "expected 12 columns, found 5" in str(err.value)


def test_malformed_alias_row():
    with pytest.raises(EntityListError) as err:
        read_ofac_csv(FIXTURES / "ofac_bad_alt")
    assert err.value.file.endswith("ofac_bad_alt/alt.csv") and err.value.line == 2


def test_bad_ent_num():
    with pytest.raises(EntityListError) as err:
        read_ofac_csv(FIXTURES / "ofac_bad_entnum")
    assert err.value.line == 3 and "ent_num" in err.value.message


def test_missing_sibling_is_an_error_unless_partial():
    with pytest.raises(EntityListError) as err:
        read_ofac_csv(FIXTURES / "ofac_missing_sibling" / "sdn.csv")
    assert err.value.file.endswith("ofac_missing_sibling/add.csv")
    assert "incomplete OFAC CSV set: missing add.csv" in err.value.message
    stats = ImportStats()
    df = read_ofac_csv(FIXTURES / "ofac_missing_sibling", partial=True, stats=stats)
    assert df.height == 3 and any("add.csv" in w for w in stats.warnings)


def test_not_an_ofac_file():
    with pytest.raises(EntityListError, match="not a file of an OFAC CSV set"):
        read_ofac_csv(FIXTURES / "un" / "small.xml")


# --- real files ----------------------------------------------------------------------------------

def test_real_sdn_2021_complete_set(shared_lists):
    stats = ImportStats()
    df = read_ofac_csv(shared_lists / "ofac-sdn/2021-07-07", stats=stats)
    assert df.height == 8976
    counts = dict(df.group_by("type").len().rows())
    assert counts == {"person": 4620, "organisation": 3673, "vessel": 406, "aircraft": 277}
    assert not stats.skipped  # a consistent set: no orphans
    assert df["aliases"].list.len().sum() > 11000  # 11,910 alt rows, a few equal the name


def test_real_sdn_2024(shared_lists):
    df = read_ofac_csv(shared_lists / "ofac-sdn/2024-05-03/sdn.csv", partial=True)
    assert df.height == 14965
    counts = dict(df.group_by("type").len().rows())
    assert counts == {"person": 6854, "organisation": 6884, "vessel": 851, "aircraft": 376}
    dprk = df.filter(pl.col("programs").list.eval(pl.element().str.starts_with("DPRK")).list.any())
    assert dprk.height == 484
    vessels = dprk.filter(pl.col("type") == "vessel")
    assert vessels.height == 105
    with_imo = vessels.filter(pl.col("identifiers").list.eval(pl.element().struct.field("scheme") == "IMO").list.any())
    assert with_imo.height == 104
    chong = _one(df, "OFAC:17069")
    assert chong["name"] == "CHONG CHON GANG"
    assert {"scheme": "IMO", "value": "7937317"} in chong["identifiers"]
    assert chong["countries"] == ["KP"]
    kuk = _one(df, "OFAC:15771")
    assert kuk["programs"] == ["NPWMD", "DPRK2"] and kuk["birth_dates"] == ["1930-01-07"]
    assert "Linked To: NATIONAL DEFENSE COMMISSION" in kuk["notes"]


def test_real_sdn_2024_with_2025_siblings_counts_orphans(shared_lists):
    base = shared_lists / "ofac-sdn"
    stats = ImportStats()
    df = read_ofac_csv([base / "2024-05-03/sdn.csv"] + [base / "2025-01-06" / n for n in
                                                        ("alt.csv", "add.csv", "sdn_comments.csv")], stats=stats)
    assert df.height == 14965
    assert stats.skipped["alt row for an ent_num not in the main file"] == 1468
    assert stats.skipped["add row for an ent_num not in the main file"] == 2474


def test_real_consolidated_non_sdn(shared_lists):
    df = read_ofac_csv(shared_lists / "ofac-consolidated-non-sdn/2025-12-19")
    assert df.height == 442
    assert set(df["list"]) == {"OFAC Consolidated (non-SDN)"}
    assert df.filter(pl.col("programs").list.contains("CMIC-EO13959")).height == 68


def test_upper_case_names_as_served_by_ofac(tmp_path):
    for name in ("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"):
        (tmp_path / name.upper()).write_bytes((FIXTURES / "ofac_good" / name).read_bytes())
    assert read_ofac_csv(tmp_path).height == 3
    assert read_ofac_csv(tmp_path / "SDN.CSV").height == 3
    from flagger.entities.formats import detect_format
    assert detect_format(tmp_path) == "ofac-csv"


def test_mixing_sdn_and_consolidated_is_refused():
    with pytest.raises(EntityListError, match="mixes"):
        read_ofac_csv([FIXTURES / "ofac_good" / "sdn.csv", FIXTURES / "ofac_good" / "cons_alt.csv"])
