"""What every part of one council's simulation shares: dates, draws, the organisation, the row sinks,
and the performance modifiers (team effect, trend, month-to-month noise)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from cscperf.synth import params as P
from cscperf.synth.days import add_years, to_date, to_day, working_days
from cscperf.synth.draw import Draw, child_stream
from cscperf.synth.profiles import Council
from cscperf.synth.sink import Sink
from cscperf.synth.teams import Org

COLUMNS = {
    "child": ("child_id", "upn", "upn_unknown", "sex", "ethnicity", "date_of_birth", "disabilities", "uasc", "uasc_ceased_date", "mother", "date_of_death", "mother_child_dob"),
    "team": ("team_id", "team_name", "service", "manager_worker_id"),
    "worker": ("worker_id", "worker_name", "role", "qualified", "agency", "fte", "start_date", "end_date"),
    "worker_team": ("worker_id", "team_id", "start_date", "end_date"),
    "allocation": ("child_id", "worker_id", "team_id", "start_date", "end_date"),
    "contact": ("contact_id", "child_id", "contact_date", "contact_source", "outcome", "team_id", "worker_id"),
    "early_help_episode": ("early_help_id", "child_id", "start_date", "completed_date", "end_date", "organisation", "team_id", "worker_id"),
    "referral": ("referral_id", "child_id", "referral_date", "referral_source", "primary_need", "nfa", "closure_date", "closure_reason", "team_id", "worker_id"),
    "assessment": ("assessment_id", "referral_id", "child_id", "start_date", "authorised_date", "factors", "child_seen_date", "outcome", "team_id", "worker_id"),
    "s47_enquiry": ("s47_id", "referral_id", "child_id", "strategy_discussion_date", "start_date", "icpc_target_date", "icpc_date", "icpc_not_required", "outcome", "team_id", "worker_id"),
    "icpc": ("icpc_id", "s47_id", "referral_id", "child_id", "icpc_date", "outcome", "team_id", "worker_id"),
    "cin_plan": ("cin_plan_id", "referral_id", "child_id", "start_date", "end_date", "team_id", "worker_id"),
    "cp_plan": ("cp_plan_id", "referral_id", "child_id", "start_date", "end_date", "initial_category", "latest_category", "previous_plans", "team_id", "worker_id"),
    "cp_review": ("cp_plan_id", "child_id", "review_date"),
    "visit": ("visit_id", "child_id", "worker_id", "visit_date", "visit_type", "seen", "seen_alone"),
    "cla_episode": ("child_id", "decom", "rne", "legal_status", "cin", "place", "place_provider", "dec", "rec", "reason_place_change", "home_post", "pl_post", "urn", "pl_distance", "pl_la", "pl_location", "team_id", "worker_id"),
    "cla_review": ("child_id", "review_date", "review_code"),
    "missing_episode": ("child_id", "missing_type", "start_date", "end_date", "return_interview_offered", "return_interview_accepted"),
    "care_leaver": ("child_id", "collection_year", "contact_date", "in_touch", "activity", "accommodation", "personal_adviser", "pathway_plan"),
    "cla_outcome": ("child_id", "collection_year", "sdq_score", "sdq_reason", "convicted", "health_check", "immunisations", "teeth_check", "health_assessment", "substance_misuse", "intervention_received", "intervention_offered"),
    "adoption": ("child_id", "adm_decision_date", "placement_order_date", "match_date", "placed_date", "adoption_order_date", "foster_care", "foster_to_adopt", "number_of_adopters", "sex_of_adopters", "legal_status_of_adopters"),
    "placed_for_adoption": ("child_id", "date_placed", "date_placed_ceased", "reason_placed_ceased"),
    "previous_permanence": ("child_id", "prev_perm", "la_perm", "date_perm"),
    "social_worker_episode": ("child_id", "sw_id", "sw_decom", "sw_dec", "sw_reason"),
    "post": ("post_id", "team_id", "role", "fte", "social_worker_post"),
    "vacancy_snapshot": ("snapshot_date", "team_id", "role", "vacancies_fte", "vacancies_covered_by_agency_fte", "agency_fte", "agency_headcount"),
    "staff_spell": ("spell_id", "worker_id", "role", "team_id", "start_date", "end_date", "leave_reason", "leaver_destination", "start_origin", "fte", "agency", "hourly_rate", "cost", "qualified", "cases"),
    "agency_cost": ("quarter_start", "team_id", "worker_id", "hours", "cost"),
    "absence_spell": ("absence_id", "worker_id", "start_date", "end_date", "working_days_lost", "reason"),
    "survey_response": ("survey_id", "respondent_id", "respondent_group", "directorate", "question_id", "question_text", "question_set", "answer"),
    "council": ("la_code", "la_name", "new_la_code", "region", "agency_hourly_cap"),
    "population": ("la_code", "year", "children_0_17", "source"),
}


@dataclass
class Ctx:
    council: Council
    seed: int
    as_at: int
    window_start: int
    start: int
    d: Draw
    org: Org
    sink: Sink = field(default_factory=Sink)
    rows: dict[str, list] = field(default_factory=dict)
    month_noise: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        for table, columns in COLUMNS.items():
            self.rows[table] = self.sink.declare(table, columns)
        self.wd = working_days()
        months = (self.as_at - self.start) // 28 + 3
        self.month_noise = [0.025 * self.d.normal() for _ in range(months)]

    def noise(self, day: int) -> float:
        """Month-to-month noise in timeliness (shared by every team in a month)."""
        return self.month_noise[(day - self.start) // 30]

    def trend(self, day: int) -> float:
        """-0.5 at the window start to +0.5 at as-at (0 before the window starts is -0.5)."""
        span = max(self.as_at - self.window_start, 1)
        return min(max((day - self.window_start) / span, 0.0), 1.0) - 0.5

    @property
    def la_code(self) -> str:
        return self.council.la_code


def make_context(council: Council, seed: int, as_at: date, years: int) -> Ctx:
    window = add_years(as_at, -years)
    start = add_years(window, -P.BURN_IN_YEARS)
    org_draw = Draw(child_stream(seed, council.index, 1))
    org = Org(org_draw, council.la_code, council.population, to_day(start), to_day(as_at))
    return Ctx(council, seed, to_day(as_at), to_day(window), to_day(start), Draw(child_stream(seed, council.index, 0)), org)


__all__ = ["COLUMNS", "Ctx", "make_context", "to_date"]
