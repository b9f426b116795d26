"""HR and case-management extracts in cscperf's documented CSV layouts: posts, staff spells (starters
and leavers), agency cost by quarter, absence spells; teams, workers and their teams, allocations and
visits. Each file is recognised by its header row."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from cscperf.core.errors import InputError, Location
from cscperf.core.layouts.hr import HR_LAYOUTS, CsvLayout
from cscperf.ingest.base import Batch, Detection, Issue, Record, records_of
from cscperf.ingest.csvfile import peek, read_columns
from cscperf.ingest.formats._csv_table import batches, matches


def layout_for(header: list) -> CsvLayout | None:
    # Most specific first: the staff layout also satisfies the absence layout's loosest readings, and an
    # allocations header (child, worker, team, start) also satisfies worker_teams, which satisfies workers.
    for part in ("staff", "absence", "agency", "posts", "visits", "allocations", "worker_teams", "teams", "workers"):
        if matches(HR_LAYOUTS[part], header):
            return HR_LAYOUTS[part]
    return None


class HrReader:
    """Reader for the HR CSV extracts (format ``hr``; ``Detection.part`` names the extract)."""

    format = "hr"

    def detect(self, path: Path) -> Detection | None:
        if path.suffix.lower() not in {".csv", ".txt"}:
            return None
        head = peek(path, 1)
        layout = layout_for(head[0]) if head else None
        return Detection(self.format, part=layout.part) if layout else None

    def read(self, path: Path, detection: Detection) -> Iterator[Record | Issue]:
        yield from records_of(self.read_batches(path, detection))

    def read_batches(self, path: Path, detection: Detection) -> Iterator[Batch | Issue]:
        data = read_columns(path, path.name)
        layout = HR_LAYOUTS.get(detection.part or "") or layout_for(data.header)
        if layout is None:
            raise InputError(Location(path.name, 1), "not an HR extract: the header row matches no HR layout")
        yield from batches(path, layout, data)
