"""Imports flow one way (docs/architecture.md): a stage never imports a stage above it."""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "cscperf"

# stage -> the cscperf stages it must never import
FORBIDDEN = {
    "core": {"store", "registry", "ingest", "rules", "indicators", "digest", "web", "returns", "synth", "cli", "docs"},
    "store": {"registry", "ingest", "rules", "indicators", "digest", "web", "returns", "synth", "cli", "docs"},
    "registry": {"ingest", "rules", "indicators", "digest", "web", "returns", "synth", "cli", "docs"},
    "ingest": {"rules", "indicators", "digest", "web", "returns", "synth", "cli", "registry"},
    "synth": {"store", "ingest", "rules", "indicators", "digest", "web", "cli"},
    "rules": {"ingest", "indicators", "digest", "web", "returns", "synth", "cli"},
    "indicators": {"ingest", "rules", "digest", "web", "returns", "synth", "cli"},
    "digest": {"ingest", "web", "synth", "cli"},
    "web": {"ingest", "synth", "cli", "digest"},
    "returns": {"ingest", "web", "synth", "cli", "digest", "rules", "indicators"},
}
# synth may read the schema (to type its truth tables) and use the return writers in returns/
# (canonical tables -> DfE files), but never open an engine.
ALLOWED = {("synth", "cscperf.store.schema"), ("synth", "cscperf.store.rows")}
# The web app shows the council's figures as the digest judges them (targets, SPC, suppression,
# benchmarks, narrative, chart): it calls those pure modules rather than keep a second copy. It
# never imports the digest's rendering, files or command.
ALLOWED |= {("web", f"cscperf.digest.{m}") for m in
            ("catalogue", "charts", "model", "spc", "suppression", "targets", "comparison", "narrative")}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return {n for n in names if n.startswith("cscperf.")}


BUILT = sorted(stage for stage in FORBIDDEN if (SRC / stage).exists())


def test_the_lower_stages_exist():
    assert {"core", "store", "registry", "ingest"} <= set(BUILT)


@pytest.mark.parametrize("stage", BUILT)
def test_stage_imports_flow_one_way(stage):
    folder = SRC / stage
    offences = []
    for path in folder.rglob("*.py"):
        for module in imported_modules(path):
            target = module.split(".")[1]
            if target in FORBIDDEN[stage] and (stage, module) not in ALLOWED:
                offences.append(f"{path.relative_to(SRC)} imports {module}")
    assert offences == []
