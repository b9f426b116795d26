"""Charts for the digest as SVG text (altair -> Vega-Lite -> vl-convert, all offline): the 24-month
series on its XmR chart (mean, process limits, special-cause points coloured by MDC convention),
the target, and England's and the neighbours' latest published values as reference lines."""

from __future__ import annotations

import hashlib
import json
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Callable, Iterable

import vl_convert as vlc

from cscperf.digest.model import IndicatorSection

# Making Data Count colours: improvement blue, concern orange, no judgement purple, common cause grey.
COLOURS = {"improving": "#1d70b8", "concerning": "#f47738", "neither": "#6f4b9e", "common": "#6f777b"}
WIDTH, HEIGHT = 520, 190


def _kind(section: IndicatorSection, index: int) -> str:
    chart = section.chart
    if chart is None:
        return "common"
    sides = {s.side for s in chart.signals if index in s.points}
    if not sides:
        return "common"
    side = sorted(sides)[0]
    polarity = section.info.polarity
    if polarity == "none":
        return "neither"
    good = "high" if polarity == "up" else "low"
    return "improving" if side == good else "concerning"


def chart_spec(section: IndicatorSection) -> dict | None:
    """The Vega-Lite spec of one indicator's chart; None when there is nothing to plot."""
    chart = section.chart
    if chart is None:
        return None
    points = [
        {"month": m.isoformat(), "value": round(v, 3), "kind": _kind(section, i)}
        for i, (m, v) in enumerate(zip(section.chart_months, chart.values))
    ]
    lim = chart.limits
    lines = [
        {"label": "Mean", "y": lim.mean, "dash": "solid", "colour": "#505a5f"},
        {"label": "Upper limit", "y": lim.ucl, "dash": "dashed", "colour": "#b1b4b6"},
        {"label": "Lower limit", "y": lim.lcl, "dash": "dashed", "colour": "#b1b4b6"},
    ]
    if section.target and section.target.target is not None:
        lines.append({"label": "Target", "y": section.target.target, "dash": "dotted", "colour": "#d4351c"})
    latest = section.benchmark.latest if section.benchmark else None
    if latest and latest.england.value is not None:
        lines.append({"label": f"England {latest.time_period}", "y": latest.england.value, "dash": "dotdash", "colour": "#00703c"})
    if latest:
        for sn_year in sorted(latest.neighbours, reverse=True)[:1]:
            median = latest.neighbours[sn_year].median
            if median is not None:
                lines.append({"label": f"Neighbours {sn_year} median", "y": median, "dash": "dotdash", "colour": "#912b88"})
    dashes = {"solid": [1, 0], "dashed": [6, 4], "dotted": [2, 3], "dotdash": [8, 3, 2, 3]}
    for line in lines:
        line["dashes"] = dashes[line.pop("dash")]

    spec = json.loads(_template(section.info.unit.replace("_", " ")))
    spec["datasets"] = {"points": points, "lines": lines}
    return spec


@lru_cache(maxsize=1)
def _cache_folder() -> Path | None:
    """Where chart layouts are kept across processes: ``$CSCPERF_CACHE_DIR/charts`` (default
    ``~/.cache/cscperf/charts``; ``off`` turns it off), as for the rules' compiled SQL."""
    setting = os.environ.get("CSCPERF_CACHE_DIR")
    if setting == "off":
        return None
    base = Path(setting) if setting else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cscperf"
    return base / "charts"


@lru_cache(maxsize=1)
def _fingerprint() -> str:
    """What a cached layout depends on besides its key: this module's code, altair and vl-convert."""
    versions = [metadata.version(name) for name in ("altair", "vl-convert-python")]
    return hashlib.sha256(Path(__file__).read_bytes() + "|".join(versions).encode()).hexdigest()


def _cached(kind: str, key: str, make: Callable[[], str]) -> str:
    """``make()``, or the text it gave for ``key`` in an earlier process. A chart layout does not
    depend on the data: kept, it spares each digest importing altair, building the templates and
    compiling them to Vega (~0.6 CPU-s before the first chart). Unreadable or unwritable: made."""
    folder = _cache_folder()
    if folder is None:
        return make()
    path = folder / f"{kind}-{hashlib.sha256((_fingerprint() + kind + key).encode()).hexdigest()[:40]}.json"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        pass
    text = make()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass
    return text


def warm_up() -> threading.Thread:
    """Start vl-convert's JavaScript runtime on a thread (~0.4 CPU-s on the first chart), so it
    starts while the caller builds the model: call before ``chart_svgs`` and join before."""
    thread = threading.Thread(target=vlc.vega_to_svg, args=({"width": 1, "height": 1},), daemon=True)
    thread.start()
    return thread


@lru_cache(maxsize=32)
def _template(y_title: str) -> str:
    """The chart's Vega-Lite JSON for one axis title, its data as named datasets filled in per chart.
    Building and validating an altair chart costs ~50 ms of Python; the digest has ~50 charts and
    only a handful of units, so altair runs once per unit (and once per machine: ``_cached``)."""
    return _cached("vega-lite", y_title, lambda: _altair_template(y_title))


def _altair_template(y_title: str) -> str:
    import altair as alt

    base = alt.Chart(alt.Data(name="points"))
    # Quarterly month labels, no vertical gridlines, no tick marks, ~4 value gridlines: WeasyPrint
    # draws SVG text letter by letter and each SVG element costs Python in the PDF, so a chart
    # carries only what is read from it (the series table gives the months' exact values).
    x = alt.X("month:T", title=None, axis=alt.Axis(format="%b %y", labelAngle=-45, grid=False, ticks=False,
                                                   tickCount=alt.TimeIntervalStep(interval="month", step=3)))
    y = alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False), axis=alt.Axis(ticks=False, tickCount=4))
    series = base.mark_line(color="#0b0c0c", strokeWidth=1.5).encode(x=x, y=y)
    dots = base.mark_circle(size=36, opacity=1).encode(
        x=x, y=y,
        color=alt.Color("kind:N", scale=alt.Scale(domain=list(COLOURS), range=list(COLOURS.values())),
                        legend=alt.Legend(title="Variation", orient="bottom")),
    )
    refs = alt.Chart(alt.Data(name="lines"))
    rules = refs.mark_rule().encode(
        y="y:Q", color=alt.Color("colour:N", scale=None), strokeDash=alt.StrokeDash("dashes:N", scale=None, legend=None),
    )
    labels = refs.mark_text(align="left", dx=4, fontSize=9).encode(
        y="y:Q", x=alt.value(WIDTH), text="label:N", color=alt.Color("colour:N", scale=None),
    )
    layered = alt.layer(rules, series, dots, labels).properties(width=WIDTH, height=HEIGHT, padding={"right": 130})
    return json.dumps(layered.configure_view(stroke=None).to_dict())


@lru_cache(maxsize=32)
def _compiled(layout: str) -> str:
    """A chart layout (a Vega-Lite spec without its data) compiled to Vega by vl-convert, once: the
    compiled spec does not depend on the data, and compiling was ~30% of each chart's cost."""
    spec = json.loads(layout)
    spec["datasets"] = {"points": [], "lines": []}
    return _cached("vega", layout, lambda: json.dumps(vlc.vegalite_to_vega(spec)))


def render_svg(spec: dict) -> str:
    """The SVG of a chart spec: its layout's compiled Vega with this chart's datasets filled in
    (byte-identical to ``vlc.vegalite_to_svg(spec)``)."""
    vega = json.loads(_compiled(json.dumps({k: v for k, v in spec.items() if k != "datasets"}, sort_keys=True)))
    for data in vega["data"]:
        if data["name"] in spec["datasets"]:
            data["values"] = spec["datasets"][data["name"]]
    return vlc.vega_to_svg(vega)


def chart_svg(section: IndicatorSection) -> str | None:
    spec = chart_spec(section)
    return None if spec is None else render_svg(spec)


def chart_svgs(sections: Iterable[IndicatorSection], workers: int | None = None,
               done: Callable[[str, str], None] | None = None) -> dict[str, str | None]:
    """Every section's chart, indicator id -> SVG, each rendered once. vl-convert renders outside
    the GIL, so a thread per core renders charts side by side. ``done(id, svg)`` is called for each
    chart as it is ready, in the sections' order (the PDF process is waiting for them)."""
    specs = {s.info.id: chart_spec(s) for s in sections}
    todo = [(k, v) for k, v in specs.items() if v is not None]
    workers = workers or min(4, os.cpu_count() or 1)
    for _, v in todo:  # compile each layout once, before the threads share the cache
        _compiled(json.dumps({k: x for k, x in v.items() if k != "datasets"}, sort_keys=True))
    svgs: dict[str, str] = {}
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for key, svg in zip((k for k, _ in todo), pool.map(render_svg, (v for _, v in todo))):
            svgs[key] = svg
            if done is not None:
                done(key, svg)
    return {k: svgs.get(k) for k in specs}
