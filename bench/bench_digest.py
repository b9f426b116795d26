"""How long the digest takes for a large council: 26 indicators x 36 months x (council + 20 teams +
400 workers), every audience. Prints a table of each step's time, its share of the run, and peak
memory. Baseline in the same run: building the model (pure SQL + Python) - the ratio says how much
each rendering step costs relative to reading the data.

    PYTHONPATH=src python bench/bench_digest.py
"""

from __future__ import annotations

import random
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from cscperf.digest.catalogue import default_catalogue  # noqa: E402
from cscperf.digest.charts import chart_svg  # noqa: E402
from cscperf.digest.excel import write_xlsx  # noqa: E402
from cscperf.digest.model import AUDIENCES, add_months, build_model  # noqa: E402
from cscperf.digest.render import render_html, write_pdf  # noqa: E402
from cscperf.digest.targets import load_targets  # noqa: E402
from cscperf.store import open_engine  # noqa: E402
from cscperf.store.migrate import migrate  # noqa: E402
from cscperf.store.rows import to_arrow  # noqa: E402

MONTH = date(2026, 3, 1)
TEAMS = [f"T{i:02d}" for i in range(20)]
WORKERS = 400


def seed(engine) -> int:
    rnd = random.Random(1)
    ids = [i.id for i in default_catalogue().all()]
    rows = []
    for iid in ids:
        for k in range(36):
            m = add_months(MONTH, -35 + k)
            end = add_months(m, 1)
            base = {"run_id": 1, "indicator_id": iid, "period_start": m, "period_end": date.fromordinal(end.toordinal() - 1)}
            den = rnd.randint(80, 400)
            num = rnd.randint(0, den)
            rows.append({**base, "level": "council", "numerator": num, "denominator": den, "value": num / den * 100})
            for t in TEAMS:
                d = rnd.randint(2, 40)
                n = rnd.randint(0, d)
                rows.append({**base, "level": "team", "team_id": t, "numerator": n, "denominator": d, "value": n / d * 100})
            for w in range(WORKERS):
                d = rnd.randint(1, 20)
                n = rnd.randint(0, d)
                rows.append({**base, "level": "worker", "team_id": TEAMS[w % 20], "worker_id": f"W{w}",
                             "numerator": n, "denominator": d, "value": n / d * 100})
    engine.insert("indicator_result", to_arrow("indicator_result", rows))
    engine.insert("team", to_arrow("team", [{"team_id": t, "team_name": f"Team {t}", "load_id": 1} for t in TEAMS]))
    return len(rows)


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench_digest_"))
    engine = open_engine(str(folder / "store.duckdb"))
    migrate(engine)
    t0 = time.perf_counter()
    n = seed(engine)
    print(f"seeded {n:,} indicator_result rows in {time.perf_counter() - t0:.1f} s")
    dfe = Path("/work/shared/reference/dfe")
    if dfe.is_dir():
        from cscperf.digest.benchmarks import import_files

        t0 = time.perf_counter()
        import_files(engine, [dfe])
        print(f"imported DfE benchmarks in {time.perf_counter() - t0:.1f} s (once, not per digest)")
    timings: list[tuple[str, str, float]] = []
    for audience in ("director", "scrutiny"):
        t0 = time.perf_counter()
        model = build_model(engine, MONTH, AUDIENCES[audience], default_catalogue(), load_targets(), "883")
        timings.append((audience, "model", time.perf_counter() - t0))
        t0 = time.perf_counter()
        charts = {s.info.id: chart_svg(s) for s in model.sections()}
        timings.append((audience, f"charts ({len(charts)})", time.perf_counter() - t0))
        t0 = time.perf_counter()
        html = render_html(model, charts)
        (folder / f"{audience}.html").write_text(html)
        timings.append((audience, "html", time.perf_counter() - t0))
        t0 = time.perf_counter()
        # WeasyPrint's whole cost in one process (write_digest splits it over two: docs/digest.md)
        write_pdf(render_html(model, charts, pdf=True), folder / f"{audience}.pdf")
        timings.append((audience, "pdf", time.perf_counter() - t0))
        t0 = time.perf_counter()
        write_xlsx(model, folder / f"{audience}.xlsx")
        timings.append((audience, "xlsx", time.perf_counter() - t0))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n{'audience':<10} {'step':<14} {'seconds':>8} {'x model':>8}")
    for audience in ("director", "scrutiny"):
        base = next(t for a, s, t in timings if a == audience and s == "model")
        total = 0.0
        for a, step, t in timings:
            if a == audience:
                total += t
                print(f"{a:<10} {step:<14} {t:>8.2f} {t / base:>8.1f}")
        print(f"{audience:<10} {'total':<14} {total:>8.2f} {total / base:>8.1f}")
    print(f"\npeak memory (RSS): {peak_mb:,.0f} MB; output in {folder}")


if __name__ == "__main__":
    main()
