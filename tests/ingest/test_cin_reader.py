"""The CIN census reader on hand-written XML: names not order, namespaces, ids, unknown elements."""

from datetime import date

from cscperf.ingest.base import Issue, Record
from cscperf.ingest.formats.cin_census import CinCensusReader

XML = """<?xml version="1.0" encoding="UTF-8"?>
<Message xmlns="http://www.dfe.gov.uk/CIN">
  <Header><CollectionDetails><Collection>CIN</Collection><Year>2025</Year><ReferenceDate>2025-03-31</ReferenceDate></CollectionDetails></Header>
  <Children>
    <Child>
      <ChildIdentifiers><Sex>F</Sex><LAchildID>K1</LAchildID><PersonBirthDate>2012-01-05</PersonBirthDate><Nickname>x</Nickname></ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>b) WBRI</Ethnicity><Disabilities><Disability>HAND</Disability><Disability>VIS</Disability></Disabilities></ChildCharacteristics>
      <CINdetails>
        <CINdetailsID>EP-77</CINdetailsID>
        <CINreferralDate>2024-05-01</CINreferralDate><ReferralSource>5Z</ReferralSource><ReferralNFA>0</ReferralNFA>
        <Assessments><AssessmentActualStartDate>2024-05-02</AssessmentActualStartDate></Assessments>
        <Assessments><AssessmentInternalReviewDate>2024-05-09</AssessmentInternalReviewDate></Assessments>
      </CINdetails>
    </Child>
  </Children>
</Message>
"""


def test_reads_by_name_with_namespace_and_reports_what_it_cannot_use(tmp_path):
    path = tmp_path / "cin.xml"
    path.write_text(XML, encoding="utf-8")
    reader = CinCensusReader()
    detection = reader.detect(path)
    assert (detection.format, detection.collection_year) == ("cin", "2024_25")
    items = list(reader.read(path, detection))
    records = [i for i in items if isinstance(i, Record)]
    issues = [i for i in items if isinstance(i, Issue)]
    child = next(r for r in records if r.table == "child")
    assert (child.values["sex"], child.values["ethnicity"], child.values["disabilities"]) == ("2", "WBRI", "HAND;VIS")
    assert child.values["date_of_birth"] == date(2012, 1, 5) and child.source_row == 5
    referral = next(r for r in records if r.table == "referral")
    assert referral.values["referral_id"] == "K1/2024-05-01" and referral.values["nfa"] is False and referral.source_row == 8
    assert [r.values["assessment_id"] for r in records if r.table == "assessment"] == ["K1/assessment/2024-05-02"]
    found = sorted((i.severity, i.field, i.value) for i in issues)
    assert found == [("rejected", "AssessmentActualStartDate", None), ("warning", "ChildIdentifiers/Nickname", "x"),
                     ("warning", "ReferralSource", "5Z")]


def test_not_a_cin_file(tmp_path):
    path = tmp_path / "other.xml"
    path.write_text("<Message><Header><CollectionDetails><Collection>CSWW</Collection></CollectionDetails></Header></Message>")
    assert CinCensusReader().detect(path) is None
