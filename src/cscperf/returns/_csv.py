"""Writing canonical rows as a cscperf CSV layout: dd/mm/yyyy dates, Y/N flags, bare codes."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from cscperf.returns._tables import fmt_dmy, fmt_flag, fmt_num


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return fmt_flag(value)
    if isinstance(value, date):
        return fmt_dmy(value)
    if isinstance(value, (int, float)):
        return fmt_num(value)
    return str(value)


def write_csv(path: Path, header: list[str], rows: Iterable[list[Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(header)
        for row in rows:
            out.writerow([cell(v) for v in row])
    return path
