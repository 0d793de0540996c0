package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"tradegraph/graph/model"
)

// jitterStore answers lists of actors, their relationships (each actor links to
// the next three) and their mentions, each call after a random delay, and counts
// the calls: the loaders must make one call per field and level however the
// goroutines and the answers happen to be scheduled.
type jitterStore struct {
	Store // nil: any other method panics, which the test also sees
	n     int
	calls struct{ entities, rels, mentions atomic.Int64 }
}

func (s *jitterStore) jitter() { time.Sleep(time.Duration(rand.IntN(300)) * time.Microsecond) }

func (s *jitterStore) actor(i int) *model.Actor {
	return &model.Actor{ID: fmt.Sprintf("actor:a%03d", i%s.n), Kind: model.EnumOf(model.KindActor), Name: fmt.Sprintf("A%d", i%s.n)}
}

func (s *jitterStore) Entities(_ context.Context, q EntityQuery) (*EntityPage, error) {
	s.calls.entities.Add(1)
	s.jitter()
	page := &EntityPage{}
	for i := 0; i < s.n && i < q.First; i++ {
		page.Entities = append(page.Entities, s.actor(i))
		page.Cursors = append(page.Cursors, fmt.Sprint(i))
	}
	return page, nil
}

func (s *jitterStore) Relationships(_ context.Context, q RelationshipQuery) (map[string]*model.RelationshipConnection, error) {
	s.calls.rels.Add(1)
	s.jitter()
	out := map[string]*model.RelationshipConnection{}
	for _, id := range q.IDs {
		var i int
		fmt.Sscanf(id, "actor:a%d", &i)
		conn := &model.RelationshipConnection{PageInfo: &model.PageInfo{}}
		for k := 1; k <= 3; k++ {
			r := &model.Relationship{ID: fmt.Sprintf("rel:%d-%d", i, k), Type: "MEMBER_OF", From: s.actor(i), To: s.actor(i + k)}
			conn.Edges = append(conn.Edges, model.RelationshipEdge{Cursor: r.ID, Node: r})
		}
		out[id] = conn
	}
	return out, nil
}

func (s *jitterStore) Mentions(_ context.Context, ids []string, _ int) (map[string][]model.Mention, error) {
	s.calls.mentions.Add(1)
	s.jitter()
	return map[string][]model.Mention{}, nil
}

// TestBatchesWithoutTimer asks for two levels of relationships and the mentions of
// a list of actors, many times, with one to eight threads: every time, each level
// of each field is one Store call.
func TestBatchesWithoutTimer(t *testing.T) {
	query := `{ actors(first: 40) { edges { node { id
		relationships(first: 3) { edges { node { to { ... on Actor { relationships(first: 2) { edges { node { id } } } } } } } }
		mentions { sentences } } } } }`
	body, _ := json.Marshal(map[string]any{"query": query})
	for _, procs := range []int{1, 2, 8} {
		t.Run(fmt.Sprintf("GOMAXPROCS=%d", procs), func(t *testing.T) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			for round := range 20 {
				store := &jitterStore{n: 40}
				srv := httptest.NewServer(NewHandler(Options{Store: store}))
				resp, err := http.Post(srv.URL, "application/json", strings.NewReader(string(body)))
				if err != nil {
					t.Fatal(err)
				}
				var out struct {
					Data struct {
						Actors struct {
							Edges []struct {
								Node struct {
									Relationships struct {
										Edges []struct {
											Node struct {
												To struct {
													Relationships struct{ Edges []any }
												}
											}
										}
									}
								}
							}
						}
					}
					Errors []any
				}
				err = json.NewDecoder(resp.Body).Decode(&out)
				resp.Body.Close()
				srv.Close()
				if err != nil || len(out.Errors) > 0 {
					t.Fatalf("round %d: %v %v", round, err, out.Errors)
				}
				edges := out.Data.Actors.Edges
				if len(edges) != 40 || len(edges[39].Node.Relationships.Edges) != 3 || len(edges[39].Node.Relationships.Edges[2].Node.To.Relationships.Edges) != 3 {
					t.Fatalf("round %d: unexpected answer shape %+v", round, edges)
				}
				got := [3]int64{store.calls.entities.Load(), store.calls.rels.Load(), store.calls.mentions.Load()}
				if got != [3]int64{1, 2, 1} {
					t.Fatalf("round %d: got %v calls (entities, relationships, mentions), want [1 2 1]", round, got)
				}
			}
		})
	}
}

// TestArgsParsedOncePerFieldAndType: within an operation a field's arguments are
// parsed once for each object type it is resolved on, then shared; a failed parse
// is not remembered; without an operation's scheduler every call parses.
func TestArgsParsedOncePerFieldAndType(t *testing.T) {
	var parses atomic.Int64
	fail := false
	parse := func(context.Context, map[string]any) (map[string]any, error) {
		parses.Add(1)
		if fail {
			return nil, fmt.Errorf("bad argument")
		}
		return map[string]any{"first": 3}, nil
	}
	ctx := withScheduler(context.Background(), &scheduler{})
	f := graphql.CollectedField{Field: &ast.Field{Name: "relationships"}}
	g := graphql.CollectedField{Field: &ast.Field{Name: "relationships"}} // the same text elsewhere in the document
	for i := 0; i < 5; i++ {
		if args, err := argsOnce(ctx, "Policy_relationships", f, nil, parse); err != nil || args["first"] != 3 {
			t.Fatalf("args %v, %v", args, err)
		}
	}
	if n := parses.Load(); n != 1 {
		t.Errorf("five elements of one list: %d parses, want 1", n)
	}
	argsOnce(ctx, "Actor_relationships", f, nil, parse)
	argsOnce(ctx, "Policy_relationships", g, nil, parse)
	if n := parses.Load(); n != 3 {
		t.Errorf("another type and another field: %d parses in all, want 3", n)
	}
	fail = true
	h := graphql.CollectedField{Field: &ast.Field{Name: "mentions"}}
	for i := 0; i < 2; i++ {
		if _, err := argsOnce(ctx, "Policy_mentions", h, nil, parse); err == nil {
			t.Fatal("a failed parse answered")
		}
	}
	if n := parses.Load(); n != 5 {
		t.Errorf("a failing field twice: %d parses in all, want 5 (errors are not remembered)", n)
	}
	fail = false
	argsOnce(context.Background(), "Policy_relationships", f, nil, parse)
	argsOnce(context.Background(), "Policy_relationships", f, nil, parse)
	if n := parses.Load(); n != 7 {
		t.Errorf("without a scheduler: %d parses in all, want 7", n)
	}
}
