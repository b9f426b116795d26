"""Ofsted's register of children's social care providers (format ``ofsted-providers``).

Two layouts carry it, and both are read here, recognised from the header row:

- the provider list DfE supplies with the SSDA903 collection (Ofsted's children's homes and social
  care providers lists, combined or separate): URN, provider type, local authority, placement code
  and placement provider code (``K2/K1``, ``PR1/PR2``), closed or deregistration date, setting
  postcode;
- Ofsted's published provider-level data and management information (URN, provider type and
  subtype, sector, registration status and date, local authority, places): it has no placement codes
  and no postcode for children's homes, so the SSDA903 codes are derived from the provider type and
  sector (``derived_codes``) and postcode checks simply find nothing to compare.

Header spellings vary between releases ("Setting Address Postcode", "Setting postcode", "Closed
Date", "Deregistration date"), so columns are matched on a normalised name against a list of
spellings. CSV (UTF-8 or UTF-16) and .xlsx (every sheet whose header matches: the social care
providers list puts current and closed providers on two sheets).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from cscperf.core.errors import InputError, Location
from cscperf.ingest.base import Detection, Issue, Record
from cscperf.ingest.csvfile import header_line, read_rows
from cscperf.ingest.values import parse_date

FORMAT = "ofsted-providers"
TABLE = "ofsted_provider"
HEADER_SCAN = 10

# canonical column -> header spellings (normalised: lower case, words only)
ALIASES: dict[str, tuple[str, ...]] = {
    "urn": ("urn", "provider urn", "unique reference number", "social care urn", "ofsted urn", "setting urn"),
    "provider_type": ("provider type", "provision type", "setting type", "type of provider", "registration type"),
    "provider_subtype": ("provider subtype", "provider sub type", "subtype"),
    "sector": ("sector", "provider sector", "ownership"),
    "provider_status": ("provider status", "registration status", "status", "setting status"),
    "registration_date": ("registration date", "date registered", "registered date", "date of registration",
                          "reg start"),
    "closure_date": ("deregistration date", "closed date", "closure date", "date closed", "date of closure",
                     "registration end date", "reg end", "date deregistered"),
    "provider_postcode": ("setting address postcode", "setting postcode", "postcode", "provider postcode",
                          "premises postcode", "address postcode"),
    "la_name": ("local authority", "provider local authority", "setting local authority", "local authority name",
                "la name", "la"),
    "la_code": ("la code", "local authority code", "la number", "old la code"),
    "new_la_code": ("la ons code", "local authority ons code", "ons la code", "new la code", "ons code"),
    "places": ("places", "number of places", "maximum number of places", "max places", "registered places",
               "total places", "maximum places"),
}
# Columns holding SSDA903 codes. Ofsted's lists disagree on the names (the children's homes list calls
# the K codes "Provider Code" and the PR codes "Provider Placement Code"), so every token is sorted by
# its shape instead: PR0-PR5 are placement provider codes, anything else a placement type.
CODE_COLUMNS = ("placement code", "placement codes", "provider placement code", "placement provider code",
                "placement provider codes", "provider code", "provider codes", "903 placement code")
_PROVIDER_CODE = re.compile(r"^PR[0-5]$")
_TOKEN = re.compile(r"[A-Z]{1,2}[0-9]{1,2}")

# Ofsted provider type -> the SSDA903 PLACE codes a child placed there is recorded with (first match wins)
TYPE_PLACES: tuple[tuple[str, str], ...] = (
    ("secure", "K1"),
    ("children s home", "K2"),
    ("childrens home", "K2"),
    ("supported accommodation", "K3,H5"),
    ("family centre", "R3"),
    ("residential special school", "S1"),
    ("boarding school", "S1"),
    ("residential accommodation", "S1"),
    ("further education college", "S1"),
    ("fostering", "U1,U2,U3,U4,U5,U6"),
    ("adoption", "A3,A4,A5,A6"),
)
# Ofsted sector -> SSDA903 PLACE_PROVIDER codes (a council's provision is PR1 to itself, PR2 to others)
SECTOR_PROVIDERS: tuple[tuple[str, str], ...] = (
    ("local authority", "PR1,PR2"),
    ("private", "PR4"),
    ("voluntary", "PR5"),
    ("health", "PR3"),
)


def normalise(name: Any) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", str(name or "").casefold()).split())


def header_map(header: list[Any]) -> dict[str, int] | None:
    """Canonical column (or ``codes:<i>``) -> index, when the header is a provider register's: a URN
    column and at least two other register columns."""
    names = [normalise(h) for h in header]
    found: dict[str, int] = {}
    for column, spellings in ALIASES.items():
        for i, name in enumerate(names):
            if name in spellings and i not in found.values():
                found[column] = i
                break
    for i, name in enumerate(names):
        if name in CODE_COLUMNS:
            found[f"codes:{i}"] = i
    if "urn" not in found or len(found) < 3:
        return None
    if not ({"provider_type", "closure_date", "provider_postcode", "registration_date"} & set(found)
            or any(k.startswith("codes:") for k in found)):
        return None
    return found


@lru_cache(maxsize=1)
def la_lookup() -> dict[str, tuple[str, str]]:
    """LA name (word set, order-free: "Bristol, City of" = "City of Bristol") -> (DfE code, ONS code)."""
    text = resources.files("cscperf.ingest.formats").joinpath("la_codes.csv").read_text(encoding="utf-8")
    return {_la_key(r["la_name"]): (r["la_code"], r["new_la_code"]) for r in csv.DictReader(text.splitlines())}


def _la_key(name: str) -> str:
    words = normalise(name.replace("&", " and ")).split()
    return " ".join(sorted(w for w in words if w not in {"and", "the", "council", "borough", "county", "city", "of"}))


def postcode(value: str | None) -> str | None:
    """Upper case with one space before the three-character inward code (``rm176ab`` -> ``RM17 6AB``)."""
    if not value:
        return None
    packed = re.sub(r"\s+", "", value).upper()
    return f"{packed[:-3]} {packed[-3:]}" if len(packed) >= 5 else packed


def derived_codes(provider_type: str | None, sector: str | None) -> tuple[str | None, str | None]:
    """(placement codes, provider codes) for a register row that does not list them."""
    kind, owner = normalise(provider_type), normalise(sector)
    places = next((codes for key, codes in TYPE_PLACES if key in kind), None) if kind else None
    providers = next((codes for key, codes in SECTOR_PROVIDERS if key in owner), None) if owner else None
    return places, providers


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _codes(cells: list[str | None]) -> tuple[str | None, str | None]:
    places: list[str] = []
    providers: list[str] = []
    for cell in cells:
        for token in _TOKEN.findall((cell or "").upper()):
            target = providers if _PROVIDER_CODE.match(token) else places
            if token not in target:
                target.append(token)
    return (",".join(places) or None), (",".join(providers) or None)


class OfstedProvidersReader:
    """Reader for Ofsted's provider register (CSV or .xlsx)."""

    format = FORMAT

    def detect(self, path: Path) -> Detection | None:
        suffix = path.suffix.lower()
        if suffix in {".csv", ".txt"}:
            header = header_line(path)
            return Detection(FORMAT) if header and header_map(header) else None
        if suffix == ".xlsx":
            try:
                sheets = _sheet_heads(path)
            except Exception:  # not a workbook this reader can open: another reader may explain
                return None
            return Detection(FORMAT) if any(_find_header(rows) for _, rows in sheets) else None
        return None

    def read(self, path: Path, detection: Detection) -> Iterator[Record | Issue]:
        if path.suffix.lower() == ".xlsx":
            try:
                sheets = _sheets(path)
            except Exception as exc:
                raise InputError(Location(path.name), f"the workbook cannot be read ({type(exc).__name__})") from None
            found = False
            for name, rows in sheets:
                located = _find_header(rows)
                if located is None:
                    continue
                found = True
                start, columns = located
                numbered = [(n, row) for n, row in enumerate(rows[start + 1:], start=1) if any(_text(c) for c in row)]
                yield from self._rows(f"{path.name}[{name}]", columns, numbered)
            if not found:
                raise InputError(Location(path.name, 1), "not an Ofsted provider register: no sheet has a URN header")
            return
        header, rows = read_rows(path, path.name)
        columns = header_map(header)
        if columns is None:
            raise InputError(Location(path.name, 1), "not an Ofsted provider register: the header has no URN column")
        yield from self._rows(path.name, columns, rows)

    def _rows(self, source: str, columns: dict[str, int], rows: list[tuple[int, list[Any]]]) -> Iterator[Record | Issue]:
        unknown_las: set[str] = set()
        code_cols = [i for k, i in columns.items() if k.startswith("codes:")]
        # a register repeats its councils, types, sectors, dates and codes row after row: each distinct
        # input of these pure functions is worked out once (a date that fails is not remembered)
        dates: dict[Any, Any] = {}
        memo_postcode: dict[str | None, str | None] = {}
        memo_codes: dict[tuple, tuple[str | None, str | None]] = {}
        memo_derived: dict[tuple, tuple[str | None, str | None]] = {}
        memo_la: dict[str, tuple[str | None, str | None]] = {}
        for number, row in rows:
            def cell(column: str) -> str | None:
                i = columns.get(column)
                return _text(row[i]) if i is not None and i < len(row) else None

            urn = cell("urn")
            if urn is None:
                yield Issue("rejected", source, number, "URN", None, "no URN: the row cannot be matched to placements")
                continue
            values: dict[str, Any] = {"urn": urn.upper()}
            for column in ("provider_type", "provider_subtype", "sector", "provider_status", "la_name"):
                values[column] = cell(column)
            text = cell("provider_postcode")
            if text not in memo_postcode:
                memo_postcode[text] = postcode(text)
            values["provider_postcode"] = memo_postcode[text]
            bad = False
            for column in ("registration_date", "closure_date"):
                i = columns.get(column)
                raw = row[i] if i is not None and i < len(row) else None
                key = (type(raw), raw)
                if key in dates:
                    values[column] = dates[key]
                    continue
                try:
                    values[column] = dates[key] = parse_date(raw.strip() if isinstance(raw, str) else raw)
                except ValueError as exc:
                    yield Issue("rejected", source, number, column, _text(raw), str(exc))
                    bad = True
            places = cell("places")
            try:
                values["places"] = None if places is None else int(float(places.replace(",", "")))
            except ValueError:
                yield Issue("rejected", source, number, "places", places, "not a number")
                bad = True
            if bad:
                continue
            cells = tuple(_text(row[i]) if i < len(row) else None for i in code_cols)
            if cells not in memo_codes:
                memo_codes[cells] = _codes(list(cells))
            place_codes, provider_codes = memo_codes[cells]
            kind = (values["provider_type"], values["sector"])
            if kind not in memo_derived:
                memo_derived[kind] = derived_codes(*kind)
            derived_places, derived_providers = memo_derived[kind]
            values["placement_codes"] = place_codes or derived_places
            values["provider_codes"] = provider_codes or derived_providers
            values["la_code"], values["new_la_code"] = cell("la_code"), cell("new_la_code")
            if values["la_name"] and not (values["la_code"] and values["new_la_code"]):
                name = values["la_name"]
                if name not in memo_la:
                    memo_la[name] = la_lookup().get(_la_key(name), (None, None))
                code, ons = memo_la[name]
                values["la_code"] = values["la_code"] or code
                values["new_la_code"] = values["new_la_code"] or ons
                if code is None and values["la_name"] not in unknown_las:
                    unknown_las.add(values["la_name"])
                    yield Issue("warning", source, number, "local authority", values["la_name"],
                                "not an English council name cscperf knows: no LA code (rule 241 cannot match it)")
            yield Record(TABLE, values, source, number)


def _sheets(path: Path) -> list[tuple[str, list[list[Any]]]]:
    """Every sheet's rows (calamine: fast for reading whole sheets)."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    return [(name, book.get_sheet_by_name(name).to_python(skip_empty_area=False)) for name in book.sheet_names]


def _sheet_heads(path: Path) -> list[tuple[str, list[list[Any]]]]:
    """The first rows of every sheet, streamed (openpyxl read-only): an Annex A workbook is tried here
    before its own reader, and calamine would parse each of its sheets whole just to look at the top."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return [(ws.title, [list(r) for r in ws.iter_rows(max_row=HEADER_SCAN, values_only=True)]) for ws in book.worksheets]
    finally:
        book.close()


def _find_header(rows: list[list[Any]]) -> tuple[int, dict[str, int]] | None:
    for i, row in enumerate(rows[:HEADER_SCAN]):
        columns = header_map(row)
        if columns:
            return i, columns
    return None


def register_markdown() -> str:
    """docs/formats/ofsted-providers.md: the spellings and derivations above, for analysts."""
    def table(head: tuple[str, str], rows: list[tuple[str, str]]) -> list[str]:
        return [f"| {head[0]} | {head[1]} |", "|---|---|", *[f"| {a} | {b} |" for a, b in rows]]

    lines = [
        "# Ofsted provider register (`--format ofsted-providers`)",
        "",
        "<!-- Generated by `cscperf docs --write` from src/cscperf/ingest/formats/ofsted_providers.py. "
        "Do not edit by hand. -->",
        "",
        "Ofsted's register of children's social care providers, loaded into `ofsted_provider` (see",
        "[data-model.md](../data-model.md)) so the SSDA903 rules that compare a placement's URN with the",
        "register (219, 221, 224, 227, 228 and, from 2025_26, 241) can run. Without a register loaded those",
        "rules are reported as *not run: needs the Ofsted provider register* rather than failing every",
        "placement ([rules.md](../rules.md)).",
        "",
        "```",
        "cscperf load providers.xlsx                       # detected from its header",
        "cscperf load --format ofsted-providers list.csv   # or named",
        "cscperf check episodes/ providers.csv             # straight on files, together",
        "```",
        "",
        "Two layouts carry the register, both read: the provider list DfE supplies with the 903 collection",
        "(Ofsted's children's homes and social care providers lists: URN, local authority, placement code,",
        "placement provider code, closed or deregistration date, setting postcode) and Ofsted's published",
        "provider-level data and management information (URN, provider type and subtype, sector,",
        "registration status and date, local authority, places). CSV (UTF-8 or UTF-16) or .xlsx; in a",
        "workbook every sheet whose header row (within the first 10 rows) has a URN column is read, so the",
        "current and closed providers sheets load together. A newer register supersedes the older.",
        "",
        "One row per register line: a provider listed with premises in several councils has several rows,",
        "and a placement matches the URN when it matches any of them. Rows without a URN, with an impossible",
        "date or a non-numeric number of places are rejected and reported; an unknown council name is kept",
        "and reported (its LA code stays blank).",
        "",
        "## Columns",
        "",
        "Header names are compared in lower case with punctuation removed.",
        "",
        *table(("Column", "Header spellings"), [(f"`{c}`", ", ".join(f"`{s}`" for s in spellings))
                                                 for c, spellings in ALIASES.items()]),
        f"| `placement_codes`, `provider_codes` | {', '.join(f'`{s}`' for s in CODE_COLUMNS)} |",
        "",
        "The code columns are named inconsistently between Ofsted's lists (the children's homes list calls",
        "the placement type `Provider Code`), so every code found in them is sorted by its shape: `PR0`-`PR5`",
        "are placement provider codes, anything else (`K2/K1`) placement types. Postcodes are stored in upper",
        "case with one space before the inward code. The LA code comes from the file when it has one, else",
        "from the council's name (word order ignored: *Bristol, City of* is *City of Bristol*).",
        "",
        "## Codes derived when the file has none",
        "",
        "Ofsted's published data has no SSDA903 codes. The placement types follow from the provider type",
        "(first match wins) and the placement provider codes from the sector:",
        "",
        *table(("Provider type contains", "PLACE codes"), [(f"{k}", v) for k, v in TYPE_PLACES]),
        "",
        *table(("Sector contains", "PLACE_PROVIDER codes"), [(k, v) for k, v in SECTOR_PROVIDERS]),
        "",
    ]
    return "\n".join(lines)
