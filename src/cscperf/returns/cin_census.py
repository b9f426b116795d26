"""Canonical tables -> the DfE CIN census XML (schema 2024: element order as the XSD requires).

The inverse of ``cscperf.ingest.formats.cin_census``. Only what the census holds for the collection
year goes in: CIN episodes open at any time in the year (referral on or before 31 March, not closed
before 1 April), their assessments, plans and enquiries open in the year, and the children who have
one. A date after the reference date is not yet known at the census date, so it is left out (with
what depends on it: a closure reason without its date). Streamed with ``etree.xmlfile``, so memory
stays flat whatever the size. See docs/formats/dfe-returns.md for every reading.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from pathlib import Path

import pyarrow as pa
from lxml import etree

SOFTWARE = "cscperf"


def _rows(tables: Mapping[str, pa.Table], name: str) -> list[dict]:
    table = tables.get(name)
    return table.to_pylist() if table is not None else []


def _by(rows: list[dict], key: str) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(row)
    return grouped


def _open_in(start: date | None, end: date | None, first: date, last: date) -> bool:
    return start is not None and start <= last and (end is None or end >= first)


def _known(day: date | None, last: date) -> date | None:
    """A date after the reference date is not known at the census date."""
    return day if day is not None and day <= last else None


def _ordered(rows: list[dict], id_col: str, date_col: str) -> list[dict]:
    """Document order: by date, then id (ids are built from the date, see cscperf.core.ids)."""
    return sorted(rows, key=lambda row: (row.get(date_col) or date.min, row[id_col] or ""))


def _flag(value: bool | None) -> str | None:
    return None if value is None else ("true" if value else "false")


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return _flag(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _add(parent: etree._Element, tag: str, value) -> None:
    text = _text(value)
    if text is not None:
        etree.SubElement(parent, tag).text = text


def write(tables: Mapping[str, pa.Table], out_dir: Path, *, la_code: str, collection_year: int) -> list[Path]:
    """Write ``cin_census_<collection_year>.xml`` (year ending 31 March) into ``out_dir``."""
    first, last = date(collection_year - 1, 4, 1), date(collection_year, 3, 31)
    referrals = [r for r in _rows(tables, "referral") if _open_in(r["referral_date"], r.get("closure_date"), first, last)]
    by_child = _by(referrals, "child_id")
    children: dict[str, dict] = {}
    for row in _rows(tables, "child"):
        if row["child_id"] in by_child and row["child_id"] not in children:
            children[row["child_id"]] = row
    for child_id in by_child:  # an episode never goes missing for want of a child row
        children.setdefault(child_id, {"child_id": child_id})
    kids = {name: _by(_rows(tables, name), "referral_id") for name in ("assessment", "cin_plan", "s47_enquiry", "cp_plan", "icpc")}
    reviews = _by(_rows(tables, "cp_review"), "cp_plan_id")
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"cin_census_{collection_year}.xml"
    with etree.xmlfile(str(path), encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element("Message"):
            xf.write(_header(la_code, collection_year, last), pretty_print=True)
            with xf.element("Children"):
                for child_id in sorted(children):
                    xf.write(_child(children[child_id], by_child[child_id], kids, reviews, first, last), pretty_print=True)
    return [path]


def _header(la_code: str, collection_year: int, last: date) -> etree._Element:
    header = etree.Element("Header")
    details = etree.SubElement(header, "CollectionDetails")
    _add(details, "Collection", "CIN")
    _add(details, "Year", collection_year)
    _add(details, "ReferenceDate", last)
    source = etree.SubElement(header, "Source")
    _add(source, "SourceLevel", "L")
    _add(source, "LEA", la_code)
    _add(source, "SoftwareCode", SOFTWARE)
    _add(source, "Release", "1")
    _add(source, "SerialNo", "001")
    return header


def _child(child: dict, referrals: list[dict], kids: dict, reviews: dict, first: date, last: date) -> etree._Element:
    elem = etree.Element("Child")
    ids = etree.SubElement(elem, "ChildIdentifiers")
    _add(ids, "LAchildID", child["child_id"])
    _add(ids, "UPN", child.get("upn"))
    _add(ids, "FormerUPN", child.get("former_upn"))
    _add(ids, "UPNunknown", child.get("upn_unknown"))
    _add(ids, "PersonBirthDate", child.get("date_of_birth"))
    _add(ids, "ExpectedPersonBirthDate", child.get("expected_birth_date"))
    _add(ids, "GenderCurrent", child.get("sex"))
    _add(ids, "PersonDeathDate", _known(child.get("date_of_death"), last))
    chars = etree.SubElement(elem, "ChildCharacteristics")
    _add(chars, "Ethnicity", child.get("ethnicity"))
    codes = [c.strip() for c in (child.get("disabilities") or "").split(";") if c.strip()]
    if codes:
        block = etree.SubElement(chars, "Disabilities")
        for code in codes:
            _add(block, "Disability", code)
    for referral in sorted(referrals, key=lambda r: (r["referral_date"], r["referral_id"])):
        elem.append(_episode(referral, kids, reviews, first, last))
    return elem


def _episode(ref: dict, kids: dict, reviews: dict, first: date, last: date) -> etree._Element:
    rid = ref["referral_id"]
    ep = etree.Element("CINdetails")
    closure = _known(ref.get("closure_date"), last)
    _add(ep, "CINreferralDate", ref["referral_date"])
    _add(ep, "ReferralSource", ref.get("referral_source"))
    _add(ep, "PrimaryNeedCode", ref.get("primary_need"))
    _add(ep, "CINclosureDate", closure)
    _add(ep, "ReasonForClosure", ref.get("closure_reason") if closure else None)
    icpcs = [i for i in kids["icpc"].get(rid, []) if i.get("s47_id") is None]
    icpc = min(icpcs, key=lambda i: i["icpc_date"]) if icpcs else None
    _add(ep, "DateOfInitialCPC", _known(icpc["icpc_date"], last) if icpc else None)
    for a in _ordered(kids["assessment"].get(rid, []), "assessment_id", "start_date"):
        if not _open_in(a["start_date"], a.get("authorised_date"), first, last):
            continue
        sub = etree.SubElement(ep, "Assessments")
        _add(sub, "AssessmentActualStartDate", a["start_date"])
        _add(sub, "AssessmentInternalReviewDate", _known(a.get("internal_review_date"), last))
        authorised = _known(a.get("authorised_date"), last)
        _add(sub, "AssessmentAuthorisationDate", authorised)
        factors = [f.strip() for f in (a.get("factors") or "").split(";") if f.strip()]
        if factors and authorised:
            block = etree.SubElement(sub, "FactorsIdentifiedAtAssessment")
            for factor in factors:
                _add(block, "AssessmentFactors", factor)
    for p in _ordered(kids["cin_plan"].get(rid, []), "cin_plan_id", "start_date"):
        if _open_in(p["start_date"], p.get("end_date"), first, last):
            sub = etree.SubElement(ep, "CINPlanDates")
            _add(sub, "CINPlanStartDate", p["start_date"])
            _add(sub, "CINPlanEndDate", _known(p.get("end_date"), last))
    for s in _ordered(kids["s47_enquiry"].get(rid, []), "s47_id", "start_date"):
        concluded = s.get("icpc_date") or s["start_date"]
        if s["start_date"] > last or concluded < first:
            continue
        sub = etree.SubElement(ep, "Section47")
        _add(sub, "S47ActualStartDate", s["start_date"])
        _add(sub, "InitialCPCtarget", s.get("icpc_target_date"))
        _add(sub, "DateOfInitialCPC", _known(s.get("icpc_date"), last))
        _add(sub, "ICPCnotRequired", s.get("icpc_not_required"))
    _add(ep, "ReferralNFA", ref.get("nfa"))
    for c in _ordered(kids["cp_plan"].get(rid, []), "cp_plan_id", "start_date"):
        if not _open_in(c["start_date"], c.get("end_date"), first, last):
            continue
        sub = etree.SubElement(ep, "ChildProtectionPlans")
        _add(sub, "CPPstartDate", c["start_date"])
        _add(sub, "CPPendDate", _known(c.get("end_date"), last))
        _add(sub, "InitialCategoryOfAbuse", c.get("initial_category"))
        _add(sub, "LatestCategoryOfAbuse", c.get("latest_category"))
        _add(sub, "NumberOfPreviousCPP", c.get("previous_plans"))
        dates = sorted(r["review_date"] for r in reviews.get(c["cp_plan_id"], []) if first <= r["review_date"] <= last)
        if dates:
            block = etree.SubElement(sub, "Reviews")
            for day in dates:
                _add(block, "CPPreviewDate", day)
    return ep
