#!/usr/bin/env bash
# Proves that the committed bundle (web/static/dist) is what web/src gives: installs
# the locked packages when node_modules is missing or older than the lock file,
# runs the unit tests of the explorer's pure modules, rebuilds into a temporary
# folder and compares byte for byte. Run by scripts/test.sh; needs Node 20 and npm.
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "web: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

node --test --test-reporter=dot src/

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
node build.mjs "$tmp/dist"
if ! diff -r static/dist "$tmp/dist" >"$tmp/diff.txt"; then
  head -c 2000 "$tmp/diff.txt" | cut -c1-200
  echo "web/static/dist does not match web/src: run 'cd web && npm run build' and commit static/dist" >&2
  exit 1
fi
echo "web: static/dist matches its sources ($(ls static/dist | wc -l) files)"
