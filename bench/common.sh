# Sourced by bench/load.sh and bench/paths.sh: the generated set, and a Neo4j of the
# benchmarks' own (its port and home, so no other Neo4j is touched), started fresh
# with scripts/neo4j.sh and stopped on exit.
#
# Environment: BENCH_SIZE (1m), BENCH_SEED (1), BENCH_PORT (7699), BENCH_DIR (.cache/bench).
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
size=${BENCH_SIZE:-1m}
seed=${BENCH_SEED:-1}
port=${BENCH_PORT:-7699}
work=${BENCH_DIR:-$root/.cache/bench}
import=$work/import
set_name=g$size-seed$seed
data=$import/$set_name
mkdir -p "$work" "$import"

export NEO4J_BOLT_PORT=$port NEO4J_IMPORT_DIR=$import NEO4J_HOME=$work/home
unset NEO4J_PASSWORD
uri=bolt://127.0.0.1:$port
pidfile=$root/.cache/neo4j/neo4j-$port.pid
stop_neo4j() { scripts/neo4j.sh stop >/dev/null 2>&1 || true; }
trap stop_neo4j EXIT

# build_and_generate builds tradegraph into $work and generates the set once.
build_and_generate() {
  go build -o "$work/tradegraph" .
  if [ ! -f "$data/relationships.csv" ]; then
    "$work/tradegraph" gen --size "$size" --seed "$seed" --out "$data" >&2
  fi
}

# fresh starts an empty Neo4j.
fresh() {
  stop_neo4j
  rm -rf "$NEO4J_HOME"
  scripts/neo4j.sh start >/dev/null 2>&1
}
