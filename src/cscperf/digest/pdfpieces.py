"""The PDF page cut into three pieces that WeasyPrint lays out in two processes side by side.

WeasyPrint lays a document out on one thread, and the digest's PDF is ~7 CPU-s of it: on two cores
the second one idles. The page is therefore cut where the print CSS forces a page break anyway
(before a section heading, or between two indicators: one indicator per page), so the pieces'
pages are exactly the whole document's pages:

- the *cover* (title and contents, one page), laid out last, when every section's page is known:
  its contents carry those page numbers as text instead of ``target-counter()``;
- the *first* piece (summary, off target, the first indicators) and the *second* (the other
  indicators, data quality, notes), laid out at once by two processes, which tell each other their
  page counts before they draw the page numbers (pdfsplit.py).

Links cannot cross documents, so every ``href="#x"`` becomes ``cscperf-anchor:x``; the merge turns
each back into a link to the page and place of ``x`` (pdfsplit.merge). This module is text only:
nothing here imports WeasyPrint.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

MARK = "<!--cscperf:piece-->"  # the template marks each place a piece may start (pdf=True only)
ANCHOR = "cscperf-anchor:"
COVER_PAGES = 1  # the cover's page count the pieces are numbered from; checked when it is laid out
# The pieces are weighed by their HTML tags, a chart counting as CHART_TAGS (~2,100 tags per CPU-s
# of WeasyPrint on `large`). The first piece gets FIRST_LEAD_TAGS more than the second (~0.7 CPU-s of work):
# its charts are drawn first (document order), so it lays out while the second still waits for
# its charts, and the second also lays out the cover. Tuned on `large`'s timeline
# (CSCPERF_DIGEST_TRACE): with equal halves the first idled while the second finished.
CHART_TAGS = 60
FIRST_LEAD_TAGS = 1500


@dataclass(frozen=True)
class Pieces:
    cover: str  # contents without page numbers yet: see number_cover
    first: str
    second: str


def _weight(segment: str) -> int:
    return segment.count("<") + CHART_TAGS * segment.count("<img")


def _cuttable(segments: list[str], i: int) -> bool:
    """A piece may start at a section heading (forced page break) or at an indicator that follows
    another (forced break too); not at an area's first indicator, which shares its heading's page."""
    if segments[i].startswith("<h2"):
        return True
    indicator = '<div class="indicator"'
    return segments[i].startswith(indicator) and segments[i - 1].startswith(indicator)


def _header_css(cover: str) -> str:
    """The running header (the title, ``string(doctitle)`` set by the cover's h1) as a literal for
    the pieces that have no h1."""
    found = re.search(r"<h1>(.*?)</h1>", cover, re.S)
    title = html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip() if found else ""
    literal = '"' + title.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'
    return f"<style>@page {{ @top-right {{ content: {literal}; }} }}</style>"


def _links(fragment: str) -> str:
    return fragment.replace('href="#', f'href="{ANCHOR}')


def split_page(page: str) -> Pieces | None:
    """The three pieces of a digest page rendered with ``pdf=True``; None when it cannot be cut
    (no marks, or nothing to put in one of the two pieces)."""
    start, end = page.find("<body>"), page.rfind("</body>")
    if start < 0 or end < 0:
        return None
    start += len("<body>")
    head, body, tail = page[:start], page[start:end], page[end:]
    cover, *segments = body.split(MARK)
    cuts = [i for i in range(1, len(segments)) if _cuttable(segments, i)]
    if not cuts:
        return None
    weights = [_weight(s) for s in segments]
    total = sum(weights)
    best = min(cuts, key=lambda i: abs(2 * sum(weights[:i]) - total - FIRST_LEAD_TAGS))
    carry = head.replace("</head>", _header_css(cover) + "</head>", 1)
    return Pieces(cover=head + _links(cover) + tail,
                  first=carry + _links("".join(segments[:best])) + tail,
                  second=carry + _links("".join(segments[best:])) + tail)


def number_cover(cover: str, pages: dict[str, int]) -> str:
    """The cover with each contents entry's page number (1-based, whole document) written in;
    KeyError when an entry's section is not in ``pages``."""
    def numbered(found: re.Match) -> str:
        return f'{found.group(0)[:-1]} data-page="{pages[html.unescape(found.group(1))]}">'

    start = cover.index('<nav class="contents">')
    stop = cover.index("</nav>", start)
    nav = re.sub(rf'<a href="{re.escape(ANCHOR)}([^"]+)">', numbered, cover[start:stop])
    style = '<style>.contents a::after { content: leader(".") attr(data-page); }</style>'
    return cover[:start].replace("</head>", style + "</head>", 1) + nav + cover[stop:]
