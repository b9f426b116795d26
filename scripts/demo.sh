#!/usr/bin/env bash
# The main job, end to end, as far as the pipeline exists: a store with every canonical table.
# Later stages add their steps here: synth -> load -> check -> indicators -> digest -> serve.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
DB="${CSCPERF_DB:-demo-out/cscperf.duckdb}"
mkdir -p demo-out
$BIN/cscperf db init --db "$DB"
$BIN/cscperf db status --db "$DB"
echo
echo "Store ready at $DB."
