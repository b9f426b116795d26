"""The digest's PDF made in a process of its own.

WeasyPrint lays out and draws on one thread and is most of the digest's time. Started before the
model and the charts are made, the process imports WeasyPrint and loads its fonts on the second
core meanwhile; the PDF page is then handed to it, and it renders while this process writes the
HTML and the workbook. Any failure to run the process (no ``spawn`` allowed, a broken pool) falls
back to rendering here, so the PDF is made either way. This module imports nothing heavy: the
child process loads only what it needs.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path


def write_pdf(html: str, path: str | Path) -> None:
    """The PDF of a digest page (A4 and page numbers come from the page's own CSS)."""
    from weasyprint import HTML

    HTML(string=html, base_url=None).write_pdf(str(path), presentational_hints=True)


def _warm_up() -> None:
    """Import WeasyPrint and let fontconfig and Pango find the fonts before the real page arrives."""
    from weasyprint import HTML

    HTML(string='<p style="font-family: DejaVu Sans">warm</p>').render()


class PdfWorker:
    """``with PdfWorker() as worker: ...; worker.submit(html, path); ...; worker.wait()``."""

    def __init__(self, enabled: bool = True):
        self._pool: ProcessPoolExecutor | None = None
        self._job: tuple[Future, str, Path] | None = None
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

    def submit(self, html: str, path: Path) -> None:
        if self._pool is None:
            write_pdf(html, path)
            return
        try:
            self._job = (self._pool.submit(write_pdf, html, str(path)), html, path)
        except (BrokenProcessPool, RuntimeError):
            write_pdf(html, path)

    def wait(self) -> None:
        """Block until the PDF is written; render it here if the process died."""
        if self._job is None:
            return
        future, html, path = self._job
        self._job = None
        try:
            future.result()
        except BrokenProcessPool:
            write_pdf(html, path)
