"""Writers of the returns and extracts councils send (Annex A, workforce census, HR, survey): canonical
tables in, files in the national or documented layout out. Used by the synthetic council and to
produce returns from the store's data; never reads files, never opens an engine."""
