package graph_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"tradegraph/graph"
	"tradegraph/graph/model"
	"tradegraph/graph/neo4jstore"
	"tradegraph/internal/neo4jtest"
	"tradegraph/internal/seedtest"
)

// replayStore answers Nodes and Paths with results recorded from the real store,
// so that BenchmarkPathQueryStack times the Go side alone.
type replayStore struct {
	graph.Store
	nodes map[string]model.Node
	paths []graph.RawPath
}

func (s *replayStore) Nodes(context.Context, []string) (map[string]model.Node, error) {
	return s.nodes, nil
}

func (s *replayStore) Paths(context.Context, graph.PathQuery) ([]graph.RawPath, error) {
	return s.paths, nil
}

// BenchmarkPathQueryStack times BenchmarkPathQuery's request with the database's
// answers replayed from memory: HTTP, parsing, validation, budget, resolving,
// ranking and serialising, without Bolt.
func BenchmarkPathQueryStack(b *testing.B) {
	driver := seedtest.Graph(b)
	ctx := context.Background()
	store := neo4jstore.New(driver, neo4jtest.Database, nil)
	nodes, err := store.Nodes(ctx, []string{"actor:howard-lutnick", "commodity:rare-earth-minerals"})
	if err != nil {
		b.Fatal(err)
	}
	paths, err := store.Paths(ctx, graph.PathQuery{From: "actor:howard-lutnick", To: "commodity:rare-earth-minerals", MaxLength: 4, Candidates: 12})
	if err != nil || len(paths) == 0 {
		b.Fatalf("paths: %v (%d)", err, len(paths))
	}
	srv := apiServer(b, graph.Options{Store: &replayStore{Store: store, nodes: nodes, paths: paths}})
	for b.Loop() {
		if r := post(b, srv.URL, pathBenchQuery, nil, nil); len(r.Errors) > 0 {
			b.Fatal(string(r.raw))
		}
	}
}

// timedStore adds up the time spent in Nodes and Paths, the two calls a paths
// request makes.
type timedStore struct {
	graph.Store
	ns atomic.Int64
}

func (s *timedStore) Nodes(ctx context.Context, ids []string) (map[string]model.Node, error) {
	defer s.since(time.Now())
	return s.Store.Nodes(ctx, ids)
}

func (s *timedStore) Paths(ctx context.Context, q graph.PathQuery) ([]graph.RawPath, error) {
	defer s.since(time.Now())
	return s.Store.Paths(ctx, q)
}

func (s *timedStore) since(t time.Time) { s.ns.Add(int64(time.Since(t))) }
