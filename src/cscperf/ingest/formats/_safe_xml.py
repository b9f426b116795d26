"""Streaming XML safely: no DTDs, no entities, no network, and every parse error as an InputError.

A document type declaration is refused outright before parsing: census files never need one, and
it is how external entities (file or network reads) and entity-expansion bombs arrive. The parser
options below are the second line of defence.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from cscperf.core.errors import InputError, Location
from cscperf.ingest.xmlsafe import open_element

PROLOG_BYTES = 1 << 16


def check_prolog(path: Path) -> None:
    with path.open("rb") as fh:
        head = fh.read(PROLOG_BYTES)
    if not head.strip():
        raise InputError(Location(path.name), "the file is empty")
    for marker in (b"<!DOCTYPE", b"<!ENTITY"):
        at = head.find(marker)
        if at >= 0:
            raise InputError(Location(path.name, head[:at].count(b"\n") + 1),
                             "XML with a document type or entity declaration is refused (entities are not allowed)")


def iter_elements(path: Path, tags: set[str]) -> Iterator[etree._Element]:
    """Each complete element named in ``tags`` (namespaces ignored), in document order; the caller
    reads it, then it is cleared so memory stays flat whatever the file size."""
    check_prolog(path)
    parser = etree.iterparse(str(path), events=("end",), resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True)
    try:
        for _, elem in parser:
            if etree.QName(elem).localname in tags:
                yield elem
                elem.clear(keep_tail=False)
                parent = elem.getparent()
                while parent is not None and elem.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as exc:
        column = exc.position[1] if exc.position else None
        raise InputError(Location(path.name, exc.lineno, open_element(path, exc.lineno, column)),
                         f"not well-formed XML: {exc.msg}") from None


def child_text(elem: etree._Element, tag: str) -> str | None:
    for child in elem:
        if isinstance(child.tag, str) and etree.QName(child).localname == tag:
            text = (child.text or "").strip()
            return text or None
    return None


def child_line(elem: etree._Element, tag: str) -> int | None:
    """The line of a child element, so a bad value is reported where it is, not where its record starts."""
    for child in elem:
        if isinstance(child.tag, str) and etree.QName(child).localname == tag:
            return child.sourceline
    return elem.sourceline


def children_text(elem: etree._Element, tag: str) -> list[str]:
    return [(c.text or "").strip() for c in elem
            if isinstance(c.tag, str) and etree.QName(c).localname == tag and (c.text or "").strip()]
