-- Drill-down membership: the records each stored figure counts, written by the indicator run, so the
-- web app's drill-down is a select instead of rebuilding the attribution per request.
ALTER TABLE indicator_run ADD COLUMN records_from DATE;

CREATE TABLE indicator_record (
    run_id BIGINT NOT NULL,
    indicator_id VARCHAR NOT NULL,
    period_start DATE NOT NULL,
    part VARCHAR NOT NULL,
    record_id VARCHAR NOT NULL,
    child_id VARCHAR,
    team_id VARCHAR,
    worker_id VARCHAR,
    value DOUBLE
);

-- Drill-down reads one indicator, month and part of one run.
CREATE INDEX indicator_record_figure_idx ON indicator_record (indicator_id, period_start, part, run_id);

-- The web app's live lists look up each child's visits, periods of care and reviews, each plan's
-- reviews, and the working day N days on. PostgreSQL runs those correlated look-ups once per row:
-- without these indexes the large council's plans-without-a-visit list took over 5 minutes there
-- (0.4 s with them). DuckDB builds them in ~0.4 s on the large council and plans as before.
CREATE INDEX visit_child_idx ON visit (child_id);
CREATE INDEX cla_episode_child_idx ON cla_episode (child_id);
CREATE INDEX cla_review_child_idx ON cla_review (child_id);
CREATE INDEX cp_review_plan_idx ON cp_review (cp_plan_id);
CREATE INDEX calendar_wd_idx ON calendar (wd_index);
