"""A chart's SVG as the PDF draws it: the same picture with less for WeasyPrint to walk.

WeasyPrint draws an SVG node by node in Python, and the charts were most of the PDF's drawing
time. Vega's SVG is written for browsers: accessibility attributes on every mark (kept in the HTML
digest), invisible placeholders (zero-size backgrounds, hidden foregrounds), wrapper groups with no
attribute, and each point as a circle drawn by two arcs in a path that WeasyPrint parses and
converts to curves. For print: the invisible nodes and the browser-only attributes go, bare groups
give their children to their parent, and such a point becomes a ``<circle>`` at the same place.
What is drawn is unchanged (a test compares the rendered pages); about a quarter fewer Python calls
drawing the PDF.
"""

from __future__ import annotations

import re

from lxml import etree

SVG = "{http://www.w3.org/2000/svg}"
BROWSER_ONLY = ("role", "class", "pointer-events", "aria-label", "aria-hidden", "aria-roledescription")
CIRCLE = re.compile(r"M(\d+(?:\.\d+)?),0A\1,\1,0,1,1,-\1,0A\1,\1,0,1,1,\1,0$")  # vega's circle symbol
AT = re.compile(r"translate\((-?[\d.]+(?:e-?\d+)?),(-?[\d.]+(?:e-?\d+)?)\)$")
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def _invisible(node: etree._Element) -> bool:
    return node.get("display") == "none" or node.get("d") == "M0,0h0v0h0Z"


def print_svg(svg: bytes) -> bytes:
    """The lean SVG of a vega chart (any SVG: nodes it does not know are left as they are)."""
    root = etree.fromstring(svg, PARSER)
    for node in list(root.iter()):
        if node is not root and _invisible(node):
            node.getparent().remove(node)
            continue
        for name in BROWSER_ONLY:
            node.attrib.pop(name, None)
        if node.tag == f"{SVG}path":
            shape, at = CIRCLE.match(node.get("d", "")), AT.match(node.get("transform", ""))
            if shape and at:
                node.tag = f"{SVG}circle"
                del node.attrib["d"], node.attrib["transform"]
                node.set("cx", at.group(1))
                node.set("cy", at.group(2))
                node.set("r", shape.group(1))
    for group in list(root.iter(f"{SVG}g")):
        parent = group.getparent()
        if parent is not None and not group.attrib and not (group.text or "").strip():
            at = parent.index(group)
            for child in reversed(list(group)):
                parent.insert(at, child)
            parent.remove(group)
    return etree.tostring(root)
