"""Annex A as councils really send it: renamed sheets, title rows, respelt headers, codes with or
without prefixes, text or real dates; and files that cannot be loaded, refused with file, row, field."""

from __future__ import annotations

import zipfile
from datetime import date, datetime

import pytest
import xlsxwriter

from cscperf.core.errors import InputError
from cscperf.ingest.formats.annex_a import AnnexAReader
from support.canonical import read

READER = AnnexAReader()


def write_csv(path, text: str, encoding: str = "utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def test_council_variant_csv_for_list_3(tmp_path):
    path = write_csv(tmp_path / "referrals.csv", (
        "Referrals in the last 12 months,,,,,,,\n"
        "child id,SEX,ethnicity,dob,Age,Referral Date,Source of referral,referral nfa,Team,Worker,Notes\n"
        "A1,Female,White British,04/05/2015,11,10/02/2026,Police,N,MASH,Jo,first\n"
        "A2,b) Female,k) APKN,2016-01-01,10,1/3/2026,'q) 6: Police',Yes,MASH,Al,\n"
        "A3,2,WBRI,,9,11/03/2026,3E,b) No,MASH,,\n"
        "A4,a) Male,WBRI,,9,12/03/2026,Carrier pigeon,N,MASH,,\n"))
    assert READER.detect(path).part == "List 3"
    records, issues = read(READER, path)
    refs = sorted(records["referral"], key=lambda r: r["child_id"])
    assert [(r["child_id"], r["referral_date"], r["referral_source"], r["nfa"], r["team_id"]) for r in refs] == [
        ("A1", date(2026, 2, 10), "6", False, "MASH"),
        ("A2", date(2026, 3, 1), "'q) 6: Police'", True, "MASH"),
        ("A3", date(2026, 3, 11), "3E", False, "MASH"),
        ("A4", date(2026, 3, 12), "Carrier pigeon", False, "MASH"),
    ]
    children = {c["child_id"]: c for c in records["child"]}
    assert [(children[k]["sex"], children[k]["ethnicity"]) for k in ("A1", "A2", "A3", "A4")] == [
        ("2", "WBRI"), ("2", "APKN"), ("2", "WBRI"), ("1", "WBRI")]
    assert refs[0]["source_row"] == 1 and refs[0]["source_file"] == "referrals.csv"
    problems = {(i.field, i.value, i.severity) for i in issues}
    assert ("Notes", None, "warning") in problems  # unknown column reported, not silently dropped
    assert ("Referral Source", "Carrier pigeon", "warning") in problems  # unknown code kept and reported
    assert ("Referral Source", "'q) 6: Police'", "warning") in problems


def test_prefixed_codes_across_lists(tmp_path):
    path = write_csv(tmp_path / "list7.csv", (
        "Child Unique ID,Gender,Ethnicity,Date of Birth,Age of Child (Years),Child Protection Plan Start Date,"
        "Initial Category of Abuse,Latest Category of Abuse,Number of Previous Child Protection Plans\n"
        "B1,c) Not stated/recorded,r) OOTH,,,01/04/2026,a) Neglect,EMO,0\n"
        "B2,Neither,OOTH,,,02/04/2026,Sexual abuse,e) Multiple/not recommended,2\n"))
    records, issues = read(READER, path)
    plans = sorted(records["cp_plan"], key=lambda r: r["child_id"])
    assert [(p["initial_category"], p["latest_category"], p["previous_plans"]) for p in plans] == [
        ("NEG", "EMO", 0), ("SAB", "MUL", 2)]
    assert sorted((c["child_id"], c["sex"]) for c in records["child"]) == [("B1", "0"), ("B2", "9")]  # DfE 2024: 0 not recorded, 9 indeterminate
    assert issues == []


def test_list_6_codes_with_dash_labels_and_merging_with_list_3(tmp_path):
    l3 = ("Child Unique ID,Gender,Ethnicity,Date of Birth,Age of Child (Years),Date of Referral,Referral Source,"
          "Referral NFA?,Allocated Team,Allocated Worker\nC1,a) Male,a) WBRI,,,05/01/2026,q) 6: Police,b) No,T1,W1\n")
    l6 = ("Child Unique ID,Gender,Ethnicity,Date of Birth,Age of Child (Years),CIN Start Date,Primary Need Code,"
          "CIN Closure Date,Reason for Closure\nC1,a) Male,a) WBRI,,,05/01/2026,N1 - Abuse or neglect,01/06/2026,"
          "RC8 - Case closed after assessment - referred to early help\n")
    wb_path = tmp_path / "annex.xlsx"
    wb = xlsxwriter.Workbook(str(wb_path))
    for name, text in (("Referrals (L3)", l3), ("CIN", l6)):
        ws = wb.add_worksheet(name)
        for r, line in enumerate(text.strip().split("\n")):
            for c, cell in enumerate(line.split(",")):
                ws.write(r, c, cell)
    wb.close()
    records, _ = read(READER, wb_path)
    assert records["referral"] == [{
        "referral_id": "C1/2026-01-05", "child_id": "C1", "referral_date": date(2026, 1, 5), "referral_source": "6",
        "nfa": False, "team_id": "T1", "worker_id": "W1", "primary_need": "N1", "closure_date": date(2026, 6, 1),
        "closure_reason": "RC8", "source_file": "annex.xlsx[Referrals (L3)]", "source_row": 1}]


def test_real_excel_dates_and_serials(tmp_path):
    path = tmp_path / "a.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Sheet1")
    ws.write_row(0, 0, ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)",
                        "Date of Contact", "Contact Source"])
    ws.write(1, 0, 123)  # a numeric id stays '123', not '123.0'
    ws.write_datetime(1, 5, datetime(2026, 3, 4), wb.add_format({"num_format": "dd/mm/yyyy"}))
    ws.write(1, 6, "g) 3A: Health services")
    ws.write(2, 0, "X9")
    ws.write_number(2, 5, 46085)  # an unformatted Excel serial
    wb.close()
    records, _ = read(READER, path)
    assert sorted((c["child_id"], c["contact_date"], c["contact_source"]) for c in records["contact"]) == [
        ("123", date(2026, 3, 4), "3A"), ("X9", date(2026, 3, 4), None)]


def test_list_11_rows_are_reported_not_loaded(tmp_path):
    path = write_csv(tmp_path / "l11.csv", "Individual adopter identifier,Gender,Date enquiry received\nAD1,a) Male,01/01/2026\n")
    records, issues = read(READER, path)
    assert records == {}
    assert [(i.severity, i.source_row, i.reason) for i in issues] == [
        ("warning", 1, "List 11 (adopters) has no canonical table: row not loaded")]


def test_blank_child_id_rejects_the_row_only(tmp_path):
    path = write_csv(tmp_path / "l1.csv", "Child Unique ID,Date of Contact\n,01/01/2026\n\n,,\nK1,02/01/2026\n")
    records, issues = read(READER, path)
    assert [(c["child_id"], c["source_row"]) for c in records["contact"]] == [("K1", 4)]  # blank lines counted
    assert [(i.severity, i.source_row, i.field) for i in issues] == [("rejected", 1, "Child Unique ID")]


# -- files that cannot be loaded -----------------------------------------------------------------

def refused(path, detection=None) -> InputError:
    with pytest.raises(InputError) as caught:
        list(READER.read(path, detection or READER.detect(path)))
    assert "\n" not in str(caught.value)
    return caught.value


def test_impossible_date_names_file_row_and_field(tmp_path):
    path = write_csv(tmp_path / "l1.csv", "Child Unique ID,Date of Contact\nK1,02/01/2026\nK2,31/02/2024\n")
    err = refused(path)
    assert (err.location.file, err.location.row, err.location.field, err.value) == (
        "l1.csv", 2, "Date of Contact", "31/02/2024")
    assert str(err) == "l1.csv, row 2, field Date of Contact: not a real date (value '31/02/2024')"


def test_first_bad_cell_is_named_row_first_then_leftmost_column(tmp_path):
    # cells are converted a column at a time: the error must still be the one a row-by-row read
    # meets first (row 2's birth date, left of its contact date), not the first column's
    path = write_csv(tmp_path / "l1.csv", "Child Unique ID,Date of Birth,Date of Contact\n"
                     "K1,01/01/2015,02/01/2026\nK2,30/02/2015,31/02/2024\nK3,01/13/2015,03/01/2026\n")
    err = refused(path)
    assert (err.location.row, err.location.field, err.value) == (2, "Date of Birth", "30/02/2015")
    path = write_csv(tmp_path / "l1b.csv", "Child Unique ID,Date of Birth,Date of Contact\n"
                     "K1,01/01/2015,02/01/2026\nK2,01/02/2015,31/02/2024\nK3,01/13/2015,03/01/2026\n")
    err = refused(path)
    assert (err.location.row, err.location.field, err.value) == (2, "Date of Contact", "31/02/2024")


def test_issues_come_in_row_order(tmp_path):
    path = write_csv(tmp_path / "l1.csv", "Child Unique ID,Gender,Date of Contact,Contact Source\n"
                     "K1,Purple,02/01/2026,Pigeon\n,Female,03/01/2026,\nK3,Purple,04/01/2026,Owl\n")
    _, issues = read(READER, path)
    assert [(i.source_row, i.field, i.severity) for i in issues] == [
        (1, "Gender", "warning"), (1, "Contact Source", "warning"), (2, "Child Unique ID", "rejected"),
        (3, "Gender", "warning"), (3, "Contact Source", "warning")]


def test_missing_required_column(tmp_path):
    path = write_csv(tmp_path / "l3.csv", "Child Unique ID,Date of Referral\nK1,02/01/2026\n")
    # list 3 recognised from its date column; a list 1 file without the child id is refused
    path2 = write_csv(tmp_path / "l1.csv", "Gender,Date of Contact\nb) Female,02/01/2026\n")
    assert read(READER, path)[0]["referral"][0]["child_id"] == "K1"
    err = refused(path2)
    assert (err.location.file, err.location.field) == ("l1.csv", "Child Unique ID")
    assert "required column is missing" in err.reason


def test_empty_files(tmp_path):
    from cscperf.ingest.base import Detection
    csv_path = write_csv(tmp_path / "empty.csv", "")
    xlsx_path = write_csv(tmp_path / "empty.xlsx", "")
    assert READER.detect(csv_path) is None
    assert refused(csv_path, Detection("annex-a")).reason == "the file is empty"
    assert refused(xlsx_path).reason == "the file is empty"


def test_wrong_encoding(tmp_path):
    path = write_csv(tmp_path / "l1.csv", "Child Unique ID,Date of Contact,Contact Source\nK1,02/01/2026,Société\n",
                     encoding="cp1252")
    err = refused(path)
    assert err.location.file == "l1.csv" and err.location.row == 1 and "line 2" in err.reason
    assert "not UTF-8" in err.reason


def test_xlsx_that_is_a_zip_of_something_else(tmp_path):
    path = tmp_path / "annex_a.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("holiday.jpg", b"\xff\xd8\xff\xe0 not a workbook")
    err = refused(path)
    assert err.location.file == "annex_a.xlsx" and "not an Excel workbook" in err.reason


def test_text_renamed_xlsx(tmp_path):
    path = write_csv(tmp_path / "annex_a.xlsx", "Child Unique ID,Date of Contact\n")
    assert "not a zip package" in refused(path).reason


def test_workbook_without_any_list(tmp_path):
    path = tmp_path / "other.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("Budget").write_row(0, 0, ["Cost centre", "Amount"])
    wb.close()
    assert refused(path).reason == "no Annex A list recognised in any sheet"


def _all_vocabs():
    from cscperf.core.layouts.annex_a import LISTS, vocab
    from cscperf.store.schema import code_lists
    dfe = {n: dict(c.values) for n, c in code_lists().items()}
    kinds = sorted({c.kind for s in LISTS.values() for c in s.columns} - {"text", "date", "int", "derived"})
    return [(k, code, vocab(k, dfe)) for k in kinds for code in vocab(k, dfe).codes]


@pytest.mark.parametrize("kind,code,v", _all_vocabs(), ids=lambda x: x if isinstance(x, str) else "")
def test_every_code_reads_back_from_each_spelling(kind, code, v):
    from cscperf.ingest.formats._tabular import code_of
    spellings = {"written": v.written[code], "bare": code, "lower": code.lower(), "label": v.codes[code],
                 "padded": f"  {v.written[code]} "}
    got = {how: code_of(text, v.codes, v.written, v.aliases) for how, text in spellings.items()}
    assert got == {how: (code, True) for how in spellings}


def test_openpyxl_fallback_reads_the_same_records(tmp_path, monkeypatch):
    """Workbooks calamine refuses are read with openpyxl; both must give the same canonical rows."""
    from cscperf.ingest.formats import _tabular
    from cscperf.returns import annex_a
    from cscperf.store.rows import to_arrow

    tables = {"child": to_arrow("child", [{"child_id": "Z1", "sex": "1", "date_of_birth": date(2012, 2, 29)}]),
              "referral": to_arrow("referral", [{"referral_id": "r", "child_id": "Z1", "referral_date": date(2026, 5, 4),
                                                 "referral_source": "5D", "nfa": True, "primary_need": "N9"}]),
              "contact": to_arrow("contact", [{"contact_id": "c", "child_id": "Z1", "contact_date": date(2026, 5, 1),
                                               "contact_source": "10"}])}
    path = annex_a.write(tables, tmp_path / "a.xlsx", as_at=date(2026, 10, 31))[0]
    with_calamine = read(READER, path)

    def refuse(_path):
        raise RuntimeError("calamine says no")

    monkeypatch.setattr(_tabular, "_read_calamine", refuse)
    with_openpyxl = read(READER, path)
    assert with_openpyxl == with_calamine
    assert with_calamine[0]["referral"][0]["referral_source"] == "5D"  # written "p1) 5D: ..."


def test_batches_hold_what_the_records_hold(tmp_path):
    # the loader reads batches (read_batches), tests and CSV extracts records (read): the same rows
    from cscperf.ingest.base import Batch, Record
    from cscperf.ingest.columns import batches_of_records

    path = write_csv(tmp_path / "l6.csv", (
        "Child Unique ID,Gender,Ethnicity,Date of Birth,CIN Start Date,Primary Need Code,Case Closure Date,"
        "Reason for Closure,Date Child Last Seen,Allocated Team,Colour\n"
        "C1,Female,WBRI,01/01/2015,01/02/2026,N1 - Abuse or neglect,,,03/03/2026,T1,red\n"
        "C1,Male,WBRI,01/01/2015,01/02/2026,N2,10/03/2026,RC1,04/03/2026,,blue\n"
        "C2,Purple,WBRI,,05/02/2026,N5,,,,T2,\n"))
    detection = READER.detect(path)
    items = list(READER.read(path, detection))
    batches = list(READER.read_batches(path, detection))
    assert [i for i in batches if not isinstance(i, Batch)] == [i for i in items if not isinstance(i, Record)]
    expected = {b.table: b.data for b in batches_of_records([r for r in items if isinstance(r, Record)])}
    got = {b.table: b.data for b in batches if isinstance(b, Batch)}
    assert list(got) == list(expected) and all(got[t].equals(expected[t]) for t in got)
    assert got["referral"].num_rows == 3 and got["child"].num_rows == 2
