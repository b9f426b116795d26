"""The digest's PDF made in a process of its own, alongside the charts.

WeasyPrint lays out and draws on one thread and is most of the digest's time, so it should start as
early as it can. The process is started first: it imports WeasyPrint and loads its fonts while the
model is built. It then gets the PDF page at once, with each chart as a ``cscperf-chart:<n>`` URL,
and parses and styles the page while the charts are drawn; WeasyPrint asks for each chart when it
builds that box, and the fetcher waits for the file the main process writes when the chart is
ready. The main process meanwhile writes the HTML and the workbook. If the process cannot run, the
PDF is made here once the charts are written. The process is a fresh interpreter running this
module (``python -m cscperf.digest.pdfworker FOLDER``), not a multiprocessing child, which would
re-run the caller's main script. Nothing heavy is imported by this module: the child loads only
what it needs.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
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


PAGE, JOB, STDERR = "page.html", "job", "stderr.txt"


class PdfWorker:
    """``with PdfWorker(folder) as w: w.submit(page, path); <put_chart(folder, ...)>; w.wait()``.
    ``folder`` is the scratch folder shared with the PDF process (page, job, charts)."""

    def __init__(self, folder: Path, enabled: bool = True):
        self.folder = folder
        self._proc: subprocess.Popen | None = None
        self._job: tuple[str, str] | None = None
        if enabled:
            package_root = str(Path(__file__).resolve().parents[2])
            env = {**os.environ, "PYTHONPATH": os.pathsep.join(
                p for p in (package_root, os.environ.get("PYTHONPATH")) if p)}
            try:
                with open(folder / STDERR, "wb") as err:
                    self._proc = subprocess.Popen([sys.executable, "-m", "cscperf.digest.pdfworker", str(folder)],
                                                  stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                                                  env=env)
            except OSError:
                self._proc = None

    def __enter__(self) -> PdfWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._proc is not None and self._proc.poll() is None:
            abandon(self.folder)
            try:
                self._proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()

    def submit(self, html: str, path: Path) -> None:
        """Hand the page over (its charts may follow)."""
        (self.folder / PAGE).write_text(html, encoding="utf-8")
        self._job = (html, str(path))
        tmp = self.folder / f".{JOB}"
        tmp.write_text(str(path), encoding="utf-8")
        os.replace(tmp, self.folder / JOB)

    def wait(self) -> None:
        """Block until the PDF is written (every chart must be handed over by now); render it here
        when there is no process or it failed (an error then surfaces here, as in process)."""
        if self._job is None:
            return
        html, path = self._job
        self._job = None
        if self._proc is not None and self._proc.wait() == 0:
            return
        write_pdf(html, path, str(self.folder))


def _serve(folder: Path) -> int:
    """The PDF process: warm up, wait for the job, render it."""
    _warm_up()
    while not (folder / JOB).exists():
        if (folder / ABANDON).exists():
            return 0
        time.sleep(0.01)
    path = (folder / JOB).read_text(encoding="utf-8")
    write_pdf((folder / PAGE).read_text(encoding="utf-8"), path, str(folder))
    return 0


if __name__ == "__main__":
    sys.exit(_serve(Path(sys.argv[1])))
