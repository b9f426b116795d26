"""The digest as HTML (self-contained: CSS and SVG charts inline, no network) and as a PDF made from
the same HTML by WeasyPrint (A4, page numbers, contents with page numbers)."""

from __future__ import annotations

import base64
from importlib import resources
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from cscperf.digest.charts import chart_svgs
from cscperf.digest.model import DigestModel, IndicatorSection
from cscperf.digest.narrative import fmt
from cscperf.digest.spc import ICON_LABELS
from cscperf.digest.suppression import SUPPRESSED
from cscperf.digest.teams import extract, teams_off_target

ARROWS = {"up": "▲ up", "down": "▼ down", "flat": "▶ same"}
VARIATION_BADGE = {
    "common_cause": ("common", "~"), "improving_high": ("improving", "H"), "improving_low": ("improving", "L"),
    "concerning_high": ("concerning", "H"), "concerning_low": ("concerning", "L"),
    "neither_high": ("neither", "H"), "neither_low": ("neither", "L"),
}
ASSURANCE_BADGE = {"consistently_met": ("met", "P"), "consistently_missed": ("missed", "F"), "hit_and_miss": ("hitmiss", "?")}


def show(value: object, unit: str, short: bool = False) -> str:
    if value is None:
        return "–"
    if value == SUPPRESSED:
        return SUPPRESSED
    assert isinstance(value, (int, float))
    if short:
        if unit == "percent":
            return f"{value:.1f}%"
        return f"{value:.1f}" if unit not in ("count", "days") else f"{value:,.0f}"
    return fmt(float(value), unit)


def count(value: object) -> str:
    if value is None:
        return "–"
    if value == SUPPRESSED:
        return SUPPRESSED
    assert isinstance(value, (int, float))
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _badge(kind: str, letter: str, label: str) -> Markup:
    return Markup(f'<span class="icon icon-{kind}" title="{label}" aria-label="{label}">{letter}</span>')


def icons(section: IndicatorSection) -> Markup:
    parts = []
    if section.variation:
        kind, letter = VARIATION_BADGE[section.variation]
        parts.append(_badge(kind, letter, ICON_LABELS[section.variation]))
    if section.assurance:
        kind, letter = ASSURANCE_BADGE[section.assurance]
        parts.append(_badge(kind, letter, ICON_LABELS[section.assurance]))
    return Markup(" ").join(parts) if parts else Markup("–")


def rag_badge(status: str | None) -> Markup:
    label = status or "none"
    return Markup(f'<span class="rag rag-{label}">{(status or "n/a").upper() if status else "n/a"}</span>')


def target_text(section: IndicatorSection) -> str:
    t = section.target
    if t is None or t.target is None:
        return "–"
    sign = "≥" if t.polarity == "up" else "≤" if t.polarity == "down" else ""
    return f"{sign}{fmt(t.target, section.info.unit)}"


def bench_value(section: IndicatorSection, which: str) -> str:
    latest = section.benchmark.latest if section.benchmark else None
    if latest is None:
        return "–"
    if which == "england":
        return latest.england.shown
    years = sorted(latest.neighbours, reverse=True)
    median = latest.neighbours[years[0]].median if years else None
    return "–" if median is None else f"{median:.1f}"


def rank_text(section: IndicatorSection) -> str:
    latest = section.benchmark.latest if section.benchmark else None
    if latest is None or latest.rank is None:
        return "–"
    return f"{latest.rank}/{latest.ranked} ({latest.band})"


def environment() -> Environment:
    env = Environment(loader=PackageLoader("cscperf.digest", "templates"), autoescape=select_autoescape(["html", "j2"]))
    env.globals.update(show=show, count=count, icons=icons, rag_badge=rag_badge, target_text=target_text,
                       bench_value=bench_value, rank_text=rank_text, arrow=lambda t: ARROWS.get(t or "", "–"),
                       fmt1=lambda v: "–" if v is None else f"{v:.1f}")
    return env


def render_html(model: DigestModel, charts: dict[str, str | None] | None = None, *, pdf: bool = False,
                chart_urls: dict[str, str] | None = None) -> str:
    """The digest page; ``charts`` (indicator -> SVG) are computed when not given, and inlined as
    ``data:`` URIs. ``pdf``: the page the PDF is made from, whose team breakdowns show only the
    teams that most need attention and the best (teams.py); the HTML file keeps every team.
    ``chart_urls`` (indicator -> URL) instead of ``charts``: the page refers to charts not drawn
    yet, which the PDF process fetches as they are made (pdfworker)."""
    if chart_urls is not None:
        encoded: dict[str, str | None] = dict(chart_urls)
    else:
        if charts is None:
            charts = chart_svgs(model.sections())
        encoded = {k: "data:image/svg+xml;base64," + base64.b64encode(v.encode("utf-8")).decode("ascii") if v else None
                   for k, v in charts.items()}
    titles = {s.info.id: s.info.title for s in model.sections()}
    units = {s.info.id: s.info.unit for s in model.sections()}
    teams = {t.team_id: t.team_name for s in model.sections() for t in s.teams}
    css = resources.files("cscperf.digest").joinpath("templates/digest.css").read_text(encoding="utf-8")
    return environment().get_template("digest.html.j2").render(
        m=model, css=Markup(css), charts=encoded, month_name=model.month.strftime("%B %Y"),
        month_short=model.month.strftime("%b %Y"), title_of=lambda i: titles.get(i, i),
        unit_of=lambda i: units.get(i, "number"), team_name=lambda t: teams.get(t, t), pdf=pdf,
        team_extract=lambda s: extract(s.teams, s.info.polarity), teams_off_target=teams_off_target,
    )


def write_pdf(html: str, path: Path) -> None:
    from cscperf.digest import pdfworker

    pdfworker.write_pdf(html, str(path))
