"""Lines past 65,535: libxml2 keeps an element's line in 16 bits and past that answers with its first
text's end (one line late for a pretty-printed record); ``line_of`` gives the line the element starts on."""

from __future__ import annotations

from pathlib import Path

from cscperf.ingest.xmlsafe import BIG_LINE, child_line, iter_elements, line_of


def _document(tmp_path: Path, padding: int) -> tuple[Path, dict[str, int]]:
    lines = ["<Root>"] + ["<Pad>x</Pad>"] * padding
    where = {}
    where["pretty"] = len(lines) + 1
    lines += ["<Rec>", "  <Id>A</Id>", "  <Sub>", "    <Day>2025-01-01</Day>", "  </Sub>", "</Rec>"]
    where["id"], where["sub"], where["day"] = where["pretty"] + 1, where["pretty"] + 2, where["pretty"] + 3
    where["tight"] = len(lines) + 1
    lines += ["<Rec><Id>B</Id>", "<Sub>", "</Sub></Rec>", "</Root>"]
    path = tmp_path / "doc.xml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, where


def _records(path: Path) -> list[dict[str, int | None]]:
    out = []
    for rec in iter_elements(path, ["Rec"]):
        sub = rec.find("Sub")
        out.append({"rec": line_of(rec), "raw": rec.sourceline, "id": child_line(rec, "Id"), "sub": line_of(sub),
                    "day": line_of(sub.find("Day")) if sub.find("Day") is not None else None})
    return out


def test_lines_past_65535_are_where_each_element_starts(tmp_path):
    path, at = _document(tmp_path, BIG_LINE + 10)
    pretty, tight = _records(path)
    assert pretty["raw"] == at["pretty"] + 1  # what libxml2 says: the end of "<Rec>"'s first text
    assert (pretty["rec"], pretty["id"], pretty["sub"], pretty["day"]) == (at["pretty"], at["id"], at["sub"], at["day"])
    assert (tight["rec"], tight["id"], tight["sub"]) == (at["tight"], at["tight"], at["tight"] + 1)


def test_lines_below_the_limit_are_libxml2s_own(tmp_path):
    path, at = _document(tmp_path, 10)
    pretty, tight = _records(path)
    assert pretty == {"rec": at["pretty"], "raw": at["pretty"], "id": at["id"], "sub": at["sub"], "day": at["day"]}
    assert (tight["rec"], tight["sub"]) == (at["tight"], at["tight"] + 1)
