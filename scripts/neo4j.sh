#!/usr/bin/env bash
# Runs the local Neo4j 5.26 Community server that tradegraph develops and tests against:
# an embedded DBMS with Bolt on 127.0.0.1, from jars fetched once from Maven Central.
#
#   scripts/neo4j.sh jars    fetch the jar closure into .cache/neo4j/lib (once)
#   scripts/neo4j.sh start   start in the background unless running; wait for Bolt; print the URI
#   scripts/neo4j.sh stop    SIGTERM and wait for a clean shutdown
#   scripts/neo4j.sh logs    show the launcher's output and Neo4j's debug log tail
#   scripts/neo4j.sh status  exit 0 when Bolt answers
#
# Environment: NEO4J_BOLT_PORT (7687), NEO4J_HOME (.cache/neo4j/home), NEO4J_PASSWORD,
# NEO4J_PAGECACHE, NEO4J_TX_MEMORY, NEO4J_START_TIMEOUT (seconds, 300), NEO4J_IMPORT_DIR (the
# directory LOAD CSV may read; unset: none).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
cache=$root/.cache/neo4j
lib=$cache/lib
port=${NEO4J_BOLT_PORT:-7687}
export NEO4J_HOME=${NEO4J_HOME:-$cache/home}
pidfile=$cache/neo4j-$port.pid
logfile=$cache/neo4j-$port.log

bolt_up() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

jars() {
  if [ -f "$lib/.complete" ] && [ "$lib/.complete" -nt neo4j/pom.xml ]; then return 0; fi
  echo "neo4j: fetching the jar closure with Maven (once)..."
  rm -rf "$lib"
  mvn -q -B -f neo4j/pom.xml dependency:copy-dependencies \
    -DoutputDirectory="$lib" -DincludeScope=runtime
  touch "$lib/.complete"
  echo "neo4j: $(ls "$lib"/*.jar | wc -l) jars, $(du -sh "$lib" | cut -f1)"
}

# launcher compiles neo4j/Launcher.java once into a directory named by its content
# (source-file mode compiled it on every start: seconds of each start on a loaded
# machine); concurrent starts each compile into a temporary directory and the first
# rename wins.
launcher() {
  launcher_dir=$cache/launcher-$(sha256sum neo4j/Launcher.java | cut -c1-12)
  if [ -f "$launcher_dir/Launcher.class" ]; then return 0; fi
  local tmp; tmp=$(mktemp -d "$cache/launcher-tmp.XXXXXX")
  # javac by its module, which source-file mode needs too (a JRE may have no javac
  # binary); it does not expand a classpath wildcard, so the jars are listed.
  local cp; cp=$(printf '%s:' "$lib"/*.jar)
  java -m jdk.compiler/com.sun.tools.javac.Main -cp "$cp" -d "$tmp" neo4j/Launcher.java || { rm -rf "$tmp"; return 1; }
  mv -T "$tmp" "$launcher_dir" 2>/dev/null || rm -rf "$tmp"
}

start() {
  if bolt_up; then echo "bolt://127.0.0.1:$port"; return 0; fi
  jars
  mkdir -p "$cache"
  launcher
  local t0=$(date +%s%N)
  # setsid: the server outlives the shell (make) that started it.
  # shellcheck disable=SC2046
  setsid java $(grep -v '^#' neo4j/jvm.flags) -cp "$lib/*:$launcher_dir" Launcher \
    >"$logfile" 2>&1 </dev/null &
  echo $! >"$pidfile"
  local deadline=$(( $(date +%s) + ${NEO4J_START_TIMEOUT:-300} ))
  until grep -q '^neo4j ready' "$logfile" 2>/dev/null && bolt_up; do
    if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      echo "neo4j: the launcher exited; its output:" >&2; tail -n 40 "$logfile" >&2; exit 1
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "neo4j: Bolt did not answer on 127.0.0.1:$port in time; output:" >&2; tail -n 40 "$logfile" >&2; exit 1
    fi
    sleep 0.2
  done
  echo "neo4j: started in $(( ($(date +%s%N) - t0) / 1000000 )) ms ($(grep '^neo4j ready' "$logfile"))" >&2
  echo "bolt://127.0.0.1:$port"
}

stop() {
  [ -f "$pidfile" ] || { echo "neo4j: not started by this script (no $pidfile)"; return 0; }
  local pid; pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then echo "neo4j: no clean stop in 30 s; killing" >&2; kill -KILL "$pid"; fi
  fi
  rm -f "$pidfile"
  echo "neo4j: stopped"
}

logs() {
  cat "$logfile" 2>/dev/null || echo "neo4j: no launcher log at $logfile"
  echo "--- $NEO4J_HOME/logs/debug.log (tail)"
  tail -n 50 "$NEO4J_HOME/logs/debug.log" 2>/dev/null || true
}

case "${1:-}" in
  jars) jars ;;
  start) start ;;
  stop) stop ;;
  logs) logs ;;
  status) bolt_up && echo "bolt://127.0.0.1:$port up" ;;
  *) echo "usage: $0 jars|start|stop|logs|status" >&2; exit 2 ;;
esac
