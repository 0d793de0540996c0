#!/usr/bin/env bash
# Traversal benchmark on a large graph: loads the generated set (1M relationships by
# default) into a fresh Neo4j of its own (port and home apart, as bench/load.sh) with
# `tradegraph load`, then times the API's path query between hubs and between
# low-degree entities, and neighbourhoods at depths 1-3 with the API's default node
# cap (300) and its largest (2000); each query without a time window, then with asOf 2025,
# knownAsOf 2023-06-30 and both, with its median over the unwindowed one (bench/pathtime). Prints
# Markdown tables.
#
#   bench/paths.sh                      # BENCH_SIZE=1m; about 10 minutes on 2 cores
#   PATHTIME_ARGS=-shortest bench/paths.sh   # also time GQL's SHORTEST k alone (slow: tens of seconds a query)
#   PATHTIME_ARGS=-profile bench/paths.sh    # also sum each neighbourhood query's database hits (PROFILE)
#   PATHTIME_ARGS="-scan 30" bench/paths.sh  # instead, time paths between 30 pairs of low-degree entities
#
# Environment: BENCH_SIZE, BENCH_SEED, BENCH_PORT, BENCH_DIR (bench/common.sh), and
# PATHTIME_ARGS (extra flags for bench/pathtime).
set -euo pipefail
# shellcheck source=bench/common.sh
source "$(dirname "$0")/common.sh"
build_and_generate
go build -o "$work/pathtime" ./bench/pathtime
fresh
"$work/tradegraph" load --neo4j-uri "$uri" --progress off --max-rejects 0 \
  --rejects "$work/paths-rejects.txt" --checkpoint "$work/paths-checkpoint.json" \
  "$data/documents.csv" "$data/entities.csv" "$data/relationships.csv" | sed -n 1p >&2
echo "Set: tradegraph gen --size $size --seed $seed; $(nproc) cores; $(date -u +%Y-%m-%d)."
echo
# shellcheck disable=SC2086
"$work/pathtime" -uri "$uri" ${PATHTIME_ARGS:-}
