"""The registry of generated documentation: every file here is rebuilt from code or definitions, and
a test fails when one is out of date. Each stage adds its own entry."""

from __future__ import annotations

from collections.abc import Callable


def generated_docs() -> dict[str, Callable[[], str]]:
    from cscperf.core.layouts.docs import annex_a_columns_markdown
    from cscperf.digest.docs import measures_markdown
    from cscperf.indicators.docs import indicators_markdown
    from cscperf.ingest.formats.ofsted_providers import register_markdown
    from cscperf.registry.docs import examples_markdown
    from cscperf.rules.docs import rules_markdown
    from cscperf.store.docs import data_model_markdown
    from cscperf.synth.docs import calibration_markdown

    return {
        "docs/data-model.md": data_model_markdown,
        "docs/definitions.md": examples_markdown,
        "docs/formats/annex-a-columns.md": annex_a_columns_markdown,
        "docs/formats/ofsted-providers.md": register_markdown,
        "docs/benchmark-measures.md": measures_markdown,
        "docs/calibration.md": calibration_markdown,
        "docs/indicators.md": indicators_markdown,
        "docs/rules.md": rules_markdown,
    }
