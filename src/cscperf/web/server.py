"""Serving the app with waitress, in one process or several sharing one listening socket.

Why several: the pages are CPU-bound Python (Django, templates) and one process runs one Python
thread at a time, so on a machine with two or more cores one process leaves cores idle while
requests queue. ``--processes N`` binds the socket once and forks N waitress servers that accept
from it (the kernel hands each connection to one of them). Each process keeps its own read-only
store connection and cache; the app's SQLite (sessions, audit log) is shared safely in WAL mode,
and PostgreSQL is shared anyway. A DuckDB file may be opened read-only by many processes at once.
"""

from __future__ import annotations

import os
import signal
import socket
import sys


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(1024)
    return sock


def _run(sock: socket.socket, threads: int) -> None:
    from waitress import serve

    from cscperf.web.wsgi import application

    serve(application, sockets=[sock], threads=threads, ident="cscperf")


def serve_forever(host: str, port: int, threads: int, processes: int = 1) -> None:
    if processes <= 1 or not hasattr(os, "fork"):
        from waitress import serve

        from cscperf.web.wsgi import application

        serve(application, host=host, port=port, threads=threads, ident="cscperf")
        return
    from django.db import connections

    connections.close_all()  # no SQLite/PostgreSQL connection may be shared across the fork
    sock = _listen(host, port)
    children = []
    for _ in range(processes):
        pid = os.fork()
        if pid == 0:  # a server process: serve until terminated
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            try:
                _run(sock, threads)
            finally:
                os._exit(0)
        children.append(pid)

    def stop(signum, _frame):
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    status = 0
    for pid in children:
        while True:
            try:
                _, code = os.waitpid(pid, 0)
                break
            except InterruptedError:
                continue
        status = status or os.waitstatus_to_exitcode(code)
    sock.close()
    sys.exit(0 if status in (0, -signal.SIGTERM) else 1)
