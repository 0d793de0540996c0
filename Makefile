# tradegraph: two commands do all the set-up on a fresh machine.
#   make run    start the local Neo4j (unless NEO4J_URI is set), load the seed, serve on 127.0.0.1:8080
#   make test   install what is missing, start a test Neo4j, run every check and test, stop it
SHELL := /bin/bash
GO ?= go
BIN := bin/tradegraph
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo dev)
SEED := data/seed/us-china-rare-earth-deal.yaml

.PHONY: run build test deps neo4j neo4j-stop neo4j-logs neo4j-jars generate check-generate lint seed clean

build: $(BIN)

$(BIN): $(shell find . -name '*.go' -not -path './.cache/*') go.mod go.sum $(shell find web/static -type f 2>/dev/null)
	$(GO) build -ldflags "-X tradegraph/internal/app.version=$(VERSION)" -o $(BIN) .

## run: Neo4j (local unless NEO4J_URI points elsewhere) + seed + API and console on 127.0.0.1:8080
run: build
	@if [ -z "$$NEO4J_URI" ]; then scripts/neo4j.sh start >/dev/null; fi
	$(BIN) load $(SEED)
	$(BIN) serve

## seed: load the seed dataset into the configured Neo4j
seed: build
	$(BIN) load $(SEED)

## test: everything CI runs (see scripts/test.sh)
test:
	scripts/test.sh

deps:
	scripts/deps.sh

neo4j-jars:
	scripts/neo4j.sh jars

## neo4j: start the local Neo4j in the background (idempotent) and print its URI
neo4j:
	@scripts/neo4j.sh start

neo4j-stop:
	@scripts/neo4j.sh stop

neo4j-logs:
	@scripts/neo4j.sh logs

generate:
	$(GO) generate ./...

## check-generate: fail when the generated code is not what the schema gives
check-generate:
	$(GO) generate ./...
	@git diff --exit-code -- graph/ || { echo "generated code is stale: run 'go generate ./...' and commit"; exit 1; }
	@test -z "$$(git status --porcelain -- graph/)" || { git status --porcelain -- graph/; echo "go generate created untracked files"; exit 1; }

## lint: gofmt, go vet and staticcheck (pinned in go.mod as a tool, like gqlgen)
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) tool staticcheck ./...

clean:
	rm -rf bin test-artifacts
