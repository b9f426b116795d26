"""The PDF's team breakdown: the teams that most need attention and the best, by polarity."""

from datetime import date

from cscperf.digest.catalogue import IndicatorInfo
from cscperf.digest.model import AUDIENCES, DigestModel, IndicatorSection, MonthPoint, TeamRow
from cscperf.digest.render import render_html
from cscperf.digest.teams import extract

# 12 teams, values 1..12 in a scrambled order; team "T07" has value 7; one team has no figure
VALUES = {f"T{i:02d}": float(v) for i, v in enumerate([3, 11, 7, 1, 12, 5, 9, 2, 10, 4, 8, 6], start=1)}
TEAMS = [TeamRow(t, f"Team {t}", v, v, 20.0, None) for t, v in VALUES.items()] + [TeamRow("T13", "Team T13", None, 0, 0, None)]
BY_VALUE = {v: t for t, v in VALUES.items()}


def names(rows):
    return [r.team_id for r in rows]


def test_higher_is_better_shows_the_five_lowest_worst_first_and_the_five_highest_best_first():
    x = extract(TEAMS, "up", n=5)
    assert names(x.attention) == [BY_VALUE[v] for v in (1, 2, 3, 4, 5)]
    assert names(x.best) == [BY_VALUE[v] for v in (12, 11, 10, 9, 8)]
    assert (x.total, x.ranked, x.complete) == (13, 12, False)
    assert x.note == ("10 of 13 teams shown (1 with no figure this month). The full table of all 13 teams is in the "
                      "HTML digest (digest.html) and the Excel workbook (sheet “Teams”).")


def test_lower_is_better_turns_it_round():
    x = extract(TEAMS, "down", n=5)
    assert names(x.attention) == [BY_VALUE[v] for v in (12, 11, 10, 9, 8)]
    assert names(x.best) == [BY_VALUE[v] for v in (1, 2, 3, 4, 5)]
    assert x.headings == ("The 5 teams that most need attention (highest; lower is better)", "The 5 best teams (lowest)")
    assert extract(TEAMS, "none", n=5).headings == ("The 5 lowest", "The 5 highest")


def test_ten_teams_or_fewer_are_all_shown_worst_first():
    few = [t for t in TEAMS if t.value is not None and t.value <= 10]
    x = extract(few, "up", n=5)
    assert names(x.attention) == [BY_VALUE[v] for v in range(1, 11)] and x.best == []
    assert x.complete and x.note == ""


def test_ties_are_ordered_by_team_name():
    tied = [TeamRow(t, n, 5.0, 1, 1, None) for t, n in (("B", "Beta"), ("A", "Alpha"), ("C", "Gamma"))]
    assert names(extract(tied, "up").attention) == ["A", "B", "C"]


def test_the_pdf_page_shows_the_extract_and_the_html_every_team():
    info = IndicatorInfo("front_door.re_referrals", "Re-referrals within 12 months", "front_door", "down", "percent")
    month = date(2026, 3, 1)
    point = MonthPoint(month, 20.0, 24, 120)
    section = IndicatorSection(info, [point], point, None, None, None, None, [], None, None, None, None, [], TEAMS)
    model = DigestModel("Testshire", "999", month, AUDIENCES["director"], 1, __import__("datetime").datetime(2026, 4, 1),
                        [("front_door", "Front door", [section])], [], None)
    full = render_html(model, {info.id: None})
    pdf = render_html(model, {info.id: None}, pdf=True)
    assert all(f"Team {t}<" in full for t in VALUES) and "Team T13<" in full
    shown = {t for t in VALUES if f"Team {t}<" in pdf}
    assert shown == {BY_VALUE[v] for v in (1, 2, 3, 10, 11, 12)}  # SHOWN = 3 at each end
    assert "6 of 13 teams shown" in pdf and "6 of 13 teams shown" not in full
    assert pdf.index(f"Team {BY_VALUE[12]}<") < pdf.index(f"Team {BY_VALUE[1]}<")  # worst (highest) first
