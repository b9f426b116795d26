-- 0001: the canonical model, registry and results tables as first defined in schema/*.yaml.
-- Portable DDL (DuckDB spelling); the engine adapter transpiles it for PostgreSQL.

CREATE TABLE child (
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
    load_id BIGINT NOT NULL,
    source_file VARCHAR,
    source_row BIGINT
);

CREATE TABLE team (
    team_id VARCHAR NOT NULL,
    team_name VARCHAR NOT NULL,
    service VARCHAR,
    manager_worker_id VARCHAR,
    load_id BIGINT NOT NULL,
    source_file VARCHAR,
    source_row BIGINT
);

CREATE TABLE worker (
    worker_id VARCHAR NOT NULL,
    worker_name VARCHAR,
    role VARCHAR,
    qualified BOOLEAN,
    agency BOOLEAN,
    fte DOUBLE,
    start_date DATE,
    end_date DATE,
    load_id BIGINT NOT NULL,
    source_file VARCHAR,
    source_row BIGINT
);

CREATE TABLE worker_team (
    worker_id VARCHAR NOT NULL,
    team_id VARCHAR NOT NULL,
    start_date DATE NOT NULL,
    end_date DATE,
    load_id BIGINT NOT NULL,
    source_file VARCHAR,
    source_row BIGINT
);

CREATE TABLE allocation (
    child_id VARCHAR NOT NULL,
    worker_id VARCHAR NOT NULL,
    team_id VARCHAR,
    start_date DATE NOT NULL,
    end_date DATE,
    load_id BIGINT NOT NULL,
    source_file VARCHAR,
    source_row BIGINT
);

CREATE TABLE contact (
    contact_id VARCHAR NOT NULL,
    child_id VARCHAR NOT NULL,
    contact_date DATE NOT NULL,
    contact_source VARCHAR,
    outcome VARCHAR,
    team_id VARCHAR,
    worker_id VARCHAR,
    load_id BIGINT NOT NULL,
    source_file VARCHAR,
    source_row BIGINT
);

CREATE TABLE early_help_episode (
    early_help_id VARCHAR NOT NULL,
    child_id VARCHAR NOT NULL,
    start_date DATE NOT NULL,
    completed_date DATE,
    end_date DATE,
    organisation VARCHAR,
    team_id VARCHAR,
    worker_id VARCHAR,
    load_id BIGINT NOT NULL,
    source_file VARCHAR,
    source_row BIGINT
);

CREATE TABLE referral (
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

CREATE TABLE assessment (
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

CREATE TABLE s47_enquiry (
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

CREATE TABLE icpc (
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

CREATE TABLE cin_plan (
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

CREATE TABLE cp_plan (
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

CREATE TABLE cp_review (
    cp_plan_id VARCHAR NOT NULL,
    child_id VARCHAR NOT NULL,
    review_date DATE NOT NULL,
    load_id BIGINT NOT NULL,
    source_file VARCHAR,
    source_row BIGINT
);

CREATE TABLE visit (
    visit_id VARCHAR NOT NULL,
    child_id VARCHAR NOT NULL,
    worker_id VARCHAR,
    visit_date DATE NOT NULL,
    visit_type VARCHAR,
    seen BOOLEAN,
    seen_alone BOOLEAN,
    load_id BIGINT NOT NULL,
    source_file VARCHAR,
    source_row BIGINT
);

CREATE TABLE cla_episode (
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

CREATE TABLE cla_review (
    child_id VARCHAR NOT NULL,
    review_date DATE NOT NULL,
    review_code VARCHAR,
    load_id BIGINT NOT NULL,
    source_file VARCHAR,
    source_row BIGINT
);

CREATE TABLE missing_episode (
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

CREATE TABLE care_leaver (
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

CREATE TABLE cla_outcome (
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

CREATE TABLE adoption (
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

CREATE TABLE placed_for_adoption (
    child_id VARCHAR NOT NULL,
    date_placed DATE NOT NULL,
    date_placed_ceased DATE,
    reason_placed_ceased VARCHAR,
    load_id BIGINT NOT NULL,
    source_file VARCHAR,
    source_row BIGINT
);

CREATE TABLE previous_permanence (
    child_id VARCHAR NOT NULL,
    prev_perm VARCHAR,
    la_perm VARCHAR,
    date_perm VARCHAR,
    load_id BIGINT NOT NULL,
    source_file VARCHAR,
    source_row BIGINT
);

CREATE TABLE social_worker_episode (
    child_id VARCHAR NOT NULL,
    sw_id VARCHAR,
    sw_decom DATE NOT NULL,
    sw_dec DATE,
    sw_reason VARCHAR,
    load_id BIGINT NOT NULL,
    source_file VARCHAR,
    source_row BIGINT
);

CREATE TABLE deprivation_of_liberty (
    child_id VARCHAR NOT NULL,
    dolo_start DATE NOT NULL,
    dolo_end DATE,
    load_id BIGINT NOT NULL,
    source_file VARCHAR,
    source_row BIGINT
);

CREATE TABLE post (
    post_id VARCHAR NOT NULL,
    team_id VARCHAR,
    role VARCHAR,
    fte DOUBLE NOT NULL,
    social_worker_post BOOLEAN,
    load_id BIGINT NOT NULL,
    source_file VARCHAR,
    source_row BIGINT
);

CREATE TABLE vacancy_snapshot (
    snapshot_date DATE NOT NULL,
    team_id VARCHAR,
    role VARCHAR,
    vacancies_fte DOUBLE NOT NULL,
    vacancies_covered_by_agency_fte DOUBLE,
    agency_fte DOUBLE,
    agency_headcount BIGINT,
    load_id BIGINT NOT NULL,
    source_file VARCHAR,
    source_row BIGINT
);

CREATE TABLE staff_spell (
    spell_id VARCHAR NOT NULL,
    worker_id VARCHAR NOT NULL,
    role VARCHAR,
    team_id VARCHAR,
    start_date DATE NOT NULL,
    end_date DATE,
    leave_reason VARCHAR,
    leaver_destination VARCHAR,
    start_origin VARCHAR,
    fte DOUBLE NOT NULL,
    agency BOOLEAN,
    hourly_rate DOUBLE,
    cost DOUBLE,
    qualified BOOLEAN,
    cases BIGINT,
    load_id BIGINT NOT NULL,
    source_file VARCHAR,
    source_row BIGINT
);

CREATE TABLE agency_cost (
    quarter_start DATE NOT NULL,
    team_id VARCHAR,
    worker_id VARCHAR,
    hours DOUBLE,
    cost DOUBLE NOT NULL,
    load_id BIGINT NOT NULL,
    source_file VARCHAR,
    source_row BIGINT
);

CREATE TABLE absence_spell (
    absence_id VARCHAR NOT NULL,
    worker_id VARCHAR NOT NULL,
    start_date DATE NOT NULL,
    end_date DATE,
    working_days_lost DOUBLE,
    reason VARCHAR,
    load_id BIGINT NOT NULL,
    source_file VARCHAR,
    source_row BIGINT
);

CREATE TABLE survey_response (
    survey_id VARCHAR NOT NULL,
    respondent_id VARCHAR NOT NULL,
    respondent_group VARCHAR,
    directorate VARCHAR,
    question_id VARCHAR NOT NULL,
    question_text VARCHAR,
    question_set VARCHAR,
    answer VARCHAR,
    load_id BIGINT NOT NULL,
    source_file VARCHAR,
    source_row BIGINT
);

CREATE TABLE load (
    load_id BIGINT NOT NULL,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    loaded_by VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    source_format VARCHAR,
    as_at DATE,
    period_start DATE,
    period_end DATE,
    rows_read BIGINT,
    rows_loaded BIGINT,
    rows_rejected BIGINT,
    superseded_by BIGINT,
    message VARCHAR,
    PRIMARY KEY (load_id)
);

CREATE TABLE load_file (
    load_id BIGINT NOT NULL,
    source_file VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    source_format VARCHAR,
    collection_year VARCHAR,
    rows_read BIGINT,
    rows_loaded BIGINT,
    rows_rejected BIGINT,
    PRIMARY KEY (load_id, source_file)
);

CREATE TABLE load_issue (
    load_id BIGINT NOT NULL,
    issue_no BIGINT NOT NULL,
    severity VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    source_row BIGINT,
    field VARCHAR,
    value VARCHAR,
    reason VARCHAR NOT NULL,
    PRIMARY KEY (load_id, issue_no)
);

CREATE TABLE calendar (
    day DATE NOT NULL,
    is_working_day BOOLEAN NOT NULL,
    wd_index BIGINT NOT NULL,
    PRIMARY KEY (day)
);

CREATE TABLE council (
    la_code VARCHAR NOT NULL,
    la_name VARCHAR NOT NULL,
    new_la_code VARCHAR,
    region VARCHAR,
    PRIMARY KEY (la_code)
);

CREATE TABLE population (
    la_code VARCHAR NOT NULL,
    year BIGINT NOT NULL,
    children_0_17 BIGINT NOT NULL,
    source VARCHAR,
    PRIMARY KEY (la_code, year)
);

CREATE TABLE indicator_run (
    run_id BIGINT NOT NULL,
    computed_at TIMESTAMP NOT NULL,
    first_month DATE NOT NULL,
    last_month DATE NOT NULL,
    definitions_hash VARCHAR,
    PRIMARY KEY (run_id)
);

CREATE TABLE indicator_result (
    run_id BIGINT NOT NULL,
    indicator_id VARCHAR NOT NULL,
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    level VARCHAR NOT NULL,
    team_id VARCHAR,
    worker_id VARCHAR,
    numerator DOUBLE,
    denominator DOUBLE,
    value DOUBLE
);

CREATE TABLE check_run (
    check_id BIGINT NOT NULL,
    load_id BIGINT,
    checked_at TIMESTAMP NOT NULL,
    return_type VARCHAR NOT NULL,
    collection_year VARCHAR NOT NULL,
    findings BIGINT,
    PRIMARY KEY (check_id)
);

CREATE TABLE finding (
    check_id BIGINT NOT NULL,
    finding_no BIGINT NOT NULL,
    rule_code VARCHAR NOT NULL,
    rule_type VARCHAR NOT NULL,
    message VARCHAR NOT NULL,
    child_id VARCHAR,
    table_name VARCHAR,
    source_file VARCHAR,
    source_row BIGINT,
    fields VARCHAR,
    field_values VARCHAR,
    team_id VARCHAR,
    worker_id VARCHAR
);

CREATE TABLE benchmark (
    measure_id VARCHAR NOT NULL,
    time_period VARCHAR NOT NULL,
    area_level VARCHAR NOT NULL,
    area_code VARCHAR NOT NULL,
    area_name VARCHAR NOT NULL,
    value DOUBLE,
    marker VARCHAR,
    source VARCHAR NOT NULL
);
