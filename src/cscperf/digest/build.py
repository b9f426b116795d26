"""Write one month's digest for one audience: digest.html, digest.pdf and digest.xlsx in a folder."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cscperf.core.errors import CscperfError
from cscperf.digest.catalogue import Catalogue, default_catalogue
from cscperf.digest.charts import chart_svgs, warm_up
from cscperf.digest.excel import write_xlsx
from cscperf.digest.model import AUDIENCES, DigestModel, build_model
from cscperf.digest.pdfworker import PdfWorker, abandon, chart_url, put_chart, trace
from cscperf.digest.render import render_html
from cscperf.digest.targets import load_targets
from cscperf.store.engine import Engine


@dataclass(frozen=True)
class Written:
    model: DigestModel
    html: Path
    pdf: Path | None
    xlsx: Path


def write_digest(engine: Engine, month: date, audience: str, out: Path, *, la_code: str,
                 targets_path: Path | None = None, catalogue: Catalogue | None = None, pdf: bool = True,
                 baseline: tuple[date, date] | None = None) -> Written:
    if audience not in AUDIENCES:
        raise CscperfError(f"unknown audience {audience!r}: choose one of {', '.join(AUDIENCES)}")
    # The PDF's processes start first (they load WeasyPrint while the model is built), get the page
    # before the charts exist and take each chart as it is drawn; this process then writes the
    # HTML and the workbook (pdfworker.py).
    with tempfile.TemporaryDirectory(prefix="cscperf-digest-") as scratch, PdfWorker(Path(scratch), pdf) as worker:
        folder = Path(scratch)
        try:
            trace("main: imported, model")
            charting = warm_up()  # vl-convert's runtime starts while the model is built
            model = build_model(engine, month, AUDIENCES[audience], catalogue or default_catalogue(),
                                load_targets(targets_path), la_code, baseline=baseline)
            out.mkdir(parents=True, exist_ok=True)
            numbers = {s.info.id: n for n, s in enumerate(model.sections()) if s.chart is not None}
            pdf_path = None
            if pdf:
                pdf_path = out / "digest.pdf"
                urls = {k: chart_url(n) for k, n in numbers.items()}
                worker.submit(render_html(model, pdf=True, chart_urls=urls), pdf_path)
                trace("main: PDF page handed over")
            charting.join()
            charts = chart_svgs(model.sections(), done=lambda key, svg: put_chart(folder, numbers[key], svg))
            trace("main: charts drawn")
            html_path = out / "digest.html"
            html_path.write_text(render_html(model, charts), encoding="utf-8")
            xlsx_path = out / "digest.xlsx"
            write_xlsx(model, xlsx_path)
            trace("main: HTML and workbook written")
            worker.wait()
            trace("main: PDF written")
        except BaseException:
            abandon(folder)  # the PDF process stops waiting for charts that will not come
            raise
    return Written(model, html_path, pdf_path, xlsx_path)
