"""Reading a load's files on every core: each file is read whole by one worker process.

Reading is most of a load's work and files are independent, so a council's six CIN census years,
its 903 tables, Annex A and extracts are read side by side (the costliest first, so no worker is left
with the biggest job at the end). Nothing here writes to the store: results come back as the same
``FileResult`` the sequential path builds (Arrow batches travel cheaply between processes), and the
loader still writes everything in its one transaction. A file that cannot be read raises the same
error as when read alone, and the error reported is that of the first such file in the given order.

Workers are forked (Linux), so they start at once with everything the parent has imported; they
only parse files and never touch the parent's store connection. Elsewhere, or for small loads where
a process would cost more than it saves, files are read one after another.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from cscperf.core.errors import CscperfError, InputError

PARALLEL_BYTES = 16 << 20  # below this a load reads its files in-process


def workers_available() -> int:
    """One per core this process may use; ``CSCPERF_WORKERS`` overrides (1: read in-process)."""
    setting = os.environ.get("CSCPERF_WORKERS", "")
    if setting.isdigit() and int(setting) > 0:
        return int(setting)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return 1


def read_files(files: list[tuple[Path, bool]], read: Callable[..., Any], format: str | None,
               progress: Callable[[str, int, int, int], None] | None, workers: int | None = None) -> list[Any]:
    """``read(path, explicit, format, progress, done, total)`` for each file, in the given order."""
    total = len(files)
    size = sum(_size(p) for p, _ in files)
    count = workers if workers is not None else min(workers_available(), total)
    if count < 2 or total < 2 or (workers is None and size < PARALLEL_BYTES) or not _can_fork():
        results = []
        for done, (path, explicit) in enumerate(files):
            if progress:
                progress(str(path), 0, done, total)
            results.append(read(path, explicit, format, progress, done, total))
        return results
    order = sorted(range(total), key=lambda i: -_cost(files[i][0]))
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
        futures = {i: pool.submit(_read_one, read, files[i][0], files[i][1], format, total) for i in order}
        results = []
        try:
            for done, i in enumerate(range(total)):
                if progress:
                    progress(str(files[i][0]), 0, done, total)
                results.append(_unwrap(futures[i].result()))
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    return results


# Reading cost per byte, relative to XML: a workbook's cells cost far more per byte than text. Used
# only to hand out the most expensive files first, so the last file to finish is a cheap one.
COST_PER_BYTE = {".xlsx": 15.0, ".xlsm": 15.0, ".xml": 1.0, ".csv": 0.6, ".txt": 0.6}


def _cost(path: Path) -> float:
    return _size(path) * COST_PER_BYTE.get(path.suffix.lower(), 1.0)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _read_one(read: Callable[..., Any], path: Path, explicit: bool, format: str | None, total: int) -> tuple:
    """In a worker: the file's result, or the user error it raised in a form that survives pickling
    (``InputError`` keeps its location, reason and value)."""
    try:
        return ("ok", read(path, explicit, format, None, 0, total))
    except InputError as exc:
        return ("input", (exc.location, exc.reason, exc.value))
    except CscperfError as exc:
        return ("error", (type(exc), str(exc)))


def _unwrap(outcome: tuple) -> Any:
    kind, payload = outcome
    if kind == "ok":
        return payload
    if kind == "input":
        raise InputError(*payload)
    cls, message = payload
    raise cls(message)


def read_files_as_completed(files: list[tuple[Path, bool]], read: Callable[..., Any], format: str | None,
                            progress: Callable[[str, int, int, int], None] | None,
                            workers: int | None = None) -> Iterator[tuple[int, Any]]:
    """Like ``read_files``, but yields ``(index, result)`` as each file is read, so the loader can write
    one file's rows while others are still being read (the parent is otherwise idle). Errors keep
    ``read_files``' rule: once a file fails, nothing more is yielded, the files before it are awaited,
    and the error raised is that of the first failing file in the given order."""
    total = len(files)
    size = sum(_size(p) for p, _ in files)
    count = workers if workers is not None else min(workers_available(), total)
    if count < 2 or total < 2 or (workers is None and size < PARALLEL_BYTES) or not _can_fork():
        for done, (path, explicit) in enumerate(files):
            if progress:
                progress(str(path), 0, done, total)
            yield done, read(path, explicit, format, progress, done, total)
        return
    order = sorted(range(total), key=lambda i: -_cost(files[i][0]))
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(max_workers=count, mp_context=context)
    try:
        futures = {pool.submit(_read_one, read, files[i][0], files[i][1], format, total): i for i in order}
        failed: dict[int, tuple] = {}
        for done, future in enumerate(as_completed(futures)):
            i = futures[future]
            outcome = future.result()
            if outcome[0] != "ok":
                failed[i] = outcome
            if failed:
                first = min(failed)
                if all(f.done() for f, j in futures.items() if j < first):
                    break
                continue
            if progress:
                progress(str(files[i][0]), 0, done, total)
            yield i, outcome[1]
        if failed:
            earlier = {j: f.result() for f, j in futures.items() if j < min(failed) and f.result()[0] != "ok"}
            failed.update(earlier)
            _unwrap(failed[min(failed)])
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
