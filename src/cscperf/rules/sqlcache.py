"""A cache of compiled rule SQL across processes: one small file per rule and dialect under
``$CSCPERF_CACHE_DIR`` (default ``~/.cache/cscperf``), keyed by a hash of everything the text depends
on - the rule's fields, the dialect, the SQLGlot version and the source of the modules that compile
it - so a changed rule, library or compiler never reads a stale entry. Any file-system problem just
means compiling again; ``CSCPERF_CACHE_DIR=off`` turns it off."""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import lru_cache
from pathlib import Path

import sqlglot


@lru_cache(maxsize=1)
def _folder() -> Path | None:
    setting = os.environ.get("CSCPERF_CACHE_DIR")
    if setting and setting.lower() == "off":
        return None
    base = Path(setting) if setting else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cscperf"
    return base / "rules-sql"


@lru_cache(maxsize=1)
def _fingerprint() -> str:
    """What compiling depends on besides the rule: SQLGlot and our compiling modules' source."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256(sqlglot.__version__.encode())
    for name in ("runner.py", "scope.py", "sqlcache.py"):
        digest.update((here / name).read_bytes())
    digest.update((here.parent / "store" / "portable.py").read_bytes())
    return digest.hexdigest()


def _path(args: tuple) -> Path | None:
    folder = _folder()
    if folder is None:
        return None
    key = hashlib.sha256((_fingerprint() + "\0" + repr(args)).encode()).hexdigest()
    return folder / key[:2] / f"{key}.sql"


def get(args: tuple) -> str | None:
    path = _path(args)
    if path is None:
        return None
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def put(args: tuple, text: str) -> None:
    path = _path(args)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False, suffix=".tmp") as tmp:
            tmp.write(text)
        os.replace(tmp.name, path)  # atomic: a reader never sees half a file
    except OSError:
        pass
