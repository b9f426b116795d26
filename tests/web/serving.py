"""`cscperf serve` started for a test: a free loopback port, the store given, waited for until it
accepts connections (the browser tests and the multi-process server test both need one)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest


def start_server(store: Path, *options: str) -> tuple[subprocess.Popen, int]:
    """The server process and its port once it listens; the test fails with the server's output if it
    exits first."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "CSCPERF_DB": str(store), "CSCPERF_ALLOWED_HOSTS": "127.0.0.1"}
    proc = subprocess.Popen([sys.executable, "-m", "cscperf", "serve", "--port", str(port), *options], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if proc.poll() is not None:
                pytest.fail("server exited: " + proc.stdout.read())
            time.sleep(0.2)
    return proc, port
