"""One CSV module: Arrow's fast path and Python's csv read the same cells with the same row numbers."""

import pytest

from cscperf.core.errors import InputError
from cscperf.ingest.csvfile import _arrow, read_columns, read_rows


def _cells(columns):
    return [c.to_pylist() for c in columns.columns], columns.rows.to_pylist()


def test_fast_path_and_python_path_agree(tmp_path):
    body = 'id,name,when\r\nA1,"Smith, J",01/02/2026\r\n , ,\r\nA2,"two\nlines",\r\n'
    fast = tmp_path / "fast.csv"
    fast.write_text(body, encoding="utf-8", newline="")
    assert _arrow(fast.read_bytes()) is not None  # this file takes Arrow's path
    slow = tmp_path / "slow.csv"  # an empty line sends the file through csv, and keeps its number
    slow.write_text(body.replace("A2,", "\r\nA2,"), encoding="utf-8-sig", newline="")
    cols, rows = _cells(read_columns(fast))
    assert cols == [["A1", "A2"], ["Smith, J", "two\nlines"], ["01/02/2026", ""]] and rows == [1, 3]
    assert _cells(read_columns(slow)) == (cols, [1, 4])
    header, numbered = read_rows(slow)
    assert header == ["id", "name", "when"] and [n for n, _ in numbered] == [1, 4]


def test_ragged_rows_are_padded_and_reported(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("a,b\n1\n2,3,extra\n", encoding="utf-8")
    found = read_columns(path)
    assert _cells(found) == ([["1", "2"], ["", "3"]], [1, 2]) and found.ragged == [2]


def test_utf16_and_undecodable_text(tmp_path):
    path = tmp_path / "u16.csv"
    path.write_text("a,b\nx,é\n", encoding="utf-16")
    assert _cells(read_columns(path)) == ([["x"], ["é"]], [1])
    bad = tmp_path / "bad.csv"
    bad.write_bytes("a,b\nx,y\nz,é\n".encode("cp1252"))
    with pytest.raises(InputError) as caught:
        read_columns(bad, "bad.csv")
    assert caught.value.location.row == 2 and "line 3" in caught.value.reason
