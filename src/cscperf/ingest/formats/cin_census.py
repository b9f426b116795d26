"""CIN census XML -> canonical rows (docs/formats/dfe-returns.md).

Streamed: one ``<Child>`` at a time through ``xmlsafe.iter_elements``, so time and memory are linear
in the file's size. Fields are read by name (element order is the writer's concern, not ours);
elements we do not know are reported as warnings, never silently dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from lxml import etree

from cscperf.core.ids import record_id
from cscperf.ingest.base import Detection, Issue, Record
from cscperf.ingest.fields import Fields, text_or_none
from cscperf.ingest.xmlsafe import iter_elements, local

FORMAT = "cin"
_REFDATE = re.compile(rb"<(?:\w+:)?ReferenceDate>\s*(\d{4}-\d{2}-\d{2})\s*<")
_YEAR = re.compile(rb"<(?:\w+:)?Year>\s*(\d{4})\s*<")
_SOURCE_DATETIME = re.compile(rb"<(?:\w+:)?DateTime>\s*(\d{4}-\d{2}-\d{2})")

# The 2024-25 specification's <Sex> (F, M, U) onto the canonical sex codes (2, 1, 0 not known).
SEX_LETTERS = {"F": "2", "M": "1", "U": "0"}

KNOWN = {
    "Child": {"ChildIdentifiers", "ChildCharacteristics", "CINdetails"},
    "ChildIdentifiers": {"LAchildID", "UPN", "FormerUPN", "UPNunknown", "PersonBirthDate", "ExpectedPersonBirthDate",
                         "GenderCurrent", "Sex", "PersonDeathDate"},
    "ChildCharacteristics": {"Ethnicity", "Disabilities"},
    "CINdetails": {"CINdetailsID", "CINreferralDate", "ReferralSource", "PrimaryNeedCode", "CINclosureDate",
                   "ReasonForClosure", "DateOfInitialCPC", "Assessments", "CINPlanDates", "Section47", "ReferralNFA",
                   "ChildProtectionPlans"},
    "Assessments": {"AssessmentActualStartDate", "AssessmentInternalReviewDate", "AssessmentAuthorisationDate",
                    "FactorsIdentifiedAtAssessment"},
    "CINPlanDates": {"CINPlanStartDate", "CINPlanEndDate"},
    "Section47": {"S47ActualStartDate", "InitialCPCtarget", "DateOfInitialCPC", "ICPCnotRequired"},
    "ChildProtectionPlans": {"CPPstartDate", "CPPendDate", "InitialCategoryOfAbuse", "LatestCategoryOfAbuse",
                             "NumberOfPreviousCPP", "Reviews"},
}


def collection_year_label(year_ending: int) -> str:
    """2025 -> '2024_25' (the year ending 31 March 2025)."""
    return f"{year_ending - 1}_{year_ending % 100:02d}"


def year_ending_for(day: date) -> int:
    """The collection year (ending 31 March) a day falls in."""
    return day.year + 1 if day.month >= 4 else day.year


class CinCensusReader:
    format = FORMAT

    def detect(self, path: Path) -> Detection | None:
        """A CIN census by its content (whatever the file is called): CIN elements in its head."""
        with path.open("rb") as handle:
            head = handle.read(65536)
        if b"<" not in head or not (b"<LAchildID" in head or b"<CINdetails" in head or b"<Collection>CIN<" in head):
            return None
        year = None
        match = _REFDATE.search(head)
        if match:
            try:
                year = collection_year_label(year_ending_for(date.fromisoformat(match.group(1).decode())))
            except ValueError:
                year = None
        elif (ym := _YEAR.search(head)) is not None:
            year = collection_year_label(int(ym.group(1)))
        return Detection(FORMAT, year)

    def as_at(self, path: Path) -> date | None:
        """The extract's date: the header's Source DateTime if sent, else its ReferenceDate."""
        reference, made = header_dates(path)
        return made or reference

    def read(self, path: Path, detection: Detection, display: str | None = None) -> Iterator[Record | Issue]:
        name = display or str(path)
        pending: list[Issue] = []
        fields = Fields(name, pending.append)
        for elem in iter_elements(path, ("Header", "Child"), name):
            if local(elem.tag) == "Header":
                yield from _header(elem, name, fields)
            else:
                yield from _child(elem, name, fields, pending)
            yield from pending
            pending.clear()


def header_dates(path: Path) -> tuple[date | None, date | None]:
    """(ReferenceDate, Source DateTime date) from the file's head, for the load's period and as-at."""
    with path.open("rb") as handle:
        head = handle.read(65536)
    found = []
    for pattern in (_REFDATE, _SOURCE_DATETIME):
        match = pattern.search(head)
        try:
            found.append(date.fromisoformat(match.group(1).decode()) if match else None)
        except ValueError:
            found.append(None)
    return found[0], found[1]


def _kids(elem: etree._Element) -> list[tuple[str, etree._Element]]:
    return [(local(c.tag), c) for c in elem if isinstance(c.tag, str)]


def _text(elem: etree._Element, name: str) -> str | None:
    for child in elem:
        if isinstance(child.tag, str) and local(child.tag) == name:
            return text_or_none(child.text)
    return None


def _line(elem: etree._Element, name: str) -> int | None:
    for child in elem:
        if isinstance(child.tag, str) and local(child.tag) == name:
            return child.sourceline
    return elem.sourceline


def _unknown(elem: etree._Element, container: str, name: str) -> Iterator[Issue]:
    for tag, child in _kids(elem):
        if tag not in KNOWN[container]:
            yield Issue("warning", name, child.sourceline, f"{container}/{tag}", text_or_none(child.text),
                        "unknown element ignored")


def _header(elem: etree._Element, name: str, fields: Fields) -> Iterator[Issue]:
    """The header carries no rows; its ReferenceDate must still be a real date."""
    for tag, child in _kids(elem):
        if tag == "CollectionDetails":
            fields.date(_text(child, "ReferenceDate"), _line(child, "ReferenceDate"), "ReferenceDate")
    yield from ()


def _d(fields: Fields, elem: etree._Element, tag: str) -> date | None:
    return fields.date(_text(elem, tag), _line(elem, tag), tag)


def _child(elem: etree._Element, name: str, fields: Fields, pending: list[Issue]) -> Iterator[Record | Issue]:
    row = elem.sourceline
    yield from _unknown(elem, "Child", name)
    ids = next((c for t, c in _kids(elem) if t == "ChildIdentifiers"), None)
    chars = next((c for t, c in _kids(elem) if t == "ChildCharacteristics"), None)
    child_id = _text(ids, "LAchildID") if ids is not None else None
    episodes = [c for t, c in _kids(elem) if t == "CINdetails"]
    if child_id is None:
        count = 1 + len(episodes)
        yield Issue("rejected", name, row, "LAchildID", None, f"child without LAchildID: its {count} record(s) not loaded")
        return
    values: dict = {"child_id": child_id, "source_table": "Child"}
    if ids is not None:
        yield from _unknown(ids, "ChildIdentifiers", name)
        values["upn"] = _text(ids, "UPN")
        values["former_upn"] = _text(ids, "FormerUPN")
        values["upn_unknown"] = fields.code(_text(ids, "UPNunknown"), _line(ids, "UPNunknown"), "UPNunknown", "upn_unknown")
        values["date_of_birth"] = _d(fields, ids, "PersonBirthDate")
        values["expected_birth_date"] = _d(fields, ids, "ExpectedPersonBirthDate")
        sex_tag = "GenderCurrent" if _text(ids, "GenderCurrent") is not None else "Sex"
        raw_sex = _text(ids, sex_tag)
        if sex_tag == "Sex" and raw_sex in SEX_LETTERS:  # 2024-25 spec's <Sex>: F, M, U
            raw_sex = SEX_LETTERS[raw_sex]
        values["sex"] = fields.code(raw_sex, _line(ids, sex_tag), sex_tag, "sex")
        values["date_of_death"] = _d(fields, ids, "PersonDeathDate")
    if chars is not None:
        yield from _unknown(chars, "ChildCharacteristics", name)
        values["ethnicity"] = fields.code(_text(chars, "Ethnicity"), _line(chars, "Ethnicity"), "Ethnicity", "ethnicity")
        codes = []
        for tag, block in _kids(chars):
            if tag == "Disabilities":
                codes += [text_or_none(d.text) for dt, d in _kids(block) if dt == "Disability"]
        values["disabilities"] = ";".join(c for c in codes if c) or None
    yield Record("child", values, name, row)
    used: dict[str, int] = {}
    for episode in episodes:
        yield from _episode(episode, child_id, name, fields, used)


def _episode(ep: etree._Element, child_id: str, name: str, fields: Fields, used: dict[str, int]) -> Iterator[Record | Issue]:
    row = ep.sourceline
    yield from _unknown(ep, "CINdetails", name)
    referral_date = _d(fields, ep, "CINreferralDate")
    sent_id = _text(ep, "CINdetailsID")
    if sent_id is None and referral_date is None:
        yield Issue("rejected", name, row, "CINreferralDate", None,
                    "CIN episode without CINreferralDate: it and its assessments, plans and enquiries not loaded")
        return
    # Ids come from the child and the date (cscperf.core.ids), not CINdetailsID, so the same
    # episode in two years' returns and in Annex A is recognised as one record.
    referral_id = None
    if referral_date is not None:
        base = record_id(child_id, None, referral_date)
        used[base] = used.get(base, 0) + 1
        referral_id = record_id(child_id, None, referral_date, used[base])
    common = {"referral_id": referral_id, "child_id": child_id}
    if referral_date is None:
        yield Issue("rejected", name, row, "CINreferralDate", None, "CIN episode without CINreferralDate not loaded")
    else:
        yield Record("referral", {
            **common,
            "referral_date": referral_date,
            "referral_source": fields.code(_text(ep, "ReferralSource"), _line(ep, "ReferralSource"), "ReferralSource", "referral_source"),
            "primary_need": fields.code(_text(ep, "PrimaryNeedCode"), _line(ep, "PrimaryNeedCode"), "PrimaryNeedCode", "primary_need"),
            "closure_date": _d(fields, ep, "CINclosureDate"),
            "closure_reason": fields.code(_text(ep, "ReasonForClosure"), _line(ep, "ReasonForClosure"), "ReasonForClosure", "closure_reason"),
            "nfa": fields.flag(_text(ep, "ReferralNFA"), _line(ep, "ReferralNFA"), "ReferralNFA"),
        }, name, row)
    icpc_date = _d(fields, ep, "DateOfInitialCPC")
    if icpc_date is not None:
        yield Record("icpc", {**common, "icpc_id": record_id(child_id, "icpc", icpc_date), "icpc_date": icpc_date},
                     name, _line(ep, "DateOfInitialCPC"))
    counters = {"Assessments": 0, "CINPlanDates": 0, "Section47": 0, "ChildProtectionPlans": 0}
    for tag, sub in _kids(ep):
        if tag not in counters:
            continue
        counters[tag] += 1
        n = counters[tag]
        yield from _unknown(sub, tag, name)
        line = sub.sourceline
        if tag == "Assessments":
            start = _d(fields, sub, "AssessmentActualStartDate")
            factors = [text_or_none(f.text) for ft, block in _kids(sub) if ft == "FactorsIdentifiedAtAssessment"
                       for at, f in _kids(block) if at == "AssessmentFactors"]
            values = {**common, "assessment_id": _sub_id(child_id, "assessment", start, referral_id, n), "start_date": start,
                      "internal_review_date": _d(fields, sub, "AssessmentInternalReviewDate"),
                      "authorised_date": _d(fields, sub, "AssessmentAuthorisationDate"),
                      "factors": ";".join(f for f in factors if f) or None}
            yield _required("assessment", values, "start_date", "AssessmentActualStartDate", name, line)
        elif tag == "CINPlanDates":
            start = _d(fields, sub, "CINPlanStartDate")
            values = {**common, "cin_plan_id": _sub_id(child_id, "cin", start, referral_id, n), "start_date": start,
                      "end_date": _d(fields, sub, "CINPlanEndDate")}
            yield _required("cin_plan", values, "start_date", "CINPlanStartDate", name, line)
        elif tag == "Section47":
            start = _d(fields, sub, "S47ActualStartDate")
            values = {**common, "s47_id": _sub_id(child_id, "s47", start, referral_id, n), "start_date": start,
                      "icpc_target_date": _d(fields, sub, "InitialCPCtarget"), "icpc_date": _d(fields, sub, "DateOfInitialCPC"),
                      "icpc_not_required": fields.flag(_text(sub, "ICPCnotRequired"), _line(sub, "ICPCnotRequired"), "ICPCnotRequired")}
            yield _required("s47_enquiry", values, "start_date", "S47ActualStartDate", name, line)
        else:
            start = _d(fields, sub, "CPPstartDate")
            plan_id = _sub_id(child_id, "cp", start, referral_id, n)
            values = {**common, "cp_plan_id": plan_id, "start_date": start,
                      "end_date": _d(fields, sub, "CPPendDate"),
                      "initial_category": fields.code(_text(sub, "InitialCategoryOfAbuse"), _line(sub, "InitialCategoryOfAbuse"), "InitialCategoryOfAbuse", "abuse_category"),
                      "latest_category": fields.code(_text(sub, "LatestCategoryOfAbuse"), _line(sub, "LatestCategoryOfAbuse"), "LatestCategoryOfAbuse", "abuse_category"),
                      "previous_plans": fields.integer(_text(sub, "NumberOfPreviousCPP"), _line(sub, "NumberOfPreviousCPP"), "NumberOfPreviousCPP")}
            yield _required("cp_plan", values, "start_date", "CPPstartDate", name, line)
            for rt, reviews in _kids(sub):
                if rt != "Reviews":
                    continue
                for dt, review in _kids(reviews):
                    if dt != "CPPreviewDate":
                        yield Issue("warning", name, review.sourceline, f"Reviews/{dt}", text_or_none(review.text), "unknown element ignored")
                        continue
                    day = fields.date(text_or_none(review.text), review.sourceline, "CPPreviewDate")
                    if day is None:
                        yield Issue("rejected", name, review.sourceline, "CPPreviewDate", None, "empty CPPreviewDate not loaded")
                    else:
                        yield Record("cp_review", {"cp_plan_id": plan_id, "child_id": child_id, "review_date": day}, name, review.sourceline)


def _sub_id(child_id: str, kind: str, start, referral_id: str | None, n: int) -> str:
    """The record's id from its start date; without one (the row is then rejected) a placeholder."""
    if start is not None:
        return record_id(child_id, kind, start)
    return f"{referral_id or child_id}/{kind}/missing-{n}"


def _required(table: str, values: dict, column: str, field: str, name: str, line: int | None) -> Record | Issue:
    if values.get(column) is None:
        return Issue("rejected", name, line, field, None, f"{field} is missing, so this {table} row cannot be stored")
    return Record(table, values, name, line)

