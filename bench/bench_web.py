"""p50/p95/max latency of the web app's team page and a drill-down under concurrent users, on a
synthetic council (loopback only). Target (issue 8): p95 <= 150 ms with 20 users on `large`.

    PYTHONPATH=src python bench/bench_web.py [--profile large] [--users 20] [--requests 400]
                                             [--seconds 120] [--workdir DIR]
    PYTHONPATH=src python bench/bench_web.py --council /work/data/large --as-at 2026-04-30 --workdir DIR

Prepares (skipped when --workdir already holds a prepared store): `cscperf synth` (or an existing
synthetic council's files, --council), `cscperf load` (skipped when DIR/council.duckdb exists),
`cscperf indicators` for the three months to the as-at date, a team manager for the team with the
most open allocations; then starts `cscperf serve` on 127.0.0.1, signs in once, and runs each page with
--users threads (one keep-alive connection each, the session cookie shared) until --requests
requests or --seconds have passed. Each page is first requested once (warm-up, not counted).
Each page is timed with one user first (its service time, no queueing), then with --users users.
The home page is timed too, as the baseline of a page that lists no child.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

AS_AT = "2025-03-31"
INDICATOR = "child_protection.visits_within_10_working_days"
USER, PASSWORD = "bench_tm", "bench passphrase for the team manager 7"
TARGET_MS = 150.0


def cscperf(*args: str, env: dict | None = None) -> None:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "cscperf", *args], check=True, env=env, stdout=subprocess.DEVNULL)
    print(f"  cscperf {args[0]}: {time.perf_counter() - started:.1f} s", flush=True)


def months_to(as_at: str) -> tuple[str, str]:
    """The first and last of the three months ending with the as-at date's month."""
    year, month = int(as_at[:4]), int(as_at[5:7])
    first = year * 12 + month - 1 - 2
    return f"{first // 12:04d}-{first % 12 + 1:02d}", as_at[:7]


def prepare(work: Path, profile: str, council: Path | None, as_at: str) -> tuple[Path, str]:
    store = work / "council.duckdb"
    marker = work / "team.txt"
    if marker.exists():
        return store, marker.read_text().strip()
    print(f"preparing a {profile if council is None else council} council in {work}", flush=True)
    if not store.exists():
        files = council or work / "files"
        if council is None:
            cscperf("synth", "--profile", profile, "--as-at", as_at, "--years", "3", "--out", str(files))
        cscperf("load", str(files), "--no-check", "--db", str(store))
    first, last = months_to(as_at)
    cscperf("indicators", "--month", last, "--from", first, "--db", str(store), "--out", os.devnull)
    from cscperf.store import open_engine

    with open_engine(str(store), read_only=True) as engine:
        team = engine.execute(
            "SELECT team_id FROM allocation WHERE start_date <= :d AND (end_date IS NULL OR end_date >= :d) "
            "GROUP BY team_id ORDER BY COUNT(*) DESC, team_id LIMIT 1", {"d": as_at}
        ).scalar()
    cscperf("users", "add", USER, "--role", "team_manager", "--team", str(team), "--password", PASSWORD,
            "--db", str(store))
    marker.write_text(str(team))
    return store, str(team)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(store: Path, port: int, threads: int, processes: int = 1, cache: bool = True) -> subprocess.Popen:
    env = {**os.environ, "CSCPERF_DB": str(store), "CSCPERF_ALLOWED_HOSTS": "127.0.0.1"}
    if not cache:  # every request computes its lists and drill-down (the cost of a page's first view)
        env["CSCPERF_WEB_CACHE"] = "0"
    proc = subprocess.Popen([sys.executable, "-m", "cscperf", "serve", "--host", "127.0.0.1", "--port", str(port),
                             "--threads", str(threads)] + (["--processes", str(processes)] if processes > 1 else []), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc
        except OSError:
            if proc.poll() is not None:
                raise SystemExit("the server exited")
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("the server did not start")


def server_cpu_seconds(pid: int) -> float:
    """User + system CPU of the server and its server processes so far (Linux /proc; 0 elsewhere):
    the machine is shared, so CPU per request is steadier than latency."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

    def cpu(p: int) -> float:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / tick

    total = cpu(pid)
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            if f"\nPPid:\t{pid}\n" in status.read_text():
                total += cpu(int(status.parent.name))
        except OSError:
            continue
    return total


def cookies_of(response: http.client.HTTPResponse) -> dict[str, str]:
    found = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


def sign_in(port: int) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/login/")
    response = conn.getresponse()
    page = response.read().decode()
    cookies = cookies_of(response)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urlencode({"username": USER, "password": PASSWORD, "csrfmiddlewaretoken": token})
    conn.request("POST", "/login/", body, {
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={cookies['csrftoken']}",
        "Referer": f"http://127.0.0.1:{port}/login/"})
    response = conn.getresponse()
    response.read()
    session = cookies_of(response).get("sessionid")
    if response.status != 302 or not session:
        raise SystemExit(f"sign-in failed ({response.status})")
    return f"sessionid={session}; csrftoken={cookies['csrftoken']}"


def hammer(port: int, cookie: str, path: str, users: int, limit: int, seconds: float) -> tuple[list[float], int]:
    """Latencies (ms) of successful requests, and the number of failures."""
    latencies: list[float] = []
    failures = [0]
    issued = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def user() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                if issued[0] >= limit or time.perf_counter() > deadline:
                    break
                issued[0] += 1
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Cookie": cookie})
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    failures[0] += 1
        conn.close()

    threads = [threading.Thread(target=user) for _ in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, failures[0]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="large", choices=["small", "medium", "large"])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--requests", type=int, default=400, help="requests per page")
    parser.add_argument("--seconds", type=float, default=120, help="time limit per page")
    parser.add_argument("--threads", type=int, default=8, help="server worker threads (per process)")
    parser.add_argument("--processes", type=int, default=1, help="server processes (cscperf serve --processes)")
    parser.add_argument("--no-cache", action="store_true", help="serve with CSCPERF_WEB_CACHE=0 (first-view cost)")
    parser.add_argument("--workdir", type=Path, default=None, help="keep (or reuse) the prepared council here")
    parser.add_argument("--council", type=Path, default=None, help="load this synthetic council's files (no synth)")
    parser.add_argument("--as-at", default=AS_AT, help="the council's as-at date (synth --as-at)")
    parser.add_argument("--prepare-only", action="store_true", help="prepare the council in --workdir and stop")
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench-web-"))
    work.mkdir(parents=True, exist_ok=True)
    store, team = prepare(work, args.profile, args.council, args.as_at)
    if args.prepare_only:
        return
    port = free_port()
    server = start_server(store, port, args.threads, args.processes, cache=not args.no_cache)
    try:
        cookie = sign_in(port)
        pages = {
            "home (no child data)": "/",
            f"team page {team}": f"/teams/{team}/",
            "drill-down (team numerator)": f"/indicators/{INDICATOR}/drill/?" + urlencode(
                {"month": months_to(args.as_at)[1], "part": "numerator", "team": team}),
        }
        print(f"\n{args.council or args.profile} council, 1 then {args.users} concurrent users, server threads {args.threads}, "
              f"processes {args.processes}{', cache off' if args.no_cache else ''}, <= {args.requests} requests or {args.seconds:.0f} s per page, loopback")
        print(f"{'page':30} {'users':>5} {'requests':>8} {'failed':>6} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} "
              f"{'req/s':>6} {'CPU ms/req':>10}  p95 <= {TARGET_MS:.0f} ms")
        for name, path in pages.items():
            hammer(port, cookie, path, 1, 1, 60)  # warm-up
            # one user first: the page's own service time, without queueing behind other users
            for users, limit in ((1, min(40, args.requests)), (args.users, args.requests)):
                started, cpu_before = time.perf_counter(), server_cpu_seconds(server.pid)
                latencies, failed = hammer(port, cookie, path, users, limit, args.seconds)
                wall = time.perf_counter() - started
                cpu_ms = (server_cpu_seconds(server.pid) - cpu_before) * 1000 / max(1, len(latencies) + failed)
                if not latencies:
                    print(f"{name:30} {users:5} {0:8} {failed:6}  every request failed")
                    continue
                p95 = percentile(latencies, 95)
                print(f"{name:30} {users:5} {len(latencies):8} {failed:6} {statistics.median(latencies):7.0f} "
                      f"{p95:7.0f} {max(latencies):7.0f} {len(latencies) / wall:6.1f} {cpu_ms:10.1f}  "
                      f"{'yes' if p95 <= TARGET_MS else 'NO'}", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
