"""An annual staff survey each November: respondents from the children's services directorate and
from the rest of the council answer five-point Likert questions, including an engagement set. The
directorate starts less positive than the rest of the council and improves (a deliberate trend)."""

from __future__ import annotations

from datetime import date

from cscperf.synth.context import Ctx
from cscperf.synth.days import to_date, to_day
from cscperf.synth.draw import Draw, child_stream

QUESTIONS = (  # id, set, wording, how hard it is to agree (higher = harder)
    ("E1", "engagement", "I am proud to tell people I work for the council", -0.3),
    ("E2", "engagement", "I would recommend the council as a great place to work", 0.1),
    ("E3", "engagement", "I feel motivated to do the best I can in my job", -0.6),
    ("E4", "engagement", "I intend to be working for the council in 12 months' time", -0.2),
    ("E5", "engagement", "I feel valued for the work I do", 0.5),
    ("W1", "wellbeing", "My workload is manageable", 1.0),
    ("W2", "wellbeing", "I can maintain a good balance between work and home life", 0.6),
    ("W3", "wellbeing", "I feel able to talk to my manager about stress", -0.2),
    ("M1", "management", "My manager gives me regular supervision", -0.4),
    ("M2", "management", "Senior leaders communicate a clear vision", 0.7),
    ("M3", "management", "I have the tools and training to do my job well", 0.2),
    ("L1", "learning", "I have had good learning and development opportunities in the last year", 0.3),
)
ANSWERS = ("strongly_disagree", "disagree", "neither", "agree", "strongly_agree")
CUTS = (-1.6, -0.6, 0.0, 1.4)


def write_survey(ctx: Ctx) -> None:
    d = Draw(child_stream(ctx.seed, ctx.council.index, 3))
    rows = ctx.rows["survey_response"]
    staff = [h for h in ctx.org.holders()]
    for year in range(to_date(ctx.window_start).year, to_date(ctx.as_at).year + 1):
        day = to_day(date(year, 11, 15))
        if day < ctx.window_start or day > ctx.as_at:
            continue
        survey_id = f"{year}-staff"
        in_post = sum(1 for h in staff if h.start <= day and (h.end is None or h.end >= day))
        directorate = round(in_post * (0.55 + 0.1 * d.u()))
        rest = round(directorate * 2.6)
        lift = 0.5 * (ctx.trend(day) + 0.5)  # directorate improves through the window
        for group, count, mood in (("directorate", directorate, -0.15 + lift), ("rest_of_council", rest, 0.35)):
            for n in range(count):
                person = mood + 0.8 * d.normal()
                rid = f"{survey_id}-{group[0].upper()}{n + 1:05d}"
                name = "Children's Services" if group == "directorate" else ("Adults" if d.chance(0.4) else "Place" if d.chance(0.5) else "Resources")
                for qid, qset, text, hardness in QUESTIONS:
                    if d.chance(0.03):
                        continue  # skipped question
                    score = person - hardness + 0.7 * d.normal()
                    answer = ANSWERS[sum(score > c for c in CUTS)]
                    rows.append((survey_id, rid, group, name, qid, text, qset, answer))
