#!/usr/bin/env bash
# Bulk-load benchmark: `tradegraph load` against Neo4j's own LOAD CSV ... CALL {...} IN
# TRANSACTIONS and a naive one-transaction-per-row loop, on the same generated CSV and
# the same machine. Each run gets a fresh Neo4j (its own port and home, so no other
# Neo4j is touched), started with scripts/neo4j.sh. Prints a Markdown table.
#
#   bench/load.sh                  the full matrix on 1M relationships (about 30 min on 2 cores)
#   BENCH_CONFIGS="5000:1" BENCH_SIZE=100k bench/load.sh    a quick look
#
# Environment:
#   BENCH_SIZE     relationships to generate (1m)       BENCH_SEED     gen seed (1)
#   BENCH_CONFIGS  loader runs as batch:writers ("1000:1 5000:1 20000:1 1000:2 5000:2 20000:2"; "" for none)
#   BENCH_NAIVE    relationships of the naive loop's subset (10000; 0 skips it)
#   BENCH_IMPORT   1: also `tradegraph import` (the initial import with neo4j-admin's importer); 0 skips it
#   BENCH_LOADCSV_BATCH  IN TRANSACTIONS OF n ROWS (1000)
#   BENCH_BARE     1: also LOAD CSV without provenance and effective dates, as the reference was before run 18 (0)
#   BENCH_PORT     Bolt port of the benchmark's Neo4j (7699)
#   BENCH_DIR      work directory (.cache/bench): binaries, data, Neo4j home, logs
#
# rows/s counts every input row (documents + entities + relationships) over the wall
# time of the whole load. Peak memory is the maximum RSS of the client process
# (/usr/bin/time) and of the Neo4j JVM (VmHWM, which includes its 1 GiB initial heap).
set -euo pipefail
# shellcheck source=bench/common.sh
source "$(dirname "$0")/common.sh"
configs=${BENCH_CONFIGS-"1000:1 5000:1 20000:1 1000:2 5000:2 20000:2"}
naive=${BENCH_NAIVE-10000}
import_run=${BENCH_IMPORT-1}
csvbatch=${BENCH_LOADCSV_BATCH:-1000}

build_and_generate
go build -o "$work/loadcsv" ./bench/loadcsv
# Generated files hold one row per line (no line breaks inside cells).
rows_of() { local n=0; for f in "$@"; do n=$(( n + $(wc -l <"$f") - 1 )); done; echo $n; }
files=("$data/documents.csv" "$data/entities.csv" "$data/relationships.csv")
rows=$(rows_of "${files[@]}")

neo4j_peak_mb() { awk '/VmHWM/ { printf "%d", $2 / 1024 }' "/proc/$(cat "$pidfile")/status"; }

results=()
# measure NAME ROWS CMD...: wall time and peak RSS of CMD, and Neo4j's peak RSS.
measure() {
  local name=$1 n=$2; shift 2
  local t0 t1
  t0=$(date +%s.%N)
  if ! /usr/bin/time -f "%M" -o "$work/$name.rss" "$@" >"$work/$name.log" 2>&1; then
    echo "bench: $name failed; see $work/$name.log" >&2; tail -n 20 "$work/$name.log" >&2; exit 1
  fi
  t1=$(date +%s.%N)
  local secs rate client neo
  secs=$(awk "BEGIN { print $t1 - $t0 }")
  rate=$(awk "BEGIN { print $n / $secs }")
  client=$(( $(tail -n 1 "$work/$name.rss") / 1024 ))
  neo=$(neo4j_peak_mb)
  results+=("$name|$n|$secs|$rate|$client|$neo")
  printf 'bench: %-28s %9d rows %8.1f s %8.0f rows/s  client %5d MB  neo4j %5d MB\n' "$name" "$n" "$secs" "$rate" "$client" "$neo" >&2
}

loader=("$work/tradegraph" load --neo4j-uri "$uri" --progress lines --progress-every 30s --max-rejects 0
  --rejects "$work/rejects.txt" --checkpoint "$work/checkpoint.json")

# Every run must leave the same graph: the same properties on the same kinds and
# types, and the same derived dates (the loader's content hashes aside).
check_shape() {
  "$work/loadcsv" -uri "$uri" -shape >"$work/shape-$1.txt"
  if [ "$1" != csv ] && ! diff -u "$work/shape-csv.txt" "$work/shape-$1.txt" >&2; then
    echo "bench: run $1 left a different graph from LOAD CSV (diff above)" >&2; exit 1
  fi
}

fresh; measure "LOAD CSV (1)" "$rows" "$work/loadcsv" -uri "$uri" -dir "$set_name" -batch "$csvbatch"
check_shape csv
if [ "$import_run" = 1 ]; then
  # From files to a queryable graph: validation, import files, the importer, the
  # restart, migrations (full-text index included) and derived dates. The client's
  # peak RSS includes the importer's JVM (a child it waits for); the import prints
  # its own Go heap's peak (VmHWM) and the importer's.
  fresh; measure "tradegraph import" "$rows" "$work/tradegraph" import --neo4j-uri "$uri" --neo4j-home "$NEO4J_HOME" \
    --progress lines --progress-every 30s --max-rejects 0 --rejects "$work/rejects.txt" --work "$work/import-work" "${files[@]}"
  check_shape import
fi
for c in $configs; do
  b=${c%%:*} w=${c##*:}
  fresh; measure "tradegraph b=$b w=$w" "$rows" "${loader[@]}" --batch-size "$b" --writers "$w" "${files[@]}"
  check_shape "b$b-w$w"
done
fresh; measure "LOAD CSV (2)" "$rows" "$work/loadcsv" -uri "$uri" -dir "$set_name" -batch "$csvbatch"
if [ "${BENCH_BARE:-0}" = 1 ]; then
  # Not in the ratios' mean; its graph lacks the provenance (no shape check).
  fresh; measure "LOAD CSV bare" "$rows" "$work/loadcsv" -uri "$uri" -dir "$set_name" -batch "$csvbatch" -bare
fi
if [ "$naive" -gt 0 ]; then
  # The naive loop writes one row per transaction: the nodes go in first (untimed),
  # then the first $naive relationships, one transaction each.
  mkdir -p "$work/naive"
  head -n $(( naive + 1 )) "$data/relationships.csv" >"$work/naive/relationships.csv"
  fresh
  "${loader[@]}" --batch-size 5000 "$data/documents.csv" "$data/entities.csv" >"$work/naive-nodes.log" 2>&1
  measure "naive, 1 tx per row" "$naive" "${loader[@]}" --batch-size 1 --writers 1 "$work/naive/relationships.csv"
fi

# Ratios are to the mean rows/s of the two LOAD CSV runs.
csv_rate=0
for r in "${results[@]}"; do
  IFS='|' read -r name n secs rate client neo <<<"$r"
  case $name in "LOAD CSV ("*) csv_rate=$(awk "BEGIN { print $csv_rate + $rate / 2 }") ;; esac
done
echo
echo "Set: tradegraph gen --size $size --seed $seed ($rows rows: $(rows_of "$data/documents.csv") documents, $(rows_of "$data/entities.csv") entities, $(rows_of "$data/relationships.csv") relationships); LOAD CSV IN TRANSACTIONS OF $csvbatch ROWS; $(nproc) cores; $(date -u +%Y-%m-%d)."
echo
echo "| run | rows | seconds | rows/s | ratio to LOAD CSV | client peak RSS | Neo4j peak RSS |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for r in "${results[@]}"; do
  IFS='|' read -r name n secs rate client neo <<<"$r"
  printf '| %s | %d | %.1f | %.0f | %.2f | %d MB | %d MB |\n' "$name" "$n" "$secs" "$rate" "$(awk "BEGIN { print $rate / $csv_rate }")" "$client" "$neo"
done
