"""The digest's PDF made in a process of its own, alongside the charts.

WeasyPrint lays out and draws on one thread and is most of the digest's time, so it should start as
early as it can. The process is started first: it imports WeasyPrint and loads its fonts while the
model is built. It then gets the PDF page at once, with each chart as a ``cscperf-chart:<n>`` URL,
and parses and styles the page while the charts are drawn; WeasyPrint asks for each chart when it
builds that box, and the fetcher waits for the file the main process writes when the chart is
ready. The main process meanwhile writes the HTML and the workbook. If the process cannot run, the
PDF is made here once the charts are written. Nothing heavy is imported by this module: the child
loads only what it needs.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

SCHEME = "cscperf-chart:"
ABANDON = "abandon"  # written into the chart folder when the main process fails: stop waiting
WAIT_SECONDS = 300.0


def chart_url(n: int) -> str:
    return f"{SCHEME}{n}"


def put_chart(folder: Path, n: int, svg: str) -> None:
    """Hand a ready chart to the PDF process (atomic: it never reads half a file)."""
    tmp = folder / f".{n}.svg"
    tmp.write_text(svg, encoding="utf-8")
    os.replace(tmp, folder / f"{n}.svg")


def abandon(folder: Path) -> None:
    (folder / ABANDON).touch()


def _wait_for(folder: str, url: str) -> bytes:
    path = Path(folder) / f"{int(url[len(SCHEME):])}.svg"
    deadline = time.monotonic() + WAIT_SECONDS
    while not path.exists():
        if (Path(folder) / ABANDON).exists() or time.monotonic() > deadline:
            raise ValueError(f"chart {url} never arrived")
        time.sleep(0.01)
    return path.read_bytes()


def write_pdf(html: str, path: str, charts_folder: str | None = None) -> None:
    """The PDF of a digest page (A4 and page numbers come from the page's own CSS); its charts
    are ``data:`` URIs, or ``cscperf-chart:<n>`` files awaited in ``charts_folder``."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class Charts(URLFetcher):
        """The digest page refers to nothing but its charts: no network, no files."""

        def fetch(self, url, headers=None):
            if charts_folder is not None and url.startswith(SCHEME):
                return URLFetcherResponse(url, _wait_for(charts_folder, url), {"Content-Type": "image/svg+xml"})
            if url.startswith("data:"):
                return super().fetch(url, headers)
            raise ValueError("the digest's PDF fetches nothing but its charts")

    HTML(string=html, base_url=None, url_fetcher=Charts()).write_pdf(path, presentational_hints=True)


def _warm_up() -> None:
    """Import WeasyPrint and let fontconfig and Pango find the fonts before the real page arrives."""
    from weasyprint import HTML

    HTML(string='<p style="font-family: DejaVu Sans">warm</p>').render()


class PdfWorker:
    """``with PdfWorker() as w: w.submit(page, path, folder); <write the charts>; w.wait()``."""

    def __init__(self, enabled: bool = True):
        self._pool: ProcessPoolExecutor | None = None
        self._job: tuple[Future | None, str, str, str | None] | None = None
        if enabled:
            try:
                self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                                 initializer=_warm_up)
                self._pool.submit(int)  # starts the process now, so the warm-up overlaps our work
            except (OSError, RuntimeError):
                self._pool = None

    def __enter__(self) -> PdfWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def submit(self, html: str, path: Path, charts_folder: Path | None = None) -> None:
        folder = None if charts_folder is None else str(charts_folder)
        future = None
        if self._pool is not None:
            try:
                future = self._pool.submit(write_pdf, html, str(path), folder)
            except (BrokenProcessPool, RuntimeError):
                future = None
        self._job = (future, html, str(path), folder)

    def wait(self) -> None:
        """Block until the PDF is written (all charts must be handed over by now); render it here
        when there is no process or it died."""
        if self._job is None:
            return
        future, html, path, folder = self._job
        self._job = None
        if future is not None:
            try:
                future.result()
                return
            except BrokenProcessPool:
                pass
        write_pdf(html, path, folder)
