#!/usr/bin/env bash
# Installs what tradegraph's build and tests need and the machine lacks. Idempotent:
# each step checks first. Run by `make test` and `make run` on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v java >/dev/null || need_apt+=(openjdk-17-jre-headless)
command -v mvn >/dev/null || need_apt+=(maven)
command -v chromium >/dev/null || need_apt+=(chromium) # the console's browser tests
command -v npm >/dev/null || need_apt+=(nodejs npm)    # web/check-build.sh
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "deps: apt-get install ${need_apt[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}"
fi
command -v go >/dev/null || { echo "deps: Go is required (go.mod names the version)" >&2; exit 1; }

scripts/neo4j.sh jars

# The console's npm packages, when missing or older than the lock file.
if [ ! -f web/node_modules/.package-lock.json ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
  echo "deps: npm ci in web/"
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
fi
# graphql-http's GraphQL-over-HTTP audit (conformance_test.go), likewise.
if [ ! -f conformance/node_modules/.package-lock.json ] || [ conformance/package-lock.json -nt conformance/node_modules/.package-lock.json ]; then
  echo "deps: npm ci in conformance/"
  (cd conformance && npm ci --no-audit --no-fund --loglevel=error)
fi
