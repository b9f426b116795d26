"""CSWW census XML read safely: no DTD, no entities, no network; broken files refused with file, line, field."""

from __future__ import annotations

from datetime import date

import pytest

from cscperf.core.errors import InputError
from cscperf.ingest.base import Detection
from cscperf.ingest.formats.csww import CswwReader
from support.canonical import read

READER = CswwReader()

GOOD = """<?xml version="1.0" encoding="UTF-8"?>
<Message>
  <Header><CollectionDetails><Collection>CSWW</Collection><Year>2025</Year>
    <ReferenceDate>2025-09-30</ReferenceDate></CollectionDetails>
    <Source><SourceLevel>L</SourceLevel><LEA>883</LEA></Source></Header>
  <LALevelVacancies><NumberOfVacancies>4.50</NumberOfVacancies><NoAgencyFTE>3.00</NoAgencyFTE>
    <NoAgencyHeadcount>3</NoAgencyHeadcount></LALevelVacancies>
  <CSWWWorker><AgencyWorker>0</AgencyWorker><SWENo>SW1234567890</SWENo><FTE>0.500000</FTE>
    <QualInst>Uni</QualInst><OrgRole>3</OrgRole><RoleStartDate>2015-02-01</RoleStartDate>
    <RoleEndDate>2025-06-30</RoleEndDate><ReasonLeave>3</ReasonLeave><WorkingDaysLost>4.00</WorkingDaysLost>
  </CSWWWorker>
  <CSWWWorker><AgencyWorker>1</AgencyWorker><SWENo>SW1234567891</SWENo><FTE30>1.000000</FTE30>
    <QualInst>Uni</QualInst><OrgRole>5</OrgRole><Cases30>20</Cases30></CSWWWorker>
</Message>
"""


def xml(tmp_path, text: str, name: str = "csww.xml"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def test_reads_a_hand_written_census(tmp_path):
    path = xml(tmp_path, GOOD)
    assert READER.detect(path).collection_year == "2025"
    records, issues = read(READER, path)
    assert [(s["worker_id"], s["role"], s["start_date"], s["end_date"], s["leave_reason"], s["fte"], s["source_row"])
            for s in records["staff_spell"]] == [
        ("SW1234567890", "team_manager", date(2015, 2, 1), date(2025, 6, 30), "redundancy", 0.5, 8)]
    assert [(a["start_date"], a["end_date"], a["working_days_lost"]) for a in records["absence_spell"]] == [
        (date(2024, 10, 1), date(2025, 9, 30), 4.0)]
    assert sorted((w["worker_id"], w["agency"], w["fte"]) for w in records["worker"]) == [
        ("SW1234567890", False, 0.5), ("SW1234567891", True, 1.0)]
    assert records["vacancy_snapshot"][0]["vacancies_fte"] == 4.5
    assert records["staff_spell"][0]["source_row"] == 8  # the line of <CSWWWorker>
    assert issues == []  # an agency worker without a role start date is expected, not a problem


def refused(path) -> InputError:
    with pytest.raises(InputError) as caught:
        list(READER.read(path, READER.detect(path) or Detection("csww")))
    assert "\n" not in str(caught.value)
    return caught.value


def test_external_entity_is_refused_and_nothing_is_fetched(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    path = xml(tmp_path, f"""<?xml version="1.0"?>
<!DOCTYPE Message [<!ENTITY x SYSTEM "file://{secret}">]>
<Message><LALevelVacancies><NumberOfVacancies>&x;</NumberOfVacancies></LALevelVacancies></Message>""")
    err = refused(path)
    assert (err.location.file, err.location.row) == ("csww.xml", 2)
    assert "entit" in err.reason and "TOP SECRET" not in str(err)


def test_entity_expansion_bomb_is_refused(tmp_path):
    lol = "".join(f'<!ENTITY l{i} "{"&l%d;" % (i - 1) * 10}">' for i in range(1, 10))
    path = xml(tmp_path, f'<?xml version="1.0"?>\n<!DOCTYPE Message [<!ENTITY l0 "lol">{lol}]>\n'
                         "<Message><CSWWWorker><SWENo>&l9;</SWENo></CSWWWorker></Message>")
    assert "refused" in refused(path).reason


def test_truncated_xml_names_the_line(tmp_path):
    path = xml(tmp_path, GOOD[: GOOD.index("<CSWWWorker><AgencyWorker>1")])
    err = refused(path)
    assert err.location.file == "csww.xml" and err.location.row is not None and err.location.row >= 10
    assert err.reason.startswith("not well-formed XML")


def test_wrong_encoding(tmp_path):
    body = GOOD.replace("<QualInst>Uni</QualInst>", "<QualInst>Université</QualInst>", 1)
    path = xml(tmp_path, body.encode("latin-1"))
    err = refused(path)
    assert err.location.row == 9 and "not well-formed XML" in err.reason


def test_impossible_date_names_line_and_field(tmp_path):
    path = xml(tmp_path, GOOD.replace("2015-02-01", "2015-02-31"))
    err = refused(path)
    assert (err.location.row, err.location.field, err.value) == (9, "RoleStartDate", "2015-02-31")


def test_empty_file(tmp_path):
    assert refused(xml(tmp_path, "")).reason == "the file is empty"


def test_missing_census_date(tmp_path):
    path = xml(tmp_path, GOOD.replace("<Year>2025</Year>", "").replace("<ReferenceDate>2025-09-30</ReferenceDate>", ""))
    err = refused(path)
    assert err.location.field == "ReferenceDate"
