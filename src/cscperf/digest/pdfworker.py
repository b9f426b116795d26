"""The digest's PDF made in processes of their own, alongside the charts.

WeasyPrint lays out and draws on one thread and is most of the digest's time, so it should start as
early as it can, and on two cores it should use both. Two processes are started first (one on a
machine with one core): they import WeasyPrint and load fonts while the model is built. Each then
gets its piece of the PDF page (pdfpieces.py: the first lays out the summary and the first
indicators, the second the rest; they swap page counts for "Page N of M", and the first adds the
cover with its contents' page numbers and merges, pdfsplit.py). They get the page at once, with
each chart as a ``cscperf-chart:<n>`` URL, and parse and style it while the charts are drawn;
WeasyPrint asks for each chart when it builds that box, and the fetcher waits for the file the
main process writes when the chart is ready. The main process meanwhile writes the HTML and the
workbook. If a process cannot run or fails, the PDF is made here, whole, once the charts are
written. A process is a fresh interpreter running this module (``python -m
cscperf.digest.pdfworker FOLDER ROLE``), not a multiprocessing child, which would re-run the
caller's main script. Nothing heavy is imported by this module: the child loads only what it needs.
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


def trace(what: str) -> None:
    """With ``CSCPERF_DIGEST_TRACE=FILE``, append "wall clock, this process's CPU seconds, what" to
    FILE: the digest's timeline across its processes (docs/performance.md); else nothing."""
    target = os.environ.get("CSCPERF_DIGEST_TRACE")
    if target:
        with open(target, "a", encoding="utf-8") as f:
            f.write(f"{time.time():.3f} {time.process_time():.2f} {os.getpid()} {what}\n")


def _fetcher(charts_folder: str | None):
    """WeasyPrint's URL fetcher for a digest page: its charts (drawn from their print SVG,
    printsvg.py), nothing else (no network, no files)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    from cscperf.digest.printsvg import print_svg

    class Charts(URLFetcher):
        def fetch(self, url, headers=None):
            if charts_folder is not None and url.startswith(SCHEME):
                svg = print_svg(_wait_for(charts_folder, url))
                return URLFetcherResponse(url, svg, {"Content-Type": "image/svg+xml"})
            if url.startswith("data:"):
                return super().fetch(url, headers)
            raise ValueError("the digest's PDF fetches nothing but its charts")

    return Charts()


def write_pdf(html: str, path: str, charts_folder: str | None = None) -> None:
    """The PDF of a digest page (A4 and page numbers come from the page's own CSS); its charts
    are ``data:`` URIs, or ``cscperf-chart:<n>`` files awaited in ``charts_folder``."""
    from weasyprint import HTML

    HTML(string=html, base_url=None, url_fetcher=_fetcher(charts_folder)).write_pdf(path, presentational_hints=True)


def _warm_up() -> None:
    """Import WeasyPrint and let fontconfig and Pango find the fonts before the real page arrives."""
    from weasyprint import HTML

    HTML(string='<p style="font-family: DejaVu Sans">warm</p>').render()


PAGE, STDERR = "page.html", "stderr.txt"
WHOLE, FIRST, SECOND = "whole", "first", "second"  # a process's part: the page, or a piece of it


def processes() -> int:
    """PDF processes to start: two (each lays out half the page, pdfpieces.py) on a machine with
    two cores or more, else one; ``CSCPERF_PDF_PROCESSES=1`` forces one."""
    wanted = os.environ.get("CSCPERF_PDF_PROCESSES")
    if wanted in ("1", "2"):
        return int(wanted)
    return 2 if (os.cpu_count() or 1) >= 2 else 1


def _mark(folder: Path, name: str, text: str = "") -> None:
    tmp = folder / f".{name}"
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, folder / name)


class PdfWorker:
    """``with PdfWorker(folder) as w: w.submit(page, path); <put_chart(folder, ...)>; w.wait()``.
    ``folder`` is the scratch folder shared with the PDF processes (page, jobs, charts)."""

    def __init__(self, folder: Path, enabled: bool = True, count: int | None = None):
        self.folder = folder
        self._procs: dict[str, subprocess.Popen] = {}
        self._job: tuple[str, str] | None = None
        self._done = False
        if not enabled:
            return
        package_root = str(Path(__file__).resolve().parents[2])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            p for p in (package_root, os.environ.get("PYTHONPATH")) if p)}
        for role in ((FIRST, SECOND) if (count or processes()) == 2 else (WHOLE,)):
            try:
                with open(folder / f"{role}-{STDERR}", "wb") as err:
                    self._procs[role] = subprocess.Popen(
                        [sys.executable, "-m", "cscperf.digest.pdfworker", str(folder), role],
                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err, env=env)
            except OSError:
                break

    def __enter__(self) -> PdfWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        # Reaped even when the PDF is written (they end at once then): their CPU time and memory
        # count as this process's children's, as measurements of the digest expect.
        if not self._done and any(p.poll() is None for p in self._procs.values()):
            abandon(self.folder)
        for proc in self._procs.values():
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def submit(self, html: str, path: Path) -> None:
        """Hand the page over (its charts may follow): cut in pieces for two processes, whole for
        one; a page that cannot be cut goes whole to the first process, the second stops."""
        self._job = (html, str(path))
        Path(path).unlink(missing_ok=True)  # its appearing says the PDF is written (wait)
        _mark(self.folder, PAGE, html)
        if set(self._procs) == {FIRST, SECOND}:
            from cscperf.digest.pdfpieces import split_page

            pieces = split_page(html)
            if pieces is not None:
                for name, text in (("cover", pieces.cover), (FIRST, pieces.first), (SECOND, pieces.second)):
                    _mark(self.folder, f"{name}.html", text)
                _mark(self.folder, f"job-{SECOND}", SECOND)
                _mark(self.folder, f"job-{FIRST}", f"{FIRST}\n{path}")
                return
            _mark(self.folder, f"job-{SECOND}", "none")
        role = FIRST if FIRST in self._procs else WHOLE
        _mark(self.folder, f"job-{role}", f"{WHOLE}\n{path}")

    def wait(self) -> None:
        """Block until the PDF is written (every chart must be handed over by now); render it here
        when there is no process or one failed (an error then surfaces here, as in process). The
        processes write the PDF under its name last, at once: it is done when it is there."""
        if self._job is None:
            return
        html, path = self._job
        self._job = None
        while not Path(path).exists() and any(p.poll() is None for p in self._procs.values()):
            for role, proc in self._procs.items():
                if proc.poll() not in (None, 0) and not (self.folder / f"{role}.failed").exists():
                    _mark(self.folder, f"{role}.failed")  # the other process stops waiting for it
            time.sleep(0.005)
        if self._procs and Path(path).exists():
            self._done = True
            return
        write_pdf(html, path, str(self.folder))


def _await(folder: Path, name: str, other: str) -> bytes:
    """The content of file ``name``, written by the process ``other`` (which may fail instead)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not (folder / name).exists():
        if (folder / f"{other}.failed").exists() or (folder / ABANDON).exists() or time.monotonic() > deadline:
            raise RuntimeError(f"{other} PDF process stopped")
        time.sleep(0.005)
    return (folder / name).read_bytes()


def _serve(folder: Path, role: str) -> int:
    """A PDF process: warm up, wait for the job, do it."""
    trace(f"{role} up")
    _warm_up()
    trace(f"{role} warm")
    try:
        job = _await(folder, f"job-{role}", "main").decode("utf-8").split("\n")
    except RuntimeError:
        return 0
    try:
        if job[0] == WHOLE:
            tmp = Path(job[1]).with_name(f".{Path(job[1]).name}.tmp")
            write_pdf((folder / PAGE).read_text(encoding="utf-8"), str(tmp), str(folder))
            os.replace(tmp, job[1])
        elif job[0] == FIRST:
            _first(folder, job[1])
        elif job[0] == SECOND:
            _second(folder)
    except BaseException:
        _mark(folder, f"{role}.failed")
        raise
    return 0


def _piece(folder: Path, role: str, other: str):
    """Lay out this process's piece, numbered after the cover and the first piece."""
    from cscperf.digest.pdfpieces import COVER_PAGES
    from cscperf.digest.pdfsplit import render_piece

    def numbering(pages: int) -> tuple[int, int]:
        trace(f"{role} laid out {pages}")
        _mark(folder, f"{role}.pages", str(pages))
        theirs = int(_await(folder, f"{other}.pages", other))
        first = pages if role == FIRST else theirs
        return COVER_PAGES + (0 if role == FIRST else first), COVER_PAGES + pages + theirs

    return render_piece((folder / f"{role}.html").read_text(encoding="utf-8"), _fetcher(str(folder)), numbering)


def _cover(folder: Path, pieces: list[dict]):
    """The cover, its contents numbered from where the pieces put each section."""
    from cscperf.digest.pdfpieces import COVER_PAGES, number_cover
    from cscperf.digest.pdfsplit import render_piece

    total = COVER_PAGES + sum(piece["pages"] for piece in pieces)
    pages = {name: where[0] + 1 for piece in pieces for name, where in piece["anchors"].items()}
    cover_html = number_cover((folder / "cover.html").read_text(encoding="utf-8"), pages)
    cover = render_piece(cover_html, _fetcher(str(folder)), lambda n: (0, total))
    if len(cover.pages) != COVER_PAGES:
        raise RuntimeError(f"the cover took {len(cover.pages)} pages, not {COVER_PAGES}")
    return cover


def _publish(folder: Path, name: str, data: bytes) -> None:
    tmp = folder / f".{name}"
    tmp.write_bytes(data)
    os.replace(tmp, folder / name)


def _second(folder: Path) -> None:
    """The second piece: its facts (page count, anchors, headings) as soon as it is laid out; its
    PDF; then the cover (the first, which merges, has more to draw)."""
    import json

    from cscperf.digest.pdfpieces import COVER_PAGES
    from cscperf.digest.pdfsplit import facts

    trace("second start")
    document = _piece(folder, SECOND, FIRST)
    trace("second rendered")
    first_page = COVER_PAGES + int((folder / f"{FIRST}.pages").read_text(encoding="utf-8"))
    second_facts = facts(document, first_page)
    _mark(folder, f"{SECOND}.json", json.dumps(second_facts))
    _publish(folder, f"{SECOND}.pdf", document.write_pdf())
    trace("second written")
    first_facts = json.loads(_await(folder, f"{FIRST}.json", FIRST))
    cover = _cover(folder, [first_facts, second_facts])
    _mark(folder, "cover.json", json.dumps(facts(cover, 0)))
    _publish(folder, "cover.pdf", cover.write_pdf())
    trace("cover written")


def _first(folder: Path, path: str) -> None:
    """The first piece, merged as soon as it is drawn; then the second piece and the cover, which
    the second process draws."""
    import json

    from cscperf.digest.pdfpieces import COVER_PAGES
    from cscperf.digest.pdfsplit import Merger, facts

    trace("first start")
    document = _piece(folder, FIRST, SECOND)
    trace("first rendered")
    first_facts = facts(document, COVER_PAGES)
    _mark(folder, f"{FIRST}.json", json.dumps(first_facts))
    merger = Merger()
    merger.add(document.write_pdf(), first_facts)
    trace("first written")
    second = _await(folder, f"{SECOND}.pdf", SECOND)
    merger.add(second, json.loads((folder / f"{SECOND}.json").read_bytes()))
    cover = _await(folder, "cover.pdf", SECOND)
    trace("first got second and cover")
    merger.add(cover, json.loads((folder / "cover.json").read_bytes()))
    merged = merger.finish(lang=document.metadata.lang)
    trace("merged")
    _publish(Path(path).parent, Path(path).name, merged)


if __name__ == "__main__":
    code = _serve(Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else WHOLE)
    sys.stderr.flush()
    os._exit(code)  # done: no teardown of WeasyPrint's ~200 MB of objects (an error raised above instead)
