"""What the synthetic council's truth says of a care leaver's care, to tell DfE's known false
positives of SSDA903 rules 1001 and 1002 from real failures."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow.parquet as pq


def qualifying_care_before(truth: Path, child_id: str, first_held: date, as_at: date) -> bool:
    """Whether the truth shows the young person a care leaver through care that no return held
    shows: 91+ days looked after since the 14th birthday (short breaks aside), part of it before
    ``first_held`` (1 April of the earliest return the check saw). DfE's own note on 903 rules 1001
    and 1002 says a tool seeing only some years reports those young people falsely."""
    dob = next(c["date_of_birth"] for c in pq.read_table(truth / "child.parquet").to_pylist() if c["child_id"] == child_id)
    episodes = [e for e in pq.read_table(truth / "cla_episode.parquet").to_pylist()
                if e["child_id"] == child_id and e["legal_status"] not in ("V3", "V4")]
    fourteen = dob.replace(year=dob.year + 14) if (dob.month, dob.day) != (2, 29) else date(dob.year + 14, 3, 1)
    days = sum(max(0, ((e["dec"] or as_at) - max(e["decom"], fourteen)).days) for e in episodes)
    return days >= 91 and min(e["decom"] for e in episodes) < first_held
