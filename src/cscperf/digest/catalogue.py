"""What the digest needs to know about an indicator (title, area, polarity, unit), behind a small
interface so the digest does not depend on how the indicator library stores its definitions.

``from_definitions`` reads the indicator YAML files (``<area>/<id>.yaml``) for the metadata only;
anything else can supply a ``StaticCatalogue``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import yaml

from cscperf.core.errors import DefinitionError

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~8x faster, same results

POLARITIES = ("up", "down", "none")

# Digest sections, in the order they are printed, with the folder names that feed each.
AREAS: dict[str, str] = {
    "front_door": "Front door",
    "assessment": "Assessment",
    "child_protection": "Child protection",
    "children_in_care": "Children in care",
    "care_leavers": "Care leavers",
    "adoption": "Adoption",
    "workforce": "Workforce",
    "data_quality": "Data quality",
}
AREA_ALIASES = {
    "referrals": "front_door", "contacts": "front_door", "cin": "assessment", "assessments": "assessment",
    "cp": "child_protection", "s47": "child_protection", "cla": "children_in_care", "care": "children_in_care",
    "leavers": "care_leavers", "care_leaver": "care_leavers", "adoptions": "adoption", "hr": "workforce",
}


@dataclass(frozen=True)
class IndicatorInfo:
    id: str
    title: str
    area: str
    polarity: str = "none"
    unit: str = "percent"
    description: str = ""

    def __post_init__(self) -> None:
        if self.polarity not in POLARITIES:
            raise DefinitionError(f"indicator {self.id}: polarity must be up, down or none, not {self.polarity!r}")

    @property
    def area_title(self) -> str:
        return AREAS.get(self.area, self.area.replace("_", " ").capitalize())


class Catalogue(Protocol):
    def get(self, indicator_id: str) -> IndicatorInfo | None: ...

    def all(self) -> list[IndicatorInfo]: ...


class StaticCatalogue:
    """A catalogue held in memory (tests, or metadata gathered elsewhere)."""

    def __init__(self, items: Iterable[IndicatorInfo]):
        self._items = {i.id: i for i in items}

    def get(self, indicator_id: str) -> IndicatorInfo | None:
        return self._items.get(indicator_id)

    def all(self) -> list[IndicatorInfo]:
        order = list(AREAS)
        return sorted(self._items.values(), key=lambda i: (order.index(i.area) if i.area in order else 99, i.id))


UNIT_ALIASES = {
    "%": "percent", "percentage": "percent", "pct": "percent", "per_cent": "percent",
    "rate_per_10k": "rate_10k", "per_10k": "rate_10k", "rate_per_10000": "rate_10k", "per_10000": "rate_10k",
    "rate": "rate_10k", "number": "number", "ratio": "number", "average": "number", "mean": "number",
    "count": "count", "children": "count", "day": "days", "days": "days",
}


def normalise_unit(name: str) -> str:
    """The digest's unit (percent, rate_10k, count, days, number) for the spellings definitions use."""
    key = name.strip().lower().replace(" ", "_").replace(",", "")
    return UNIT_ALIASES.get(key, key)


def normalise_area(name: str) -> str:
    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    return AREA_ALIASES.get(key, key)


def from_definitions(folder: Path) -> StaticCatalogue:
    """Metadata from indicator definition files ``<folder>/<area>/<id>.yaml``; a missing folder gives an
    empty catalogue (the digest then shows indicators by id)."""
    items = []
    if folder.is_dir():
        for path in sorted(folder.glob("*/*.yaml")):
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER) or {}
            items.append(
                IndicatorInfo(
                    id=str(data.get("id", path.stem)),
                    title=str(data.get("title", path.stem)),
                    area=normalise_area(str(data.get("area", path.parent.name))),
                    polarity=str(data.get("polarity", "none")),
                    unit=normalise_unit(str(data.get("unit", "percent"))),
                    description=str(data.get("description", "")),
                )
            )
    return StaticCatalogue(items)


def fallback_catalogue() -> StaticCatalogue:
    """Metadata shipped with the digest for the indicators it expects (data/indicators_fallback.yaml)."""
    from importlib import resources

    text = resources.files("cscperf.digest").joinpath("data/indicators_fallback.yaml").read_text(encoding="utf-8")
    return StaticCatalogue(
        IndicatorInfo(id=iid, title=spec["title"], area=spec["area"], polarity=spec.get("polarity", "none"),
                      unit=spec.get("unit", "percent"))
        for iid, spec in (yaml.load(text, Loader=_YAML_LOADER) or {}).items()
    )


def default_catalogue(definitions: Path | None = None) -> StaticCatalogue:
    """The indicator library's definitions where present, else the digest's fallback metadata."""
    folder = definitions or Path(__file__).resolve().parents[1] / "indicators" / "definitions"
    merged = {i.id: i for i in fallback_catalogue().all()}
    merged.update({i.id: i for i in from_definitions(folder).all()})
    return StaticCatalogue(merged.values())


def describe(catalogue: Catalogue, indicator_id: str) -> IndicatorInfo:
    """The catalogue's entry, or a plain one for an indicator it does not know (shown by its id)."""
    return catalogue.get(indicator_id) or IndicatorInfo(indicator_id, indicator_id.replace("_", " "), "other")
