"""Streaming XML that cannot be turned against us: no DTD, no entities, no network, no huge trees.

Every XML reader (CIN census, workforce census) goes through ``iter_elements``: lxml ``iterparse``
with entity resolution, DTD loading and network access off, so time and memory grow with the size of
one record, not the file; lxml picks out the wanted elements in C, so Python sees only those. A
document that declares a DOCTYPE (the carrier of external entities and entity-expansion bombs) is
refused before any of its content is used, and nothing is fetched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from lxml import etree

from cscperf.core.errors import InputError, Location


PROLOG_BYTES = 1 << 16


def local(tag: object) -> str:
    """Element name without its namespace (councils' software sometimes adds one)."""
    text = tag if isinstance(tag, str) else ""
    return text.rsplit("}", 1)[-1]


def iter_elements(path: Path, tags: Iterable[str], display: str | None = None) -> Iterator[etree._Element]:
    """Yield each complete element named in ``tags`` (any namespace), freeing it once the caller moves
    on; raise ``InputError`` with the line for malformed, truncated or DTD-bearing documents."""
    name = display or str(path)
    with path.open("rb") as handle:
        head = handle.read(PROLOG_BYTES)
    if not head.strip():
        raise InputError(Location(name), "the file is empty")
    if b"<!DOCTYPE" in head:  # refused before parsing: nothing of it is expanded or fetched
        _refuse(path, name, None)
    etree.clear_error_log()  # so the error log read below is this document's
    context = etree.iterparse(
        str(path),
        events=("end",),
        tag=tuple(f"{{*}}{t}" for t in sorted(tags)),  # lxml filters in C: Python sees only the records
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    checked = False
    try:
        for event, elem in context:
            if not checked:
                checked = True
                _refuse_doctype(elem, path, name)
            yield elem
            elem.clear(keep_tail=False)
            parent = elem.getparent()
            if parent is not None:
                while elem.getprevious() is not None:
                    del parent[0]
        if not checked and context.root is not None:  # no record at all: the prolog is still checked
            _refuse_doctype(context.root, path, name)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or None
        column = exc.position[1] if exc.position else None
        message = str(exc.msg or exc).split(", line ")[0]
        fatals = exc.error_log.filter_from_fatals() if exc.error_log else []
        if fatals:  # libxml2's own record is more precise than the exception (e.g. undeclared entities)
            line, column, message = fatals[0].line or line, fatals[0].column or column, fatals[0].message
        raise InputError(Location(name, line, open_element(path, line, column)),
                         f"not well-formed XML (truncated or corrupt?): {message}") from None


def _refuse_doctype(elem: etree._Element, path: Path, name: str) -> None:
    if elem.getroottree().docinfo.doctype:
        _refuse(path, name, line_of(elem))


def _refuse(path: Path, name: str, line: int | None) -> None:
    raise InputError(
        Location(name, _doctype_line(path) or line, "DOCTYPE"),
        "XML with a DOCTYPE (DTD or entity declarations) is refused: external entities and "
        "entity expansion are not allowed",
    )


_TAG = re.compile(rb"<(/?)([A-Za-z_][\w.:-]*)[^<>]*?(/?)>")


def open_element(path: Path, line: int | None, column: int | None = None) -> str | None:
    """The element being read where the parser stopped (the innermost one open before ``line``), so a
    truncated or corrupt file's message names a field. Only on the error path: one scan of the head."""
    if not line:
        return None
    stack: list[bytes] = []
    with path.open("rb") as handle:
        for number, text in enumerate(handle, start=1):
            if number > line:
                break
            if number == line and column:
                text = text[: column - 1]
            for close, tag, empty in _TAG.findall(text):
                if close:
                    while stack and stack.pop() != tag:
                        pass
                elif not empty:
                    stack.append(tag)
    return local(stack[-1].decode("utf-8", "replace").split(":")[-1]) if stack else None


def _doctype_line(path: Path) -> int | None:
    """The line of the DOCTYPE declaration (it precedes the root element, so it is in the head)."""
    with path.open("rb") as handle:
        head = handle.read(1 << 20)
    at = head.find(b"<!DOCTYPE")
    return head[:at].count(b"\n") + 1 if at >= 0 else None


# libxml2 stores an element's line in 16 bits: past this it gives an element the line of its first
# child node instead, and a text node's line is where the text ENDS, so a record starting on line
# 70,000 ("<Child>" then a newline) reads as 70,001. Lines up to here are exact.
BIG_LINE = 65535


def line_of(elem: etree._Element) -> int | None:
    """The line an element starts on, also past line 65,535: libxml2's line there is that of the
    element's first text (its end), or of its first child element when it has no text before it, so
    the newlines of that text are taken back (an empty element there keeps libxml2's answer)."""
    line = elem.sourceline
    if line is None or line <= BIG_LINE:
        return line
    node = elem
    while node.text is None and len(node):
        node = node[0]
    return line - (node.text or "").count("\n")


def child_text(elem: etree._Element, tag: str) -> str | None:
    """The trimmed text of the first child named ``tag`` (any namespace); blank is None."""
    for child in elem:
        if isinstance(child.tag, str) and local(child.tag) == tag:
            text = (child.text or "").strip()
            return text or None
    return None


def child_line(elem: etree._Element, tag: str) -> int | None:
    """The line of a child element, so a bad value is reported where it is, not where its record starts."""
    for child in elem:
        if isinstance(child.tag, str) and local(child.tag) == tag:
            return line_of(child)
    return line_of(elem)
