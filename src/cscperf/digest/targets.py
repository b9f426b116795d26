"""Targets and RAG status: what the council aims for, per indicator (and optionally per team), and
whether a month's value meets it.

RAG by polarity and tolerance (docs/targets.md), boundaries inclusive on the better side:
  up:   value >= target -> green; target - tolerance <= value < target -> amber; below -> red
  down: value <= target -> green; target < value <= target + tolerance -> amber; above -> red
An indicator with polarity none, no target, or no value has no RAG status (never a guess).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from cscperf.core.errors import CscperfError, InputError, Location

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~8x faster, same results

GREEN, AMBER, RED = "green", "amber", "red"
# Floating-point slack so 0.1 + 0.2 style sums sit on the boundary they were meant to.
EPSILON = 1e-9


@dataclass(frozen=True)
class Target:
    indicator_id: str
    polarity: str
    target: float | None = None
    tolerance: float = 0.0
    teams: Mapping[str, Mapping[str, float]] = field(default_factory=dict)

    def for_team(self, team_id: str | None) -> Target:
        """This target with the team's overrides applied (the council target when none)."""
        override = self.teams.get(team_id or "", {})
        if not override:
            return self
        return replace(self, target=override.get("target", self.target),
                       tolerance=override.get("tolerance", self.tolerance), teams={})


def rag(value: float | None, target: Target | None) -> str | None:
    """green / amber / red, or None when there is nothing to judge."""
    if value is None or target is None or target.target is None or target.polarity not in ("up", "down"):
        return None
    gap = (target.target - value) if target.polarity == "up" else (value - target.target)
    # gap > 0 means on the wrong side of the target by that much
    if gap <= EPSILON:
        return GREEN
    if gap <= target.tolerance + EPSILON:
        return AMBER
    return RED


@dataclass(frozen=True)
class OffTarget:
    indicator_id: str
    team_id: str | None
    value: float
    target: float
    status: str
    gap: float  # distance on the wrong side of the target, in the indicator's unit


def off_target(values: Iterable[tuple[str, str | None, float | None]], targets: Targets) -> list[OffTarget]:
    """(indicator, team or None, value) -> the amber and red ones, red first, then the largest gap
    relative to tolerance."""
    found = []
    for indicator_id, team_id, value in values:
        base = targets.get(indicator_id)
        if base is None:
            continue
        tgt = base.for_team(team_id)
        status = rag(value, tgt)
        if status in (AMBER, RED):
            assert value is not None and tgt.target is not None
            gap = (tgt.target - value) if tgt.polarity == "up" else (value - tgt.target)
            found.append(OffTarget(indicator_id, team_id, value, tgt.target, status, gap))
    return sorted(found, key=lambda o: (o.status != RED, -(o.gap / (targets[o.indicator_id].tolerance or 1)), o.indicator_id))


class Targets(dict[str, Target]):
    """indicator id -> Target, for one council."""

    council: str = "default"


def _parse(data: object, where: str) -> tuple[str, dict[str, Target]]:
    if not isinstance(data, dict) or not isinstance(data.get("indicators"), dict):
        raise InputError(Location(where), "a targets file needs an `indicators:` mapping")
    found = {}
    for iid, spec in data["indicators"].items():
        spec = spec or {}
        loc = Location(where, field=str(iid))
        polarity = str(spec.get("polarity", "none"))
        if polarity not in ("up", "down", "none"):
            raise InputError(loc, "polarity must be up, down or none", polarity)
        try:
            target = None if spec.get("target") is None else float(spec["target"])
            tolerance = float(spec.get("tolerance", 0) or 0)
            teams = {str(t): {k: float(v) for k, v in (o or {}).items() if k in ("target", "tolerance")}
                     for t, o in (spec.get("teams") or {}).items()}
        except (TypeError, ValueError) as exc:
            raise InputError(loc, f"target and tolerance must be numbers ({exc})") from None
        if tolerance < 0:
            raise InputError(loc, "tolerance cannot be negative", str(tolerance))
        found[str(iid)] = Target(str(iid), polarity, target, tolerance, teams)
    return str(data.get("council", "council")), found


@cache
def _defaults() -> dict[str, Target]:
    text = resources.files("cscperf.digest").joinpath("data/targets/default.yaml").read_text(encoding="utf-8")
    return _parse(yaml.load(text, Loader=_YAML_LOADER), "default.yaml")[1]


def load_targets(path: Path | None = None) -> Targets:
    """The shipped defaults, overlaid with a council's file when given."""
    targets = Targets(_defaults())
    if path is not None:
        if not path.is_file():
            raise CscperfError(f"{path}: no such targets file")
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
        except yaml.YAMLError as exc:
            raise InputError(Location(str(path)), f"not valid YAML ({str(exc).splitlines()[0]})") from None
        council, found = _parse(data, str(path))
        targets.update(found)
        targets.council = council
    return targets


def default_polarity(indicator_id: str) -> str:
    """The polarity the shipped targets give an indicator ('none' if unknown)."""
    found = _defaults().get(indicator_id)
    return found.polarity if found else "none"
