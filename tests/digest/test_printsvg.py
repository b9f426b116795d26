"""The print SVG of a chart draws what vega's SVG draws, with fewer nodes."""

from __future__ import annotations

import base64
import shutil
import subprocess

import pytest
from lxml import etree

from cscperf.digest.charts import chart_svgs
from cscperf.digest.pdfworker import chart_url, put_chart, write_pdf
from cscperf.digest.printsvg import SVG, print_svg
from digest_fixtures import director_model


@pytest.fixture(scope="module")
def svgs(tmp_path_factory):
    model = director_model(tmp_path_factory.mktemp("printsvg"))
    return [svg for svg in chart_svgs(model.sections()).values() if svg][:4]


def _texts(svg: bytes) -> list[str]:
    return [t.text for t in etree.fromstring(svg).iter(f"{SVG}text")]


def test_same_marks_and_labels_fewer_nodes(svgs):
    for svg in svgs:
        before, after = svg.encode(), print_svg(svg.encode())
        assert _texts(after) == _texts(before) and len(_texts(after)) > 10  # every label, in order
        old, new = etree.fromstring(before), etree.fromstring(after)
        points = [p for p in old.iter(f"{SVG}path") if "A3,3" in p.get("d", "")]
        assert len(points) > 12 and len(list(new.iter(f"{SVG}circle"))) >= len(points)  # every point a circle
        assert len(list(new.iter())) < 0.7 * len(list(old.iter()))
        assert b"aria-" not in after and b'display="none"' not in after
        assert print_svg(after) == after  # nothing left to take out


def test_a_point_is_a_circle_at_the_same_place():
    svg = (b'<svg xmlns="http://www.w3.org/2000/svg"><g><g><path transform="translate(12.5,-3e-05)" '
           b'd="M3,0A3,3,0,1,1,-3,0A3,3,0,1,1,3,0" fill="#6f777b" aria-label="month: Jan 26"/></g></g>'
           b'<path class="background" d="M0,0h0v0h0Z"/><path d="M0,0L5,5" display="none"/></svg>')
    out = etree.fromstring(print_svg(svg))
    assert [(c.tag, dict(c.attrib)) for c in out] == [
        (f"{SVG}circle", {"fill": "#6f777b", "cx": "12.5", "cy": "-3e-05", "r": "3"})]


def test_the_pdf_draws_the_same_chart(svgs, tmp_path):
    """The PDF process draws the print SVG (pdfworker's fetcher); rasterised, its page matches the
    page drawn from vega's own SVG but for anti-aliasing at the edges of the points."""
    if not shutil.which("pdftoppm"):
        pytest.skip("poppler-utils (pdftoppm) not installed")
    from PIL import Image, ImageChops

    for n, svg in enumerate(svgs[:2]):
        put_chart(tmp_path, n, svg)
    inline = "".join(f'<img style="width:100%" src="data:image/svg+xml;base64,{base64.b64encode(s.encode()).decode()}">'
                     for s in svgs[:2])
    fetched = "".join(f'<img style="width:100%" src="{chart_url(n)}">' for n in range(2))
    write_pdf(f"<html><body>{inline}</body></html>", str(tmp_path / "vega.pdf"))
    write_pdf(f"<html><body>{fetched}</body></html>", str(tmp_path / "print.pdf"), str(tmp_path))
    for name in ("vega", "print"):
        subprocess.run(["pdftoppm", "-r", "100", "-f", "1", "-l", "1", "-png", str(tmp_path / f"{name}.pdf"),
                        str(tmp_path / name)], check=True)
    vega = Image.open(next(tmp_path.glob("vega*.png"))).convert("L")
    printed = Image.open(next(tmp_path.glob("print*.png"))).convert("L")
    assert sum(vega.histogram()[:200]) > 5000  # there is a chart to compare
    histogram = ImageChops.difference(vega, printed).histogram()
    assert sum(histogram[33:]) < 0.001 * vega.size[0] * vega.size[1]
