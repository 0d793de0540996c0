package graph_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"tradegraph/graph"
	"tradegraph/graph/neo4jstore"
	"tradegraph/internal/neo4jtest"
)

const (
	mutationToken  = "s3cret-token"
	upsertEntityQL = `mutation { upsertEntity(input: {id: "actor:explained", kind: ACTOR, type: "COMPANY", name: "Explained Corp"}) { id name } }`
)

var withToken = http.Header{"Authorization": {"Bearer " + mutationToken}}

// TestMutationIsExplained checks that a mutation runs through the store like every
// query: in explain mode its write statement (the batch writer's entity MERGE) is
// listed in extensions.cypher, beside the read that returns the entity.
func TestMutationIsExplained(t *testing.T) {
	driver := neo4jtest.Driver(t)
	neo4jtest.Reset(t, driver)
	store := neo4jstore.New(driver, neo4jtest.Database, nil)
	if err := store.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv := apiServer(t, graph.Options{Store: store, APIToken: mutationToken, Explain: true})
	r := post(t, srv.URL, upsertEntityQL, nil, withToken)
	if len(r.Errors) > 0 {
		t.Fatalf("upsertEntity: %s", r.raw)
	}
	queries, _ := r.Extensions["cypher"].([]any)
	var texts []string
	for _, q := range queries {
		texts = append(texts, q.(map[string]any)["cypher"].(string))
	}
	var write, read bool
	for _, c := range texts {
		write = write || strings.Contains(c, "MERGE (x:Entity {id: row.id})")
		read = read || strings.Contains(c, "properties(e) AS e")
	}
	if !write || !read {
		t.Errorf("extensions.cypher lists the entity MERGE: %v, the read back: %v; got:\n%s", write, read, strings.Join(texts, "\n----\n"))
	}
}

// TestMutationWithNeo4jStopped checks that a mutation against a stopped Neo4j fails
// fast with SERVICE_UNAVAILABLE, as queries do: the driver configured as serve
// configures it (no driver retries), Store.run's one retry, then the error.
func TestMutationWithNeo4jStopped(t *testing.T) {
	db := neo4jtest.Private(t)
	driver, err := neo4jstore.NewDriver(neo4jstore.Config{URI: db.URI(), MaxRetryTime: -1, AcquireTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { driver.Close(context.Background()) })
	store := neo4jstore.New(driver, "neo4j", nil)
	if err := store.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	// No time budget: the failure must come fast by itself, not from a deadline (and
	// the first write to a fresh Neo4j on a busy machine may take seconds).
	srv := apiServer(t, graph.Options{Store: store, APIToken: mutationToken})
	if r := post(t, srv.URL, upsertEntityQL, nil, withToken); len(r.Errors) > 0 {
		t.Fatalf("before the stop: %s", r.raw)
	}
	db.Stop(t)
	for i := range 3 { // the first finds dead pooled connections, the rest a refused port
		start := time.Now()
		r := post(t, srv.URL, upsertEntityQL, nil, withToken)
		if took := time.Since(start); r.code() != graph.EUNAVAILABLE || took > 2*time.Second {
			t.Errorf("mutation %d with Neo4j stopped: got %q in %s, want %s within 2s: %s", i, r.code(), took, graph.EUNAVAILABLE, r.raw)
		}
	}
}
