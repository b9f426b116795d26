"""The load's reading alone: CPU seconds per file, and a fingerprint of what each file read to.

    PYTHONPATH=src python bench/bench_read.py [--council /work/data/large-council] [--repeat 1]
        [--fingerprint OUT.json] [--compare OTHER.json]

Each file of the council is read in this process with ``read_file`` (detection, hashing, the reader,
the duplicate-key warnings: what a reading worker does), timed with ``time.process_time`` (CPU of this
process: stable on a shared machine, unlike wall time). The best of ``--repeat`` runs is printed.

``--fingerprint`` writes, per file, every batch (table, column names and types, and a hash of its
values in row order) and every issue, so two source trees can be compared: run this script once with
``PYTHONPATH=<old tree>/src`` and once with the new tree, then ``--compare`` the two files. Equal
fingerprints mean the readers handed the loader the same rows, in the same order, with the same
types and the same issues.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path


def fingerprint(result) -> dict:
    batches = []
    for batch in result.batches:
        data = batch.data
        digest = hashlib.sha256()
        for name in data.column_names:
            digest.update(name.encode())
            digest.update(repr(data.column(name).to_pylist()).encode())
        batches.append({"table": batch.table, "rows": data.num_rows,
                        "schema": [f"{f.name}:{f.type}" for f in data.schema], "values": digest.hexdigest()})
    issues = hashlib.sha256(repr([tuple(vars(i).values()) for i in result.issues]).encode()).hexdigest()
    return {"detection": repr(result.detection), "skipped": result.skipped, "batches": batches,
            "issues": len(result.issues), "issues_hash": issues}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--council", default="/work/data/large-council")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--only", help="read only the files whose path (within the council) matches this glob")
    parser.add_argument("--fingerprint", help="write each file's fingerprint (JSON) here")
    parser.add_argument("--workers", type=int, help="instead: read the whole council as the loader does "
                        "(parallel.read_files with this many worker processes): wall and CPU incl. workers")
    parser.add_argument("--compare", nargs=2, metavar=("A", "B"), help="compare two fingerprint files and exit")
    args = parser.parse_args()
    if args.compare:
        sys.exit(compare(*args.compare))

    import cscperf.cli  # noqa: F401 - the CLI first, as a user's load imports it (avoids an import cycle)
    from cscperf.ingest.load import expand, read_file

    files = expand([Path(args.council)])
    if args.workers:
        sys.exit(parallel(files, args.workers, args.repeat))
    if args.only:
        files = [(p, e) for p, e in files if p.relative_to(args.council).match(args.only)]
    best: dict[str, float] = {}
    prints: dict[str, dict] = {}
    for _ in range(args.repeat):
        for path, explicit in files:
            start = time.process_time()
            result = read_file(path, explicit, None, None, 0, 1)
            spent = time.process_time() - start
            key = str(path.relative_to(args.council))
            best[key] = min(best.get(key, spent), spent)
            if args.fingerprint and key not in prints:
                prints[key] = fingerprint(result)
            del result
    groups: dict[str, float] = {}
    for key, spent in best.items():
        group = key.split("/")[0] if "/" in key else key
        groups[group] = groups.get(group, 0.0) + spent
    print(f"{'file':<48} {'CPU s':>7}")
    for key, spent in sorted(best.items(), key=lambda kv: -kv[1])[:15]:
        print(f"{key:<48} {spent:7.2f}")
    print("-- by folder")
    for group, spent in sorted(groups.items(), key=lambda kv: -kv[1]):
        print(f"{group:<48} {spent:7.2f}")
    print(f"{'total':<48} {sum(best.values()):7.2f}")
    if args.fingerprint:
        Path(args.fingerprint).write_text(json.dumps(prints, indent=1, sort_keys=True))


def parallel(files: list, workers: int, repeat: int) -> int:
    """The loader's reading step alone: every file read by ``workers`` forked processes (results sent
    back to this one), as ``load_paths`` does before writing. CPU = this process + its workers."""
    import resource

    from cscperf.ingest.load import read_file
    from cscperf.ingest.parallel import read_files

    def cpu(who: int) -> float:
        usage = resource.getrusage(who)
        return usage.ru_utime + usage.ru_stime

    print(f"{'run':>4} {'wall s':>7} {'CPU s':>7} {'workers CPU s':>14}")
    for run in range(repeat):
        wall, own, kids = time.perf_counter(), cpu(resource.RUSAGE_SELF), cpu(resource.RUSAGE_CHILDREN)
        results = read_files(files, read_file, None, None, workers=workers)
        wall = time.perf_counter() - wall
        own, kids = cpu(resource.RUSAGE_SELF) - own, cpu(resource.RUSAGE_CHILDREN) - kids
        print(f"{run + 1:>4} {wall:7.2f} {own + kids:7.2f} {kids:14.2f}")
        del results
    return 0


def compare(a: str, b: str) -> int:
    left, right = json.loads(Path(a).read_text()), json.loads(Path(b).read_text())
    differ = [k for k in sorted(set(left) & set(right)) if left[k] != right[k]]
    for key in sorted(set(left) ^ set(right)):
        print(f"only in one: {key}")
    for key in differ:
        print(f"DIFFERENT: {key}")
    print(f"{len(set(left) & set(right))} files compared: {len(differ)} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    main()
