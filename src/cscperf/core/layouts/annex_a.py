"""Ofsted ILACS Annex A: the eleven lists, their column headers and the coded values.

Headers are Ofsted's spellings (the writer uses them); ``aliases`` are variants councils send. Headers
are compared after ``header_key`` (case, spacing and punctuation ignored), so "Child Unique ID",
"child_unique_id" and "CHILD UNIQUE ID " are one column. Each list is recognised by its
``signature`` columns, never by its sheet name (councils rename sheets).

Column kinds: ``text``, ``date``, ``int``, ``flag`` (a) Yes / b) No [/ c) Unknown]), a vocabulary
name from ``VOCABS`` (coded values), or ``derived`` (computed from other data: written, not loaded).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Col:
    header: str
    key: str
    kind: str = "text"
    aliases: tuple[str, ...] = ()
    required: bool = False


@dataclass(frozen=True)
class ListSpec:
    number: int
    title: str
    signature: tuple[str, ...]  # keys of columns whose presence identifies the list
    columns: tuple[Col, ...]

    @property
    def sheet(self) -> str:
        return f"List {self.number}"

    def column(self, key: str) -> Col:
        return next(c for c in self.columns if c.key == key)


def header_key(text: object) -> str:
    """Case, spaces and punctuation do not distinguish headers; '&' is 'and'."""
    return re.sub(r"[^a-z0-9]", "", str(text or "").casefold().replace("&", "and"))


CHILD = (
    Col("Child Unique ID", "child_id", "text",
        ("Child ID", "Unique Child ID", "Child Unique Identifier", "Child Identifier", "LA Child ID", "CHILD",
         "Child Ref", "Person ID"), required=True),
    Col("Gender", "sex", "gender", ("Sex",)),
    Col("Ethnicity", "ethnicity", "ethnicity", ("Ethnic Origin", "Ethnic Group")),
    Col("Date of Birth", "date_of_birth", "date", ("DOB", "Birth Date")),
    Col("Age of Child (Years)", "age", "derived", ("Age", "Age of Child", "Age (Years)")),
)
DISABILITY = Col("Does the Child have a Disability", "disability", "derived", ("Disability", "Disabled"))
TEAM = Col("Allocated Team", "team_id", "text", ("Team", "Team Name"))
WORKER = Col("Allocated Worker", "worker_id", "text", ("Worker", "Allocated Social Worker", "Social Worker"))

LISTS: dict[int, ListSpec] = {
    1: ListSpec(1, "Contacts", ("contact_date",), CHILD + (
        Col("Date of Contact", "contact_date", "date", ("Contact Date",), required=True),
        Col("Contact Source", "contact_source", "source", ("Source of Contact",)),
    )),
    2: ListSpec(2, "Early help assessments", ("eh_start", "organisation"), CHILD + (
        Col("Assessment start date", "eh_start", "date", ("Early Help Assessment Start Date",), required=True),
        Col("Assessment completion date", "eh_completed", "date", ("Early Help Assessment Completion Date",)),
        Col("Organisation completing assessment", "organisation", "text", ("Organisation",)),
    )),
    3: ListSpec(3, "Referrals", ("referral_date",), CHILD + (
        Col("Date of Referral", "referral_date", "date", ("Referral Date",), required=True),
        Col("Referral Source", "referral_source", "source", ("Source of Referral",)),
        Col("Referral NFA?", "nfa", "flag", ("Referral NFA", "NFA")),
        Col("Number of Referrals in Last 12 Months", "n_referrals", "derived", ("Number of Referrals",)),
        TEAM, WORKER,
    )),
    4: ListSpec(4, "Assessments", ("assessment_start",), CHILD + (
        DISABILITY,
        Col("Continuous Assessment Start Date", "assessment_start", "date", ("Assessment Start Date",), required=True),
        Col("Child Seen During Continuous Assessment", "child_seen", "derived", ("Child Seen",)),
        Col("Date Child Seen During Continuous Assessment", "child_seen_date", "date", ("Date Child Seen",)),
        Col("Continuous Assessment Date of Authorisation", "authorised_date", "date",
            ("Assessment Authorisation Date", "Date of Authorisation", "Assessment Completion Date")),
        Col("Was the child assessed as requiring LA children's social care support?", "assessment_outcome", "flag",
            ("Assessed as requiring LA children's social care support",)),
        TEAM, WORKER,
    )),
    5: ListSpec(5, "Section 47 enquiries and ICPCs", ("s47_start",), CHILD + (
        DISABILITY,
        Col("Strategy discussion initiating Section 47 Enquiry Start Date", "s47_start", "date",
            ("Section 47 Enquiry Start Date", "S47 Start Date", "Strategy Discussion Date"), required=True),
        Col("Was an Initial Child Protection Conference deemed unnecessary?", "icpc_not_required", "flag",
            ("ICPC deemed unnecessary", "ICPC not required")),
        Col("Date of Initial Child Protection Conference", "icpc_date", "date", ("ICPC Date", "Date of ICPC")),
        Col("Did the Initial Child Protection Conference Result in a Child Protection Plan", "icpc_plan", "flag",
            ("Did the ICPC result in a CP plan", "ICPC resulted in CP plan")),
        Col("Number of Section 47 Enquiries in the last 12 months", "n_s47", "derived", ()),
        Col("Number of ICPCs in the last 12 months", "n_icpc", "derived", ()),
        TEAM, WORKER,
    )),
    6: ListSpec(6, "Children in need", ("cin_start",), CHILD + (
        DISABILITY,
        Col("CIN Start Date", "cin_start", "date", ("Child in Need Start Date",), required=True),
        Col("Primary Need Code", "primary_need", "primary_need", ("Primary Need", "Category of Need")),
        Col("Date Child Was Last Seen", "last_seen", "date", ("Date Child Last Seen",)),
        Col("CIN Closure Date", "closure_date", "date", ("Child in Need Closure Date", "Closure Date")),
        Col("Reason for Closure", "closure_reason", "closure_reason", ("Closure Reason",)),
        Col("Case Status", "case_status", "derived", ()),
        TEAM, WORKER,
    )),
    7: ListSpec(7, "Child protection", ("cp_start",), CHILD + (
        DISABILITY,
        Col("Child Protection Plan Start Date", "cp_start", "date", ("CP Plan Start Date",), required=True),
        Col("Initial Category of Abuse", "initial_category", "abuse", ("Initial Category",)),
        Col("Latest Category of Abuse", "latest_category", "abuse", ("Latest Category",)),
        Col("Date of the Last Statutory Visit", "last_visit", "date", ("Date of Last Statutory Visit",)),
        Col("Was the Child Seen Alone?", "seen_alone", "flag", ("Child Seen Alone",)),
        Col("Date of latest review conference", "latest_review", "date", ("Date of Latest Review Conference",)),
        Col("Child Protection Plan End Date", "cp_end", "date", ("CP Plan End Date",)),
        Col("Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)",
            "epo", "derived", ()),
        Col("Number of Previous Child Protection Plans", "previous_plans", "int", ("Number of Previous CP Plans",)),
        TEAM, WORKER,
    )),
    8: ListSpec(8, "Children in care", ("period_start",), CHILD + (
        Col("Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)", "uasc", "flag", ("UASC",)),
        DISABILITY,
        Col("Date Started to be Looked After", "period_start", "date", ("Date Became Looked After",), required=True),
        Col("Child's Category of Need", "cin", "primary_need", ("Category of Need",)),
        Col("Is this a second or subsequent period of being a Looked After Child within the last 12 months (Y/N)",
            "second_period", "derived", ()),
        Col("Start date of current legal status", "ls_start", "date", ("Legal Status Start Date",)),
        Col("Child's Legal Status", "legal_status", "legal_status", ("Legal Status",)),
        Col("Date of Latest Statutory Review", "latest_review", "date", ("Date of Latest Review",)),
        Col("Date of Last Social Work Visit", "last_visit", "date", ("Date of Last Statutory Visit",)),
        Col("What is the permanence plan for this child?", "permanence_plan", "derived", ("Permanence Plan",)),
        Col("Date of Last IRO Visit / Contact to the Child", "iro_visit", "derived", ()),
        Col("Date of Last Health Assessment", "health_assessment", "derived", ()),
        Col("Date of Last Dental Check", "dental_check", "derived", ()),
        Col("Number of Placements in the Last 12 months", "n_placements", "derived", ()),
        Col("Date Ceased to be Looked After", "dec", "date", ("Date Ceased Looked After",)),
        Col("Reason Ceased to be Looked After", "rec", "rec", ("Reason Ceased",)),
        Col("Start Date of Most Recent Placement", "placement_start", "date", ("Placement Start Date",)),
        Col("Placement Type", "place", "placement_type", ()),
        Col("Placement Provider", "place_provider", "place_provider", ()),
        Col("Placement postcode", "pl_post", "text", ("Placement Post Code",)),
        Col("URN of Placement", "urn", "text", ("Placement URN", "URN")),
        Col("Placement Location", "pl_location", "location", ()),
        Col("LA of Placement", "pl_la", "text", ("Placement LA",)),
        Col("Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months",
            "n_missing", "derived", ()),
        Col("Number of Episodes the Child has been 'Absent' from their Placement in the last 12 months",
            "n_absent", "derived", ()),
        Col("Was the child offered a Return Interview after their last missing episode (Y/N)?", "ri_offered", "derived", ()),
        Col("Did the child accept a Return Interview after their last missing episode (Y/N)?", "ri_accepted", "derived", ()),
        TEAM, WORKER,
    )),
    9: ListSpec(9, "Care leavers", ("in_touch",), CHILD + (
        Col("Unaccompanied Asylum Seeking Child (UASC), or formerly UASC if 18 or over (Y/N)", "uasc", "flag", ("UASC",)),
        DISABILITY,
        TEAM, WORKER,
        Col("Allocated Personal Advisor", "personal_adviser", "text", ("Allocated Personal Adviser", "Personal Adviser")),
        Col("Eligibility Category", "eligibility", "derived", ()),
        Col("Latest Pathway Plan Review Date", "pathway_review", "date", ("Pathway Plan Review Date",)),
        Col("LA in Touch", "in_touch", "in_touch", ("In Touch",)),
        Col("Latest Date of Contact", "contact_date", "date", ("Date of Latest Contact",)),
        Col("Type of Accommodation", "accom_type", "accom_type", ("Accommodation Type", "Accommodation")),
        Col("Suitability of Accommodation", "accom_suitable", "suitability", ("Accommodation Suitability",)),
        Col("Activity Status", "activity", "activity", ("Main Activity", "Activity")),
    )),
    10: ListSpec(10, "Adoption", ("adm_decision_date",), (CHILD[0], Col("Family identifier", "family_id", "derived", ()))
                 + CHILD[1:] + (
        DISABILITY,
        Col("Date the Child Entered Care", "entered_care", "derived", ()),
        Col("Date of Decision that Child Should be Placed for Adoption", "adm_decision_date", "date",
            ("Date of ADM Decision", "ADM Decision Date"), required=True),
        Col("Date of Placement Order", "placement_order_date", "date", ("Placement Order Date",)),
        Col("Date of Matching Child and Prospective Adopters", "match_date", "date", ("Date of Matching", "Match Date")),
        Col("Date Placed for Adoption", "placed_date", "date", ("Placed for Adoption Date",)),
        Col("Date of Adoption Order", "adoption_order_date", "date", ("Adoption Order Date",)),
        Col("Date of Decision that Child Should No Longer be Placed for Adoption", "no_longer_date", "derived", ()),
        Col("Reason Why Child No Longer Placed for Adoption", "no_longer_reason", "derived", ()),
        Col("Date the child was placed for fostering in FFA or concurrent planning placement", "ffa_date", "date",
            ("Date placed in FFA or concurrent planning placement",)),
    )),
    11: ListSpec(11, "Adopters", ("adopter_id",), (
        Col("Individual adopter identifier", "adopter_id", "text", ("Adopter ID", "Adopter Identifier"), required=True),
        Col("Family identifier", "family_id", "derived", ()),
        Col("Gender", "sex", "derived", ()),
        Col("Ethnicity", "ethnicity", "derived", ()),
        Col("Disability", "disability", "derived", ()),
        Col("Is the (prospective) adopter fostering for adoption?", "ffa", "derived", ()),
        Col("Date enquiry received", "enquiry", "derived", ()),
        Col("Date Stage 1 started", "s1_start", "derived", ()),
        Col("Date Stage 1 ended", "s1_end", "derived", ()),
        Col("Date Stage 2 started", "s2_start", "derived", ()),
        Col("Date Stage 2 ended", "s2_end", "derived", ()),
        Col("Date application submitted", "submitted", "derived", ()),
        Col("Date application approved", "approved", "derived", ()),
        Col("Date adopter matched with child(ren)", "matched", "derived", ()),
        Col("Date child/children placed with adopter(s)", "placed", "derived", ()),
        Col("No. of children placed", "n_placed", "derived", ()),
        Col("Date of Adoption Order", "order", "derived", ()),
        Col("Date of leaving adoption process", "left", "derived", ()),
        Col("Reason for leaving adoption process", "left_reason", "derived", ()),
    )),
}

# Coded values: canonical code -> the value as councils write it in Annex A. Reading accepts the
# written form, the bare code, the label without its letter prefix, and the ALIASES below.
_LETTERS = "abcdefghijklmnopqrstuvwxyz"

VOCABS: dict[str, dict[str, str]] = {
    # DfE's 2024 meanings: 0 not recorded (or unborn), 9 indeterminate.
    "gender": {"1": "a) Male", "2": "b) Female", "0": "c) Not stated/recorded", "9": "d) Neither"},
    "flag": {"yes": "a) Yes", "no": "b) No", "unknown": "c) Unknown"},
    "abuse": {"NEG": "a) Neglect", "PHY": "b) Physical abuse", "SAB": "c) Sexual abuse", "EMO": "d) Emotional abuse",
              "MUL": "e) Multiple/not recommended"},
    "location": {"IN": "a) In", "OUT": "b) Out"},
    "in_touch": {"YES": "a) Yes", "NO": "b) No", "DIED": "c) Died", "REFU": "d) Refu", "NREQ": "e) NREQ",
                 "RHOM": "f) Rhom"},
    "suitability": {"1": "a) Suitable", "2": "b) Unsuitable"},
    "case_status": {"cla": "a) Looked after child", "cp": "b) Child Protection plan", "cin": "c) Child in need plan",
                    "assessment": "d) Open assessment", "closed": "e) Closed episode"},
}
ALIASES: dict[str, dict[str, str]] = {
    "gender": {"male": "1", "m": "1", "female": "2", "f": "2", "not stated": "0", "not recorded": "0",
               "not stated/recorded": "0", "not known": "0", "unknown": "0", "u": "0", "unborn": "0",
               "neither": "9", "indeterminate": "9"},
    "flag": {"y": "yes", "yes": "yes", "true": "yes", "1": "yes", "n": "no", "no": "no", "false": "no", "0": "no",
             "unknown": "unknown", "u": "unknown", "not known": "unknown"},
    "abuse": {"neglect": "NEG", "physical abuse": "PHY", "physical": "PHY", "sexual abuse": "SAB", "sexual": "SAB",
              "emotional abuse": "EMO", "emotional": "EMO", "multiple/not recommended": "MUL", "multiple": "MUL"},
    "location": {"in": "IN", "out": "OUT", "inside": "IN", "outside": "OUT"},
    "in_touch": {"yes": "YES", "y": "YES", "no": "NO", "n": "NO", "died": "DIED", "refu": "REFU", "refused": "REFU",
                 "nreq": "NREQ", "rhom": "RHOM"},
    "suitability": {"suitable": "1", "unsuitable": "2", "not suitable": "2"},
}


# Ofsted letters the 22 contact/referral sources a) to u), with 5D (added later) as p1).
SOURCE_LETTERS = tuple("abcdefghijklmnop") + ("p1",) + tuple("qrstu")


def coded(codes: dict[str, str], *, letters: bool | tuple[str, ...] = False, style: str = "colon") -> dict[str, str]:
    """How a DfE code list is written: ``q) 6: Police`` (letters, colon), ``N1 - Abuse or neglect`` (dash)."""
    marks = letters if isinstance(letters, tuple) else tuple(_LETTERS)
    out = {}
    for i, (code, label) in enumerate(codes.items()):
        body = f"{code} - {label}" if style == "dash" else f"{code}: {label}" if style == "colon" else code
        out[code] = f"{marks[i % len(marks)]}) {body}" if letters else body
    return out


# DfE code lists written with these styles (filled from the canonical code lists by ``vocab``).
DFE_STYLES: dict[str, dict] = {
    "ethnicity": {"letters": True, "style": "bare"},
    "source": {"letters": SOURCE_LETTERS, "style": "colon", "list": "referral_source"},
    "primary_need": {"style": "dash"},
    "closure_reason": {"style": "dash"},
    "legal_status": {"style": "colon"},
    "rec": {"style": "colon"},
    "placement_type": {"style": "colon"},
    "place_provider": {"style": "colon"},
    "activity": {"style": "colon"},
    "accom_type": {"style": "colon"},
}

# Accommodation type letters (SSDA903 ACCOM without its suitability digit).
ACCOM_TYPES = {
    "B": "Parents/relatives", "C": "Community home/residential care",
    "D": "Semi-independent, transitional accommodation and self-contained accommodation",
    "E": "Supported lodgings", "G": "Abroad", "H": "Deported", "K": "Ordinary lodgings, without formal support",
    "R": "Residence not known", "S": "No fixed abode/homeless", "T": "Foyers and similar supported accommodation",
    "U": "Independent living", "V": "Emergency accommodation", "W": "Bed and breakfast", "X": "In custody",
    "Y": "Other accommodation", "Z": "With former foster carers", "0": "Not known",
}


def list_for_headers(headers: list[object]) -> ListSpec | None:
    """The list whose signature columns are all among ``headers`` (matched by ``header_key``)."""
    keys = {header_key(h) for h in headers if h is not None}
    for spec in LISTS.values():
        if all(any(header_key(n) in keys for n in (c.header, *c.aliases))
               for c in spec.columns if c.key in spec.signature):
            return spec
    return None


@dataclass(frozen=True)
class Vocab:
    codes: dict[str, str]  # canonical code -> label
    written: dict[str, str]  # canonical code -> the cell as Annex A writes it
    aliases: dict[str, str]  # other spellings (casefolded) -> canonical code


_OWN_CODES = {
    "flag": {"yes": "Yes", "no": "No", "unknown": "Unknown"},
    "location": {"IN": "In", "OUT": "Out"},
    "suitability": {"1": "Suitable", "2": "Unsuitable"},
    "case_status": {"cla": "Looked after child", "cp": "Child Protection plan", "cin": "Child in need plan",
                    "assessment": "Open assessment", "closed": "Closed episode"},
}
_DFE_LIST = {"gender": "sex", "abuse": "abuse_category", "in_touch": "in_touch"}


def vocab(name: str, dfe_lists: dict[str, dict[str, str]]) -> Vocab:
    """The vocabulary of a coded column; ``dfe_lists`` are the canonical code lists (code -> label)."""
    aliases = ALIASES.get(name, {})
    if name in VOCABS:
        codes = _OWN_CODES.get(name) or dfe_lists[_DFE_LIST[name]]
        return Vocab(dict(codes), VOCABS[name], aliases)
    if name == "accom_type":
        return Vocab(ACCOM_TYPES, coded(ACCOM_TYPES), aliases)
    style = DFE_STYLES[name]
    codes = dfe_lists[style.get("list", name)]
    return Vocab(dict(codes), coded(codes, letters=style.get("letters", False), style=style["style"]), aliases)


# Where each loaded column lands (documentation; the reader's mapping is tested by round trips).
_COMMON = {"child_id": "child.child_id (and every row's child_id)", "sex": "child.sex", "ethnicity": "child.ethnicity",
           "date_of_birth": "child.date_of_birth", "team_id": "team_id of the list's row",
           "worker_id": "worker_id of the list's row"}
TARGETS: dict[int, dict[str, str]] = {
    1: {"contact_date": "contact.contact_date", "contact_source": "contact.contact_source"},
    2: {"eh_start": "early_help_episode.start_date", "eh_completed": "early_help_episode.completed_date",
        "organisation": "early_help_episode.organisation"},
    3: {"referral_date": "referral.referral_date", "referral_source": "referral.referral_source", "nfa": "referral.nfa"},
    4: {"assessment_start": "assessment.start_date", "child_seen_date": "assessment.child_seen_date",
        "authorised_date": "assessment.authorised_date", "assessment_outcome": "assessment.outcome (yes/no/unknown)"},
    5: {"s47_start": "s47_enquiry.start_date and .strategy_discussion_date",
        "icpc_not_required": "s47_enquiry.icpc_not_required", "icpc_date": "s47_enquiry.icpc_date and icpc.icpc_date",
        "icpc_plan": "icpc.outcome (cp_plan/no_plan)"},
    6: {"cin_start": "referral.referral_date (merged with list 3)", "primary_need": "referral.primary_need",
        "last_seen": "visit.visit_date (CIN unless a CP/CLA visit that day)", "closure_date": "referral.closure_date",
        "closure_reason": "referral.closure_reason"},
    7: {"cp_start": "cp_plan.start_date", "initial_category": "cp_plan.initial_category",
        "latest_category": "cp_plan.latest_category", "last_visit": "visit.visit_date (CP)",
        "seen_alone": "visit.seen_alone", "latest_review": "cp_review.review_date", "cp_end": "cp_plan.end_date",
        "previous_plans": "cp_plan.previous_plans"},
    8: {"uasc": "child.uasc", "period_start": "cla_episode.decom of the first episode (RNE S)",
        "cin": "cla_episode.cin", "ls_start": "cla_episode.decom of the episode where the legal status starts",
        "legal_status": "cla_episode.legal_status", "latest_review": "cla_review.review_date",
        "last_visit": "visit.visit_date (CLA)", "dec": "cla_episode.dec of the last episode",
        "rec": "cla_episode.rec of the last episode",
        "placement_start": "cla_episode.decom of the episode where the placement starts",
        "place": "cla_episode.place", "place_provider": "cla_episode.place_provider", "pl_post": "cla_episode.pl_post",
        "urn": "cla_episode.urn", "pl_location": "cla_episode.pl_location (IN/OUT)", "pl_la": "cla_episode.pl_la"},
    9: {"uasc": "child.uasc", "personal_adviser": "care_leaver.personal_adviser",
        "pathway_review": "care_leaver.pathway_plan (true when a date is given)", "in_touch": "care_leaver.in_touch",
        "contact_date": "care_leaver.contact_date (and its collection_year)",
        "accom_type": "care_leaver.accommodation (letter)", "accom_suitable": "care_leaver.accommodation (1 or 2)",
        "activity": "care_leaver.activity"},
    10: {"adm_decision_date": "adoption.adm_decision_date", "placement_order_date": "adoption.placement_order_date",
         "match_date": "adoption.match_date", "placed_date": "adoption.placed_date",
         "adoption_order_date": "adoption.adoption_order_date",
         "ffa_date": "adoption.foster_to_adopt (true when a date is given)"},
    11: {"adopter_id": "not loaded: no canonical table (each row reported as a warning)"},
}


def target(number: int, key: str) -> str:
    return TARGETS[number].get(key) or _COMMON.get(key) or ""
