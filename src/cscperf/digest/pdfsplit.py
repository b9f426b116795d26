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
    return {"first": first_page, "pages": len(document.pages), "anchors": anchors, "bookmarks": bookmarks}


class Merger:
    """One PDF of the pieces' PDFs in the order added, with links and outline across pieces. A
    piece can be added while the next is still being drawn (pypdf's parsing is most of a merge)."""

    def __init__(self) -> None:
        from pypdf import PdfWriter

        self.writer = PdfWriter()
        self.pieces: list[dict] = []
        self.metadata: dict[str, str] = {}

    def add(self, pdf: bytes, piece: dict) -> None:
        """``piece``: the piece's ``facts``; its pages go where its first page says (a piece may
        be added before those it comes after, as the cover is)."""
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(pdf))
        if not self.metadata and reader.metadata:
            self.metadata = {k: v for k, v in reader.metadata.items() if isinstance(v, str)}
        before = sum(p["pages"] for p in self.pieces if p["first"] < piece["first"])
        if before == len(self.writer.pages):
            self.writer.append(reader, import_outline=False)
        else:
            self.writer.merge(before, reader, import_outline=False)
        self.pieces = sorted([*self.pieces, piece], key=lambda p: p["first"])

    def _place(self, page: int, x: float, y: float) -> tuple[float, float]:
        return x * PX_TO_PT, float(self.writer.pages[page].mediabox.height) - y * PX_TO_PT

    def _links(self) -> None:
        """Each ``cscperf-anchor:`` link made a link to its anchor's page and place (dropped when
        no piece has the anchor, as WeasyPrint drops a link to a missing anchor)."""
        from pypdf.generic import ArrayObject, FloatObject, NameObject, NumberObject

        anchors: dict[str, list] = {}
        for piece in self.pieces:
            for name, where in piece["anchors"].items():
                anchors.setdefault(name, where)
        for page in self.writer.pages:
            if "/Annots" not in page:
                continue
            kept = ArrayObject()
            for ref in page["/Annots"]:
                annot = ref.get_object()
                action = annot.get("/A")
                uri = str(action.get_object().get("/URI", "")) if action is not None else ""
                if uri.startswith(ANCHOR):
                    where = anchors.get(uri[len(ANCHOR):])
                    if where is None:
                        continue
                    x, y = self._place(*where)
                    del annot[NameObject("/A")]
                    annot[NameObject("/Dest")] = ArrayObject([
                        self.writer.pages[where[0]].indirect_reference, NameObject("/XYZ"),
                        FloatObject(x), FloatObject(y), NumberObject(0)])
                kept.append(ref)
            page[NameObject("/Annots")] = kept

    def _outline(self) -> None:
        """The headings' bookmarks nested by level, as WeasyPrint nests them in one document."""
        from pypdf.generic import Fit

        parents: list[tuple[int, Any]] = [(0, None)]
        for piece in self.pieces:
            for page, level, label, x, y, state in piece["bookmarks"]:
                while parents[-1][0] >= level:
                    parents.pop()
                left, top = self._place(page, x, y)
                item = self.writer.add_outline_item(label, page, parent=parents[-1][1], fit=Fit.xyz(left, top, 0),
                                                    is_open=state != "closed")
                parents.append((level, item))

    def finish(self, lang: str | None = None) -> bytes:
        from pypdf.generic import NameObject, TextStringObject

        self._links()
        self._outline()
        if self.metadata:
            self.writer.add_metadata(self.metadata)
        if lang:
            self.writer._root_object[NameObject("/Lang")] = TextStringObject(lang)
        out = io.BytesIO()
        self.writer.write(out)
        return out.getvalue()
