"""Ingest: the files councils already produce, read into the canonical tables.

Each format has a reader (``cscperf.ingest.formats.<name>``) that detects its files and yields
canonical rows with where they came from; ``cscperf.ingest.load`` writes them in one transaction.
Ingest never imports rules, indicators, digest or web.
"""
