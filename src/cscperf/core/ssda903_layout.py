"""The SSDA903 CSV tables as DfE lays them out, and where each column lives in the canonical model.

One description shared by the reader (ingest) and the writer (returns), so the two directions cannot
disagree. It is pure data, hence in ``core`` which both may import.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Col:
    dfe: str  # DfE column name
    canonical: str | None  # canonical column (None: carried by another table, e.g. DOB on Reviews)
    kind: str = "text"  # text | code | date | flag | integer | decimal
    codes: str | None = None  # code list for kind == "code"
    required: bool = True  # must be present in the file's header row
    event: bool = False  # a date that cannot fall after the collection year's 31 March


@dataclass(frozen=True)
class Layout:
    name: str  # DfE table name (Header, Episodes, ...)
    table: str  # canonical table
    columns: tuple[Col, ...]

    @property
    def dfe_columns(self) -> list[str]:
        return [c.dfe for c in self.columns]

    @property
    def required(self) -> set[str]:
        return {c.dfe for c in self.columns if c.required}


def _l(name: str, table: str, *cols: Col) -> Layout:
    return Layout(name, table, cols)


LAYOUTS: tuple[Layout, ...] = (
    _l("Header", "child", Col("CHILD", "child_id"), Col("SEX", "sex", "code", "sex"), Col("DOB", "date_of_birth", "date"),
       Col("ETHNIC", "ethnicity", "code", "ethnicity"), Col("UPN", "upn"), Col("MOTHER", "mother", "flag"),
       Col("MC_DOB", "mother_child_dob", "date")),
    _l("Episodes", "cla_episode", Col("CHILD", "child_id"), Col("DECOM", "decom", "date", event=True),
       Col("RNE", "rne", "code", "rne"), Col("LS", "legal_status", "code", "legal_status"),
       Col("CIN", "cin", "code", "primary_need"), Col("PLACE", "place", "code", "placement_type"),
       Col("PLACE_PROVIDER", "place_provider", "code", "place_provider"), Col("DEC", "dec", "date", event=True),
       Col("REC", "rec", "code", "rec"), Col("REASON_PLACE_CHANGE", "reason_place_change", "code", "reason_place_change"),
       Col("HOME_POST", "home_post"), Col("PL_POST", "pl_post"), Col("URN", "urn"),
       Col("PL_DISTANCE", "pl_distance", "decimal", required=False), Col("PL_LA", "pl_la", required=False),
       Col("PL_LOCATION", "pl_location", required=False)),
    _l("Reviews", "cla_review", Col("CHILD", "child_id"), Col("DOB", None, "date"), Col("REVIEW", "review_date", "date", event=True),
       Col("REVIEW_CODE", "review_code", "code", "review_code")),
    _l("UASC", "child", Col("CHILD", "child_id"), Col("SEX", None, "code", "sex"), Col("DOB", None, "date"),
       Col("DUC", "uasc_ceased_date", "date")),
    _l("OC2", "cla_outcome", Col("CHILD", "child_id"), Col("DOB", None, "date"), Col("SDQ_SCORE", "sdq_score", "integer"),
       Col("SDQ_REASON", "sdq_reason", "code", "sdq_reason"), Col("CONVICTED", "convicted", "flag"),
       Col("HEALTH_CHECK", "health_check", "flag"), Col("IMMUNISATIONS", "immunisations", "flag"),
       Col("TEETH_CHECK", "teeth_check", "flag"), Col("HEALTH_ASSESSMENT", "health_assessment", "flag"),
       Col("SUBSTANCE_MISUSE", "substance_misuse", "flag"), Col("INTERVENTION_RECEIVED", "intervention_received", "flag"),
       Col("INTERVENTION_OFFERED", "intervention_offered", "flag")),
    _l("OC3", "care_leaver", Col("CHILD", "child_id"), Col("DOB", None, "date"), Col("IN_TOUCH", "in_touch", "code", "in_touch"),
       Col("ACTIV", "activity", "code", "activity"), Col("ACCOM", "accommodation", "code", "accommodation")),
    _l("AD1", "adoption", Col("CHILD", "child_id"), Col("DOB", None, "date"), Col("DATE_INT", "adm_decision_date", "date"),
       Col("DATE_MATCH", "match_date", "date"), Col("FOSTER_CARE", "foster_care", "flag"),
       Col("NB_ADOPTR", "number_of_adopters", "code", "nb_adopter"), Col("SEX_ADOPTR", "sex_of_adopters", "code", "sex_adopter"),
       Col("LS_ADOPTR", "legal_status_of_adopters", "code", "ls_adopter")),
    _l("PlacedAdoption", "placed_for_adoption", Col("CHILD", "child_id"), Col("DOB", None, "date"),
       Col("DATE_PLACED", "date_placed", "date"), Col("DATE_PLACED_CEASED", "date_placed_ceased", "date"),
       Col("REASON_PLACED_CEASED", "reason_placed_ceased", "code", "placed_ceased_reason")),
    _l("PrevPerm", "previous_permanence", Col("CHILD", "child_id"), Col("DOB", None, "date"),
       Col("PREV_PERM", "prev_perm", "code", "prev_perm"), Col("LA_PERM", "la_perm"), Col("DATE_PERM", "date_perm")),
    _l("Missing", "missing_episode", Col("CHILD", "child_id"), Col("DOB", None, "date"),
       Col("MISSING", "missing_type", "code", "missing_type"), Col("MIS_START", "start_date", "date", event=True),
       Col("MIS_END", "end_date", "date", event=True)),
    _l("SWEpisodes", "social_worker_episode", Col("CHILD", "child_id"), Col("SW_ID", "sw_id"),
       Col("SW_DECOM", "sw_decom", "date", event=True), Col("SW_DEC", "sw_dec", "date", event=True),
       Col("SW_REASON", "sw_reason", "code", "sw_reason")),
    _l("DoLo", "deprivation_of_liberty", Col("CHILD", "child_id"), Col("DOLO_START", "dolo_start", "date", event=True),
       Col("DOLO_END", "dolo_end", "date", event=True)),
)

BY_NAME = {layout.name: layout for layout in LAYOUTS}

# DfE "is not a valid date" rules, by (table, column): the reader names them when it refuses a date.
DATE_RULES = {
    ("Header", "DOB"): "102", ("UASC", "DUC"): "104", ("AD1", "DATE_INT"): "112", ("AD1", "DATE_MATCH"): "113",
    ("PlacedAdoption", "DATE_PLACED"): "115", ("PlacedAdoption", "DATE_PLACED_CEASED"): "116",
    ("Episodes", "DECOM"): "141", ("Episodes", "DEC"): "147", ("Header", "MC_DOB"): "171",
    ("DoLo", "DOLO_START"): "700", ("DoLo", "DOLO_END"): "701", ("Missing", "MIS_START"): "1004",
    ("Missing", "MIS_END"): "1005", ("SWEpisodes", "SW_DECOM"): "SW04STG1", ("SWEpisodes", "SW_DEC"): "SW05STG1",
}


def recognise(header: list[str]) -> tuple[Layout | None, float]:
    """The table whose DfE columns best match a header row (share of its columns present), so a file
    missing one required column is still recognised - and then refused naming that column."""
    present = {h.strip().upper() for h in header}
    if "CHILD" not in present:
        return None, 0.0
    best: tuple[Layout | None, float, int] = (None, 0.0, 0)
    for layout in LAYOUTS:
        cols = {c.upper() for c in layout.dfe_columns}
        hit = len(cols & present)
        # The share of the layout's columns present; more columns matched breaks ties (Header vs UASC).
        score = hit / len(layout.required)
        if (score, hit) > (best[1], best[2]):
            best = (layout, score, hit)
    layout, score, hit = best
    distinctive = {c.upper() for c in layout.dfe_columns} - {"CHILD", "DOB", "SEX"} if layout else set()
    if layout is None or not (distinctive & present) or score < 0.5:
        return None, 0.0
    return layout, score
