"""The digest stage: reads results (indicator_result, finding) and published benchmarks, never
ingests. benchmarks/dfe_files import DfE statistics; comparison places the council; targets, spc and
narrative judge each indicator; model gathers one digest; render/excel/charts write it; build and cli
tie it together."""
