"""Lay out a piece of the digest's PDF numbered as part of the whole, and merge the pieces.

Each piece is laid out by WeasyPrint alone; its "Page N of M" footers are drawn after its pages
are made (margin boxes come last in WeasyPrint's layout), so a piece can wait there for the other
piece's page count and number its pages as the whole document's: ``render_piece`` replaces the
page counters the margin boxes see (WeasyPrint has no option for a first page number or a total
from outside; the hook is the one function that makes margin boxes, and a test compares the
result with the one-process PDF page by page). The merge (pypdf) appends the pieces' pages, turns
the pieces' ``cscperf-anchor:`` links into links to the page and place of their target, and
builds the outline (bookmarks) from the pieces' headings as WeasyPrint nests them.
"""

from __future__ import annotations

import io
from typing import Any, Callable

from cscperf.digest.pdfpieces import ANCHOR

PX_TO_PT = 0.75  # WeasyPrint's CSS px to PDF points


def render_piece(html: str, url_fetcher: Any, numbering: Callable[[int], tuple[int, int]]):
    """A WeasyPrint Document of ``html`` whose margin boxes count pages as ``numbering(pages)``
    says: called once, with this piece's page count, when its pages are laid out; it returns
    (pages before this piece, pages in the whole document)."""
    from weasyprint import HTML
    import weasyprint.layout as layout

    make_all_pages, make_margin_boxes = layout.make_all_pages, layout.make_margin_boxes
    laid: dict[str, Any] = {}

    def all_pages(*args):
        pages = list(make_all_pages(*args))
        laid["pages"] = len(pages)
        laid.pop("numbers", None)  # repaginated: count again
        return iter(pages)

    def margin_boxes(context, page, state):
        if "numbers" not in laid:
            laid["numbers"] = numbering(laid["pages"])
        offset, total = laid["numbers"]
        quote_depth, counters, scopes, groups = state
        counters = {**counters, "page": [n + offset for n in counters.get("page", [0])], "pages": [total]}
        return make_margin_boxes(context, page, (quote_depth, counters, scopes, groups))

    layout.make_all_pages, layout.make_margin_boxes = all_pages, margin_boxes
    try:
        return HTML(string=html, base_url=None, url_fetcher=url_fetcher).render(presentational_hints=True)
    finally:
        layout.make_all_pages, layout.make_margin_boxes = make_all_pages, make_margin_boxes


def facts(document, first_page: int) -> dict:
    """What the merge needs of a laid-out piece, as JSON: its page count, where each anchor is
    and its headings' bookmarks ((whole-document page index, CSS px from the page's top left))."""
    anchors: dict[str, list] = {}
    bookmarks: list[list] = []
    for i, page in enumerate(document.pages):
        for name, (x, y, *_) in page.anchors.items():  # (left, top, right, bottom)
            anchors.setdefault(name, [first_page + i, x, y])
        for level, label, (x, y), state in page.bookmarks:
            bookmarks.append([first_page + i, level, label, x, y, state])
    return {"pages": len(document.pages), "anchors": anchors, "bookmarks": bookmarks}


def merge(pdfs: list[bytes], pieces: list[dict], lang: str | None = None) -> bytes:
    """One PDF of the pieces' PDFs in order (``pieces``: their ``facts``), with links and outline
    across pieces. A link whose target is in no piece is dropped, as WeasyPrint drops it."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, FloatObject, NameObject, NumberObject, TextStringObject

    readers = [PdfReader(io.BytesIO(data)) for data in pdfs]
    writer = PdfWriter()
    for reader in readers:
        writer.append(reader, import_outline=False)
    anchors: dict[str, list] = {}
    for piece in pieces:
        for name, where in piece["anchors"].items():
            anchors.setdefault(name, where)

    def place(page: int, x: float, y: float) -> tuple[float, float]:
        return x * PX_TO_PT, float(writer.pages[page].mediabox.height) - y * PX_TO_PT

    for page in writer.pages:
        kept = ArrayObject()
        for ref in page.get("/Annots", []):
            annot = ref.get_object()
            action = annot.get("/A")
            uri = str(action.get_object().get("/URI", "")) if action is not None else ""
            if uri.startswith(ANCHOR):
                where = anchors.get(uri[len(ANCHOR):])
                if where is None:
                    continue
                x, y = place(*where)
                del annot[NameObject("/A")]
                annot[NameObject("/Dest")] = ArrayObject([writer.pages[where[0]].indirect_reference, NameObject("/XYZ"),
                                                          FloatObject(x), FloatObject(y), NumberObject(0)])
            kept.append(ref)
        if "/Annots" in page:
            page[NameObject("/Annots")] = kept

    from pypdf.generic import Fit

    parents: list[tuple[int, Any]] = [(0, None)]
    for piece in pieces:
        for page, level, label, x, y, state in piece["bookmarks"]:
            while parents[-1][0] >= level:
                parents.pop()
            left, top = place(page, x, y)
            item = writer.add_outline_item(label, page, parent=parents[-1][1], fit=Fit.xyz(left, top, 0),
                                           is_open=state != "closed")
            parents.append((level, item))
    if readers[0].metadata:
        writer.add_metadata({k: v for k, v in readers[0].metadata.items() if isinstance(v, str)})
    if lang:
        writer._root_object[NameObject("/Lang")] = TextStringObject(lang)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
