#!/usr/bin/env bash
# Installs what tradegraph's build and tests need and the machine lacks. Idempotent:
# each step checks first. Run by `make test` and `make run` on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v java >/dev/null || need_apt+=(openjdk-17-jre-headless)
command -v mvn >/dev/null || need_apt+=(maven)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "deps: apt-get install ${need_apt[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}"
fi
command -v go >/dev/null || { echo "deps: Go is required (go.mod names the version)" >&2; exit 1; }

scripts/neo4j.sh jars
