"""A throwaway PostgreSQL server for the test suite, started from Debian's binaries.

The suite starts its own server (no service, no fixed port) so PostgreSQL-backed tests always run
for real. As root, the server runs as the ``postgres`` user, since PostgreSQL refuses root.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    pass


def _bin_dir() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name), reverse=True)
    for folder in candidates:
        if Path(folder, "initdb").exists():
            return Path(folder)
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise PostgresUnavailable("no PostgreSQL server binaries (initdb) found; `make test` installs them as root")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PostgresServer:
    folder: Path
    port: int
    bin_dir: Path
    as_user: str | None

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        cmd = list(args)
        if self.as_user:
            cmd = ["runuser", "-u", self.as_user, "--", *cmd]
        return subprocess.run(cmd, check=check, capture_output=True, text=True)

    @property
    def user(self) -> str:
        return self.as_user or os.environ.get("USER") or "postgres"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    @classmethod
    def start(cls) -> PostgresServer:
        bin_dir = _bin_dir()
        as_user = "postgres" if os.geteuid() == 0 else None
        folder = Path(tempfile.mkdtemp(prefix="cscperf-pg-"))
        if as_user:
            shutil.chown(folder, as_user)
        server = cls(folder, _free_port(), bin_dir, as_user)
        data = folder / "data"
        server._run(str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", server.user, "--no-sync", "-E", "UTF8", "--locale=C")
        options = f"-c listen_addresses=127.0.0.1 -c port={server.port} -c unix_socket_directories={folder} -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        server._run(str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "-t", "60", "start")
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", server.port), timeout=1):
                    return server
            except OSError:
                time.sleep(0.2)
        raise PostgresUnavailable("PostgreSQL did not start: " + (folder / "log").read_text(errors="replace")[-500:])

    def stop(self) -> None:
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate", "stop", check=False)
        shutil.rmtree(self.folder, ignore_errors=True)


def fresh_database_url(server: PostgresServer, name: str) -> str:
    """A new database cloned from the suite's migrated template (fast: no migrations per test)."""
    import psycopg

    with psycopg.connect(server.url(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE cscperf_template")
    return server.url(name)
