"""Hand-made canonical rows for the DfE returns round trips (synthetic: no real child).

Every date sits inside collection year 2024_25 (1 April 2024 - 31 March 2025) so the writers'
in-year selection keeps every row, and every field a format carries is filled at least once, so a
field lost on the way out or in fails the round trip.
"""

from __future__ import annotations

from datetime import date as d

import pyarrow as pa

from cscperf.store.rows import to_arrow

YEAR = 2025
LA = "883"

CIN_ROWS = {
    "child": [
        {"child_id": "C1", "upn": "A123456789012", "former_upn": "B12345678901C", "sex": "2", "ethnicity": "WBRI",
         "date_of_birth": d(2015, 6, 1), "disabilities": "MOB;LD"},
        {"child_id": "C2", "upn_unknown": "UN1", "sex": "1", "ethnicity": "BAFR", "date_of_birth": d(2020, 1, 31),
         "expected_birth_date": d(2020, 2, 2), "date_of_death": d(2025, 2, 1), "disabilities": "NONE"},
        {"child_id": "C3", "sex": "0", "ethnicity": "NOBT", "expected_birth_date": d(2025, 5, 1)},
    ],
    "referral": [
        {"referral_id": "C1/2024-04-10", "child_id": "C1", "referral_date": d(2024, 4, 10), "referral_source": "5A",
         "primary_need": "N1", "nfa": False, "closure_date": d(2025, 1, 20), "closure_reason": "RC8"},
        {"referral_id": "C2/2024-06-03", "child_id": "C2", "referral_date": d(2024, 6, 3), "referral_source": "6",
         "primary_need": "N4", "nfa": False},
        {"referral_id": "C2/2024-06-03/2", "child_id": "C2", "referral_date": d(2024, 6, 3), "referral_source": "1A",
         "nfa": True, "closure_date": d(2024, 6, 4), "closure_reason": "RC7"},
        {"referral_id": "C3/2025-03-01", "child_id": "C3", "referral_date": d(2025, 3, 1), "referral_source": "9",
         "primary_need": "N0", "nfa": False},
    ],
    "assessment": [
        {"assessment_id": "C1/assessment/2024-04-11", "referral_id": "C1/2024-04-10", "child_id": "C1", "start_date": d(2024, 4, 11),
         "internal_review_date": d(2024, 5, 1), "authorised_date": d(2024, 5, 20), "factors": "2B;3A;21"},
        {"assessment_id": "C1/assessment/2024-09-02", "referral_id": "C1/2024-04-10", "child_id": "C1", "start_date": d(2024, 9, 2)},
        {"assessment_id": "C2/assessment/2024-06-03", "referral_id": "C2/2024-06-03", "child_id": "C2", "start_date": d(2024, 6, 3),
         "authorised_date": d(2024, 7, 1), "factors": "4B"},
    ],
    "cin_plan": [
        {"cin_plan_id": "C1/cin/2024-05-21", "referral_id": "C1/2024-04-10", "child_id": "C1", "start_date": d(2024, 5, 21),
         "end_date": d(2024, 8, 1)},
        {"cin_plan_id": "C2/cin/2024-07-02", "referral_id": "C2/2024-06-03", "child_id": "C2", "start_date": d(2024, 7, 2)},
    ],
    "s47_enquiry": [
        {"s47_id": "C1/s47/2024-08-02", "referral_id": "C1/2024-04-10", "child_id": "C1", "start_date": d(2024, 8, 2),
         "icpc_target_date": d(2024, 8, 23), "icpc_date": d(2024, 8, 20), "icpc_not_required": False},
        {"s47_id": "C1/s47/2024-12-02", "referral_id": "C1/2024-04-10", "child_id": "C1", "start_date": d(2024, 12, 2),
         "icpc_not_required": True},
    ],
    "icpc": [
        {"icpc_id": "C1/icpc/2024-08-20", "referral_id": "C1/2024-04-10", "child_id": "C1", "icpc_date": d(2024, 8, 20)},
    ],
    "cp_plan": [
        {"cp_plan_id": "C1/cp/2024-08-20", "referral_id": "C1/2024-04-10", "child_id": "C1", "start_date": d(2024, 8, 20),
         "end_date": d(2025, 1, 15), "initial_category": "NEG", "latest_category": "EMO", "previous_plans": 1},
    ],
    "cp_review": [
        {"cp_plan_id": "C1/cp/2024-08-20", "child_id": "C1", "review_date": d(2024, 11, 12)},
        {"cp_plan_id": "C1/cp/2024-08-20", "child_id": "C1", "review_date": d(2025, 1, 14)},
    ],
}

S903_ROWS = {
    "child": [
        {"child_id": "L1", "sex": "1", "date_of_birth": d(2008, 2, 29), "ethnicity": "AOTH", "upn": "A123456789012",
         "uasc": True, "uasc_ceased_date": d(2026, 2, 28)},
        {"child_id": "L2", "sex": "2", "date_of_birth": d(2007, 10, 1), "ethnicity": "WBRI", "mother": True,
         "mother_child_dob": d(2024, 9, 9)},
        # MOTHER is returned for girls looked after in the year only (903 rules 165, 628): not for L3, a boy
        # and a care leaver, and 0 for L4
        {"child_id": "L3", "sex": "1", "date_of_birth": d(2006, 5, 5), "ethnicity": "MWBC"},
        {"child_id": "L4", "sex": "2", "date_of_birth": d(2021, 3, 3), "ethnicity": "WOTH", "mother": False},
    ],
    "cla_episode": [
        {"child_id": "L1", "decom": d(2024, 5, 1), "rne": "S", "legal_status": "V2", "cin": "N1", "place": "U6",
         "place_provider": "PR4", "dec": d(2024, 9, 1), "rec": "X1", "reason_place_change": "CARPL",
         "home_post": "RM17", "pl_post": "CM1", "urn": "SC123456"},
        {"child_id": "L1", "decom": d(2024, 9, 1), "rne": "P", "legal_status": "V2", "cin": "N1", "place": "K2",
         "place_provider": "PR1", "home_post": "RM17", "pl_post": "RM16", "urn": "SC654321"},
        {"child_id": "L2", "decom": d(2024, 4, 1), "rne": "S", "legal_status": "C2", "cin": "N4", "place": "U4",
         "place_provider": "PR1", "dec": d(2025, 3, 31), "rec": "E4A", "home_post": "SS1", "pl_post": "SS2"},
        {"child_id": "L4", "decom": d(2024, 6, 1), "rne": "S", "legal_status": "E1", "cin": "N1", "place": "A5",
         "place_provider": "PR1", "dec": d(2025, 2, 1), "rec": "E11", "home_post": "RM20", "pl_post": "RM20"},
    ],
    "cla_review": [
        {"child_id": "L1", "review_date": d(2024, 5, 28), "review_code": "PN1"},
        {"child_id": "L2", "review_date": d(2024, 10, 1), "review_code": "PN7"},
    ],
    "missing_episode": [
        {"child_id": "L1", "missing_type": "M", "start_date": d(2024, 10, 3), "end_date": d(2024, 10, 4)},
        {"child_id": "L1", "missing_type": "A", "start_date": d(2025, 3, 30)},
    ],
    "cla_outcome": [
        {"child_id": "L2", "collection_year": YEAR, "sdq_score": 17, "convicted": False, "health_check": None,
         "immunisations": True, "teeth_check": True, "health_assessment": True, "substance_misuse": False,
         "intervention_received": None, "intervention_offered": None},
        {"child_id": "L1", "collection_year": YEAR, "sdq_reason": "SDQ4", "convicted": True, "immunisations": False,
         "teeth_check": False, "health_assessment": False, "substance_misuse": True, "intervention_received": True,
         "intervention_offered": True},
    ],
    "care_leaver": [
        {"child_id": "L3", "collection_year": YEAR, "in_touch": "YES", "activity": "F2", "accommodation": "D1"},
    ],
    "adoption": [
        {"child_id": "L4", "adm_decision_date": d(2024, 7, 1), "match_date": d(2024, 11, 1), "foster_care": True,
         "number_of_adopters": "2", "sex_of_adopters": "MF", "legal_status_of_adopters": "L11"},
    ],
    "placed_for_adoption": [
        {"child_id": "L4", "date_placed": d(2024, 8, 1), "date_placed_ceased": d(2025, 2, 1), "reason_placed_ceased": "RD1"},
    ],
    "previous_permanence": [
        {"child_id": "L1", "prev_perm": "Z1", "la_perm": None, "date_perm": None},
        {"child_id": "L2", "prev_perm": "P2", "la_perm": "883", "date_perm": "zz/05/2019"},
    ],
    "social_worker_episode": [
        {"child_id": "L1", "sw_id": "SW0001", "sw_decom": d(2024, 5, 1), "sw_dec": d(2024, 12, 1), "sw_reason": "MANAGE"},
        {"child_id": "L1", "sw_id": "SW0002", "sw_decom": d(2024, 12, 1)},
    ],
}

# What each format carries, per canonical table: the columns a round trip must reproduce.
CIN_CARRIES = {
    "child": ["child_id", "upn", "former_upn", "upn_unknown", "sex", "ethnicity", "date_of_birth",
              "expected_birth_date", "date_of_death", "disabilities"],
    "referral": ["referral_id", "child_id", "referral_date", "referral_source", "primary_need", "nfa", "closure_date",
                 "closure_reason"],
    "assessment": ["assessment_id", "referral_id", "child_id", "start_date", "internal_review_date", "authorised_date", "factors"],
    "cin_plan": ["cin_plan_id", "referral_id", "child_id", "start_date", "end_date"],
    "s47_enquiry": ["s47_id", "referral_id", "child_id", "start_date", "icpc_target_date", "icpc_date", "icpc_not_required"],
    "icpc": ["icpc_id", "s47_id", "referral_id", "child_id", "icpc_date"],
    "cp_plan": ["cp_plan_id", "referral_id", "child_id", "start_date", "end_date", "initial_category", "latest_category",
                "previous_plans"],
    "cp_review": ["cp_plan_id", "child_id", "review_date"],
}

S903_CARRIES = {
    "child": ["child_id", "sex", "date_of_birth", "ethnicity", "upn", "mother", "mother_child_dob", "uasc", "uasc_ceased_date"],
    "cla_episode": ["child_id", "decom", "rne", "legal_status", "cin", "place", "place_provider", "dec", "rec",
                    "reason_place_change", "home_post", "pl_post", "urn"],
    "cla_review": ["child_id", "review_date", "review_code"],
    "missing_episode": ["child_id", "missing_type", "start_date", "end_date"],
    "cla_outcome": ["child_id", "collection_year", "sdq_score", "sdq_reason", "convicted", "health_check", "immunisations",
                    "teeth_check", "health_assessment", "substance_misuse", "intervention_received", "intervention_offered"],
    "care_leaver": ["child_id", "collection_year", "in_touch", "activity", "accommodation"],
    "adoption": ["child_id", "adm_decision_date", "match_date", "foster_care", "number_of_adopters", "sex_of_adopters",
                 "legal_status_of_adopters"],
    "placed_for_adoption": ["child_id", "date_placed", "date_placed_ceased", "reason_placed_ceased"],
    "previous_permanence": ["child_id", "prev_perm", "la_perm", "date_perm"],
    "social_worker_episode": ["child_id", "sw_id", "sw_decom", "sw_dec", "sw_reason"],
}


def arrow_tables(rows: dict[str, list[dict]]) -> dict[str, pa.Table]:
    return {name: to_arrow(name, table_rows) for name, table_rows in rows.items()}


def expected(rows: dict[str, list[dict]], carries: dict[str, list[str]]) -> dict[str, list[tuple]]:
    """Each table's carried columns, as sorted tuples (missing keys are None)."""
    return {name: sorted((tuple(r.get(c) for c in cols) for r in rows.get(name, [])), key=repr) for name, cols in carries.items()}


def stored(engine, carries: dict[str, list[str]]) -> dict[str, list[tuple]]:
    return {name: sorted(engine.execute(f"SELECT {', '.join(cols)} FROM {name}").rows(), key=repr)
            for name, cols in carries.items()}


def table_checksums(engine) -> dict[str, tuple[int, str]]:
    """Per table: row count and a hash of its sorted rows, to prove a failed load changed nothing.
    (``load`` itself is left out: a failed attempt is recorded there by design.)"""
    import hashlib

    from cscperf.store.schema import tables

    sums = {}
    for name in tables():
        if name == "load":
            continue
        rows = sorted(map(repr, engine.execute(f"SELECT * FROM {name}").rows()))
        sums[name] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return sums
