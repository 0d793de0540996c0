// Command tradegraph serves a knowledge graph of trade and geopolitics (actors,
// meetings, commodities, policies and the evidence behind every link) over GraphQL,
// and loads it into Neo4j from curated files, CSV and articles.
//
//	tradegraph serve            serve /graphql, the console, /healthz and /readyz
//	tradegraph load FILE...     validate and load curated YAML/JSON, articles, CSV or JSON Lines
//	tradegraph import FILE...   initial load of an empty database with Neo4j's offline importer
//	tradegraph draft ARTICLE    propose an article's entities and relationships as YAML
//	tradegraph gen              generate a deterministic test graph
//	tradegraph merge FROM INTO  merge a duplicate entity into another
//	tradegraph suspects         list likely duplicate entities
//	tradegraph token NAME ROLE  make a token for TRADEGRAPH_TOKENS_FILE
//	tradegraph version          print the version
//
// The program is package tradegraph/internal/app (its commands, the HTTP server
// and their system tests); this file is only its entry point. The data flows
// loaders → graph/model → graph/neo4jstore ← graph (the GraphQL API) ← web.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"tradegraph/internal/app"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := app.Run(ctx, os.Args, os.Getenv, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "tradegraph:", err)
	}
	os.Exit(app.ExitCode(err))
}
