"""Declarative definitions: a YAML file of metadata + portable SQL + fixtures.

Indicators and validation rules are both definitions. This package knows what a definition *is*
(parsing, validating its SQL, discovering files) and how to run its fixtures on an engine; what the
SQL *means* belongs to the packages that use it (``cscperf.indicators``, ``cscperf.rules``).
"""

from cscperf.registry.definition import Definition, Fixture, load_definition, load_definitions

__all__ = ["Definition", "Fixture", "load_definition", "load_definitions"]
