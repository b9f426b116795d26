-- 0007: Ofsted's register of children's social care providers (reference data for the SSDA903 rules
-- that compare a placement's URN with the register: 219, 221, 224, 227, 228, 241). Portable DDL.
CREATE TABLE ofsted_provider (
    urn VARCHAR NOT NULL,
    provider_type VARCHAR,
    provider_subtype VARCHAR,
    sector VARCHAR,
    provider_status VARCHAR,
    registration_date DATE,
    closure_date DATE,
    provider_postcode VARCHAR,
    la_name VARCHAR,
    la_code VARCHAR,
    new_la_code VARCHAR,
    places BIGINT,
    placement_codes VARCHAR,
    provider_codes VARCHAR,
    load_id BIGINT NOT NULL,
    source_file VARCHAR,
    source_row BIGINT
);
CREATE INDEX ofsted_provider_urn_idx ON ofsted_provider (urn);
