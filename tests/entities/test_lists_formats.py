"""Format registry, detection, read_entities and the content-hash Parquet cache; OpenSanctions readers."""

from __future__ import annotations

import shutil

import polars as pl
import pytest
from lists_support import FIXTURES, resolve_shared_lists

from flagger.entities import formats
from flagger.entities._common import ImportStats
from flagger.entities.formats import FORMATS, detect_format, load_entities_cached, read_entities
from flagger.entities.opensanctions import read_opensanctions_csv, read_opensanctions_ftm
from flagger.entities.schema import ENTITY_SCHEMA
from flagger.errors import EntityListError

shared_lists = pytest.fixture(resolve_shared_lists)


@pytest.mark.parametrize("rel, fmt", [
    ("ofac_good", "ofac-csv"), ("ofac_good/alt.csv", "ofac-csv"), ("un/small.xml", "un-xml"),
    ("ofac_xml/small.xml", "ofac-xml"), ("eu/small.csv", "eu-journal"), ("uk/small.csv", "uk-ofsi"),
    ("csl/small.csv", "us-csl"), ("opensanctions/targets.simple.csv", "opensanctions-csv"),
    ("uk/UK-Sanctions-List.csv", "uk-ofsi"), ("eu_fsf/small.xml", "eu-fsf"),
    ("opensanctions/entities.ftm.json", "opensanctions-ftm"),
])
def test_detect_fixtures(rel, fmt):
    assert detect_format(FIXTURES / rel) == fmt


def test_the_bundled_default_list_is_parquet_and_its_curated_additions_are_a_simple_list():
    from flagger.paths import bundled_curated_path, bundled_entities_path
    assert detect_format(bundled_entities_path()) == "parquet"
    assert detect_format(bundled_curated_path()) == "simple"


def test_detect_unknown(tmp_path):
    p = tmp_path / "what.csv"
    p.write_text("a,b,c\n1,2,3\n")
    with pytest.raises(EntityListError, match="cannot tell the list format"):
        detect_format(p)
    x = tmp_path / "other.xml"
    x.write_text("<root/>")
    with pytest.raises(EntityListError, match="XML file of unknown kind"):
        detect_format(x)
    with pytest.raises(EntityListError, match="no such file"):
        detect_format(tmp_path / "missing.csv")


def test_every_format_returns_the_schema():
    samples = {
        "ofac-csv": FIXTURES / "ofac_good", "ofac-xml": FIXTURES / "ofac_xml/small.xml",
        "un-xml": FIXTURES / "un/small.xml", "eu-journal": FIXTURES / "eu/small.csv",
        "eu-fsf": FIXTURES / "eu_fsf/small.xml",
        "uk-ofsi": FIXTURES / "uk/small.csv", "us-csl": FIXTURES / "csl/small.csv",
        "opensanctions-csv": FIXTURES / "opensanctions/targets.simple.csv",
        "opensanctions-ftm": FIXTURES / "opensanctions/entities.ftm.json",
    }
    for fmt, path in samples.items():
        df = read_entities(path, format=fmt)
        assert df.schema == pl.Schema(ENTITY_SCHEMA), fmt
        assert df.height > 0 and df["id"].n_unique() == df.height, fmt
        assert set(df["type"]) <= {"person", "organisation", "vessel", "aircraft"}, fmt
    assert set(samples) | {"simple", "parquet"} == set(FORMATS)


def test_read_several_files_and_unknown_format():
    stats = ImportStats()
    df = read_entities([FIXTURES / "un/small.xml", FIXTURES / "ofac_good/sdn.csv", FIXTURES / "eu/small.csv"],
                       stats=stats)
    assert set(df["list"]) == {"UN SC consolidated", "OFAC SDN", "EU 32017R1509"}
    assert stats.skipped["schema Asset (a port or other asset, not a party)"] == 1
    with pytest.raises(EntityListError, match="unknown format"):
        read_entities(FIXTURES / "un/small.xml", format="nope")


def test_opensanctions_simple_csv():
    stats = ImportStats()
    df = read_opensanctions_csv(FIXTURES / "opensanctions/targets.simple.csv", stats=stats)
    vessel = df.filter(pl.col("id") == "OS:ofac-17069").to_dicts()[0]
    assert vessel["identifiers"] == [{"scheme": "IMO", "value": "7937317"}] and vessel["countries"] == ["KP"]
    kim = df.filter(pl.col("id") == "OS:NK-abc123").to_dicts()[0]
    assert kim["original_names"] == ["김테스트"] and kim["programs"] == ["UN-SC1718"]
    assert stats.skipped == {"schema 'Address' is not a person/organisation/vessel/aircraft": 1}


def test_opensanctions_ftm():
    stats = ImportStats()
    df = read_opensanctions_ftm(FIXTURES / "opensanctions/entities.ftm.json", stats=stats)
    assert df.height == 2
    kim = df.filter(pl.col("id") == "OS:NK-abc123").to_dicts()[0]
    assert {"name": "Testy", "strength": "weak"} in kim["aliases"]
    assert kim["original_names"] == ["김테스트"]
    assert {"scheme": "PASSPORT", "value": "PP999"} in kim["identifiers"]  # from the Passport object
    vessel = df.filter(pl.col("id") == "OS:ofac-17069").to_dicts()[0]
    assert vessel["programs"] == ["US-DPRK", "DPRK"] and vessel["listed_on"] == "2014-07-30"
    assert stats.skipped["not a target (a related party, `target: false`)"] == 1
    assert stats.skipped["schema Address (not a listed party)"] == 1


def test_opensanctions_ftm_malformed_line():
    with pytest.raises(EntityListError) as err:
        read_opensanctions_ftm(FIXTURES / "opensanctions/bad.ftm.json")
    assert err.value.file.endswith("bad.ftm.json") and err.value.line == 2


def test_cache_hit_miss_and_moved_file(tmp_path, monkeypatch):
    src = tmp_path / "in" / "consolidated.xml"
    src.parent.mkdir()
    shutil.copy(FIXTURES / "un/small.xml", src)
    cache = tmp_path / "cache"
    first = load_entities_cached([src], cache_dir=cache)
    entries = list((cache / "entities").glob("un-xml-*.parquet"))
    assert len(entries) == 1

    calls = []
    real = FORMATS["un-xml"]
    monkeypatch.setitem(FORMATS, "un-xml", lambda *a, **k: calls.append(1) or real(*a, **k))
    second = load_entities_cached([src], cache_dir=cache)
    assert calls == [] and second.equals(first)  # served from the cache

    moved = tmp_path / "elsewhere.xml"
    shutil.copy(src, moved)
    third = load_entities_cached([moved], cache_dir=cache)
    assert calls == [] and set(third["source_file"]) == {str(moved)}

    src.write_text(src.read_text().replace("KIM</FIRST_NAME>", "PAK</FIRST_NAME>"))
    changed = load_entities_cached([src], cache_dir=cache)
    assert calls == [1] and "PAK TEST" in changed["name"].to_list()
    assert len(list((cache / "entities").glob("un-xml-*.parquet"))) == 2


def test_cache_dir_from_env_and_skip_counts_survive(tmp_path, monkeypatch):
    monkeypatch.setenv("FLAGGER_CACHE_DIR", str(tmp_path / "c"))
    for _ in range(2):
        stats = ImportStats()
        load_entities_cached(FIXTURES / "eu/small.csv", stats=stats)
        assert stats.skipped["schema Asset (a port or other asset, not a party)"] == 1
    assert list((tmp_path / "c" / "entities").glob("eu-journal-*.parquet"))


def test_cache_key_covers_ofac_siblings(tmp_path):
    d = tmp_path / "set"
    shutil.copytree(FIXTURES / "ofac_good", d)
    k1 = formats.cache_key("ofac-csv", formats._unit_files("ofac-csv", [d], False))
    (d / "alt.csv").write_bytes(b'100,1,"aka","OTHER",-0- \r\n')
    k2 = formats.cache_key("ofac-csv", formats._unit_files("ofac-csv", [d], False))
    assert k1 != k2


def test_parquet_from_import_is_accepted(tmp_path):
    df = read_entities(FIXTURES / "un/small.xml")
    out = tmp_path / "lists.parquet"
    df.write_parquet(out)
    assert detect_format(out) == "parquet"
    assert load_entities_cached([out], cache_dir=tmp_path / "c").equals(df)
    bad = tmp_path / "bad.parquet"
    pl.DataFrame({"x": [1]}).write_parquet(bad)
    with pytest.raises(EntityListError, match="not an entity list"):
        load_entities_cached([bad], cache_dir=tmp_path / "c")


def test_unwritable_cache_still_returns_frame(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a dir")
    stats = ImportStats()
    df = load_entities_cached(FIXTURES / "un/small.xml", cache_dir=blocker, stats=stats)
    assert df.height == 2 and any("could not write entity cache" in w for w in stats.warnings)


def test_real_files_detected(shared_lists):
    expected = {
        "ofac-sdn/2021-07-07": "ofac-csv", "ofac-sdn/2024-05-03/sdn.csv": "ofac-csv",
        "ofac-consolidated-non-sdn/2025-12-19": "ofac-csv",
        "ofac-consolidated-non-sdn/2025-01-10-enhanced-xml/CONS_ENHANCED.XML": "ofac-xml",
        "un-sc-consolidated/consolidated_2026-02-27.xml": "un-xml",
        "eu-official-journal/32017R1509.csv": "eu-journal", "uk-ofsi-conlist/ConList_2018-04-13.csv": "uk-ofsi",
        "us-csl-trade-gov/consolidated_2022-05.csv": "us-csl",
    }
    for rel, fmt in expected.items():
        assert detect_format(shared_lists / rel) == fmt, rel


def test_entities_option_takes_official_files(tmp_path, monkeypatch):
    """What `flagger scan --entities FILE` does with an official list: imported on the fly (and cached)."""
    loading = pytest.importorskip("flagger.entities.loading")
    monkeypatch.setenv("FLAGGER_CACHE_DIR", str(tmp_path / "c"))
    frame = loading.load_entity_lists([str(FIXTURES / "un/small.xml"), str(FIXTURES / "ofac_good")],
                                      default_entities=False)
    assert {"UN:KPi.999", "OFAC:100", "OFAC:200"} <= set(frame["id"])
    assert list((tmp_path / "c" / "entities").glob("*.parquet"))


def test_directory_that_is_no_list(tmp_path):
    with pytest.raises(EntityListError, match="directory holds no known list"):
        read_entities(tmp_path)


def test_empty_and_non_utf8_inputs(tmp_path):
    empty = tmp_path / "consolidated.xml"
    empty.write_bytes(b"")
    with pytest.raises(EntityListError) as err:
        read_entities(empty, format="un-xml")
    assert "malformed XML" in err.value.message and err.value.file == str(empty)
    bad = tmp_path / "c.csv"
    bad.write_bytes(b"_id,source,type,programs,name,alt_names,ids\n1,S (X),Entity,,\xff\xfe,,\n")
    with pytest.raises(EntityListError) as err:
        read_entities(bad, format="us-csl")
    assert "not valid utf-8" in err.value.message and err.value.line == 2


def test_a_folder_of_downloaded_lists(tmp_path):
    """`lists update --dest DIR` leaves one folder per list; DIR itself can be imported."""
    (tmp_path / "ofac-sdn").mkdir()
    for name in ("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"):
        shutil.copy(FIXTURES / "ofac_good" / name, tmp_path / "ofac-sdn" / name)
    (tmp_path / "un").mkdir()
    shutil.copy(FIXTURES / "un/small.xml", tmp_path / "un" / "consolidated.xml")
    (tmp_path / "un" / "consolidated.xml.http.json").write_text("{}")
    (tmp_path / "eu").mkdir()
    shutil.copy(FIXTURES / "eu_fsf/small.xml", tmp_path / "eu" / "xmlFullSanctionsList_1_1.xml")
    df = read_entities(tmp_path)
    assert dict(df.group_by("list").len().rows()) == {"OFAC SDN": 3, "UN SC consolidated": 2,
                                                      "EU consolidated (FSF)": 2}


def test_loose_sdn_and_consolidated_files_are_two_sets(tmp_path):
    sdn = tmp_path / "a"
    cons = tmp_path / "b"
    sdn.mkdir()
    cons.mkdir()
    for name in ("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"):
        shutil.copy(FIXTURES / "ofac_good" / name, sdn / name)
        shutil.copy(FIXTURES / "ofac_good" / name, cons / name.replace("sdn_", "cons_").replace("sdn.", "cons_prim.")
                    .replace("alt.", "cons_alt.").replace("add.", "cons_add."))
    df = read_entities([sdn / "sdn.csv", cons / "cons_prim.csv"])
    assert dict(df.group_by("list").len().rows()) == {"OFAC SDN": 3, "OFAC Consolidated (non-SDN)": 3}
