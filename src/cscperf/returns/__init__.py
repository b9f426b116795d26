"""Returns generated from the canonical tables: the DfE CIN census XML and the SSDA903 CSV tables.

Writers take ``Mapping[str, pyarrow.Table]`` keyed by canonical table name and write files; they never
touch a store, so the synthetic council can use them too. They must not import ingest, synth, web or
digest.
"""
