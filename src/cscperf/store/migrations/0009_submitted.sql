-- Returns as submitted: when a later load's copy of a record is merged with a CIN census or SSDA903
-- row (ingest/recordmerge.py: the row is filled in, or removed as the losing copy), the row as the
-- return sent it is kept here, so the validation rules can still check that return as submitted,
-- and compare a year with the one before, from the store. Same columns as the table each twins.

CREATE TABLE submitted_referral (
    referral_id VARCHAR NOT NULL,
    child_id VARCHAR NOT NULL,
    referral_date DATE NOT NULL,
    referral_source VARCHAR,
    primary_need VARCHAR,
    nfa BOOLEAN,
    closure_date DATE,
    closure_reason VARCHAR,
    team_id VARCHAR,
    worker_id VARCHAR,
    load_id BIGINT NOT NULL,
    source_file VARCHAR,
    source_row BIGINT
);

CREATE TABLE submitted_assessment (
    assessment_id VARCHAR NOT NULL,
    referral_id VARCHAR,
    child_id VARCHAR NOT NULL,
    start_date DATE NOT NULL,
    authorised_date DATE,
    internal_review_date DATE,
    factors VARCHAR,
    child_seen_date DATE,
    outcome VARCHAR,
    team_id VARCHAR,
    worker_id VARCHAR,
    load_id BIGINT NOT NULL,
    source_file VARCHAR,
    source_row BIGINT
);

CREATE TABLE submitted_s47_enquiry (
    s47_id VARCHAR NOT NULL,
    referral_id VARCHAR,
    child_id VARCHAR NOT NULL,
    strategy_discussion_date DATE,
    start_date DATE NOT NULL,
    icpc_target_date DATE,
    icpc_date DATE,
    icpc_not_required BOOLEAN,
    outcome VARCHAR,
    team_id VARCHAR,
    worker_id VARCHAR,
    load_id BIGINT NOT NULL,
    source_file VARCHAR,
    source_row BIGINT
);

CREATE TABLE submitted_icpc (
    icpc_id VARCHAR NOT NULL,
    s47_id VARCHAR,
    referral_id VARCHAR,
    child_id VARCHAR NOT NULL,
    icpc_date DATE NOT NULL,
    outcome VARCHAR,
    team_id VARCHAR,
    worker_id VARCHAR,
    load_id BIGINT NOT NULL,
    source_file VARCHAR,
    source_row BIGINT
);

CREATE TABLE submitted_cin_plan (
    cin_plan_id VARCHAR NOT NULL,
    referral_id VARCHAR,
    child_id VARCHAR NOT NULL,
    start_date DATE NOT NULL,
    end_date DATE,
    team_id VARCHAR,
    worker_id VARCHAR,
    load_id BIGINT NOT NULL,
    source_file VARCHAR,
    source_row BIGINT
);

CREATE TABLE submitted_cp_plan (
    cp_plan_id VARCHAR NOT NULL,
    referral_id VARCHAR,
    child_id VARCHAR NOT NULL,
    start_date DATE NOT NULL,
    end_date DATE,
    initial_category VARCHAR,
    latest_category VARCHAR,
    previous_plans BIGINT,
    team_id VARCHAR,
    worker_id VARCHAR,
    load_id BIGINT NOT NULL,
    source_file VARCHAR,
    source_row BIGINT
);

CREATE TABLE submitted_cp_review (
    cp_plan_id VARCHAR NOT NULL,
    child_id VARCHAR NOT NULL,
    review_date DATE NOT NULL,
    load_id BIGINT NOT NULL,
    source_file VARCHAR,
    source_row BIGINT
);

CREATE TABLE submitted_cla_episode (
    child_id VARCHAR NOT NULL,
    decom DATE NOT NULL,
    rne VARCHAR,
    legal_status VARCHAR,
    cin VARCHAR,
    place VARCHAR,
    place_provider VARCHAR,
    dec DATE,
    rec VARCHAR,
    reason_place_change VARCHAR,
    home_post VARCHAR,
    pl_post VARCHAR,
    urn VARCHAR,
    pl_distance DOUBLE,
    pl_la VARCHAR,
    pl_location VARCHAR,
    team_id VARCHAR,
    worker_id VARCHAR,
    load_id BIGINT NOT NULL,
    source_file VARCHAR,
    source_row BIGINT
);

CREATE TABLE submitted_cla_review (
    child_id VARCHAR NOT NULL,
    review_date DATE NOT NULL,
    review_code VARCHAR,
    load_id BIGINT NOT NULL,
    source_file VARCHAR,
    source_row BIGINT
);

CREATE TABLE submitted_missing_episode (
    child_id VARCHAR NOT NULL,
    missing_type VARCHAR,
    start_date DATE NOT NULL,
    end_date DATE,
    return_interview_offered BOOLEAN,
    return_interview_accepted BOOLEAN,
    load_id BIGINT NOT NULL,
    source_file VARCHAR,
    source_row BIGINT
);

CREATE TABLE submitted_care_leaver (
    child_id VARCHAR NOT NULL,
    collection_year BIGINT NOT NULL,
    contact_date DATE,
    in_touch VARCHAR,
    activity VARCHAR,
    accommodation VARCHAR,
    personal_adviser VARCHAR,
    pathway_plan BOOLEAN,
    load_id BIGINT NOT NULL,
    source_file VARCHAR,
    source_row BIGINT
);

CREATE TABLE submitted_cla_outcome (
    child_id VARCHAR NOT NULL,
    collection_year BIGINT NOT NULL,
    sdq_score BIGINT,
    sdq_reason VARCHAR,
    convicted BOOLEAN,
    health_check BOOLEAN,
    immunisations BOOLEAN,
    teeth_check BOOLEAN,
    health_assessment BOOLEAN,
    substance_misuse BOOLEAN,
    intervention_received BOOLEAN,
    intervention_offered BOOLEAN,
    load_id BIGINT NOT NULL,
    source_file VARCHAR,
    source_row BIGINT
);

CREATE TABLE submitted_adoption (
    child_id VARCHAR NOT NULL,
    adm_decision_date DATE,
    placement_order_date DATE,
    match_date DATE,
    placed_date DATE,
    adoption_order_date DATE,
    foster_care BOOLEAN,
    foster_to_adopt BOOLEAN,
    number_of_adopters VARCHAR,
    sex_of_adopters VARCHAR,
    legal_status_of_adopters VARCHAR,
    load_id BIGINT NOT NULL,
    source_file VARCHAR,
    source_row BIGINT
);

CREATE TABLE submitted_placed_for_adoption (
    child_id VARCHAR NOT NULL,
    date_placed DATE NOT NULL,
    date_placed_ceased DATE,
    reason_placed_ceased VARCHAR,
    load_id BIGINT NOT NULL,
    source_file VARCHAR,
    source_row BIGINT
);

CREATE TABLE submitted_previous_permanence (
    child_id VARCHAR NOT NULL,
    prev_perm VARCHAR,
    la_perm VARCHAR,
    date_perm VARCHAR,
    load_id BIGINT NOT NULL,
    source_file VARCHAR,
    source_row BIGINT
);

CREATE TABLE submitted_social_worker_episode (
    child_id VARCHAR NOT NULL,
    sw_id VARCHAR,
    sw_decom DATE NOT NULL,
    sw_dec DATE,
    sw_reason VARCHAR,
    load_id BIGINT NOT NULL,
    source_file VARCHAR,
    source_row BIGINT
);
