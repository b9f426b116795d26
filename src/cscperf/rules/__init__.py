"""DfE validation rules (CIN census, SSDA903) as declarative definitions, and the runner that checks a
loaded return with them and stores the findings.

What a rule IS lives in ``rule.py`` and ``ruleset.py`` (files under ``definitions/``); how an engine
RUNS a ruleset lives in ``scope.py`` and ``runner.py``; ``summary.py`` and ``output.py`` read the
stored findings back.
"""

from cscperf.rules.rule import Rule, load_rule
from cscperf.rules.ruleset import Ruleset, available_years, load_ruleset

__all__ = ["Rule", "Ruleset", "available_years", "load_rule", "load_ruleset"]
