-- 0002: child_source, each source's own child row, so the merged child table can be rebuilt when a load
-- is superseded (docs/ingest.md). Portable DDL (DuckDB spelling).

CREATE TABLE child_source (
    child_id VARCHAR NOT NULL,
    upn VARCHAR,
    former_upn VARCHAR,
    upn_unknown VARCHAR,
    sex VARCHAR,
    ethnicity VARCHAR,
    date_of_birth DATE,
    expected_birth_date DATE,
    date_of_death DATE,
    disabilities VARCHAR,
    uasc BOOLEAN,
    uasc_ceased_date DATE,
    mother BOOLEAN,
    mother_child_dob DATE,
    source_table VARCHAR,
    load_id BIGINT NOT NULL,
    source_file VARCHAR,
    source_row BIGINT
);
