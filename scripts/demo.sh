#!/usr/bin/env bash
# The main job, end to end: a synthetic council -> load (with the DfE checks) -> indicators ->
# the Monthly Performance Digest -> users for the web app. Run by `make demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
AS_AT=2026-10-31
MONTH=2026-10
FROM=2024-11
COUNCIL=demo-council
OUT=demo-out
DB=$OUT/cscperf.duckdb
DFE=../shared/reference/dfe

rm -rf "$OUT" && mkdir -p "$OUT"
if [ ! -d "$COUNCIL/truth" ] || [ ! -d "$COUNCIL/ofsted" ]; then
  echo "== 1. A synthetic council (medium, like Thurrock), as at $AS_AT"
  $BIN/cscperf synth --profile medium --seed 1 --as-at "$AS_AT" --out "$COUNCIL"
fi
echo "== 2. Load its returns and extracts (the DfE validation rules run inside the load)"
$BIN/cscperf db init --db "$DB" >/dev/null
$BIN/cscperf load "$COUNCIL/cin" "$COUNCIL/ssda903" "$COUNCIL/ofsted" "$COUNCIL/workforce" "$COUNCIL/survey" --db "$DB" | tail -n 4
$BIN/cscperf load "$COUNCIL/annex_a.xlsx" --as-at "$AS_AT" --no-check --db "$DB" | tail -n 1
$BIN/python scripts/demo_setup.py "$COUNCIL" "$DB" > "$OUT/logins.txt"
if [ -d "$DFE" ]; then
  echo "== 3. DfE published statistics for the benchmarks ($DFE)"
  $BIN/cscperf benchmarks import "$DFE" --db "$DB" | tail -n 1
else
  echo "== 3. (no DfE statistics folder at $DFE: the digest will have no England or neighbour lines)"
fi
echo "== 4. Indicators, $FROM to $MONTH, for the council, each team and each worker"
$BIN/cscperf indicators --month "$MONTH" --from "$FROM" --db "$DB" --format csv --out "$OUT/indicators.csv" >/dev/null
echo "   $(($(wc -l < "$OUT/indicators.csv") - 1)) figures written to $OUT/indicators.csv"
echo "== 5. The Monthly Performance Digest"
$BIN/cscperf digest --month "$MONTH" --audience director --out "$OUT/digest-director" --db "$DB" | tail -n 3
$BIN/cscperf digest --month "$MONTH" --audience scrutiny --out "$OUT/digest-scrutiny" --db "$DB" | tail -n 3
echo
echo "Done. The digest: $OUT/digest-director/digest.html (and .pdf, .xlsx); the public version: $OUT/digest-scrutiny/"
echo "Data-quality findings: $BIN/cscperf check --db $DB --format table"
echo
echo "The web app: $BIN/cscperf serve --db $DB   then open http://127.0.0.1:8000/"
cat "$OUT/logins.txt"
