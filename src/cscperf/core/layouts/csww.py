"""Children's social work workforce census (CSWW) XML: codes and the collection year.

The census is a snapshot at 30 September with flows (starters, leavers, absence) over the 12 months
before it. DfE codes are translated to cscperf's vocabularies both ways; where DfE distinguishes
more than cscperf does, reading folds codes together and writing uses the first code listed.
"""

from __future__ import annotations

from datetime import date, timedelta

ROLE_FROM_CSWW = {"1": "senior_manager", "2": "service_manager", "3": "team_manager", "4": "senior_practitioner",
                  "5": "social_worker", "6": "other"}
ROLE_TO_CSWW = {v: k for k, v in ROLE_FROM_CSWW.items()}

LEAVE_FROM_CSWW = {"1": "resignation", "2": "redundancy", "3": "redundancy", "4": "dismissal", "5": "retirement",
                   "6": "other", "7": "other", "8": "other", "9": "unknown", "10": "unknown"}
LEAVE_TO_CSWW = {"resignation": "1", "redundancy": "2", "dismissal": "4", "retirement": "5", "end_of_contract": "8",
                 "other": "8", "unknown": "9"}

SWENO_PATTERN = r"^[A-Za-z]{2}\d{10}$"
COUNCIL_LEVEL_ROLE = "social_worker"  # LALevelVacancies counts child and family social worker posts
QUAL_INST_UNKNOWN = "Not recorded"  # QualInst is required by the schema; the canonical model has no field for it


def reference_date(as_at: date) -> date:
    """The census date: the latest 30 September on or before ``as_at``."""
    year = as_at.year if (as_at.month, as_at.day) >= (9, 30) else as_at.year - 1
    return date(year, 9, 30)


def period_start(reference: date) -> date:
    """First day of the 12 months the census flows cover (1 October the year before)."""
    return date(reference.year - 1, reference.month, reference.day) + timedelta(days=1)
