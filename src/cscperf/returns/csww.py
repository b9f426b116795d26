"""Children's social work workforce census (CSWW) XML from the canonical workforce tables.

One ``CSWWWorker`` per staff spell of a qualified social worker in a CSWW role: employed spells open
at any time in the 12 months to the census date, agency spells open on the census date (the census
counts agency workers in post). The file is valid against CSWW_census_schema_2022.xsd.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path

from lxml import etree

from cscperf.core.errors import CscperfError
from cscperf.core.layouts.csww import (
    COUNCIL_LEVEL_ROLE,
    LEAVE_TO_CSWW,
    QUAL_INST_UNKNOWN,
    ROLE_TO_CSWW,
    SWENO_PATTERN,
    period_start,
    reference_date,
)
from cscperf.returns._tables import Tables, overlaps, rows


def write(tables: Tables, out_dir: Path, *, la_code: str, as_at: date) -> list[Path]:
    """Write ``CSWW_<la>_<year>.xml`` for the census on or before ``as_at``; returns the files written."""
    if not re.fullmatch(r"\d{3}", str(la_code)):
        raise CscperfError(f"CSWW needs a 3-digit LA code, not {la_code!r}")
    ref = reference_date(as_at)
    first = period_start(ref)
    message = etree.Element("Message")
    header = etree.SubElement(message, "Header")
    details = etree.SubElement(header, "CollectionDetails")
    _add(details, "Collection", "CSWW")
    _add(details, "Year", str(ref.year))
    _add(details, "ReferenceDate", ref.isoformat())
    source = etree.SubElement(header, "Source")
    _add(source, "SourceLevel", "L")
    _add(source, "LEA", str(la_code))
    _add(source, "SoftwareCode", "cscperf")
    _add(source, "DateTime", datetime.combine(as_at, datetime.min.time()).isoformat())
    _vacancies(message, rows(tables, "vacancy_snapshot"), ref)
    absences = defaultdict(list)
    for a in rows(tables, "absence_spell"):
        absences[a["worker_id"]].append(a)
    spells = [s for s in rows(tables, "staff_spell") if _in_census(s, first, ref)]
    if not spells:
        raise CscperfError(f"no social worker in post between {first} and {ref}: a CSWW census needs at least one")
    spells.sort(key=lambda s: (s["worker_id"], s["start_date"], s["spell_id"]))
    latest = {s["worker_id"]: s["spell_id"] for s in spells}  # absence is reported once, on the latest spell
    for spell in spells:
        _worker(message, spell, absences[spell["worker_id"]] if latest[spell["worker_id"]] == spell["spell_id"] else [],
                first, ref)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"CSWW_{la_code}_{ref.year}.xml"
    path.write_bytes(etree.tostring(message, xml_declaration=True, encoding="UTF-8", pretty_print=True))
    return [path]


def _add(parent: etree._Element, tag: str, text: str) -> None:
    etree.SubElement(parent, tag).text = text


def _in_census(spell: dict, first: date, ref: date) -> bool:
    if spell["role"] not in ROLE_TO_CSWW or spell["qualified"] is False:
        return False
    if spell["agency"]:
        return overlaps(spell["start_date"], spell["end_date"], ref, ref)
    return overlaps(spell["start_date"], spell["end_date"], first, ref)


def _vacancies(message: etree._Element, snapshots: list[dict], ref: date) -> None:
    at_ref = [s for s in snapshots if s["snapshot_date"] == ref]
    council = [s for s in at_ref if s["team_id"] is None and s["role"] in (COUNCIL_LEVEL_ROLE, None)]
    use = council[:1] or at_ref  # a council-level row, else the sum of the team rows
    el = etree.SubElement(message, "LALevelVacancies")
    _add(el, "NumberOfVacancies", f"{sum(s['vacancies_fte'] or 0 for s in use):.2f}")
    _add(el, "NoAgencyFTE", f"{sum(s['agency_fte'] or 0 for s in use):.2f}")
    _add(el, "NoAgencyHeadcount", str(sum(s["agency_headcount"] or 0 for s in use)))


def _worker(message: etree._Element, s: dict, absences: list[dict], first: date, ref: date) -> None:
    if not re.fullmatch(SWENO_PATTERN, s["worker_id"] or ""):
        raise CscperfError(f"worker {s['worker_id']!r}: CSWW needs a Social Work England number (2 letters, 10 digits)")
    w = etree.SubElement(message, "CSWWWorker")
    _add(w, "AgencyWorker", "1" if s["agency"] else "0")
    _add(w, "SWENo", s["worker_id"])
    _add(w, "FTE", f"{s['fte']:.6f}")
    _add(w, "QualInst", QUAL_INST_UNKNOWN)
    _add(w, "OrgRole", ROLE_TO_CSWW[s["role"]])
    _add(w, "RoleStartDate", s["start_date"].isoformat())
    if s["start_origin"]:
        _add(w, "StartOrigin", s["start_origin"])
    ended = s["end_date"] is not None and s["end_date"] <= ref
    if ended:
        _add(w, "RoleEndDate", s["end_date"].isoformat())
        if s["leaver_destination"]:
            _add(w, "LeaverDestination", s["leaver_destination"])
        if s["leave_reason"]:
            _add(w, "ReasonLeave", LEAVE_TO_CSWW.get(s["leave_reason"], "8"))
    else:
        _add(w, "FTE30", f"{s['fte']:.6f}")
        if s["cases"] is not None:
            _add(w, "Cases30", str(s["cases"]))
    days = sum(a["working_days_lost"] or 0 for a in absences if overlaps(a["start_date"], a["end_date"], first, ref)
               and a["start_date"] <= ref)
    if days:
        _add(w, "WorkingDaysLost", f"{days:.2f}")
