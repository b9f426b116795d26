"""Recognise and read DfE's published files (EES CSVs, the LAIT long parquet, statistical neighbour
groupings) by their columns, not their names: users download them under whatever name the browser
gives, and DfE renames files between releases.

This module only turns files into rows; benchmarks.py decides what to keep and writes the store.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cscperf.core.errors import InputError, Location

# England and its regions: EES names them by ONS code; LAIT by name and a 97x/98x number.
ENGLAND = ("E92000001", "England")
REGIONS = {
    "North East": "E12000001",
    "North West": "E12000002",
    "Yorkshire and The Humber": "E12000003",
    "East Midlands": "E12000004",
    "West Midlands": "E12000005",
    "East of England": "E12000006",
    "London": "E12000007",
    "South East": "E12000008",
    "South West": "E12000009",
}
LAIT_AREAS = {970: ("National", *ENGLAND)} | {
    number: ("Regional", REGIONS[name], name)
    for number, name in {
        980: "North East", 981: "North West", 982: "Yorkshire and The Humber", 983: "East Midlands",
        984: "West Midlands", 985: "East of England", 986: "London", 989: "South East", 990: "South West",
    }.items()
}
# 987/988 (Inner/Outer London) are sub-regions with no place in the comparator: skipped.
LAIT_SKIPPED_AREAS = {987, 988}

NUMBER = re.compile(r"^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$")


def region_code(name: str | None) -> str | None:
    """ONS code of a region named by any DfE file ("London (Inner)" is London)."""
    if not name:
        return None
    clean = name.strip()
    if clean.startswith("London"):
        clean = "London"
    for known, code in REGIONS.items():
        if known.lower() == clean.lower():
            return code
    return None


def parse_value(text: str | None) -> tuple[float | None, str | None]:
    """A published cell as (value, marker): numbers become values; anything else (c, x, z, :, -,
    low, ...) is kept as a marker and never becomes zero. An empty cell is marker ':' (not available)."""
    if text is None or not str(text).strip():
        return None, ":"
    raw = str(text).strip()
    if NUMBER.match(raw):
        return float(raw), None
    return None, raw


@dataclass(frozen=True)
class FileKind:
    """A kind of DfE file and the columns that identify it."""

    key: str
    title: str
    family: str  # ees | lait | sn2021 | sn2025
    columns: frozenset[str]


EES_AREA = {"time_period", "geographic_level", "la_name"}
KINDS: tuple[FileKind, ...] = (
    FileKind("lait", "LAIT long format (Local Authority Interactive Tool)", "lait",
             frozenset({"Short Desc", "Years", "LA and Regions", "Values", "LA Number"})),
    FileKind("sn2021", "Statistical neighbour groupings, April 2021", "sn2021",
             frozenset({"LA num", "LA Name", "GOReg", "SN1", "SN10"})),
    FileKind("sn2025", "Statistical neighbour model, May 2025", "sn2025",
             frozenset({"old_la_code", "la_name", "region_name", "SN_1", "SN_1P", "SN_10"})),
    FileKind("c1", "Children in need: referrals and re-referrals (EES c1)", "ees",
             EES_AREA | {"referral_count", "rereferral_percent"}),
    FileKind("b1", "Children in need (EES b1)", "ees", EES_AREA | {"Anypoint_episodes", "At31_episodes"}),
    FileKind("d3", "Child protection plans: second or subsequent (EES d3)", "ees",
             EES_AREA | {"CPP_start", "CPP_subsequent_percent"}),
    FileKind("d5", "Child protection plans at 31 March by duration (EES d5)", "ees",
             EES_AREA | {"CPP_At31", "2_years_or_more_percent"}),
    FileKind("cla_rate", "Children looked after: number and rate per 10,000 (EES)", "ees",
             EES_AREA | {"population_type", "rate_per_10000"}),
    FileKind("cla_stability", "Children looked after: placement stability (EES)", "ees",
             EES_AREA | {"cla_group", "placement_stability", "children_percent"}),
    FileKind("cla_swcount", "Children looked after: social worker changes (EES)", "ees",
             EES_AREA | {"cla_group", "sw_stability", "percentage"}),
    FileKind("care_leavers", "Care leavers: activity or accommodation (EES)", "ees",
             EES_AREA | {"care_leaver_age", "breakdown", "care_leaver_percent"}),
    FileKind("csww", "Children's social work workforce indicators (EES)", "ees",
             EES_AREA | {"vacancy_rate_fte", "agency_rate_fte", "turnover_rate_fte"}),
    FileKind("c3", "Factors identified at the end of assessment (EES c3)", "ees",
             EES_AREA | {"Episodes_with_assessment_factor"}),
    FileKind("population", "ONS mid-year population estimates (EES)", "ees",
             EES_AREA | {"age_group", "population_estimate"}),
)


def open_text(path: Path) -> io.StringIO:
    """A CSV's text: UTF-8 (with or without BOM) as DfE publishes, else Windows-1252 as Excel saves it."""
    data = path.read_bytes()
    try:
        return io.StringIO(data.decode("utf-8-sig"), newline="")
    except UnicodeDecodeError:
        return io.StringIO(data.decode("cp1252", errors="replace"), newline="")


def file_columns(path: Path) -> list[str]:
    """The header of a CSV or the schema of a parquet file."""
    if path.suffix.lower() == ".parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        try:
            return list(pq.read_schema(path).names)
        except (pa.ArrowInvalid, OSError) as exc:
            raise InputError(Location(str(path)), f"not a readable parquet file ({exc})") from None
    try:
        return [c.strip() for c in next(csv.reader(open_text(path)), [])]
    except csv.Error as exc:
        raise InputError(Location(str(path)), f"not a readable CSV file ({exc})") from None


def recognise(path: Path) -> FileKind:
    """Which DfE file this is, from its columns; an InputError if none matches."""
    if not path.is_file():
        raise InputError(Location(str(path)), "no such file")
    columns = set(file_columns(path))
    for kind in KINDS:
        if kind.columns <= columns:
            return kind
    shown = ", ".join(sorted(columns)[:8])
    raise InputError(Location(str(path)), f"not a DfE file cscperf recognises (columns: {shown}…)")


def ees_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(data row number, row) for every row of an EES CSV."""
    reader = csv.DictReader(open_text(path))
    reader.fieldnames = [c.strip() for c in reader.fieldnames or []]
    for number, row in enumerate(reader, start=1):
        yield number, row


def ees_area(row: dict[str, str]) -> tuple[str, str, str] | None:
    """(area_level, area_code, area_name) of an EES row, or None for levels cscperf does not keep."""
    level = (row.get("geographic_level") or "").strip()
    if level == "National":
        return "National", *ENGLAND
    if level == "Regional":
        return "Regional", (row.get("region_code") or "").strip(), (row.get("region_name") or "").strip()
    if level == "Local authority":
        return "Local authority", (row.get("old_la_code") or "").strip(), (row.get("la_name") or "").strip()
    return None


@dataclass(frozen=True)
class Neighbours:
    la_code: str
    la_name: str
    region_name: str | None
    neighbours: tuple[tuple[str, str | None], ...]  # (code, closeness) closest first


def neighbour_rows(path: Path, kind: FileKind) -> Iterator[Neighbours]:
    """The neighbour lists of a grouping file (2021: SN1,SNP,…; 2025: SN_1,SN_1P,…)."""
    reader = csv.reader(open_text(path))
    header = [c.strip() for c in next(reader)]
    for number, cells in enumerate(reader, start=1):
        if not any(c.strip() for c in cells):
            continue
        cells = [c.strip() for c in cells] + [""] * (len(header) - len(cells))
        if kind.key == "sn2021":
            code, name, region = cells[header.index("LA num")], cells[header.index("LA Name")], cells[header.index("GOReg")]
            slots = [header.index(f"SN{i}") for i in range(1, 11)]
        else:
            code, name, region = cells[header.index("old_la_code")], cells[header.index("la_name")], cells[header.index("region_name")]
            slots = [header.index(f"SN_{i}") for i in range(1, 11)]
        if not code:
            continue  # a section label (the 2021 file lists "Old SNs:" of defunct councils below one)
        if not code.isdigit():
            raise InputError(Location(str(path), number, header[0]), "LA code is not a number", code)
        pairs = tuple((cells[i], cells[i + 1] or None) for i in slots if cells[i])
        yield Neighbours(code, name, region or None, pairs)
