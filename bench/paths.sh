#!/usr/bin/env bash
# Path-query benchmark on a large graph: loads the generated set (1M relationships by
# default) into a fresh Neo4j of its own (port and home apart, as bench/load.sh) with
# `tradegraph load`, then times the API's path query between hubs and between
# low-degree entities (bench/pathtime). Prints a Markdown table.
#
#   bench/paths.sh                      # BENCH_SIZE=1m; about 4 minutes on 2 cores
#   PATHTIME_ARGS=-shortest bench/paths.sh   # also time GQL's SHORTEST k alone (slow: tens of seconds a query)
#
# Environment: BENCH_SIZE (1m), BENCH_SEED (1), BENCH_PORT (7699), BENCH_DIR (.cache/bench),
# PATHTIME_ARGS (extra flags for bench/pathtime).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
size=${BENCH_SIZE:-1m}
seed=${BENCH_SEED:-1}
port=${BENCH_PORT:-7699}
work=${BENCH_DIR:-$root/.cache/bench}
data=$work/import/g$size-seed$seed
mkdir -p "$work/import"

export NEO4J_BOLT_PORT=$port NEO4J_IMPORT_DIR=$work/import NEO4J_HOME=$work/home
unset NEO4J_PASSWORD
uri=bolt://127.0.0.1:$port
stop_neo4j() { scripts/neo4j.sh stop >/dev/null 2>&1 || true; }
trap stop_neo4j EXIT

go build -o "$work/tradegraph" .
go build -o "$work/pathtime" ./bench/pathtime
if [ ! -f "$data/relationships.csv" ]; then
  "$work/tradegraph" gen --size "$size" --seed "$seed" --out "$data" >&2
fi
stop_neo4j
rm -rf "$NEO4J_HOME"
scripts/neo4j.sh start >/dev/null
"$work/tradegraph" load --neo4j-uri "$uri" --progress off --max-rejects 0 \
  --rejects "$work/paths-rejects.txt" --checkpoint "$work/paths-checkpoint.json" \
  "$data/documents.csv" "$data/entities.csv" "$data/relationships.csv" | head -n 1 >&2
echo "Set: tradegraph gen --size $size --seed $seed; $(nproc) cores; $(date -u +%Y-%m-%d)."
echo
# shellcheck disable=SC2086
"$work/pathtime" -uri "$uri" ${PATHTIME_ARGS:-}
