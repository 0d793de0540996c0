#!/usr/bin/env bash
# Lists with time filters on a large graph: imports the generated set (1M
# relationships by default) into a fresh Neo4j of its own (port and home apart, as
# bench/paths.sh) with `tradegraph import`, then times the lists with and without
# knownAsOf and a policy's asOf (bench/listtime), and prints a Markdown table.
#
#   bench/lists.sh                                # BENCH_SIZE=1m
#   BENCH_LOCK=/work/bench.lock bench/lists.sh    # hold that lock only while timing
#
# Environment: BENCH_SIZE, BENCH_SEED, BENCH_PORT, BENCH_DIR (bench/common.sh),
# BENCH_LOCK (a file to flock around the timing only: never around the import,
# whose Neo4j would inherit the lock), and LISTTIME_ARGS (extra flags for
# bench/listtime).
set -euo pipefail
# shellcheck source=bench/common.sh
source "$(dirname "$0")/common.sh"
build_and_generate
go build -o "$work/listtime" ./bench/listtime
fresh
rm -rf "$work/lists-import"
"$work/tradegraph" import --neo4j-uri "$uri" --neo4j-home "$NEO4J_HOME" --work "$work/lists-import" \
  --neo4j-script scripts/neo4j.sh --progress off --rejects "$work/lists-rejects.txt" --as bench \
  "$data/documents.csv" "$data/entities.csv" "$data/relationships.csv" | sed -n 1p >&2
echo "Set: tradegraph gen --size $size --seed $seed; $(nproc) cores; $(date -u '+%Y-%m-%d %H:%M UTC'); load average $(cut -d' ' -f1-3 /proc/loadavg)."
echo
lock=()
if [ -n "${BENCH_LOCK:-}" ]; then lock=(flock "$BENCH_LOCK"); fi
# shellcheck disable=SC2086
"${lock[@]}" "$work/listtime" -uri "$uri" ${LISTTIME_ARGS:-}
echo
echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
