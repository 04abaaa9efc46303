"""UN Security Council consolidated list XML, and the hardened XML parser."""

from __future__ import annotations

import polars as pl
import pytest
from lists_support import FIXTURES, resolve_shared_lists

from flagger.entities.un_xml import read_un_xml
from flagger.errors import EntityListError

shared_lists = pytest.fixture(resolve_shared_lists)


def _one(frame, ent_id):
    rows = frame.filter(pl.col("id") == ent_id).to_dicts()
    assert len(rows) == 1, ent_id
    return rows[0]


def test_small_file():
    df = read_un_xml(FIXTURES / "un" / "small.xml")
    kim = _one(df, "UN:KPi.999")
    assert kim["name"] == "KIM TEST" and kim["type"] == "person"
    assert kim["aliases"] == [{"name": "Kim Teseuteu", "strength": "strong"}, {"name": "Testy", "strength": "weak"}]
    assert kim["original_names"] == ["김테스트"]
    assert kim["programs"] == ["UN-DPRK", "UN-1718"]
    assert kim["birth_dates"] == ["1960", "1962"]
    assert kim["identifiers"] == [{"scheme": "PASSPORT", "value": "P123"}]
    assert kim["countries"] == ["KP"] and kim["listed_on"] == "2017-06-02"
    org = _one(df, "UN:KPe.999")
    assert org["type"] == "organisation" and org["aliases"] == [{"name": "OLD TEST CO", "strength": "strong"}]


def test_record_without_name_names_the_record():
    with pytest.raises(EntityListError) as err:
        read_un_xml(FIXTURES / "un" / "no_name.xml")
    assert err.value.file.endswith("no_name.xml")
    assert "ENTITY #1 (DATAID 3)" in err.value.message


def test_billion_laughs_refused():
    with pytest.raises(EntityListError) as err:
        read_un_xml(FIXTURES / "xml" / "billion_laughs.xml")
    assert err.value.file.endswith("billion_laughs.xml")
    assert "refused" in err.value.message and "billion-laughs" in err.value.message
    assert err.value.line == 3


def test_xxe_refused():
    with pytest.raises(EntityListError) as err:
        read_un_xml(FIXTURES / "xml" / "xxe.xml")
    assert "external entity (XXE)" in err.value.message
    assert err.value.line == 3


def test_malformed_xml_names_line():
    with pytest.raises(EntityListError) as err:
        read_un_xml(FIXTURES / "xml" / "malformed.xml")
    assert "malformed XML" in err.value.message and err.value.line == 5


def test_real_un_list(shared_lists):
    df = read_un_xml(shared_lists / "un-sc-consolidated/consolidated_2026-02-27.xml")
    assert df.height == 1003
    assert dict(df.group_by("type").len().rows()) == {"person": 730, "organisation": 273}
    dprk = df.filter(pl.col("programs").list.contains("UN-1718"))
    assert dict(dprk.group_by("type").len().rows()) == {"person": 80, "organisation": 75}
    strengths = dict(df.select(pl.col("aliases").explode().struct.field("strength")).group_by("strength").len().rows())
    assert strengths["weak"] == 621  # every QUALITY=Low alias: 615 fields, some listing several names
    yun = _one(df, "UN:KPi.001")
    assert yun["name"] == "YUN HO-JIN" and yun["birth_dates"] == ["1944-10-13"]
    assert {"name": "Yun Ho-chin", "strength": "strong"} in yun["aliases"]
    choe = _one(df, "UN:KPi.064")
    assert {"name": "Choe Sok Min", "strength": "weak"} in choe["aliases"]
    assert _one(df, "UN:QDi.290")["original_names"] == ["Умаров Доку Хаматович"]
    assert df.filter(pl.col("original_names").list.len() > 0).height == 378
    # no DPRK record carries an original-script name in this file (Hangul comes from the EU list)
    assert dprk.filter(pl.col("original_names").list.len() > 0).height == 0


def test_several_names_in_one_field_become_one_name_each():
    # a name made of all of them matches nobody: "Azim Testadhajani; Azim Test-Agha-Jani"
    df = read_un_xml(FIXTURES / "un" / "name_lists.xml")
    person = _one(df, "UN:IRi.990")
    assert person["aliases"] == [
        {"name": "Azim Testadhajani", "strength": "strong"}, {"name": "Azim Test-Agha-Jani", "strength": "strong"},
        {"name": "Abu Testa", "strength": "weak"}, {"name": "Abu Testi", "strength": "weak"},
        {"name": "Abu Testo", "strength": "weak"},
        {"name": "أبو شيماء", "strength": "strong"}, {"name": "Abu-Shaima", "strength": "strong"},
        {"name": "Abu- Shayma", "strength": "strong"},
    ]
    org = _one(df, "UN:CDe.990")
    assert org["name"] == "COMPAGNIE AERIENNE DES TESTS (CAT)"
    assert org["aliases"] == [{"name": "GREAT TEST BUSINESS COMPANY (GTBC)", "strength": "strong"}]


def test_a_single_name_is_never_split():
    from flagger.entities._common import split_name_list

    assert split_name_list("Ansar al Charia") == ["Ansar al Charia"]
    assert split_name_list("X Trading Co. (a.k.a. Y Trading)") == ["X Trading Co. (a.k.a. Y Trading)"]
    assert split_name_list("  ") == []
