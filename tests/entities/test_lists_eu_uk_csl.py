"""EU Official-Journal CSV, UK OFSI consolidated CSV, US Consolidated Screening List CSV."""

from __future__ import annotations

import polars as pl
import pytest
from lists_support import FIXTURES, resolve_shared_lists

from flagger.entities._common import ImportStats
from flagger.entities.eu_journal import read_eu_journal
from flagger.entities.uk_ofsi import read_uk_ofsi
from flagger.entities.us_csl import read_us_csl
from flagger.errors import EntityListError

shared_lists = pytest.fixture(resolve_shared_lists)


def _one(frame, ent_id):
    rows = frame.filter(pl.col("id") == ent_id).to_dicts()
    assert len(rows) == 1, ent_id
    return rows[0]


def test_eu_small():
    stats = ImportStats()
    df = read_eu_journal(FIXTURES / "eu" / "small.csv", stats=stats)
    kim = _one(df, "EU:32017R1509:XV.A:1")
    assert kim["original_names"] == ["전지부"]
    assert kim["aliases"] == [{"name": "KIM Tae-su", "strength": "strong"}, {"name": "Kim; T", "strength": "strong"},
                              {"name": "Testy", "strength": "weak"}]
    assert kim["identifiers"] == [{"scheme": "PASSPORT", "value": "563110024"}]
    assert kim["birth_dates"] == ["1944-10-13"] and kim["listed_on"] == "2017-12-22" and kim["countries"] == ["KP"]
    vessel = _one(df, "EU:32017R1509:XIV.A:L3")
    assert vessel["name"] == "Chong Bong" and vessel["aliases"][0]["name"] == "Greenlight"
    assert {"scheme": "IMO", "value": "8909575"} in vessel["identifiers"]
    assert stats.skipped == {"schema Asset (a port or other asset, not a party)": 1}


def test_eu_bad_schema_names_line():
    with pytest.raises(EntityListError) as err:
        read_eu_journal(FIXTURES / "eu" / "bad_schema.csv")
    assert err.value.file.endswith("bad_schema.csv") and err.value.line == 3 and "Planet" in err.value.message


def test_eu_wrong_columns():
    with pytest.raises(EntityListError) as err:
        read_eu_journal(FIXTURES / "eu" / "wrong_columns.csv")
    assert err.value.line == 1 and "lacks column(s)" in err.value.message and "programKey" in err.value.message


def test_uk_small_cp1252():
    stats = ImportStats()
    df = read_uk_ofsi(FIXTURES / "uk" / "small.csv", stats=stats)
    assert df.height == 2
    kim = _one(df, "UK:9001")
    assert kim["name"] == "Test KIM" and kim["aliases"] == [{"name": "Tae Su KIM", "strength": "strong"}]
    assert kim["countries"] == ["KP", "RU"] and kim["birth_dates"] == ["1960", "1960-05-12"]
    assert _one(df, "UK:9002")["name"] == "TEST TRADING \u2013 CORP"  # cp1252 0x96 decoded
    assert any("cp1252" in w for w in stats.warnings)


def test_uk_empty_group_id():
    with pytest.raises(EntityListError) as err:
        read_uk_ofsi(FIXTURES / "uk" / "no_group.csv")
    assert err.value.line == 4 and "Group ID" in err.value.message


def test_csl_small():
    df = read_us_csl(FIXTURES / "csl" / "small.csv")
    assert _one(df, "CSL:SDN:17069")["identifiers"] == [{"scheme": "IMO", "value": "7937317"}]
    el = _one(df, "CSL:EL:abc")
    assert el["type"] == "organisation" and el["countries"] == ["CN"] and el["listed_on"] == "2020-06-05"
    doe = _one(df, "CSL:DTC:def")
    assert doe["type"] == "person"  # no type column value, but a date of birth
    assert doe["identifiers"] == [{"scheme": "PASSPORT", "value": "123456789"}]


def test_csl_extra_fields_names_line():
    with pytest.raises(EntityListError) as err:
        read_us_csl(FIXTURES / "csl" / "extra_fields.csv")
    assert err.value.line == 5 and "33 fields" in err.value.message


# --- real files ----------------------------------------------------------------------------------

def test_real_eu_dprk(shared_lists):
    df = read_eu_journal(shared_lists / "eu-official-journal/32017R1509.csv")
    assert df.height == 326
    assert dict(df.group_by("type").len().rows()) == {"person": 157, "organisation": 94, "vessel": 75}
    vessels = df.filter(pl.col("type") == "vessel")
    assert vessels.filter(pl.col("identifiers").list.eval(pl.element().struct.field("scheme") == "IMO")
                          .list.any()).height == 75
    pak = _one(df, "EU:32017R1509:XV.A:4")
    assert pak["original_names"] == ["박재경"]
    assert {"name": "PAK Chae-Kyong", "strength": "strong"} in pak["aliases"]


def test_real_eu_russia(shared_lists):
    stats = ImportStats()
    df = read_eu_journal(shared_lists / "eu-official-journal/32014R0833.csv", stats=stats)
    assert df.height == 1746 - 28 and stats.skipped["schema Asset (a port or other asset, not a party)"] == 28
    df = read_eu_journal(shared_lists / "eu-official-journal/32014R0269.csv")
    assert df.height == 2802
    aks = _one(df, "EU:32014R0269:I.PERSONS:1")
    assert aks["name"] == "Sergey Valeryevich AKSYONOV"
    assert "Сергей Валерьевич АКСЁНОВ" in aks["original_names"]


def test_real_uk(shared_lists):
    df = read_uk_ofsi(shared_lists / "uk-ofsi-conlist/ConList_2018-04-13.csv")
    assert df.height == 2106
    dprk = df.filter(pl.col("programs").list.contains("North Korea (Democratic People's Republic of Korea)"))
    assert dprk.height == 242
    # 9,487 name rows = 2,106 primary names + aliases (duplicates of the name are not repeated as aliases)
    assert df["aliases"].list.len().sum() <= 9487 - 2106


def test_real_csl(shared_lists):
    stats = ImportStats()
    df = read_us_csl(shared_lists / "us-csl-trade-gov/consolidated_2022-05.csv", stats=stats)
    assert df.height == 14160
    counts = dict(df.group_by("list").len().rows())
    assert counts["US CSL EL"] == 2001 and counts["US CSL ISN"] == 163 and counts["US CSL SDN"] == 10026
    assert df["id"].n_unique() == df.height


def test_uk_fcdo_sanctions_list_layout():
    """FCDO's UK-Sanctions-List.csv (the UK list since OFSI retired ConList in January 2026)."""
    df = read_uk_ofsi(FIXTURES / "uk" / "UK-Sanctions-List.csv")
    kim = _one(df, "UK:DPR0001")
    assert kim["list"] == "UK Sanctions List" and kim["source_record"] == "3"
    assert kim["aliases"] == [{"name": "Tae Su KIM", "strength": "weak"}, {"name": "Tesuto KIM", "strength": "strong"}]
    assert kim["original_names"] == ["김테스트"] and kim["countries"] == ["KP"]
    assert kim["identifiers"] == [{"scheme": "PASSPORT", "value": "PP123"}] and kim["listed_on"] == "2016-03-02"
    ship = _one(df, "UK:RUS2001")
    assert ship["type"] == "vessel" and ship["identifiers"] == [{"scheme": "IMO", "value": "1234567"}]
    assert ship["countries"] == ["GA"]


def test_uk_header_without_id_column(tmp_path):
    p = tmp_path / "uk.csv"
    p.write_text("Report Date: 1-Jan-2026\nName 6,Name 1,Regime Name\nKIM,Test,Russia\n")
    with pytest.raises(EntityListError) as err:
        read_uk_ofsi(p)
    assert err.value.line == 2 and "lacks column(s)" in err.value.message


def test_eu_fsf_xml():
    from flagger.entities.eu_fsf import read_eu_fsf
    df = read_eu_fsf(FIXTURES / "eu_fsf" / "small.xml")
    kim = _one(df, "EU:9001")
    assert kim["name"] == "KIM Test" and kim["programs"] == ["EU-PRK"] and kim["listed_on"] == "2016-03-04"
    assert kim["aliases"] == [{"name": "Kim Teseuteu", "strength": "strong"}, {"name": "Testy", "strength": "weak"}]
    assert kim["original_names"] == ["김테스트"] and kim["identifiers"] == [{"scheme": "PASSPORT", "value": "PP123"}]
    org = _one(df, "EU:9002")
    assert org["type"] == "organisation" and org["original_names"] == ["АО ТЕСТ АЭРОКОСМОС"] and org["countries"] == ["RU"]


def test_eu_fsf_bad_subject_names_record():
    from flagger.entities.eu_fsf import read_eu_fsf
    with pytest.raises(EntityListError) as err:
        read_eu_fsf(FIXTURES / "eu_fsf" / "bad_subject.xml")
    assert err.value.file.endswith("bad_subject.xml") and "sanctionEntity #1 (logicalId 7)" in err.value.message


def test_eu_labels_printed_before_a_name_are_not_aliases(tmp_path):
    # the Official Journal prints "Text of image" / "Chinese:" before a name in another script;
    # kept as aliases they made hundreds of entries share a name
    path = tmp_path / "labels.csv"
    path.write_text("celex,recordId,programKey,annex,schema,name,alias\n"
                    "32014R0269,7,EU-UKR,I,Company,Northwind Trading LLC,Text of image; Chinese:; \u2019\u2019 (Нордвинд); Nordwind LLC\n",
                    encoding="utf-8")
    row = read_eu_journal(path).row(0, named=True)
    assert [a["name"] for a in row["aliases"]] == ["Nordwind LLC"]
