#!/usr/bin/env bash
# tradegraph against @neo4j/graphql 7 + Apollo Server (what users would pick instead),
# on the same Neo4j and the same graph: a Neo4j of this benchmark's own (bench/common.sh,
# BENCH_PORT 7697), the seed loaded (plus PEER_DATA files), tradegraph serving on
# loopback, the peer (bench/peer/server.mjs, pinned in bench/peer/package-lock.json)
# on 127.0.0.1:4000 (PEER_PORT) and an explaining peer on :4001 (PEER_EXPLAIN_PORT)
# that counts its Cypher; BENCH_PORT and TG_PORT move the rest. Then:
#
#   verify   every workload asked once of both: answers compared, statements counted
#   bench    interleaved sequential latency (ROUNDS, WARMUP) and a concurrency run
#            (CONC clients, DURATION_S, CONC_ROUNDS); see bench/peer/bench.mjs
#
#   bench/peer.sh                    # verify, then seq + conc on a..g
#   PEER_MODE=seq bench/peer.sh a c  # sequential only, some workloads
#   ROUNDS=100 WARMUP=20 DURATION_S=5 bench/peer.sh   # a shorter run
#
# Results (raw JSON and the logs) go to bench/peer/results/, which git ignores.
set -euo pipefail
export BENCH_PORT=${BENCH_PORT:-7697}
# shellcheck source=bench/common.sh
source "$(dirname "$0")/common.sh"
tg_port=${TG_PORT:-18097}
peer_port=${PEER_PORT:-4000}
explain_port=${PEER_EXPLAIN_PORT:-4001}
peer=$root/bench/peer

go build -o "$work/tradegraph" .
if [ ! -f "$peer/node_modules/.package-lock.json" ] || [ "$peer/package-lock.json" -nt "$peer/node_modules/.package-lock.json" ]; then
  (cd "$peer" && npm ci --no-audit --no-fund --loglevel=error)
fi
fresh
"$work/tradegraph" load --neo4j-uri "$uri" data/seed/us-china-rare-earth-deal.yaml ${PEER_DATA:-} >/dev/null

pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; cd "$root" && stop_neo4j; }
trap cleanup EXIT
"$work/tradegraph" serve --addr "127.0.0.1:$tg_port" --neo4j-uri "$uri" >"$work/peer-tradegraph.log" 2>&1 &
pids+=($!)
(cd "$peer" && NEO4J_URI=$uri PORT=$peer_port exec node server.mjs) >"$work/peer-$peer_port.log" 2>&1 &
pids+=($!)
(cd "$peer" && NEO4J_URI=$uri PORT=$explain_port PEER_EXPLAIN=1 exec node server.mjs) >"$work/peer-$explain_port.log" 2>&1 &
pids+=($!)
deadline=$(( $(date +%s) + 120 ))
until curl -sf "http://127.0.0.1:$tg_port/readyz" >/dev/null &&
  curl -sf -o /dev/null -H 'content-type: application/json' -d '{"query":"{__typename}"}' "http://127.0.0.1:$peer_port/" &&
  curl -sf -o /dev/null -H 'content-type: application/json' -d '{"query":"{__typename}"}' "http://127.0.0.1:$explain_port/"; do
  if [ "$(date +%s)" -ge "$deadline" ]; then echo "peer.sh: servers not ready in 120 s; logs in $work/peer-*.log" >&2; exit 1; fi
  sleep 0.5
done

export TG_URL=http://127.0.0.1:$tg_port/graphql
mkdir -p "$peer/results"
cd "$peer"
echo "== verify (answers compared; Cypher statements per request)"
PEER_URL=http://127.0.0.1:$explain_port/ VERIFY_TAG=explain node verify.mjs "$@" | tee results/verify.log
export PEER_URL=http://127.0.0.1:$peer_port/
echo "== bench ${PEER_MODE:-all}"
CONC_KEYS=${CONC_KEYS:-a,b,c,d,e,f,g} node bench.mjs "${PEER_MODE:-all}" "$@" | tee results/bench.log
