"""A validation rule: a registry definition plus the DfE metadata every rule must carry."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from cscperf.core.errors import DefinitionError
from cscperf.registry.definition import Definition, load_definition

RETURNS = ("cin", "903")
TYPES = ("error", "query", "integrity")
FAILURE_COLUMNS = ("child_id", "table_name", "source_file", "source_row", "fields", "field_values")
_YEAR = re.compile(r"^\d{4}_\d{2}$")


@dataclass(frozen=True)
class Rule:
    """One DfE rule: its code, type and message, and the definition whose ``failures`` query finds it.

    A few catalogue rows carry no message (``message: null``); the rule's title stands in for it.
    """

    definition: Definition
    return_type: str
    year: str
    code: str
    type: str
    message: str
    tables: tuple[str, ...]
    fields: tuple[str, ...]
    reading: str = ""
    requires: tuple[str, ...] = ()  # reference tables that must hold rows for the rule to mean anything

    @property
    def id(self) -> str:
        return self.definition.id

    @property
    def sql(self) -> str:
        return self.definition.query("failures")

    @property
    def title(self) -> str:
        return self.definition.title


def _as_list(value: object, name: str, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, (str, int)) for v in value):
        raise DefinitionError(f"{where}: '{name}' must be a non-empty list of names")
    return tuple(str(v) for v in value)


def _requires(value: object, where: str) -> tuple[str, ...]:
    """``requires:``: canonical tables of reference data (e.g. ``ofsted_provider``) without which the
    rule cannot be evaluated; the runner reports it as not run instead of failing every record."""
    from cscperf.store.schema import tables

    if value in (None, [], ""):
        return ()
    names = _as_list(value, "requires", where)
    unknown = [n for n in names if n not in tables()]
    if unknown:
        raise DefinitionError(f"{where}: requires unknown table(s) {', '.join(unknown)}")
    return names


def rule_from_definition(definition: Definition) -> Rule:
    """Check a rule definition's metadata and id (``<return>.<year>.<code>``) and wrap it."""
    where = str(definition.path or definition.id)
    meta = definition.meta
    if definition.kind != "rule":
        raise DefinitionError(f"{where}: kind is {definition.kind!r}, expected 'rule'")
    missing = [k for k in ("return", "code", "type", "tables", "fields") if meta.get(k) in (None, "", [])]
    if "message" not in meta:
        missing.append("message")
    if missing:
        raise DefinitionError(f"{where}: missing {', '.join(missing)}")
    return_type, code, rule_type = str(meta["return"]), str(meta["code"]), str(meta["type"])
    if return_type not in RETURNS:
        raise DefinitionError(f"{where}: return must be one of {', '.join(RETURNS)}, not {return_type!r}")
    if rule_type not in TYPES:
        raise DefinitionError(f"{where}: type must be one of {', '.join(TYPES)}, not {rule_type!r}")
    parts = definition.id.split(".")
    if len(parts) != 3 or parts[0] != return_type or not _YEAR.match(parts[1]) or parts[2] != code:
        raise DefinitionError(f"{where}: id must be '{return_type}.<yyyy_yy>.{code}', not {definition.id!r}")
    if "failures" not in definition.queries:
        raise DefinitionError(f"{where}: a rule needs a 'failures' query")
    return Rule(
        definition=definition, return_type=return_type, year=parts[1], code=code, type=rule_type,
        message=str(meta["message"] or definition.title).strip(), tables=_as_list(meta["tables"], "tables", where),
        fields=_as_list(meta["fields"], "fields", where), reading=str(meta.get("reading") or "").strip(),
        requires=_requires(meta.get("requires"), where),
    )


def fixture_gaps(rule: Rule) -> list[str]:
    """What a rule's fixtures lack: every rule has a passing fixture (no failures) and a failing one,
    except a rule marked ``enforced_by: reader``, whose failing record the store cannot hold (the
    reader refuses the file, naming the rule), so it has only a passing fixture.

    Checked by the test suite rather than at load time, so a run never stops over a fixture.
    """
    fixtures = [fx for fx in rule.definition.fixtures if "failures" in fx.expect]
    gaps = []
    if not any(fx.expect["failures"] == [] for fx in fixtures):
        gaps.append(f"{rule.id}: no passing fixture (one expecting no failures)")
    if not any(fx.expect["failures"] for fx in fixtures) and rule.definition.meta.get("enforced_by") != "reader":
        gaps.append(f"{rule.id}: no failing fixture (one expecting failures)")
    return gaps


def load_rule(path: Path) -> Rule:
    rule = rule_from_definition(load_definition(path))
    if path.stem != rule.code or path.parent.name != rule.year:
        raise DefinitionError(f"{path}: a rule file is <year>/<code>.yaml; this one holds {rule.id!r}")
    return rule
