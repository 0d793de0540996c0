#!/usr/bin/env bash
# Load test of the API (docs/benchmarks.md, "## Load"): a private Neo4j holding a
# generated graph of 100k relationships (`tradegraph gen` + the bulk loader),
# `tradegraph serve` on 127.0.0.1, and loadtest/cmd (vegeta as a library) sending a
# mix of search, entity, neighbourhood and path queries at a ladder of constant
# rates. Everything stays on the loopback interface and stops by itself.
#
#   scripts/loadtest.sh                              # 50, 200 and 500 req/s, 30 s each
#   RATES=50,100,200,300,500 DURATION=60s scripts/loadtest.sh
#
# Environment: RATES, DURATION, SIZE (100k), SEED (1), LOADTEST_NEO4J_PORT (7696),
# LOADTEST_PORT (18096), SERVE_FLAGS (extra flags of serve, e.g. "--max-inflight 64").
# The loaded graph is kept in .cache/loadtest and reused by the next run of the same
# SIZE and SEED; delete that folder to load it again.
set -euo pipefail
cd "$(dirname "$0")/.."

rates=${RATES:-50,200,500}
duration=${DURATION:-30s}
size=${SIZE:-100k}
seed=${SEED:-1}
http_port=${LOADTEST_PORT:-18096}
work=$PWD/.cache/loadtest
export NEO4J_BOLT_PORT=${LOADTEST_NEO4J_PORT:-7696}
export NEO4J_HOME=$work/neo4j-$size-$seed
export NEO4J_PASSWORD=
mkdir -p "$work"

serve_pid=
cleanup() {
  if [ -n "$serve_pid" ]; then kill "$serve_pid" 2>/dev/null || true; wait "$serve_pid" 2>/dev/null || true; fi
  scripts/neo4j.sh stop >/dev/null || true
}
trap cleanup EXIT

echo "loadtest: machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, load average $(cut -d' ' -f1-3 /proc/loadavg)"
go build -o "$work/tradegraph" .
uri=$(scripts/neo4j.sh start)

if [ ! -f "$NEO4J_HOME/.loaded" ]; then
  graph=$work/gen-$size-$seed
  rm -rf "$graph"
  "$work/tradegraph" gen --size "$size" --seed "$seed" --format csv --out "$graph"
  start=$(date +%s)
  (cd "$work" && "$work/tradegraph" load --neo4j-uri "$uri" --progress lines --writers 2 \
    "$graph/documents.csv" "$graph/entities.csv" "$graph/relationships.csv")
  echo "loadtest: loaded in $(( $(date +%s) - start )) s"
  touch "$NEO4J_HOME/.loaded"
fi

# shellcheck disable=SC2086
"$work/tradegraph" serve --addr "127.0.0.1:$http_port" --neo4j-uri "$uri" ${SERVE_FLAGS:-} >"$work/serve.log" 2>&1 &
serve_pid=$!
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$http_port/readyz" >/dev/null && break
  kill -0 "$serve_pid" 2>/dev/null || { echo "loadtest: serve exited:" >&2; tail -20 "$work/serve.log" >&2; exit 1; }
  sleep 0.5
done
curl -s "http://127.0.0.1:$http_port/graphql" -H 'content-type: application/json' \
  -d '{"query":"{ stats { nodesByKind { kind count } relationshipsByType { count } } }"}' |
  python3 -c 'import json,sys; s=json.load(sys.stdin)["data"]["stats"]; print("loadtest: graph of %d nodes, %d relationships" % (sum(k["count"] for k in s["nodesByKind"]), sum(r["count"] for r in s["relationshipsByType"])))'

go run ./loadtest/cmd -url "http://127.0.0.1:$http_port/graphql" -rates "$rates" -duration "$duration" -seed "$seed"

# What the server saw: Neo4j statement time and requests refused by the in-flight limit.
curl -s "http://127.0.0.1:$http_port/metrics" | awk '
  /^tradegraph_neo4j_query_duration_seconds_sum/ { s += $2 }
  /^tradegraph_neo4j_query_duration_seconds_count/ { n += $2 }
  /^tradegraph_graphql_errors_total/ { print "loadtest: server " $0 }
  END { if (n) printf "loadtest: server ran %d Neo4j statements, mean %.1f ms\n", n, 1000*s/n }'
echo "loadtest: load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
