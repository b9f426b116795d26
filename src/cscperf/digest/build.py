"""Write one month's digest for one audience: digest.html, digest.pdf and digest.xlsx in a folder."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cscperf.core.errors import CscperfError
from cscperf.digest.catalogue import Catalogue, default_catalogue
from cscperf.digest.charts import chart_svgs
from cscperf.digest.excel import write_xlsx
from cscperf.digest.model import AUDIENCES, DigestModel, build_model
from cscperf.digest.pdfworker import PdfWorker
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
    # The PDF's process starts first (it loads WeasyPrint while the model and charts are made) and
    # renders while this process writes the HTML and the workbook: two cores, not one.
    with PdfWorker(enabled=pdf) as worker:
        model = build_model(engine, month, AUDIENCES[audience], catalogue or default_catalogue(),
                            load_targets(targets_path), la_code, baseline=baseline)
        out.mkdir(parents=True, exist_ok=True)
        charts = chart_svgs(model.sections())
        pdf_path = None
        if pdf:
            pdf_path = out / "digest.pdf"
            worker.submit(render_html(model, charts, pdf=True), pdf_path)
        html_path = out / "digest.html"
        html_path.write_text(render_html(model, charts), encoding="utf-8")
        xlsx_path = out / "digest.xlsx"
        write_xlsx(model, xlsx_path)
        worker.wait()
    return Written(model, html_path, pdf_path, xlsx_path)
