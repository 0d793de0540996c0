package graph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
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

// TestWarmUpRunsTheRequestsStatements: the warm-up runs, without error, the very
// statements (same text, same parameter types, so the same cached plans) that a
// default neighbourhood request of each depth, a default paths request and a
// provenance request run.
func TestWarmUpRunsTheRequestsStatements(t *testing.T) {
	driver := seedtest.Graph(t)
	store := neo4jstore.New(driver, neo4jtest.Database, nil)
	warm := &graph.QueryTrace{}
	if err := store.WarmUp(graph.WithTrace(context.Background(), warm)); err != nil {
		t.Fatalf("warm-up: %v", err)
	}
	srv := apiServer(t, graph.Options{Store: store, Explain: true})
	want := map[string]bool{}
	for _, q := range []string{
		`{ neighborhood(id: "actor:china") { nodes { id } } }`,
		`{ neighborhood(id: "actor:china", depth: 2) { nodes { id } } }`,
		`{ neighborhood(id: "actor:china", depth: 3) { nodes { id } } }`,
		`{ paths(from: "actor:howard-lutnick", to: "commodity:rare-earth-minerals") { paths { rank } } }`,
		`{ entity(id: "actor:china") { provenance { source } } }`,
		`{ stats { nodesByKind { kind count } } }`,
	} {
		r := post(t, srv.URL, q, nil, nil)
		entries, _ := r.Extensions["cypher"].([]any)
		if len(r.Errors) > 0 || len(entries) == 0 {
			t.Fatalf("%s: %s", q, r.raw)
		}
		last := entries[len(entries)-1].(map[string]any) // the traversal, after any endpoint lookup
		params, _ := last["params"].(map[string]any)     // null for a statement without parameters
		want[last["cypher"].(string)+paramTypes(params)] = true
	}
	got := map[string]bool{}
	for _, e := range warm.Entries() {
		var params map[string]any // as JSON has them, like the requests' trace
		raw, _ := json.Marshal(e.Params)
		if err := json.Unmarshal(raw, &params); err != nil {
			t.Fatal(err)
		}
		got[e.Cypher+paramTypes(params)] = true
	}
	for stmt := range want {
		if !got[stmt] {
			t.Errorf("the warm-up does not run\n%s", stmt)
		}
	}
	// And the batch writer's statements, whose plans the first write would wait for.
	for _, w := range []string{"MERGE (x:Entity {id: row.id})", "MERGE (a)-[x:", "MERGE (x:Document {id: row.id})"} {
		found := false
		for stmt := range got {
			found = found || strings.Contains(stmt, w)
		}
		if !found {
			t.Errorf("the warm-up does not run the writer's %q", w)
		}
	}
}

// paramTypes describes parameters by name and JSON type, the part of a query's
// plan-cache key besides its text.
func paramTypes(p map[string]any) string {
	var parts []string
	for k, v := range p {
		parts = append(parts, fmt.Sprintf("%s:%T", k, v))
	}
	slices.Sort(parts)
	return " " + strings.Join(parts, ",")
}

// TestPathTypesAfterAllTypes: the path statement for all types is cached; a request
// with types asked after one without, same length and count, walks only its types.
func TestPathTypesAfterAllTypes(t *testing.T) {
	srv := apiServer(t, graph.Options{Store: neo4jstore.New(seedtest.Graph(t), neo4jtest.Database, nil)})
	const ask = `{ paths(from: "actor:united-states", to: "actor:china", maxLength: 2, first: 3%s) { paths { hops { relationship { type } } } } }`
	for _, types := range []string{"", ", types: [IMPOSES, TARGETS]"} {
		r := post(t, srv.URL, fmt.Sprintf(ask, types), nil, nil)
		var data struct {
			Paths struct {
				Paths []struct {
					Hops []struct{ Relationship struct{ Type string } }
				}
			}
		}
		if err := json.Unmarshal(r.Data, &data); err != nil || len(r.Errors) > 0 || len(data.Paths.Paths) == 0 {
			t.Fatalf("types %q: %s", types, r.raw)
		}
		var seen []string
		for _, p := range data.Paths.Paths {
			for _, h := range p.Hops {
				seen = append(seen, h.Relationship.Type)
			}
		}
		if types != "" && slices.ContainsFunc(seen, func(s string) bool { return s != "IMPOSES" && s != "TARGETS" }) {
			t.Errorf("asked for IMPOSES and TARGETS, walked %v", seen)
		}
		if types == "" && !slices.ContainsFunc(seen, func(s string) bool { return s != "IMPOSES" && s != "TARGETS" }) {
			t.Fatalf("the question does not test types: all types walked only %v", seen)
		}
	}
}
