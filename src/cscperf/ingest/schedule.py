"""When each extract of a load can be written, and under which load number.

Files are read side by side and finish in any order (parallel.py), but an extract's load number must
not depend on that order: numbers decide which copy of a record wins a merge and the order in which
a child's sources are applied (recordmerge.py, childmerge.py). So the loader's old rule stays - the
extracts to write, sorted by (format, year), take the next numbers in turn, and an extract whose
every file is already in the store is skipped (idempotent reload) - but it is decided before the
files are read: each file's format and year are detected first (cheap: a file's head), and an
extract can be written as soon as its last file is read and the fate (written or skipped) of every
extract before it is known. In a store with no earlier files nothing can be skipped, so every
extract is writable the moment its files are read.

What the readers then report is checked against that plan: a file whose detection differs (it
changed while being loaded) fails the load if anything was already written under the plan.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from cscperf.core.errors import CscperfError
from cscperf.store.engine import Engine
from cscperf.store.loads import next_id

Key = tuple[str, str | None]  # (format, collection year): one extract
UNKNOWN = ("?", "?")  # a file whose detection failed when planning: its reader will tell


def key_order(key: Key) -> tuple[str, str]:
    return key[0], key[1] or ""


def already_loaded(engine: Engine, digest: str, before: int) -> int | None:
    """The first earlier load (numbered below ``before``) holding a file with these bytes."""
    return engine.execute(
        "SELECT MIN(f.load_id) FROM load_file f JOIN load l ON l.load_id = f.load_id "
        "WHERE f.sha256 = :h AND l.status IN ('loaded', 'superseded') AND f.load_id < :before",
        {"h": digest, "before": before},
    ).scalar()


def _key_of(result: Any) -> Key | None:
    detection = result.detection
    return None if detection is None else (detection.format, detection.collection_year)


class Schedule:
    """The plan for one load: ``arrived`` says which extracts became writable (with their numbers)
    as each file's result comes in; ``remaining`` checks the plan against every result at the end
    and gives what is left to write."""

    def __init__(self, engine: Engine, files: list[tuple[Path, bool]], format: str | None,
                 detect: Callable[[Path, str | None], Any]) -> None:
        self.engine = engine
        self.base = next_id(engine, "load", "load_id")
        self.any_loaded = bool(engine.execute(
            "SELECT 1 FROM load_file f JOIN load l ON l.load_id = f.load_id "
            "WHERE l.status IN ('loaded', 'superseded') LIMIT 1").rows())
        keys: list[Key | None] = []
        for path, _ in files:
            try:
                found = detect(path, format)
            except Exception:  # noqa: BLE001 - the reader raises the user's error for this file
                found = None
                keys.append(UNKNOWN)
                continue
            keys.append(None if found is None else (found[1].format, found[1].collection_year))
        self._plan(keys)
        self.results: dict[int, Any] = {}
        self.handed: set[Key] = set()
        self.begun: set[Key] = set()  # extracts with rows written ahead of their last file

    def _plan(self, keys: list[Key | None]) -> None:
        self.keys = keys
        self.usable = UNKNOWN not in keys
        self._members: dict[Key, list[int]] = {}
        for index, key in enumerate(keys):
            if key is not None:
                self._members.setdefault(key, []).append(index)
        self.order = sorted(self._members, key=key_order)
        self._skipped: dict[Key, bool] = {}

    def members(self, key: Key) -> list[int]:
        return self._members[key]

    def arrived(self, index: int, result: Any) -> list[tuple[Key, int]]:
        """Extracts writable now that file ``index`` is read: (key, load number), not handed out before."""
        self.results[index] = result
        if self.usable and _key_of(result) != self.keys[index]:
            self.usable = False  # remaining() decides whether the load can go on
        if not self.usable:
            return []
        ready = []
        for key, load_id in self._numbers():
            if load_id is not None and key not in self.handed and all(i in self.results for i in self._members[key]):
                self.handed.add(key)
                ready.append((key, load_id))
        return ready

    def claim(self, index: int) -> int | None:
        """The load number of file ``index``'s extract, when already known (None: not yet, or skipped),
        for writing this file's rows before the rest of its extract is read."""
        key = self.keys[index]
        if not self.usable or key is None:
            return None
        number = dict(self._numbers()).get(key)
        if number is not None:
            self.begun.add(key)
        return number

    def remaining(self, results: list[Any], written: dict[Key, int]) -> list[tuple[Key, int]]:
        """Once every file is read: the extracts still to write, in order, with their numbers."""
        for index, result in enumerate(results):
            self.results[index] = result
        actual = [_key_of(r) for r in results]
        if actual != self.keys:
            if written or self.begun:
                changed = next(results[i].source_file for i, k in enumerate(actual) if k != self.keys[i])
                raise CscperfError(f"{changed}: the file changed while it was being loaded (nothing loaded; load again)")
            self._plan(actual)
        numbers = self._numbers()
        for key, load_id in numbers:
            if key in written and written[key] != load_id:  # cannot happen: the plan held
                raise CscperfError(f"load {written[key]}: numbered {load_id} by the plan (nothing loaded; load again)")
        return [(key, load_id) for key, load_id in numbers if load_id is not None and key not in written]

    def _numbers(self) -> list[tuple[Key, int | None]]:
        """Each extract in order with its load number (None: skipped), as far as skips are known."""
        out: list[tuple[Key, int | None]] = []
        number = self.base
        for key in self.order:
            skipped = self._skip(key)
            if skipped is None:
                break
            out.append((key, None if skipped else number))
            if not skipped:
                number += 1
        return out

    def _skip(self, key: Key) -> bool | None:
        """Whether every file of the extract is already loaded (None: not known until they are read).
        A skipped extract's files are marked with the load that holds them."""
        if key in self._skipped:
            return self._skipped[key]
        if not self.any_loaded:
            self._skipped[key] = False
            return False
        members = self._members[key]
        if not all(i in self.results for i in members):
            return None
        previous = [already_loaded(self.engine, self.results[i].sha256, self.base) for i in members]
        skipped = all(p is not None for p in previous)
        if skipped:
            for i, load_id in zip(members, previous):
                self.results[i].skipped = f"already loaded (load {load_id}): nothing changed"
                self.results[i].load_id = load_id
        self._skipped[key] = skipped
        return skipped
