"""Charts: the Vega-Lite spec is altair's template with the indicator's own data, and rendering all
charts side by side gives exactly what rendering each on its own gives."""

import vl_convert as vlc

from cscperf.digest.charts import chart_spec, chart_svgs
from digest_fixtures import director_model


def test_spec_carries_the_section_series_limits_and_target(tmp_path):
    model = director_model(tmp_path)
    section = next(s for s in model.sections() if s.chart is not None and s.target and s.target.target is not None)
    spec = chart_spec(section)
    points = spec["datasets"]["points"]
    assert [p["value"] for p in points] == [round(v, 3) for v in section.chart.values]
    assert [p["month"] for p in points] == [m.isoformat() for m in section.chart_months]
    lines = {line["label"]: line["y"] for line in spec["datasets"]["lines"]}
    assert lines["Mean"] == section.chart.limits.mean and lines["Upper limit"] == section.chart.limits.ucl
    assert lines["Target"] == section.target.target
    # every layer reads one of the two named datasets, and the axis title is the section's unit
    assert {layer["data"]["name"] for layer in spec["layer"]} == {"points", "lines"}
    assert spec["layer"][1]["encoding"]["y"]["title"] == section.info.unit.replace("_", " ")


def test_parallel_rendering_equals_one_by_one(tmp_path):
    """Also proves the compiled-once Vega (charts._compiled) draws exactly what Vega-Lite does."""
    model = director_model(tmp_path)
    sections = list(model.sections())
    together = chart_svgs(sections, workers=2)
    assert set(together) == {s.info.id for s in sections}
    for s in sections:
        spec = chart_spec(s)
        alone = None if spec is None else vlc.vegalite_to_svg(spec)
        assert together[s.info.id] == alone
    assert any(v and "<svg" in v for v in together.values())


def test_chart_layouts_are_kept_across_processes_without_altair(tmp_path):
    """A digest after the first on a machine neither imports altair nor compiles Vega-Lite: the
    layouts come from the cache (charts._cached), identical to what altair and vl-convert give."""
    import json
    import os
    import subprocess
    import sys

    script = ("import json, sys\n"
              "from cscperf.digest import charts\n"
              "layout = charts._template('count')\n"
              "print(json.dumps([layout, charts._compiled(layout), 'altair' in sys.modules]))\n")
    env = {**os.environ, "CSCPERF_CACHE_DIR": str(tmp_path / "cache")}

    def run(environment):
        done = subprocess.run([sys.executable, "-c", script], env=environment, capture_output=True, text=True, check=True)
        return json.loads(done.stdout)

    first, second = run(env), run(env)
    assert first[2] is True and second[2] is False  # altair only when the cache was empty
    assert first[:2] == second[:2]
    from cscperf.digest import charts

    assert first[0] == charts._altair_template("count")
    assert json.loads(first[1]) == vlc.vegalite_to_vega({**json.loads(first[0]), "datasets": {"points": [], "lines": []}})
    assert len(list((tmp_path / "cache" / "charts").glob("*.json"))) == 2
    off = run({**os.environ, "CSCPERF_CACHE_DIR": "off"})
    assert off[2] is True and off[:2] == first[:2]
