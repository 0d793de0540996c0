#!/usr/bin/env bash
# Times a neighbourhood through the whole API (HTTP, GraphQL, the Store, JSON) on the
# graph that bench/paths.sh loaded: starts that Neo4j (BENCH_PORT, 7699) afresh and
# `tradegraph serve` on loopback, then sends the console's neighbourhood query (nodes,
# edges with evidence and validity, truncations) with curl, API_ROUNDS times. The
# first request after the start is cold: Neo4j plans the statement and reads the
# graph from disk. Prints one line per request: seconds, bytes, nodes, edges.
#
#   bench/paths.sh && bench/neighbourhood-api.sh
#   API_ARGS='id: "actor:ananan-council-9264", depth: 3' bench/neighbourhood-api.sh
#   TRADEGRAPH_BIN=/tmp/old/tradegraph bench/neighbourhood-api.sh   # another build, e.g. an older commit
#
# Environment: BENCH_SIZE, BENCH_SEED, BENCH_PORT, BENCH_DIR (bench/common.sh),
# API_ARGS (the neighbourhood's arguments; the biggest hub of the 1M set at depth 3),
# API_ROUNDS (6), API_PORT (18099), TRADEGRAPH_BIN (default: build this tree).
set -euo pipefail
# shellcheck source=bench/common.sh
source "$(dirname "$0")/common.sh"
bin=${TRADEGRAPH_BIN:-}
if [ -z "$bin" ]; then
  go build -o "$work/tradegraph" .
  bin=$work/tradegraph
fi
if [ ! -d "$NEO4J_HOME/data" ]; then
  echo "no graph in $NEO4J_HOME: run bench/paths.sh first" >&2
  exit 1
fi
stop_neo4j
scripts/neo4j.sh start >/dev/null 2>&1
addr=127.0.0.1:${API_PORT:-18099}
"$bin" serve --addr "$addr" --neo4j-uri "$uri" >"$work/neighbourhood-api.log" 2>&1 &
serve=$!
trap 'kill $serve 2>/dev/null || true; stop_neo4j' EXIT
until curl -sf "http://$addr/readyz" >/dev/null; do sleep 0.2; done

args=${API_ARGS:-'id: "actor:united-states-1", depth: 3, limitPerType: 10'}
query="{ neighborhood($args) { center { id } nodes { id name kind type }
  edges { id type verb from { id } to { id } confidence
    evidence { sentence quote sentenceText document { id title } } validFrom { text first last } validTo { text first last } }
  truncated { nodeId type omitted } } }"
body=$(jq -n --arg q "$query" '{query: $q}')
echo "neighborhood($args) through $bin; per request: seconds, bytes, nodes, edges"
for _ in $(seq "${API_ROUNDS:-6}"); do
  stats=$(curl -s -o "$work/neighbourhood-api.json" -w '%{time_total} %{size_download}' \
    -H 'content-type: application/json' --data "$body" "http://$addr/graphql")
  echo "$stats $(jq -r 'if .errors then (.errors[0].extensions.code // "error") else "\(.data.neighborhood.nodes | length) \(.data.neighborhood.edges | length)" end' "$work/neighbourhood-api.json")"
done
