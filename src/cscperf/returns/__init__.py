"""Returns and extracts generated from the canonical tables: the DfE CIN census XML, the SSDA903 CSV
tables, Ofsted's Annex A, the workforce census, HR and survey extracts.

Writers take ``Mapping[str, pyarrow.Table]`` keyed by canonical table name and write files in the
national (or documented) layout; they never read files or open an engine, so the synthetic council
uses them too. They must not import ingest, synth, web or digest.
"""
