"""CSWW writer: valid against DfE's XSD, and read back field by field on both engines."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from cscperf.core.errors import CscperfError
from cscperf.ingest.formats.csww import CswwReader
from cscperf.returns import csww
from cscperf.store.rows import to_arrow
from support.canonical import fetch, load, project

XSD = Path("/work/shared/reference/schemas/CSWW_census_schema_2022.xsd")
AS_AT = date(2026, 10, 31)  # census date 30 September 2026; flows from 1 October 2025
D = date

FIXTURE = {
    "staff_spell": [
        {"spell_id": "s1", "worker_id": "SW0000000001", "role": "social_worker", "team_id": "T1",
         "start_date": D(2020, 5, 1), "fte": 1.0, "agency": False, "qualified": True, "cases": 17,
         "start_origin": "1"},
        {"spell_id": "s2", "worker_id": "SW0000000002", "role": "team_manager", "start_date": D(2019, 1, 7),
         "end_date": D(2026, 3, 31), "leave_reason": "retirement", "leaver_destination": "6", "fte": 0.8,
         "agency": False, "qualified": True},
        {"spell_id": "s3", "worker_id": "SW0000000003", "role": "social_worker", "start_date": D(2026, 6, 1),
         "fte": 1.0, "agency": True, "qualified": True, "cases": 12, "hourly_rate": 45.5},
        {"spell_id": "s4", "worker_id": "SW0000000004", "role": "senior_practitioner", "start_date": D(2024, 9, 2),
         "fte": 0.6, "agency": False, "qualified": True, "cases": 0, "start_origin": "2"},
        # not in the census: a personal adviser, a leaver before the census year, an agency leaver
        {"spell_id": "x1", "worker_id": "SW0000000009", "role": "personal_adviser", "start_date": D(2020, 1, 1),
         "fte": 1.0, "agency": False, "qualified": False},
        {"spell_id": "x2", "worker_id": "SW0000000008", "role": "social_worker", "start_date": D(2018, 1, 1),
         "end_date": D(2025, 9, 30), "fte": 1.0, "agency": False, "qualified": True},
        {"spell_id": "x3", "worker_id": "SW0000000007", "role": "social_worker", "start_date": D(2026, 1, 1),
         "end_date": D(2026, 8, 1), "fte": 1.0, "agency": True, "qualified": True},
    ],
    "absence_spell": [
        {"absence_id": "ab1", "worker_id": "SW0000000001", "start_date": D(2025, 10, 1), "end_date": D(2026, 9, 30),
         "working_days_lost": 12.5},
    ],
    "vacancy_snapshot": [
        {"snapshot_date": D(2026, 9, 30), "role": "social_worker", "vacancies_fte": 9.5, "agency_fte": 7.25,
         "agency_headcount": 8},
    ],
}
IN_CENSUS = ["s1", "s2", "s3", "s4"]


@pytest.fixture
def census(tmp_path) -> Path:
    tables = {name: to_arrow(name, rows) for name, rows in FIXTURE.items()}
    [path] = csww.write(tables, tmp_path, la_code="883", as_at=AS_AT)
    return path


def test_written_census_is_valid_against_the_dfe_schema(census):
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    doc = etree.parse(str(census))
    assert schema.validate(doc), schema.error_log
    assert census.name == "CSWW_883_2026.xml"
    assert doc.findtext("Header/CollectionDetails/ReferenceDate") == "2026-09-30"
    assert [w.findtext("SWENo") for w in doc.findall("CSWWWorker")] == [
        "SW0000000001", "SW0000000002", "SW0000000003", "SW0000000004"]


def test_round_trip_field_by_field(engine, census):
    issues = load(engine, CswwReader(), [census])
    assert issues == []
    by_id = {s["spell_id"]: s for s in FIXTURE["staff_spell"]}
    fields = ["worker_id", "role", "start_date", "end_date", "leave_reason", "leaver_destination", "start_origin",
              "fte", "agency", "qualified", "cases"]
    expected = [{**by_id[i], "cases": None if by_id[i].get("end_date") else by_id[i].get("cases")} for i in IN_CENSUS]
    assert fetch(engine, "staff_spell", fields, ["worker_id"]) == project(expected, fields, ["worker_id"])
    assert fetch(engine, "staff_spell", ["spell_id"], ["spell_id"])[0] == {"spell_id": "SW0000000001/2020-05-01"}
    absence = ["worker_id", "start_date", "end_date", "working_days_lost"]
    assert fetch(engine, "absence_spell", absence, ["worker_id"]) == project(FIXTURE["absence_spell"], absence, [])
    vac = ["snapshot_date", "team_id", "role", "vacancies_fte", "agency_fte", "agency_headcount"]
    assert fetch(engine, "vacancy_snapshot", vac, ["role"]) == project(FIXTURE["vacancy_snapshot"], vac, [])
    workers = fetch(engine, "worker", ["worker_id", "role", "agency", "qualified", "fte"], ["worker_id"])
    assert workers == [{"worker_id": by_id[i]["worker_id"], "role": by_id[i]["role"], "agency": by_id[i]["agency"],
                        "qualified": True, "fte": by_id[i]["fte"]} for i in IN_CENSUS]


def test_vacancies_are_summed_from_team_rows_when_there_is_no_council_row(tmp_path):
    tables = {"staff_spell": to_arrow("staff_spell", FIXTURE["staff_spell"][:1]),
              "vacancy_snapshot": to_arrow("vacancy_snapshot", [
        {"snapshot_date": D(2026, 9, 30), "team_id": "T1", "role": "social_worker", "vacancies_fte": 1.5,
         "agency_fte": 1.0, "agency_headcount": 1},
        {"snapshot_date": D(2026, 9, 30), "team_id": "T2", "role": "social_worker", "vacancies_fte": 2.25,
         "agency_fte": 0.5, "agency_headcount": 1},
        {"snapshot_date": D(2025, 9, 30), "team_id": None, "role": "social_worker", "vacancies_fte": 99,
         "agency_fte": 99, "agency_headcount": 99}])}
    [path] = csww.write(tables, tmp_path, la_code="883", as_at=AS_AT)
    doc = etree.parse(str(path))
    assert [doc.findtext(f"LALevelVacancies/{t}") for t in ("NumberOfVacancies", "NoAgencyFTE", "NoAgencyHeadcount")
            ] == ["3.75", "1.50", "2"]


def test_a_worker_id_that_is_not_a_swe_number_is_refused(tmp_path):
    tables = {"staff_spell": to_arrow("staff_spell", [{"spell_id": "a", "worker_id": "W1", "role": "social_worker",
                                                       "start_date": D(2026, 1, 1), "fte": 1.0}])}
    with pytest.raises(CscperfError, match="W1"):
        csww.write(tables, tmp_path, la_code="883", as_at=AS_AT)


def test_same_input_same_bytes(tmp_path):
    tables = {name: to_arrow(name, rows) for name, rows in FIXTURE.items()}
    a = csww.write(tables, tmp_path / "a", la_code="883", as_at=AS_AT)[0]
    b = csww.write(tables, tmp_path / "b", la_code="883", as_at=AS_AT)[0]
    assert a.read_bytes() == b.read_bytes()


from datetime import timedelta  # noqa: E402

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from cscperf.core.layouts.csww import LEAVE_TO_CSWW, ROLE_TO_CSWW  # noqa: E402

SCHEMA = etree.XMLSchema(etree.parse(str(XSD)))


@st.composite
def workforces(draw):
    spells = []
    for i in range(draw(st.integers(0, 8))):
        start = draw(st.dates(min_value=D(2015, 1, 1), max_value=D(2026, 9, 30)))
        end = draw(st.one_of(st.none(), st.dates(min_value=start, max_value=start + timedelta(days=900))))
        spells.append({"spell_id": f"s{i}", "worker_id": f"SW{draw(st.integers(0, 5)):010d}",
                       "role": draw(st.sampled_from(sorted(ROLE_TO_CSWW) + ["personal_adviser"])),
                       "start_date": start, "end_date": end,
                       "leave_reason": draw(st.one_of(st.none(), st.sampled_from(sorted(LEAVE_TO_CSWW)))),
                       "leaver_destination": draw(st.one_of(st.none(), st.sampled_from(["1", "5", "9"]))),
                       "start_origin": draw(st.one_of(st.none(), st.sampled_from(["1", "4", "10"]))),
                       "fte": draw(st.floats(0, 1)), "agency": draw(st.booleans()),
                       "qualified": draw(st.sampled_from([True, None, False])),
                       "cases": draw(st.one_of(st.none(), st.integers(0, 40)))})
    absences = [{"absence_id": f"a{i}", "worker_id": s["worker_id"], "start_date": s["start_date"],
                 "working_days_lost": draw(st.floats(0, 250))} for i, s in enumerate(spells) if draw(st.booleans())]
    vacancies = [{"snapshot_date": D(2026, 9, 30), "team_id": draw(st.sampled_from([None, "T1"])),
                  "role": "social_worker", "vacancies_fte": draw(st.floats(0, 500)),
                  "agency_fte": draw(st.floats(0, 500)), "agency_headcount": draw(st.integers(0, 500))}
                 for _ in range(draw(st.integers(0, 2)))]
    return {"staff_spell": spells, "absence_spell": absences, "vacancy_snapshot": vacancies}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(workforce=workforces())
def test_any_workforce_gives_a_valid_census_that_reads_back(tmp_path_factory, workforce):
    tables = {name: to_arrow(name, rows) for name, rows in workforce.items()}
    written = [s for s in workforce["staff_spell"] if csww._in_census(s, D(2025, 10, 1), D(2026, 9, 30))]
    if not written:  # the schema needs one CSWWWorker at least: say so rather than write an invalid file
        with pytest.raises(CscperfError, match="at least one"):
            csww.write(tables, tmp_path_factory.mktemp("c"), la_code="883", as_at=AS_AT)
        return
    [path] = csww.write(tables, tmp_path_factory.mktemp("c"), la_code="883", as_at=AS_AT)
    assert SCHEMA.validate(etree.parse(str(path))), SCHEMA.error_log
    records, _ = read_records(path)
    assert sorted((r["worker_id"], r["start_date"], r["role"]) for r in records.get("staff_spell", [])) == sorted(
        (s["worker_id"], s["start_date"], s["role"]) for s in written)


def read_records(path):
    from support.canonical import read
    return read(CswwReader(), path)
