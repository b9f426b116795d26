"""Generated documentation for the digest: which published measure benchmarks each indicator, read
from the YAML files so the page cannot drift from them."""

from __future__ import annotations

from cscperf.digest.benchmarks import published_measures
from cscperf.digest.catalogue import fallback_catalogue
from cscperf.digest.comparison import measure_map
from cscperf.digest.targets import load_targets


def measures_markdown() -> str:
    catalogue = fallback_catalogue()
    targets = load_targets()
    ees = published_measures()
    lines = [
        "# Benchmark measures and default targets",
        "",
        "Generated from `src/cscperf/digest/data/measure_map.yaml`, `published_measures.yaml` and",
        "`targets/default.yaml` by `cscperf docs --write`; see [benchmarks.md](benchmarks.md) and",
        "[targets.md](targets.md).",
        "",
        "| indicator | polarity | default target (tolerance) | published measures, best first | scale | period |",
        "|---|---|---|---|---|---|",
    ]
    for iid, mapped in measure_map().items():
        info = catalogue.get(iid)
        target = targets.get(iid)
        aim = "–" if target is None or target.target is None else f"{target.target:g} ({target.tolerance:g})"
        names = []
        for m in mapped.measures:
            names.append(f"`{m}` (EES: {ees[m].title})" if m in ees else f"`{m}` (LAIT)")
        lines.append(f"| `{iid}` {info.title if info else ''} | {info.polarity if info else '–'} | {aim} | "
                     f"{'; '.join(names)} | {mapped.scale:g} | {mapped.period} |")
    lines += ["", "## EES measures extracted", "", "| measure | file kind | column | rows |", "|---|---|---|---|"]
    for m in ees.values():
        rows = ", ".join(f"{k} = {v}" for k, v in m.filter) or "all"
        lines.append(f"| `{m.id}` {m.title} | {m.kind} | `{m.column}` | {rows} |")
    return "\n".join(lines) + "\n"
