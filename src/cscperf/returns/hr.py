"""HR extracts in cscperf's documented layout (docs/formats/hr-and-survey.md): posts, staff spells,
agency cost by quarter and absence spells, each one CSV, as a council's HR system would export them
on ``as_at`` (nothing that starts after it)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from cscperf.core.layouts.hr import HR_LAYOUTS
from cscperf.returns._csv import write_csv
from cscperf.returns._tables import Tables, rows

STARTS = {"post": None, "staff_spell": "start_date", "agency_cost": "quarter_start", "absence_spell": "start_date",
          "team": None, "worker": None, "worker_team": "start_date", "allocation": "start_date", "visit": "visit_date"}
KEYS = {"post": "post_id", "staff_spell": "spell_id", "agency_cost": "quarter_start", "absence_spell": "absence_id",
        "team": "team_id", "worker": "worker_id", "worker_team": "worker_id", "allocation": "child_id", "visit": "visit_id"}


def write(tables: Tables, out_dir: Path, *, as_at: date) -> list[Path]:
    """Write hr_posts.csv, hr_staff.csv, hr_agency.csv, hr_absence.csv and the case-management extracts
    (casework_teams.csv, casework_workers.csv, casework_worker_teams.csv, casework_allocations.csv,
    casework_visits.csv); returns the files written."""
    written = []
    for layout in HR_LAYOUTS.values():
        start = STARTS[layout.table]
        data = [r for r in rows(tables, layout.table) if start is None or (r[start] and r[start] <= as_at)]
        data.sort(key=lambda r: tuple("" if r.get(k) is None else str(r[k])
                                      for k in (KEYS[layout.table], "team_id", "worker_id", start or "")))
        path = Path(out_dir) / layout.file_name
        written.append(write_csv(path, list(layout.columns), ([r.get(c) for c in layout.columns] for r in data)))
    return written
