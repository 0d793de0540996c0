#!/usr/bin/env bash
# Everything CI runs: install what is missing, start a dedicated test Neo4j (its own
# port and data folder, so a developer's graph is never touched), run the static
# checks and every test, and stop Neo4j at the end whatever happened.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOFLAGS=${GOFLAGS:-}

scripts/deps.sh

export NEO4J_BOLT_PORT=${TEST_NEO4J_PORT:-7688}
export NEO4J_HOME=$PWD/.cache/neo4j/test-home
unset NEO4J_PASSWORD
stop_neo4j() { scripts/neo4j.sh stop || true; }
trap stop_neo4j EXIT
# A fresh database each run: tests own this one completely.
scripts/neo4j.sh stop >/dev/null 2>&1 || true
rm -rf "$NEO4J_HOME"
# Two steps: `export X=$(cmd)` would hide a failed start behind export's status.
uri=$(scripts/neo4j.sh start)
export TRADEGRAPH_TEST_NEO4J_URI=$uri
echo "test: Neo4j for integration tests at $TRADEGRAPH_TEST_NEO4J_URI"

echo "test: gofmt + go vet + staticcheck"
make -s lint
echo "test: go generate leaves no diff"
make -s check-generate
echo "test: web/static/dist matches web/src"
web/check-build.sh
echo "test: go test"
# -p 1: integration tests of different packages share one Neo4j and reset it.
go test -p 1 -count=1 -timeout 30m ./... 2>&1 | tee test-output.log

# The packages with concurrency (the HTTP server and its limits, the resolvers'
# lists and batch loaders, the bulk loader's writers) again under the race
# detector: their unit tests (about two minutes of CPU, most of it building with
# the race detector; -short skips the tests that need Neo4j, which the pass above ran).
echo "test: go test -race (packages with concurrency, unit tests)"
go test -race -short -count=1 -timeout 10m ./internal/app/ ./graph/... ./loaders/... 2>&1 | tee -a test-output.log

# Clusters and Aura are reached through neo4j:// (routing); Neo4j Community
# answers it with a one-server routing table. A second pass of every integration
# test would double the run on two cores, so a representative subset runs again
# through neo4j://: reads (the API's golden answers, paths, neighbourhoods),
# mutations followed by reads (bookmarks), the curated and bulk loaders' writes,
# and the server end to end.
routing_uri="neo4j://${TRADEGRAPH_TEST_NEO4J_URI#*://}"
echo "test: integration subset through $routing_uri"
TRADEGRAPH_TEST_NEO4J_URI=$routing_uri go test -p 1 -count=1 -timeout 10m \
  -run 'TestGoldenResponses|TestPathsCarryEvidence|TestMutationsNeedToken|TestNeighborhoodNodeCap$|TestLoadSeed|TestEditOneEntity|TestBulkBatchBounds|TestWriterOutcomesInMixedBatches|TestEndToEndServeReadsFromNeo4j|TestRoutingMutationThenRead|TestCypherInjectionHasNoEffect' \
  ./graph/ ./graph/neo4jstore/ ./loaders/ ./loaders/bulk/ ./internal/app/ 2>&1 | tee -a test-output.log
