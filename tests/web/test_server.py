"""`cscperf serve --processes N`: N server processes share the port and stop with the parent."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest


def children_of(pid: int) -> list[int]:
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(pid):
            found.append(int(status.parent.name))
    return found


@pytest.mark.skipif(not hasattr(os, "fork") or not Path("/proc").exists(), reason="POSIX with /proc only")
def test_processes_share_the_port_and_stop_together(web_store):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "CSCPERF_DB": str(web_store), "CSCPERF_ALLOWED_HOSTS": "127.0.0.1"}
    proc = subprocess.Popen([sys.executable, "-m", "cscperf", "serve", "--port", str(port), "--threads", "2",
                             "--processes", "2"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                assert proc.poll() is None, proc.stdout.read()
                time.sleep(0.2)
        servers = children_of(proc.pid)
        assert len(servers) == 2
        for _ in range(10):  # a new connection each time: the kernel hands them to either process
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", "/login/")
            response = conn.getresponse()
            assert response.status == 200 and b'name="csrfmiddlewaretoken"' in response.read()
            conn.close()
    finally:
        proc.terminate()
        code = proc.wait(timeout=20)
    assert code == 0
    assert not [pid for pid in servers if Path(f"/proc/{pid}").exists()
                and "zombie" not in Path(f"/proc/{pid}/status").read_text()]
