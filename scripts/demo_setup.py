"""Demo-only set-up after the synthetic council is loaded: the council row and population from the
generator's own configuration, and one web app user per role with a printed demo password.

Never use these accounts or passwords outside a demo."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq

DEMO_PASSWORD = "demo-only-password-2026"


def cscperf(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "cscperf", *args], check=True, stdout=subprocess.DEVNULL)


def main(council_dir: str, db: str) -> None:
    truth = Path(council_dir) / "truth"
    [council] = pq.read_table(truth / "council.parquet").to_pylist()
    cap = council.get("agency_hourly_cap")
    cscperf("council", "set", "--db", db, "--la-code", council["la_code"], "--name", council["la_name"],
            "--new-la-code", council["new_la_code"] or "", "--region", council["region"] or "",
            *(["--agency-cap", str(cap)] if cap else []))
    for row in pq.read_table(truth / "population.parquet").to_pylist():
        cscperf("council", "population", "--db", db, "--year", str(row["year"]), "--children", str(row["children_0_17"]))

    from cscperf.store import open_engine

    with open_engine(db, read_only=True) as engine:
        team, service = engine.execute(
            "SELECT t.team_id, t.service FROM team t JOIN allocation a ON a.team_id = t.team_id "
            "WHERE t.service = 'child_protection' GROUP BY t.team_id, t.service ORDER BY COUNT(*) DESC LIMIT 1").rows()[0]
        worker = engine.execute(
            "SELECT a.worker_id FROM allocation a WHERE a.team_id = :t AND a.end_date IS NULL "
            "GROUP BY a.worker_id ORDER BY COUNT(*) DESC LIMIT 1", {"t": team}).scalar()
    users = [
        ("director", ["--role", "director"]),
        ("analyst", ["--role", "analyst"]),
        ("service.manager", ["--role", "service_manager", "--service", service]),
        ("team.manager", ["--role", "team_manager", "--team", team]),
        ("social.worker", ["--role", "social_worker", "--worker", worker]),
        ("member", ["--role", "member"]),
    ]
    for username, args in users:
        cscperf("users", "add", username, *args, "--password", DEMO_PASSWORD, "--db", db)
    print("Demo logins (demo only; password for all: %s):" % DEMO_PASSWORD)
    for username, args in users:
        print(f"  {username:<16} {' '.join(args[1:])}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
