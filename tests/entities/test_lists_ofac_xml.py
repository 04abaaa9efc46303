"""OFAC enhanced XML (CONS_ENHANCED.XML / SDN_ENHANCED.XML)."""

from __future__ import annotations

import polars as pl
import pytest
from lists_support import FIXTURES, resolve_shared_lists

from flagger.entities.ofac_xml import read_ofac_xml
from flagger.errors import EntityListError

shared_lists = pytest.fixture(resolve_shared_lists)


def test_refuses_billion_laughs_and_xxe():
    for name in ("billion_laughs.xml", "xxe.xml"):
        with pytest.raises(EntityListError) as err:
            read_ofac_xml(FIXTURES / "xml" / name)
        assert err.value.file.endswith(name) and err.value.message.startswith("refused")


def test_small_file():
    df = read_ofac_xml(FIXTURES / "ofac_xml" / "small.xml")
    row = df.to_dicts()[0]
    assert row["id"] == "OFAC:17069" and row["type"] == "vessel" and row["list"] == "OFAC SDN"
    assert row["identifiers"] == [{"scheme": "IMO", "value": "7937317"}]
    assert row["aliases"] == [{"name": "CHONG CHON", "strength": "weak"}]
    assert row["original_names"] == ["청천강"]
    assert row["countries"] == ["KP"] and row["listed_on"] == "2014-07-30"


def test_entity_without_type_names_record():
    with pytest.raises(EntityListError) as err:
        read_ofac_xml(FIXTURES / "ofac_xml" / "no_type.xml")
    assert "entity #1 (id 5)" in err.value.message


def test_real_cons_enhanced(shared_lists):
    df = read_ofac_xml(shared_lists / "ofac-consolidated-non-sdn/2025-01-10-enhanced-xml/CONS_ENHANCED.XML")
    assert df.height == 443
    vtb = df.filter(pl.col("id") == "OFAC:17013").to_dicts()[0]
    assert vtb["name"] == "VTB BANK PUBLIC JOINT STOCK COMPANY"
    assert "БАНК ВТБ ПАО" in vtb["original_names"]
    assert {"scheme": "REGISTRATION", "value": "1027739609391"} in vtb["identifiers"]
    weak = df.select(pl.col("aliases").explode().struct.field("strength") == "weak").sum().item()
    assert weak == 70
    assert df.filter(pl.col("programs").list.contains("NS-PLC")).height > 0
