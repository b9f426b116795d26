"""The CIN census writer: valid against DfE's XSD, and only what the census holds for the year."""

from datetime import date
from pathlib import Path

from lxml import etree

from cscperf.returns import cin_census
from support.dfe_fixtures import CIN_ROWS, LA, YEAR, arrow_tables

XSD = Path("/work/shared/reference/schemas/CIN_census_schema_2024.xsd")


def _write(tmp_path, rows=CIN_ROWS):
    [path] = cin_census.write(arrow_tables(rows), tmp_path, la_code=LA, collection_year=YEAR)
    return path


def test_written_file_is_valid_against_the_2024_schema(tmp_path):
    path = _write(tmp_path)
    assert path.name == "cin_census_2025.xml"
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    doc = etree.parse(str(path))
    assert schema.validate(doc), schema.error_log
    assert doc.findtext("Header/CollectionDetails/ReferenceDate") == "2025-03-31"
    assert doc.findtext("Header/Source/LEA") == "883"


def test_element_order_follows_the_schema(tmp_path):
    doc = etree.parse(str(_write(tmp_path)))
    episode = doc.find("Children/Child/CINdetails")
    tags = [e.tag for e in episode]
    # C1's episode: dates first, then assessments, plans, enquiries, ReferralNFA, then CP plans.
    assert tags == ["CINreferralDate", "ReferralSource", "PrimaryNeedCode", "CINclosureDate", "ReasonForClosure",
                    "DateOfInitialCPC", "Assessments", "Assessments", "CINPlanDates", "Section47", "Section47",
                    "ReferralNFA", "ChildProtectionPlans"]


def test_only_episodes_open_in_the_year_and_only_known_dates(tmp_path):
    rows = {**CIN_ROWS, "referral": CIN_ROWS["referral"] + [
        # closed before 1 April 2024: not in the 2024-25 census
        {"referral_id": "C3/2023-05-01", "child_id": "C3", "referral_date": date(2023, 5, 1), "referral_source": "9",
         "nfa": False, "closure_date": date(2024, 3, 31), "closure_reason": "RC7"},
        # referred after 31 March 2025: next year's census
        {"referral_id": "C3/2025-04-02", "child_id": "C3", "referral_date": date(2025, 4, 2), "referral_source": "9", "nfa": False},
    ]}
    rows["referral"] = [dict(r) for r in rows["referral"]]
    rows["referral"][1]["closure_date"] = date(2025, 4, 5)  # C2's first episode closes after the reference date
    rows["referral"][1]["closure_reason"] = "RC1"
    doc = etree.parse(str(_write(tmp_path, rows)))
    dates = sorted(e.text for e in doc.iter("CINreferralDate"))
    assert dates == ["2024-04-10", "2024-06-03", "2024-06-03", "2025-03-01"]
    c2 = [c for c in doc.iter("Child") if c.findtext("ChildIdentifiers/LAchildID") == "C2"][0]
    first = c2.findall("CINdetails")[0]
    assert first.find("CINclosureDate") is None and first.find("ReasonForClosure") is None


def test_children_without_an_episode_in_the_year_are_left_out(tmp_path):
    rows = {**CIN_ROWS, "child": CIN_ROWS["child"] + [{"child_id": "C9", "sex": "1", "ethnicity": "WBRI"}]}
    doc = etree.parse(str(_write(tmp_path, rows)))
    assert [c.findtext("ChildIdentifiers/LAchildID") for c in doc.iter("Child")] == ["C1", "C2", "C3"]


def test_an_episode_without_a_child_row_is_still_written(tmp_path):
    rows = {"referral": [{"referral_id": "Z9/2024-06-01", "child_id": "Z9", "referral_date": date(2024, 6, 1),
                          "referral_source": "6", "nfa": False}]}
    doc = etree.parse(str(_write(tmp_path, rows)))
    assert [c.findtext("ChildIdentifiers/LAchildID") for c in doc.iter("Child")] == ["Z9"]
