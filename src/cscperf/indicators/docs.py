"""docs/indicators.md, generated from the definition files (a test fails when it is stale)."""

from __future__ import annotations

from cscperf.indicators.library import AREAS, library
from cscperf.indicators.periods import PERIOD_TYPES
from cscperf.registry.docs import definition_section

FIELDS = (
    ("source", "Source"), ("lait", "LAIT measure"), ("polarity", "Polarity"), ("unit", "Unit"),
    ("period", "Period"), ("counts", "Counts"), ("breakdowns", "Breakdowns"),
)

AREA_TITLES = {
    "front_door": "Front door", "assessment": "Assessment and children in need",
    "child_protection": "Child protection", "children_in_care": "Children in care",
    "care_leavers": "Care leavers", "adoption": "Adoption", "workforce": "Workforce", "survey": "Staff survey",
}

INTRO = """
The indicator library: one YAML file per indicator in `src/cscperf/indicators/definitions/<area>/`,
computed monthly by `cscperf indicators` for the council, each team and each worker, stored in
`indicator_run`/`indicator_result`, and drillable to the records behind every figure
(`cscperf drill`). Definitions DfE publishes cite the publication and the LAIT measure
(`lait_data_dictionary.csv`) and state any local deviation.

## The record-level contract

Each monthly indicator has a `numerator` query and, for percentages and ratios, a `denominator`
query. Both read `periods` - one row per reported month with `month_start`, `period_start` (the
start of the window the period type covers) and `period_end` (the month's last day) - and return
**one row per counted record per month**:

| column | meaning |
|---|---|
| `period_end` | the month the record counts in (from `periods`) |
| `record_id` | what is counted (a referral, a plan, a child, a staff spell…); unique within a month |
| `child_id` | the child, where there is one (used for attribution) |
| `team_id`, `worker_id` | the record's own team and worker where recorded, else NULL |
| `value` | 1 for counts; a number for sums and means (days, FTE, GBP) |

The engine then, for all months and all levels (each distinct record query over the same months
runs once per run, however many indicators share it - e.g. referrals in the last 12 months):

1. **attributes** each record: its own `team_id`/`worker_id` where the query returns them; else the
   child's allocation open on the month's last day (`allocation`, latest start if several), or when
   none is open the child's latest allocation if it started by then (an adopted child or a care
   leaver stays with the last worker); a record with a worker but no team takes the worker's team
   on that day (`worker_team`), or likewise their latest team; a record nobody can be attributed to is reported at team and worker level with a blank team and worker, so the
   sums still balance;
2. **sums** `value` by council, team and worker (`GROUPING SETS`, one aggregation over the numerator's
   and denominator's records together; a team or worker row wherever either part has a record);
3. **divides**: `percent` = 100 × numerator / denominator; `ratio`, `days`, `fte` = numerator /
   denominator (a mean when denominator rows are 1 per record); `count`, `gbp` = numerator;
   `rate_per_10k` = 10,000 × numerator / children aged 0-17 (council level only; team and worker
   rows carry the count).

Because every query returns one row per counted unit, **team and worker numerators and
denominators always add up to the council's** - including indicators that count distinct children
(`counts: children`): such a query returns one row per child per month, attributed to one team. A
child-level figure for a team is therefore "children attributed to this team", not "children this
team touched". `counts` in each definition says what a row is: `records` (each referral, plan,
assessment… counts), `children`, `workers`, `fte`, `days` or `responses`.

Drill-down (`cscperf drill`, `cscperf.indicators.api.drill`) lists exactly the records that were
summed. The run stores them (`indicator_record`: run, indicator, month, numerator or denominator,
record, child, attributed team and worker; `cscperf.indicators.membership`) for its newest month
(`CSCPERF_DRILL_MONTHS` sets how many, 0 = none), and a drill-down selects them from the newest run of that
indicator and month - what the stored figure counted, even if a later load changed the records.
For a month whose newest run stored none (older months, runs before migration 0008) it runs the
same attributed query for that month (`api.live_drill`). Why stored: rebuilding the attribution per
drill-down cost ~75 ms of ~100 ms on the large council, too much for the web app under many users;
the run keeps the stored months' records one by one while it sums every month's records by
team and worker: on `large` one stored month costs ~0.2 CPU-s of a ~5 CPU-s run, three ~0.7
(storing all 24 months, 4.9 million records, tripled an earlier run); a newer run of the same months removes the
older run's records so the table holds only the newest run's stored months.
For a month the run stores no row for (its sources do not cover it, below) it lists nothing and
says so - "there is no data for front_door.contacts in June 2024: the loaded extracts do not cover
it" (`coverage.NoData`, a `CscperfError`: one line and exit code 2 from the CLI; the web shows the
message).

## Months the data cannot speak for: no row, not 0

An extract holds only what happened in the period it covers (Annex A: the 12 months before its
as-at date; a CIN census or SSDA903 return: its collection year). A month is computed only when its
whole window lies inside the coverage of **every** table the indicator reads; otherwise the run
stores **no row for that month at any level** (council, team and worker alike, so team and worker
sums still equal the council's), and the digest and web app show "no data" - never "0 contacts".

- A table's coverage is the union of the periods of the live loads (`load.period_start` ..
  `period_end`) of every format that wrote rows into it: referrals come from CIN and Annex A, so
  both count; contacts come only from Annex A.
- A load that records no period covers up to its `as_at` date from the start of its format's span
  (Annex A: 12 months, 30 April 2026 -> 1 May 2025 to 30 April 2026), or from the beginning of
  time for a case-management extract (its history) - a month after its as-at date is no data.
- No claim either way (the month is computed) for a table that is empty (an empty Missing file is
  a true zero), whose rows come from a load the registry does not know, or from a load with no
  dates (the staff survey); `child` (who, not when) never limits a month.
- `carry_forward: [table]` in a definition lets that table's latest record stand after its
  extract's period (the vacancy rate carries the 30 September CSWW snapshot forward); months
  before its first period are still no data.
- `supplementary: [table]` marks a table that only adds records a main source may not have yet,
  counted once by the queries (ICPCs: every CIN census carries them with their section 47 enquiry,
  `s47_enquiry.icpc_date`; Annex A's `icpc` list adds the conferences the census has not got yet):
  it never limits a month, the main source does.
- Tables read are taken from the queries (SQLGlot's tokens after `FROM`/`JOIN`). A window that
  needs earlier history for a look-back (re-referrals within 12 months) is judged on its own
  window only.

## Period types

| period | window for month M |
|---|---|
""" + "\n".join(f"| `{k}` | {v} |" for k, v in PERIOD_TYPES.items()) + """
| `survey` | per staff survey, not monthly (read with `cscperf survey` / `cscperf.indicators.survey`) |

Stored results are keyed by the month (`period_start` = first day, `period_end` = last day of the
month), whatever window the period type covers. At March a `rolling_12_months` figure is DfE's
financial-year figure.

## Working days

Working days come from the `calendar` table (Monday to Friday less England and Wales bank holidays,
including the 2022-2023 one-off days, from the `holidays` package): a duration is
`end.wd_index - start.wd_index`, so the same day is 0 working days and the start day is not counted
(DfE's banding convention). Days lost to absence are working days *within* a window, start day
included.

## Council configuration

- `council` (one row): `la_code`, `la_name`, `new_la_code`, `region`, and `agency_hourly_cap` - the
  regional cap on agency social worker hourly rates used by `workforce.agency_above_cap`
  (migration 0004).
- `population`: children aged 0-17 by mid-year (`year`); the ONS mid-year estimate for a real
  council (`ons_mid-year_population_estimates_2012_to_2024.csv`), the synthetic council's own
  figure otherwise. A month uses the latest year not after the month's calendar year (the earliest
  year if every estimate is later). Rates are blank when there is no population.

Set them with `cscperf council set --la-code 883 --name Thurrock --region "East of England"
--agency-cap 45`, then `cscperf council population --ons ons_mid-year_population_estimates_2012_to_2024.csv`
(or `--year 2025 --children 46500` for a council's own figure); `cscperf council show` prints them.

## Readings chosen where DfE's text is silent

Each is stated in its definition and pinned by a fixture at the boundary:

- re-referral within 12 months: the anniversary counts (10 May 2023 then 10 May 2024 is a
  re-referral; 11 May 2024 is not);
- open at the month end (CIN, CP plans, CLA, staff in post): started on or before the last day and
  not ended on or before it; an allocation ending on the last day still counts (the case was held);
- assessments: AssessmentActualStartDate to authorisation, within 45 working days, same day = 0;
- ICPC: from the section 47 start, within 15 working days; a conference before the start or with
  no enquiry is in the total and not on time;
- CP plans of 2 years or more: more than 729 days (730 counts);
- 3+ placements: the placement open at the start of the 12 months plus episodes starting with RNE
  S, P or T (L, B and U are not moves);
- long-term stability: 30 months in care, 2 years since the latest S/P/T episode, under 16 on the
  month end; adoptive placements with a new carer restart the clock (DfE adds the previous
  placement);
- care leavers: the cohort is young people whose 17th-18th or 19th-21st birthday fell in the 12
  months; status from the OC3 row of the birthday's collection year;
- workforce: monthly from staff spells and vacancy snapshots (CSWW counts on 30 September); days
  available for the absence rate from the calendar (253 or 254 a year) rather than a fixed 253;
  absence days are working days of the spell inside the window, not FTE-adjusted.

## Performance

`bench/bench_indicators.py` times every monthly indicator × 24 months × council/teams/workers on a
generated `large` council (≈300,000 children; ≈600,000 canonical rows): one pass per record query
covers all months and levels (about 7× faster than month by month). The whole `cscperf indicators
--month 2026-03 --from 2024-04` run (figures and the month's drill-down records) took ~5 CPU-s and
~420 MB peak RSS on 2 cores when last measured (docs/performance.md). Definitions avoid correlated
subqueries in select lists and `OR`s, which PostgreSQL cannot turn into joins.

## Python API (for the digest and the web app)

- `cscperf.indicators.api.run_indicators(engine, "2025-03", first="2024-04") -> run_id`
- `cscperf.indicators.api.latest_results(engine, month="2025-03", level="council"|"team"|"worker",
  indicator_ids=None, team=None, first=None) -> list[dict]` (newest run per indicator and month)
- `cscperf.indicators.api.drill(engine, indicator_id, "2025-03", team=None, worker=None,
  part="numerator") -> list[dict]` (record_id, child_id, team_id, worker_id, value)
  (stored records when the newest run kept them, else `api.live_drill`, same arguments)
- `cscperf.indicators.api.catalogue() -> list[dict]` (id, title, area, polarity, unit, period,
  counts, source, lait, description)
- `cscperf.indicators.survey.survey_comparison(engine, survey_id=None)` and `survey_summary(...)`
"""


def indicators_markdown() -> str:
    indicators = library()
    out = ["# Indicators", "",
           "<!-- Generated by `cscperf docs --write` from src/cscperf/indicators/definitions/. Do not edit by hand. -->",
           "", INTRO.strip(), "", "## Catalogue", "", "| id | title | unit | period | polarity |", "|---|---|---|---|---|"]
    out += [f"| `{i.id}` | {i.title} | {i.unit} | {i.period} | {i.polarity} |" for i in indicators]
    out.append("")
    for area in AREAS:
        out += [f"## {AREA_TITLES[area]}", ""]
        for indicator in (i for i in indicators if i.area == area):
            out.append(definition_section(indicator.definition, FIELDS, level=3))
    return "\n".join(out).rstrip() + "\n"
