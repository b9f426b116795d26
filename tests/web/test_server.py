"""`cscperf serve --processes N`: N server processes share the port and stop with the parent."""

from __future__ import annotations

import http.client
import os
from pathlib import Path

import pytest

from serving import start_server


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
    proc, port = start_server(web_store, "--threads", "2", "--processes", "2")
    try:
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
