"""The PDF laid out in two processes (pdfpieces.py, pdfsplit.py, pdfworker.py) is the PDF one
process makes: same pages, text, page numbers, contents, links and outline."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from cscperf.digest.build import write_digest
from cscperf.digest.charts import chart_svgs
from cscperf.digest.pdfpieces import ANCHOR, MARK, split_page, number_cover
from cscperf.digest.pdfworker import FIRST, SECOND, PdfWorker, write_pdf
from cscperf.digest.render import render_html
from digest_fixtures import MONTH, seeded_store


def _pages_text(pdf) -> list[str]:
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils (pdftotext) not installed")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")


def _outline(reader: PdfReader) -> list[tuple]:
    found: list[tuple] = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item), round(float(item.top))))

    walk(reader.outline, 0)
    return found


def _links(reader: PdfReader) -> list[tuple]:
    """(page, rectangle, target page, target top) of every internal link, however it is written
    (WeasyPrint: a named destination; the merge: an explicit one)."""
    found = []
    for number, page in enumerate(reader.pages):
        for ref in page.get("/Annots", []):
            annot = ref.get_object()
            dest = annot.get("/Dest")
            assert dest is not None, f"page {number + 1}: a link that goes nowhere ({annot.get('/A')})"
            rect = [round(float(v)) for v in annot["/Rect"]]
            if isinstance(dest, list):
                found.append((number, rect, reader.get_page_number(dest[0].get_object()), round(float(dest[3]))))
            else:
                named = reader.named_destinations[str(dest)]
                found.append((number, rect, reader.get_destination_page_number(named), round(float(named.top))))
    return found


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    """The director's PDF page of the small synthetic store, charts inline."""
    folder = tmp_path_factory.mktemp("split")
    engine = seeded_store(folder, benchmarks=True)
    model = write_digest(engine, MONTH, "director", folder / "d", la_code="883", pdf=False).model
    engine.close()
    return render_html(model, chart_svgs(model.sections()), pdf=True)


def test_two_processes_make_the_one_process_pdf(page, tmp_path):
    whole, split = tmp_path / "whole.pdf", tmp_path / "split.pdf"
    write_pdf(page, str(whole))
    (tmp_path / "scratch").mkdir()
    with PdfWorker(tmp_path / "scratch", count=2) as worker:
        worker.submit(page, split)
        worker.wait()
        assert all(p.wait(timeout=30) == 0 for p in worker._procs.values())  # no fallback to one process
    pieces = split_page(page)
    assert pieces is not None and 'id="ind-' in pieces.first and 'id="ind-' in pieces.second
    one, two = _pages_text(whole), _pages_text(split)
    assert len(one) == len(two) > 8
    assert one == two  # every page: text, "Page N of M", the contents' page numbers
    total = len(one) - 1  # pdftotext ends the last page with a form feed too
    assert f"Page 1 of {total}" in two[0] and f"Page {total} of {total}" in two[total - 1]
    assert re.search(r"Summary\s*\.+\s*2", two[0])
    a, b = PdfReader(whole), PdfReader(split)
    assert _outline(a) == _outline(b) and len(_outline(b)) > 10
    assert {depth for depth, *_ in _outline(b)} == {0, 1, 2}  # title > sections > indicators
    assert _links(a) == _links(b) and len(_links(b)) > 20  # contents, summary and off-target links
    assert b.metadata.title == a.metadata.title and b.trailer["/Root"]["/Lang"] == "en-GB"
    assert b.pages[0].mediabox == a.pages[0].mediabox


def _numbered_whole(pdf):
    """The pages' text, once the footers are checked to run from 1 to the last page."""
    text = _pages_text(pdf)
    total = len(text) - 1
    assert f"Page 1 of {total}" in text[0] and f"Page {total} of {total}" in text[total - 1]
    return text


def test_a_failed_piece_falls_back_to_one_process(page, tmp_path):
    (tmp_path / "scratch").mkdir()
    pdf = tmp_path / "d.pdf"
    with PdfWorker(tmp_path / "scratch", count=2) as worker:
        worker._procs[SECOND].kill()  # the second process dies: the first stops waiting for it
        worker.submit(page, pdf)
        worker.wait()
        assert worker._procs[FIRST].returncode != 0
    _numbered_whole(pdf)


def test_a_cover_longer_than_a_page_falls_back_to_one_process(page, tmp_path):
    """The pieces are numbered from a one-page cover; a longer one is found and the PDF made whole."""
    entries = "".join(f'<li><a href="#summary">Entry {n}</a></li>' for n in range(120))
    long = page.replace("<ol>", "<ol>" + entries, 1)
    (tmp_path / "scratch").mkdir()
    pdf = tmp_path / "d.pdf"
    with PdfWorker(tmp_path / "scratch", count=2) as worker:
        worker.submit(long, pdf)
        worker.wait()
        assert worker._procs[FIRST].returncode != 0
    text = _numbered_whole(pdf)
    assert "Entry 119" in "".join(text[1:3])  # the contents run over onto page 2


PAGE = ('<!DOCTYPE html><html><head><title>T</title><style>p{{}}</style></head><body>'
        '<h1>Director &amp; "team"</h1><nav class="contents"><h2 class="first">Contents</h2><ol>'
        '<li><a href="#summary">Summary</a></li><li><a href="#area-a">A</a></li></ol></nav>{}</body></html>')


def _page(*segments: str) -> str:
    return PAGE.format("".join(MARK + s for s in segments))


def test_pieces_start_only_at_forced_page_breaks():
    summary = '<h2 id="summary">Summary</h2>'
    area = '<h2 id="area-a">A</h2>'
    ind = '<div class="indicator" id="ind-{}"><a href="#summary">{}</a>' + "<p>x</p>" * 500 + "</div>"
    # an area's first indicator shares the heading's page: never a piece's start
    pieces = split_page(_page(summary, area, ind.format(1, 1)))
    assert pieces is not None and pieces.second.split("<body>")[1].startswith(area)
    pieces = split_page(_page(summary, area, ind.format(1, 1), ind.format(2, 2), ind.format(3, 3)))
    assert pieces.second.split("<body>")[1].startswith('<div class="indicator" id="ind-')
    assert 'id="ind-1"' in pieces.first  # the first indicator stays with its heading
    assert f'href="{ANCHOR}summary"' in pieces.second and 'href="#' not in pieces.first + pieces.second
    # the pieces carry the title as their running header, escaped for CSS
    assert '@top-right { content: "Director & \\"team\\""; }' in pieces.second
    assert "<h1>" in pieces.cover and "<h1>" not in pieces.first + pieces.second
    assert split_page(_page(summary)) is None  # one section: nothing to cut
    assert split_page(PAGE.format("<p>no marks</p>")) is None


def test_cover_gets_the_pages_of_its_contents():
    cover = split_page(_page('<h2 id="summary">S</h2>', '<h2 id="area-a">A</h2>')).cover
    numbered = number_cover(cover, {"summary": 2, "area-a": 7})
    assert f'<a href="{ANCHOR}summary" data-page="2">' in numbered
    assert f'<a href="{ANCHOR}area-a" data-page="7">' in numbered
    assert 'content: leader(".") attr(data-page)' in numbered
    with pytest.raises(KeyError):
        number_cover(cover, {"summary": 2})
