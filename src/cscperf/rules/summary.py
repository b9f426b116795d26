"""Reading stored findings back: the findings of a run, counts by rule, team and worker, and the
trend of counts across check runs (what the digest and web app show)."""

from __future__ import annotations

from typing import Any

from cscperf.core.errors import CscperfError
from cscperf.store.engine import Engine

FINDING_FIELDS = ("rule_code", "rule_type", "message", "child_id", "table_name", "source_file", "source_row",
                  "fields", "field_values", "team_id", "worker_id")


def latest_check(engine: Engine, return_type: str | None = None) -> int:
    sql = "SELECT MAX(check_id) FROM check_run"
    params = {}
    if return_type:
        sql += " WHERE return_type = :ret"
        params["ret"] = return_type
    found = engine.execute(sql, params).scalar()
    if found is None:
        raise CscperfError("no check has been run yet; run `cscperf check`")
    return int(found)


def findings(engine: Engine, check_id: int) -> list[dict[str, Any]]:
    return engine.execute(
        f"SELECT {', '.join(FINDING_FIELDS)} FROM finding WHERE check_id = :id ORDER BY finding_no", {"id": check_id}
    ).dicts()


def by_rule(engine: Engine, check_id: int) -> list[dict[str, Any]]:
    return engine.execute(
        "SELECT rule_code, rule_type, message, COUNT(*) AS findings, COUNT(DISTINCT child_id) AS children "
        "FROM finding WHERE check_id = :id GROUP BY rule_code, rule_type, message "
        "ORDER BY COUNT(*) DESC, rule_code",
        {"id": check_id},
    ).dicts()


def by_team(engine: Engine, check_id: int) -> list[dict[str, Any]]:
    """Findings per team (null team = no allocation open on the reference date)."""
    return engine.execute(
        "SELECT f.team_id, MIN(t.team_name) AS team_name, "
        "CAST(SUM(CASE WHEN f.rule_type = 'error' THEN 1 ELSE 0 END) AS INTEGER) AS errors, "
        "CAST(SUM(CASE WHEN f.rule_type = 'query' THEN 1 ELSE 0 END) AS INTEGER) AS queries, "
        "CAST(SUM(CASE WHEN f.rule_type = 'integrity' THEN 1 ELSE 0 END) AS INTEGER) AS integrity, "
        "COUNT(DISTINCT f.child_id) AS children "
        "FROM finding f LEFT JOIN team t ON t.team_id = f.team_id WHERE f.check_id = :id "
        "GROUP BY f.team_id ORDER BY COUNT(*) DESC, f.team_id",
        {"id": check_id},
    ).dicts()


def by_worker(engine: Engine, check_id: int) -> list[dict[str, Any]]:
    return engine.execute(
        "SELECT f.worker_id, f.team_id, "
        "CAST(SUM(CASE WHEN f.rule_type = 'error' THEN 1 ELSE 0 END) AS INTEGER) AS errors, "
        "CAST(SUM(CASE WHEN f.rule_type = 'query' THEN 1 ELSE 0 END) AS INTEGER) AS queries, "
        "CAST(SUM(CASE WHEN f.rule_type = 'integrity' THEN 1 ELSE 0 END) AS INTEGER) AS integrity, "
        "COUNT(DISTINCT f.child_id) AS children "
        "FROM finding f WHERE f.check_id = :id "
        "GROUP BY f.worker_id, f.team_id ORDER BY COUNT(*) DESC, f.worker_id, f.team_id",
        {"id": check_id},
    ).dicts()


def trend(engine: Engine, return_type: str | None = None) -> list[dict[str, Any]]:
    """Error, query and integrity counts per check run (oldest first), with the load each checked."""
    where = "WHERE c.return_type = :ret " if return_type else ""
    return engine.execute(
        "SELECT c.check_id, c.load_id, c.checked_at, c.return_type, c.collection_year, "
        "CAST(SUM(CASE WHEN f.rule_type = 'error' THEN 1 ELSE 0 END) AS INTEGER) AS errors, "
        "CAST(SUM(CASE WHEN f.rule_type = 'query' THEN 1 ELSE 0 END) AS INTEGER) AS queries, "
        "SUM(CASE WHEN f.rule_type = 'integrity' THEN 1 ELSE 0 END) AS integrity "
        "FROM check_run c LEFT JOIN finding f ON f.check_id = c.check_id "
        f"{where}GROUP BY c.check_id, c.load_id, c.checked_at, c.return_type, c.collection_year ORDER BY c.check_id",
        {"ret": return_type} if return_type else {},
    ).dicts()
