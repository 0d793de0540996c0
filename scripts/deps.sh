#!/usr/bin/env bash
# Installs what tradegraph's build and tests need and the machine lacks. Idempotent:
# each step checks first. Run by `make test` and `make run` on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."

# Only what is missing is installed, and nothing already installed is upgraded
# (--no-upgrade): `make test` must not change the machine's other software. The
# list of packages apt will add (with their dependencies) is printed first.
need_apt=()
command -v java >/dev/null || need_apt+=(openjdk-17-jre-headless)
command -v mvn >/dev/null || need_apt+=(maven)
# The console's browser tests: any chromium the tests can find will do.
if [ -z "${TRADEGRAPH_CHROMIUM:-}" ] && ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null; then
  need_apt+=(chromium)
fi
command -v npm >/dev/null || need_apt+=(nodejs npm) # web/check-build.sh
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "deps: missing ${need_apt[*]}; installing with apt-get --no-upgrade (nothing installed is upgraded)"
  apt-get update -qq
  adds=$(apt-get install -s --no-upgrade "${need_apt[@]}" | awk '/^Inst /{print $2}' | tr '\n' ' ')
  echo "deps: apt-get will install: ${adds:-nothing new}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-upgrade "${need_apt[@]}"
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
