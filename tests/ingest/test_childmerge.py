"""The child merge rule on its own (docs/ingest.md)."""

from datetime import date

from cscperf.ingest.childmerge import merge


def row(load_id, file, n, table, **values):
    return {"child_id": "X", "load_id": load_id, "source_file": file, "source_row": n, "source_table": table, **values}


def test_later_source_fills_and_updates_and_is_the_provenance():
    merged = merge([
        row(2, "903/Header.csv", 4, "Header", sex="1", mother=True),
        row(1, "cin.xml", 30, "Child", sex="2", ethnicity="WBRI", date_of_birth=date(2010, 1, 1)),
    ])
    assert len(merged) == 1
    m = merged[0]
    assert (m["sex"], m["ethnicity"], m["mother"], m["date_of_birth"]) == ("1", "WBRI", True, date(2010, 1, 1))
    assert (m["load_id"], m["source_file"], m["source_row"]) == (2, "903/Header.csv", 4)


def test_uasc_never_takes_the_provenance_from_header_in_the_same_load():
    merged = merge([row(1, "UASC.csv", 1, "UASC", uasc=True), row(1, "Header.csv", 7, "Header", sex="1")])
    assert [(m["source_file"], m["uasc"], m["sex"]) for m in merged] == [("Header.csv", True, "1")]


def test_duplicates_of_the_latest_writer_stay_separate():
    merged = merge([row(1, "cin.xml", 3, "Child", ethnicity="WBRI"), row(2, "H.csv", 1, "Header", sex="1"),
                    row(2, "H.csv", 9, "Header", sex="2")])
    assert [(m["source_row"], m["sex"], m["ethnicity"]) for m in merged] == [(1, "1", "WBRI"), (9, "2", "WBRI")]


def test_repeats_in_a_list_style_source_fold_into_one():
    merged = merge([row(1, "annex.xlsx", 2, "List 3", sex="1"), row(1, "annex.xlsx", 5, "List 3", ethnicity="WBRI")])
    assert [(m["source_row"], m["sex"], m["ethnicity"]) for m in merged] == [(5, "1", "WBRI")]
