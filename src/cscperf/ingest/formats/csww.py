"""Children's social work workforce census (CSWW) XML, streamed.

``LALevelVacancies`` becomes a council-level ``vacancy_snapshot`` at the census date; each
``CSWWWorker`` a ``staff_spell`` (and the ``worker`` it belongs to); ``WorkingDaysLost`` a year-total
``absence_spell`` over the census year. docs/formats/workforce.md has the mapping.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from cscperf.core.errors import InputError, Location
from cscperf.core.layouts.csww import (
    COUNCIL_LEVEL_ROLE,
    LEAVE_FROM_CSWW,
    ROLE_FROM_CSWW,
    SWENO_PATTERN,
    period_start,
)
from cscperf.ingest.base import Detection, Issue, Record
from cscperf.ingest.xmlsafe import child_line, child_text, iter_elements, line_of
from cscperf.ingest.values import parse_date

TAGS = {"CollectionDetails", "Source", "LALevelVacancies", "CSWWWorker"}


class CswwReader:
    """Reader for the CSWW census XML (format ``csww``)."""

    format = "csww"

    def detect(self, path: Path) -> Detection | None:
        try:
            with path.open("rb") as fh:
                head = fh.read(4096).decode("utf-8", errors="replace")
        except OSError:
            return None
        if not head.lstrip("\ufeff \t\r\n").startswith("<"):  # by content, whatever the file is called
            return None
        if "<CSWWWorker" not in head and "<LALevelVacancies" not in head and "<Collection>CSWW<" not in head:
            return None
        year = re.search(r"<Year>\s*(\d{4})\s*</Year>", head)
        return Detection(self.format, collection_year=year.group(1) if year else None)

    def as_at(self, path: Path) -> date | None:
        """The census reference date (30 September) from the header."""
        try:
            with path.open("rb") as fh:
                head = fh.read(4096).decode("utf-8", errors="replace")
        except OSError:
            return None
        found = re.search(r"<ReferenceDate>\s*(\d{4}-\d{2}-\d{2})\s*</ReferenceDate>", head)
        return date.fromisoformat(found.group(1)) if found else None

    @staticmethod
    def period(detection: Detection) -> tuple[date | None, date | None]:
        """A CSWW year is the twelve months to 30 September of that year (flows), not April-March."""
        if detection.collection_year and detection.collection_year[:4].isdigit():
            year = int(detection.collection_year[:4])
            return date(year - 1, 10, 1), date(year, 9, 30)
        return None, None

    def read(self, path: Path, detection: Detection) -> Iterator[Record | Issue]:
        name = path.name
        ref: date | None = None
        year: str | None = None
        workers: dict[str, tuple[dict[str, Any], int, date | None]] = {}
        spell_ids: dict[str, int] = {}
        any_worker = False
        for elem in iter_elements(path, TAGS, name):
            tag = elem.tag.rsplit("}", 1)[-1]
            line = line_of(elem)
            if tag == "CollectionDetails":
                collection = child_text(elem, "Collection")
                if collection and collection.upper() != "CSWW":  # e.g. a CIN census read with --format csww
                    raise InputError(Location(name, child_line(elem, "Collection"), "Collection"),
                                     "not a CSWW census: the header names another collection", collection)
                year = child_text(elem, "Year")
                ref = _date(elem, "ReferenceDate", name, line)
                if ref is None and year and year.isdigit():
                    ref = date(int(year), 9, 30)
            elif tag == "LALevelVacancies":
                if ref is None:
                    raise InputError(Location(name, line, "ReferenceDate"),
                                     "the census date is missing (Header/CollectionDetails/ReferenceDate)")
                yield Record("vacancy_snapshot", {
                    "snapshot_date": ref, "team_id": None, "role": COUNCIL_LEVEL_ROLE,
                    "vacancies_fte": _num(elem, "NumberOfVacancies", name, line),
                    "agency_fte": _num(elem, "NoAgencyFTE", name, line),
                    "agency_headcount": _num(elem, "NoAgencyHeadcount", name, line, integer=True),
                }, name, line)
            elif tag == "CSWWWorker":
                any_worker = True
                if ref is None:
                    raise InputError(Location(name, line, "ReferenceDate"), "the census date is missing")
                yield from _worker(elem, name, line, ref, workers, spell_ids)
        if not any_worker and ref is None:
            raise InputError(Location(name), "no CSWW census content (Header, LALevelVacancies, CSWWWorker) found")
        for values, line, _ in workers.values():
            yield Record("worker", values, name, line)


def _worker(elem, name: str, line: int, ref: date, workers: dict, spell_ids: dict) -> Iterator[Record | Issue]:
    sweno = child_text(elem, "SWENo")
    if sweno is None:
        yield Issue("rejected", name, line, "SWENo", None, "a worker record without SWENo cannot be loaded")
        return
    if not re.fullmatch(SWENO_PATTERN, sweno):
        yield Issue("warning", name, line, "SWENo", sweno, "not a Social Work England number (kept as read)")
    agency = child_text(elem, "AgencyWorker") == "1"
    fte = _num(elem, "FTE", name, line)
    fte30 = _num(elem, "FTE30", name, line)
    role_code = child_text(elem, "OrgRole")
    role = ROLE_FROM_CSWW.get(role_code) if role_code else None
    if role_code and role is None:
        yield Issue("warning", name, line, "OrgRole", role_code, "code not in the CSWW OrgRole list (role left blank)")
    reason = child_text(elem, "ReasonLeave")
    start = _date(elem, "RoleStartDate", name, line)
    end = _date(elem, "RoleEndDate", name, line)
    cases = _num(elem, "Cases30", name, line, integer=True)
    held = workers.get(sweno)  # the worker as of their latest spell
    if held is None or (start is not None and (held[2] is None or start >= held[2])):
        workers[sweno] = ({"worker_id": sweno, "role": role, "qualified": True, "agency": agency,
                           "fte": fte30 if fte30 is not None else fte}, line, start)
    if start is None:
        if not agency:
            yield Issue("warning", name, line, "RoleStartDate", None, "no role start date: worker loaded, no staff spell")
    elif (fte if fte is not None else fte30) is None:
        yield Issue("rejected", name, line, "FTE", None, "a staff spell needs an FTE (FTE or FTE30)")
    else:
        base = f"{sweno}/{start.isoformat()}"
        spell_ids[base] = spell_ids.get(base, 0) + 1
        yield Record("staff_spell", {
            "spell_id": base if spell_ids[base] == 1 else f"{base}/{spell_ids[base]}", "worker_id": sweno,
            "role": role, "start_date": start, "end_date": end,
            "leave_reason": LEAVE_FROM_CSWW.get(reason, reason) if reason else None,
            "leaver_destination": child_text(elem, "LeaverDestination"),
            "start_origin": child_text(elem, "StartOrigin"), "fte": fte if fte is not None else fte30,
            "agency": agency, "qualified": True, "cases": cases,
        }, name, line)
    lost = _num(elem, "WorkingDaysLost", name, line)
    if lost:
        yield Record("absence_spell", {
            "absence_id": f"{sweno}/csww/{ref.year}", "worker_id": sweno, "start_date": period_start(ref),
            "end_date": ref, "working_days_lost": lost, "reason": None}, name, line)


def _date(elem, tag: str, name: str, line: int) -> date | None:
    text = child_text(elem, tag)
    try:
        return parse_date(text)
    except ValueError as exc:
        raise InputError(Location(name, child_line(elem, tag), tag), str(exc), text) from None


def _num(elem, tag: str, name: str, line: int, *, integer: bool = False) -> float | int | None:
    text = child_text(elem, tag)
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        raise InputError(Location(name, child_line(elem, tag), tag), "not a number", text) from None
    if integer:
        if not value.is_integer():
            raise InputError(Location(name, child_line(elem, tag), tag), "not a whole number", text)
        return int(value)
    return value
