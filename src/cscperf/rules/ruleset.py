"""Rulesets per collection year: a year folder holds the rules added or changed that year and a
``ruleset.yaml`` naming the year it inherits and the codes it deletes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

from cscperf.core.errors import CscperfError, DefinitionError
from cscperf.rules.rule import RETURNS, Rule, load_rule

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~8x faster, same results

RULESET_FILE = "ruleset.yaml"


def definitions_folder() -> Path:
    return Path(__file__).parent / "definitions"


@dataclass(frozen=True)
class Ruleset:
    return_type: str
    year: str
    rules: tuple[Rule, ...]

    @property
    def collection_year(self) -> int:
        """The year the collection ends (2025 for 2024_25)."""
        return int(self.year[:4]) + 1

    def params(self, la_code: str | None = None) -> dict:
        """The run parameters every rule gets (MAPPING.md)."""
        end = date(self.collection_year, 3, 31)
        return {
            "collection_start": date(self.collection_year - 1, 4, 1),
            "collection_end": end,
            "reference_date": end,
            "collection_year": self.collection_year,
            "la_code": la_code or "",
        }

    def codes(self) -> list[str]:
        return [r.code for r in self.rules]

    def rule(self, code: str) -> Rule:
        for r in self.rules:
            if r.code == code:
                return r
        raise CscperfError(f"no rule {code!r} in the {self.return_type} {self.year} ruleset")


def _header(folder: Path) -> dict:
    path = folder / RULESET_FILE
    if not path.exists():
        raise DefinitionError(f"{folder}: a ruleset year folder needs a {RULESET_FILE}")
    doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER) or {}
    if not isinstance(doc, dict) or str(doc.get("year")) != folder.name or str(doc.get("return")) != folder.parent.name:
        raise DefinitionError(f"{path}: needs return: {folder.parent.name!r} and year: {folder.name!r}")
    deleted = doc.get("deleted") or []
    if not isinstance(deleted, list):
        raise DefinitionError(f"{path}: 'deleted' is a list of rule codes")
    return {"inherits": doc.get("inherits"), "deleted": [str(c) for c in deleted]}


def year_rules(folder: Path) -> list[Rule]:
    """The rule files of one year folder (``ruleset.yaml`` is not a definition)."""
    rules = [load_rule(p) for p in sorted(folder.glob("*.yaml")) if p.name != RULESET_FILE]
    for r in rules:
        if r.return_type != folder.parent.name:
            raise DefinitionError(f"{r.definition.path}: return {r.return_type!r} in the {folder.parent.name} folder")
    return rules


def available_years(return_type: str, root: Path | None = None) -> list[str]:
    folder = (root or definitions_folder()) / return_type
    return sorted(p.name for p in folder.iterdir() if (p / RULESET_FILE).exists()) if folder.exists() else []


def _resolve(return_type: str, year: str, root: Path, seen: tuple[str, ...]) -> dict[str, Rule]:
    folder = root / return_type / year
    if not folder.is_dir():
        raise CscperfError(f"no {return_type} ruleset for {year} (have: {', '.join(available_years(return_type, root)) or 'none'})")
    if year in seen:
        raise DefinitionError(f"{folder}: ruleset inheritance loops through {year}")
    header = _header(folder)
    rules = _resolve(return_type, str(header["inherits"]), root, (*seen, year)) if header["inherits"] else {}
    for code in header["deleted"]:
        if code not in rules:
            raise DefinitionError(f"{folder / RULESET_FILE}: deletes {code!r}, which {header['inherits']} does not have")
        del rules[code]
    for rule in year_rules(folder):
        rules[rule.code] = rule  # a later year adds or replaces by code
    return rules


@lru_cache(maxsize=32)
def _cached(return_type: str, year: str, root: Path) -> Ruleset:
    rules = _resolve(return_type, year, root, ())
    return Ruleset(return_type, year, tuple(rules[c] for c in sorted(rules, key=_code_order)))


def load_ruleset(return_type: str, year: str | None = None, root: Path | None = None) -> Ruleset:
    """Every rule that applies to ``return_type`` in ``year`` (default: the latest year there is)."""
    if return_type not in RETURNS:
        raise CscperfError(f"unknown return {return_type!r} (expected {' or '.join(RETURNS)})")
    root = root or definitions_folder()
    years = available_years(return_type, root)
    if year is None:
        if not years:
            raise CscperfError(f"no {return_type} rulesets under {root}")
        year = years[-1]
    return _cached(return_type, year, root)


def all_rule_files(root: Path | None = None) -> list[Path]:
    """Every rule file under the definitions folder (for tests and docs)."""
    root = root or definitions_folder()
    return sorted(p for p in root.rglob("*.yaml") if p.name != RULESET_FILE)


def _code_order(code: str) -> tuple:
    digits = "".join(ch for ch in code if ch.isdigit())
    return (0 if digits else 1, int(digits) if digits else 0, code)
