"""Staff survey results: % positive per question for the directorate against the rest of the
council, with a two-proportion z-test, plus the engagement index and job satisfaction.

Surveys are not monthly, so these figures are read per survey rather than stored by month.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from cscperf.core.errors import CscperfError
from cscperf.indicators.library import get
from cscperf.store.engine import Engine

Z_95 = 1.959964


@dataclass(frozen=True)
class TwoProportions:
    z: float | None
    flag: str  # "significantly higher" | "significantly lower" | "no significant difference" | "not tested"


def two_proportion_test(x1: int, n1: int, x2: int, n2: int, critical: float = Z_95) -> TwoProportions:
    """Pooled two-proportion z-test of x1/n1 against x2/n2 (two-sided; 95% by default)."""
    if n1 <= 0 or n2 <= 0:
        return TwoProportions(None, "not tested")
    pooled = (x1 + x2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return TwoProportions(None, "no significant difference")
    z = (x1 / n1 - x2 / n2) / se
    if z >= critical:
        return TwoProportions(z, "significantly higher")
    if z <= -critical:
        return TwoProportions(z, "significantly lower")
    return TwoProportions(z, "no significant difference")


def latest_survey(engine: Engine) -> str:
    found = engine.execute("SELECT MAX(survey_id) FROM survey_response").scalar()
    if found is None:
        raise CscperfError("no staff survey responses in the store")
    return str(found)


def survey_comparison(engine: Engine, survey_id: str | None = None) -> list[dict[str, Any]]:
    """Per question: directorate and rest-of-council % positive, z and the 95% flag."""
    survey = survey_id or latest_survey(engine)
    rows = engine.execute(get("survey.positive_by_question").definition.query("responses"), {"survey_id": survey}).dicts()
    by_question: dict[str, dict[str, Any]] = {}
    for row in rows:
        q = by_question.setdefault(row["question_id"], {"survey_id": survey, "question_id": row["question_id"],
                                                        "question_text": row["question_text"], "question_set": row["question_set"]})
        group = "directorate" if row["respondent_group"] == "directorate" else "rest"
        q[f"{group}_answered"] = int(row["answered"])
        q[f"{group}_positive"] = int(row["positive"])
        q[f"{group}_pct_positive"] = 100.0 * int(row["positive"]) / int(row["answered"])
    out = []
    for qid in sorted(by_question):
        q = by_question[qid]
        test = two_proportion_test(q.get("directorate_positive", 0), q.get("directorate_answered", 0),
                                   q.get("rest_positive", 0), q.get("rest_answered", 0))
        out.append({**q, "z": test.z, "flag": test.flag})
    return out


def survey_summary(engine: Engine, survey_id: str | None = None) -> dict[str, dict[str, Any]]:
    """{respondent_group: {engagement_index, satisfied_pct, dissatisfied_pct}} for one survey."""
    survey = survey_id or latest_survey(engine)
    out: dict[str, dict[str, Any]] = {}
    for row in engine.execute(get("survey.engagement_index").definition.query("index"), {"survey_id": survey}).dicts():
        out.setdefault(row["respondent_group"], {})["engagement_index"] = row["engagement_index"]
    for row in engine.execute(get("survey.job_satisfaction").definition.query("satisfaction"), {"survey_id": survey}).dicts():
        out.setdefault(row["respondent_group"], {}).update(
            satisfied_pct=row["satisfied_pct"], dissatisfied_pct=row["dissatisfied_pct"])
    return out
