"""Ofsted's provider register in the layouts it comes in: DfE's list for the 903 collection, Ofsted's
published provider-level data (codes derived), a two-sheet workbook; and what must be refused."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cscperf.core.errors import InputError
from cscperf.ingest.formats.ofsted_providers import ALIASES, OfstedProvidersReader, derived_codes, header_map, postcode
from cscperf.ingest.load import detect, load_paths
from support.canonical import read

DFE_LIST = (
    "URN,Provider Type,Local Authority,Provider Code,Provider Placement Code,Closed Date,Setting Address Postcode\n"
    "SC123456,Children's Home,Thurrock,K2/K1,PR4,,rm176ab\n"
    "sc654321,Children's Home,\"Bristol, City of\",K2,PR1/PR2,31/12/2024,BS1  4DJ\n"
)
PUBLIC = (
    "Provider URN,Provider type,Provider subtype,Sector,Registration status,Registration date,Local authority,Places\n"
    "1234567,Supported accommodation,,Private,Active,2023-10-28,County Durham,12\n"
    "SC000111,Independent fostering agency,,Voluntary,Active,01/04/2010,Camden,\n"
    "SC000222,Secure children's home,,Local authority,Closed,01/04/2001,Atlantis,8\n"
)


def _csv(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_dfe_list_codes_postcodes_and_closure_are_read(tmp_path):
    records, issues = read(OfstedProvidersReader(), _csv(tmp_path, "providers.csv", DFE_LIST))
    rows = records["ofsted_provider"]
    got = [(r["urn"], r["placement_codes"], r["provider_codes"], r["closure_date"], r["provider_postcode"],
            r["la_code"], r["new_la_code"], r["source_row"]) for r in rows]
    assert got == [
        ("SC123456", "K2,K1", "PR4", None, "RM17 6AB", "883", "E06000034", 1),
        ("SC654321", "K2", "PR1,PR2", date(2024, 12, 31), "BS1 4DJ", "801", "E06000023", 2),
    ]
    assert issues == []


def test_published_data_gets_codes_from_type_and_sector(tmp_path):
    records, issues = read(OfstedProvidersReader(), _csv(tmp_path, "ofsted_mi.csv", PUBLIC))
    got = [(r["urn"], r["placement_codes"], r["provider_codes"], r["registration_date"], r["places"], r["la_code"],
            r["provider_postcode"]) for r in records["ofsted_provider"]]
    assert got == [
        ("1234567", "K3,H5", "PR4", date(2023, 10, 28), 12, "840", None),
        ("SC000111", "U1,U2,U3,U4,U5,U6", "PR5", date(2010, 4, 1), None, "202", None),
        ("SC000222", "K1", "PR1,PR2", date(2001, 4, 1), 8, None, None),
    ]
    assert [(i.severity, i.source_row, i.value) for i in issues] == [("warning", 3, "Atlantis")]


def test_bad_rows_are_rejected_and_reported(tmp_path):
    text = "URN,Provider type,Registration date,Places\n,Children's home,01/01/2020,3\nSC1,Children's home,31/02/2020,3\nSC2,Children's home,,three\nSC3,Children's home,,4\n"
    records, issues = read(OfstedProvidersReader(), _csv(tmp_path, "p.csv", text))
    assert [r["urn"] for r in records["ofsted_provider"]] == ["SC3"]
    assert [(i.severity, i.source_row, i.field) for i in issues] == [
        ("rejected", 1, "URN"), ("rejected", 2, "registration_date"), ("rejected", 3, "places")]


def test_workbook_sheets_with_the_header_below_a_title(tmp_path):
    import xlsxwriter

    path = tmp_path / "scp.xlsx"
    book = xlsxwriter.Workbook(str(path))
    current = book.add_worksheet("Current providers")
    current.write_row(0, 0, ["Social care providers list, as at 31 March 2025"])
    current.write_row(2, 0, ["URN", "Local authority", "Placement code", "Placement provider code", "Setting postcode"])
    current.write_row(3, 0, ["SC900001", "Camden", "R3", "PR5", "NW1 2AB"])
    closed = book.add_worksheet("Providers closed")
    closed.write_row(0, 0, ["URN", "Local authority", "Placement code", "Placement provider code",
                            "Deregistration date", "Setting postcode"])
    closed.write_row(1, 0, [900002, "Camden", "S1", "PR3", "2024-06-30", "NW1 2AC"])
    book.add_worksheet("Notes").write_row(0, 0, ["Notes", "nothing here"])
    book.close()
    records, issues = read(OfstedProvidersReader(), path)
    got = [(r["urn"], r["placement_codes"], r["provider_codes"], r["closure_date"], r["source_file"], r["source_row"])
           for r in records["ofsted_provider"]]
    assert got == [("SC900001", "R3", "PR5", None, "scp.xlsx[Current providers]", 1),
                   ("900002", "S1", "PR3", date(2024, 6, 30), "scp.xlsx[Providers closed]", 1)]
    assert issues == []


def test_a_903_episodes_file_is_not_taken_for_a_register(tmp_path):
    episodes = _csv(tmp_path, "episodes.csv",
                    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
                    "1,01/04/2024,S,C2,N1,K2,PR4,,,,RM1,RM17,SC123456\n")
    assert OfstedProvidersReader().detect(episodes) is None
    reader, detection = detect(episodes, None)
    assert detection.format == "903"
    reader, detection = detect(_csv(tmp_path, "providers.csv", DFE_LIST), None)
    assert detection.format == "ofsted-providers"


def test_a_file_without_urn_column_is_refused_when_forced(tmp_path):
    path = _csv(tmp_path, "x.csv", "Name,Places\nA,1\n")
    with pytest.raises(InputError, match="no URN column"):
        list(OfstedProvidersReader().read(path, None))


def test_loading_a_newer_register_supersedes_the_older(engine, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    _csv(tmp_path / "a", "providers.csv", DFE_LIST)
    _csv(tmp_path / "b", "providers.csv", DFE_LIST.replace("SC123456", "SC777777"))
    load_paths(engine, [tmp_path / "a"], format="ofsted-providers")
    load_paths(engine, [tmp_path / "b"])
    rows = engine.execute("SELECT urn, provider_postcode, la_name FROM ofsted_provider ORDER BY urn").rows()
    assert rows == [("SC654321", "BS1 4DJ", "Bristol, City of"), ("SC777777", "RM17 6AB", "Thurrock")]


def test_postcode_and_derivation_helpers():
    assert [postcode(p) for p in ("rm176ab", "RM17 6AB", " m1 1aa ", "RM17", None)] == [
        "RM17 6AB", "RM17 6AB", "M1 1AA", "RM17", None]
    assert derived_codes("Residential special school (registered as a children's home)", "Voluntary") == ("K2", "PR5")
    assert derived_codes("Residential family centre", "Health authority") == ("R3", "PR3")
    assert derived_codes(None, None) == (None, None)


def test_load_command_takes_the_format_by_name(tmp_path):
    from click.testing import CliRunner

    from cscperf.cli import cli
    from cscperf.ingest.formats import formats
    from cscperf.load_cli import FORMAT_CHOICES
    from cscperf.store import open_engine

    assert set(FORMAT_CHOICES) == set(formats())  # every reader can be named
    path = _csv(tmp_path, "list.txt", DFE_LIST)
    db = str(tmp_path / "store.duckdb")
    result = CliRunner().invoke(cli, ["load", "--db", db, "--format", "ofsted-providers", str(path)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    with open_engine(db) as engine:
        assert engine.execute("SELECT COUNT(*) FROM ofsted_provider").scalar() == 2


@given(st.from_regex(r"[A-Za-z]{1,2}[0-9]{1,2}[A-Za-z]? ?[0-9][A-Za-z]{2}", fullmatch=True))
def test_postcode_normalising_is_idempotent_and_keeps_the_inward_code(raw):
    once = postcode(raw)
    assert postcode(once) == once
    assert once.replace(" ", "") == raw.replace(" ", "").upper() and once[-4] == " "


@given(st.data())
def test_any_spelling_in_any_case_and_punctuation_is_recognised(data):
    header = ["URN"]
    wanted = {}
    for column in ("provider_type", "registration_date", "closure_date", "provider_postcode", "places"):
        spelling = data.draw(st.sampled_from(ALIASES[column]))
        written = "".join(ch.upper() if data.draw(st.booleans()) else ch for ch in spelling).replace(" ", data.draw(st.sampled_from([" ", "_", " - "])))
        wanted[column] = len(header)
        header.append(written)
    found = header_map(header)
    assert found is not None and found["urn"] == 0
    assert {c: found[c] for c in wanted} == wanted
