-- Statistical neighbour groupings (DfE 2021 and 2025), so benchmarks can compare a council with its
-- ten closest councils.
CREATE TABLE stat_neighbour (
    sn_year VARCHAR NOT NULL,
    la_code VARCHAR NOT NULL,
    la_name VARCHAR NOT NULL,
    region_name VARCHAR,
    sn_rank BIGINT NOT NULL,
    neighbour_code VARCHAR NOT NULL,
    closeness VARCHAR,
    source VARCHAR NOT NULL,
    PRIMARY KEY (sn_year, la_code, sn_rank)
);

-- The digest reads benchmarks one measure at a time (600k+ rows once LAIT is imported).
CREATE INDEX benchmark_measure_idx ON benchmark (measure_id);
