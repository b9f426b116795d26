"""File layouts shared by a format's reader (ingest) and its writer (returns).

Pure data: column headers, the labels codes are written with, and the aliases councils use. Both
directions read the same layout, so a file written by cscperf is read back by cscperf, and the two
cannot drift apart. Nothing here opens a file or a store.
"""
