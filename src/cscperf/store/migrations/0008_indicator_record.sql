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
