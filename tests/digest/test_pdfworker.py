"""The PDF process gets the page before its charts exist and waits for each chart file."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time

import pytest

from cscperf.digest.pdfworker import PdfWorker, abandon, chart_url, put_chart, write_pdf

SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60">'
       '<text x="5" y="30" font-family="DejaVu Sans" font-size="12">{}</text></svg>')
PAGE = '<html><body><p>Digest</p><img src="{}"><img src="{}"></body></html>'


def _text(pdf) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils (pdftotext) not installed")
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_charts_drawn_after_the_page_was_handed_over_are_in_the_pdf(tmp_path):
    folder = tmp_path / "charts"
    folder.mkdir()
    pdf = tmp_path / "d.pdf"
    with PdfWorker(folder) as worker:
        worker.submit(PAGE.format(chart_url(0), chart_url(1)), pdf)
        time.sleep(0.5)  # the process is already laying the page out
        put_chart(folder, 0, SVG.format("Upper limit"))
        put_chart(folder, 1, SVG.format("Lower limit"))
        worker.wait()
    text = _text(pdf)
    assert "Digest" in text and "Upper limit" in text and "Lower limit" in text


def test_in_process_waits_too_and_abandon_stops_the_wait(tmp_path):
    folder = tmp_path / "charts"
    folder.mkdir()
    late = threading.Timer(0.3, put_chart, (folder, 0, SVG.format("Mean line")))
    late.start()
    pdf = tmp_path / "one.pdf"
    write_pdf(PAGE.format(chart_url(0), chart_url(0)), str(pdf), str(folder))
    assert "Mean line" in _text(pdf)
    # the main process failed: the PDF process must not wait out its timeout for chart 1
    abandon(folder)
    started = time.monotonic()
    write_pdf(PAGE.format(chart_url(1), chart_url(1)), str(tmp_path / "two.pdf"), str(folder))
    assert time.monotonic() - started < 30
    assert "Mean line" not in _text(tmp_path / "two.pdf")


def test_the_page_fetches_nothing_but_its_charts(tmp_path):
    secret = tmp_path / "secret.svg"
    secret.write_text(SVG.format("from disk"), encoding="utf-8")
    pdf = tmp_path / "d.pdf"
    write_pdf(PAGE.format(secret.as_uri(), secret.as_uri()), str(pdf))
    assert "from disk" not in _text(pdf)


def test_a_failed_pdf_process_falls_back_to_rendering_here(tmp_path):
    folder = tmp_path / "charts"
    folder.mkdir()
    pdf = tmp_path / "d.pdf"
    with PdfWorker(folder) as worker:
        for proc in worker._procs.values():
            proc.kill()  # the processes die before they get the page
        worker.submit(PAGE.format(chart_url(0), chart_url(0)), pdf)
        put_chart(folder, 0, SVG.format("Target line"))
        worker.wait()
    assert "Target line" in _text(pdf)


def test_a_pdf_left_by_an_earlier_run_is_not_taken_for_the_new_one(tmp_path):
    """The main process takes the PDF's appearing under its name for done: an old one must go."""
    folder = tmp_path / "charts"
    folder.mkdir()
    pdf = tmp_path / "d.pdf"
    pdf.write_bytes(b"%PDF-1.7 last month's")
    with PdfWorker(folder, count=1) as worker:
        worker.submit(PAGE.format(chart_url(0), chart_url(0)), pdf)
        time.sleep(0.3)
        put_chart(folder, 0, SVG.format("New month"))
        worker.wait()
    assert "New month" in _text(pdf)
