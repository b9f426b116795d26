"""Which teams the PDF shows for an indicator: the ones that most need attention and the best.

A large council has 70+ teams; a full team table for each of ~50 indicators made the PDF ~90 pages
that nobody reads on paper (and WeasyPrint spent most of the digest's time laying them out). The
PDF therefore shows, per indicator, the ``n`` teams at the wrong end by the indicator's polarity and
the ``n`` at the right end, and says how many teams there are and where the full table is (HTML and
Excel keep every team). With no polarity there is no "wrong end": the lowest and highest are shown.
The PDF's off-target list likewise counts teams per indicator instead of listing each.
"""

from __future__ import annotations

from dataclasses import dataclass

from cscperf.digest.model import TeamRow
from cscperf.digest.targets import RED, OffTarget

SHOWN = 3


@dataclass(frozen=True)
class TeamExtract:
    attention: list[TeamRow]  # worst first
    best: list[TeamRow]  # best first
    total: int  # teams with a row this month (a blank value included)
    ranked: int  # teams with a value, the ones ordered
    polarity: str

    @property
    def complete(self) -> bool:
        """Every team is shown (few enough teams): no pointer to the full table is needed."""
        return len(self.attention) + len(self.best) == self.total

    @property
    def headings(self) -> tuple[str, str]:
        """Headings of the two groups (used when both are shown)."""
        a, b = len(self.attention), len(self.best)
        if self.polarity == "up":
            return (f"The {a} teams that most need attention (lowest; higher is better)", f"The {b} best teams (highest)")
        if self.polarity == "down":
            return (f"The {a} teams that most need attention (highest; lower is better)", f"The {b} best teams (lowest)")
        return f"The {a} lowest", f"The {b} highest"

    @property
    def note(self) -> str:
        """Where the rest are ('' when every team is shown)."""
        if self.complete:
            return ""
        blank = self.total - self.ranked
        without = f" ({blank} with no figure this month)" if blank else ""
        return (f"{len(self.attention) + len(self.best)} of {self.total} teams shown{without}. The full table of all "
                f"{self.total} teams is in the HTML digest (digest.html) and the Excel workbook (sheet “Teams”).")


def extract(teams: list[TeamRow], polarity: str, n: int = SHOWN) -> TeamExtract:
    """The bottom ``n`` (worst first) and top ``n`` (best first) teams by polarity; when at most
    ``2n`` teams have a value, all of them in ``attention``, worst first. Teams without a value are
    counted, not ranked. Ties are broken by team name so the PDF is stable."""
    named = [t for t in teams if t.team_id is not None]
    valued = [t for t in named if t.value is not None]
    if polarity == "down":
        order = sorted(valued, key=lambda t: (-float(t.value), t.team_name or ""))  # type: ignore[arg-type]
    else:  # up, or no polarity: ascending (lowest first)
        order = sorted(valued, key=lambda t: (float(t.value), t.team_name or ""))  # type: ignore[arg-type]
    if len(valued) <= 2 * n:
        return TeamExtract(order, [], len(named), len(valued), polarity)
    return TeamExtract(order[:n], order[-n:][::-1], len(named), len(valued), polarity)


def teams_off_target(found: list[OffTarget]) -> list[tuple[str, int, int]]:
    """(indicator, red teams, amber teams) for the PDF's off-target page, which lists council
    figures in full but counts teams (the off-target list of a 74-team council is ~500 team rows;
    each indicator's section shows its teams that most need attention, HTML and Excel all of them).
    Ordered as the list is: the indicator with the worst team first."""
    counts: dict[str, list[int]] = {}
    for o in found:
        if o.team_id is not None:
            c = counts.setdefault(o.indicator_id, [0, 0])
            c[0 if o.status == RED else 1] += 1
    return [(iid, red, amber) for iid, (red, amber) in counts.items()]
