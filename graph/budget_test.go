package graph

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"tradegraph/graph/model"
)

// countingStore is a Store whose every method counts the call and fails: budget
// checks must refuse a request before any of them runs.
type countingStore struct {
	Store // nil: any method not overridden panics, which the test also sees
	calls atomic.Int64
}

func (s *countingStore) Nodes(context.Context, []string) (map[string]model.Node, error) {
	s.calls.Add(1)
	return nil, Errorf(EINTERNAL, "unexpected call")
}

func (s *countingStore) Entities(context.Context, EntityQuery) (*EntityPage, error) {
	s.calls.Add(1)
	return nil, Errorf(EINTERNAL, "unexpected call")
}

func (s *countingStore) Search(context.Context, SearchQuery) ([]model.SearchHit, error) {
	s.calls.Add(1)
	return nil, Errorf(EINTERNAL, "unexpected call")
}

func (s *countingStore) Neighborhood(context.Context, NeighborhoodQuery) (*model.Subgraph, error) {
	s.calls.Add(1)
	return nil, Errorf(EINTERNAL, "unexpected call")
}

func (s *countingStore) Paths(context.Context, PathQuery) ([]RawPath, error) {
	s.calls.Add(1)
	return nil, Errorf(EINTERNAL, "unexpected call")
}

func TestBudgetRefusesBeforeAnyDatabaseWork(t *testing.T) {
	store := &countingStore{}
	srv := httptest.NewServer(NewHandler(Options{Store: store, Limits: Limits{MaxDepth: 8, MaxAliases: 5}, MaxComplexity: 2000}))
	defer srv.Close()
	deep := "{ entity(id: \"a\") { ... on Actor { relationships { edges { node { from { ... on Actor { relationships { edges { node { to { id } } } } } } } } } } } }"
	var b strings.Builder
	b.WriteString("{ ")
	for i := 0; i < 6; i++ {
		b.WriteString("a" + string(rune('a'+i)) + ": version ")
	}
	b.WriteString("}")
	tests := []struct {
		name, query, code string
	}{
		{"too deep", deep, EBUDGET},
		{"too many aliases", b.String(), EBUDGET},
		{"too costly", `{ actors(first: 100) { edges { node { relationships(first: 100) { edges { node { id } } } } } } }`, "COMPLEXITY_LIMIT_EXCEEDED"},
		{"page too large", `{ actors(first: 1000) { totalCount } }`, EINVALID},
		{"search too many", `{ search(text: "x", first: 51) { score } }`, EINVALID},
		{"search word too long", `{ search(text: "rare ` + strings.Repeat("é", 1001) + `") { score } }`, EINVALID},
		{"search word just too long", `{ search(text: "` + strings.Repeat("x", 201) + `") { score } }`, EINVALID},
		{"paths from a too long name", `{ paths(from: "` + strings.Repeat("a", 1001) + `", to: "actor:b") { paths { length } } }`, EINVALID},
		{"paths to a too long name", `{ paths(from: "actor:a", to: "` + strings.Repeat("a", 1001) + `") { paths { length } } }`, EINVALID},
		{"neighbourhood too deep", `{ neighborhood(id: "actor:x", depth: 4, limitPerType: 1) { nodes { id } } }`, EINVALID},
		{"neighbourhood of too many nodes", `{ neighborhood(id: "actor:x", maxNodes: 2001) { nodes { id } } }`, EINVALID},
		{"neighbourhood of no nodes", `{ neighborhood(id: "actor:x", maxNodes: 0) { nodes { id } } }`, EINVALID},
		{"neighbourhood of negative nodes", `{ neighborhood(id: "actor:x", maxNodes: -5) { nodes { id } } }`, EINVALID},
		{"paths too long", `{ paths(from: "a", to: "b", maxLength: 7) { paths { length } } }`, EINVALID},
		{"fragment cycle", `{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }`, "GRAPHQL_VALIDATION_FAILED"},
		{"bad date", `{ neighborhood(id: "actor:x", asOf: "2025-13") { nodes { id } } }`, EINVALID},
		{"unknown type", `{ neighborhood(id: "actor:x", types: [NOT_A_TYPE]) { nodes { id } } }`, "GRAPHQL_VALIDATION_FAILED"},
		// One JSON response cannot carry a deferred part: refused, not answered null.
		{"deferred fragment", `{ entity(id: "actor:x") { id ... @defer { relationships { totalCount } } } }`, EINVALID},
		{"deferred spread", `{ entity(id: "actor:x") { id ...R } } fragment R on Entity { ... on Actor { ... @defer(label: "r") { relationships { totalCount } } } }`, EINVALID},
		{"deferred spread itself", `{ entity(id: "actor:x") { id ...R @defer } } fragment R on Entity { relationships { totalCount } }`, EINVALID},
		{"deferred, spaced", `{ entity(id: "actor:x") { id ... @ defer { relationships { totalCount } } } }`, EINVALID},
	}
	// A refused value says what is allowed.
	messages := map[string]string{
		"neighbourhood of too many nodes": "maxNodes must be between 1 and 2000, got 2001",
		"neighbourhood of no nodes":       "maxNodes must be between 1 and 2000, got 0",
		"search word too long":            "text: a word of 1001 characters; at most 200 per word",
		"paths to a too long name":        "to: a word of 1001 characters; at most 200 per word",
		"search word just too long":       "text: a word of 201 characters; at most 200 per word",
		"deferred fragment":               "@defer is not supported: this server sends every field in one response; ask again without @defer",
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, _ := json.Marshal(map[string]string{"query": tt.query})
			resp, err := http.Post(srv.URL, "application/json", strings.NewReader(string(body)))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var got struct {
				Errors []struct {
					Message    string
					Extensions map[string]any
				}
			}
			if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
				t.Fatal(err)
			}
			if len(got.Errors) == 0 || got.Errors[0].Extensions["code"] != tt.code {
				t.Errorf("got %+v, want code %s", got.Errors, tt.code)
			} else if want, ok := messages[tt.name]; ok && got.Errors[0].Message != want {
				t.Errorf("message %q, want %q", got.Errors[0].Message, want)
			}
		})
	}
	if n := store.calls.Load(); n != 0 {
		t.Errorf("refused requests made %d store calls, want 0", n)
	}
}

// TestCachedComplexityFollowsVariables asks one query text with variables that
// make it cheap, then costly, then cheap again, and the costly one under another
// operation name: the remembered cost (complexityLimit) is that of each request's
// own variables, never of an earlier request with the same text.
func TestCachedComplexityFollowsVariables(t *testing.T) {
	store := &countingStore{}
	srv := httptest.NewServer(NewHandler(Options{Store: store, MaxComplexity: 2000}))
	defer srv.Close()
	const query = `query Q($n: Int, $m: Int) { actors(first: $n) { edges { node { relationships(first: $m) { edges { node { id } } } } } } }
		query R($n: Int, $m: Int) { actors(first: $n) { edges { node { relationships(first: $m) { edges { node { id } } } } } } }`
	code := func(op string, vars map[string]any) string {
		body, _ := json.Marshal(map[string]any{"query": query, "operationName": op, "variables": vars})
		resp, err := http.Post(srv.URL, "application/json", strings.NewReader(string(body)))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var got struct {
			Errors []struct{ Extensions map[string]any }
		}
		if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
			t.Fatal(err)
		}
		if len(got.Errors) == 0 {
			return ""
		}
		c, _ := got.Errors[0].Extensions["code"].(string)
		return c
	}
	const tooCostly = "COMPLEXITY_LIMIT_EXCEEDED"
	cheap, costly := map[string]any{"n": 2, "m": 2}, map[string]any{"n": 100, "m": 100}
	for i, step := range []struct {
		op        string
		vars      map[string]any
		tooCostly bool
	}{{"Q", cheap, false}, {"Q", costly, true}, {"Q", cheap, false}, {"R", costly, true}, {"R", cheap, false}, {"Q", costly, true}} {
		// A cheap request passes the budget and reaches the store, whose answer is
		// an error of its own (countingStore): any code but the budget's.
		if got := code(step.op, step.vars); (got == tooCostly) != step.tooCostly {
			t.Errorf("request %d (%s %v): code %q, want too costly: %v", i, step.op, step.vars, got, step.tooCostly)
		}
	}
}

func TestWindow(t *testing.T) {
	may := func(s string) *model.DateInput {
		d, err := model.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return &model.DateInput{PartialDate: d}
	}
	tests := []struct {
		name         string
		asOf         *model.DateInput
		during       *model.DateRange
		from, to     string
		wantErrorNow bool
	}{
		{"month covers the month", may("2025-05"), nil, "2025-05-01", "2025-05-31", false},
		{"day is one day", may("2025-05-20"), nil, "2025-05-20", "2025-05-20", false},
		{"during year to month", nil, &model.DateRange{From: may("2024"), To: may("2025-02")}, "2024-01-01", "2025-02-28", false},
		{"both given", may("2025"), &model.DateRange{}, "", "", true},
		{"reversed range", nil, &model.DateRange{From: may("2025"), To: may("2024")}, "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := window(tt.asOf, tt.during, nil)
			if (err != nil) != tt.wantErrorNow {
				t.Fatalf("got error %v, want error %v", err, tt.wantErrorNow)
			}
			if err != nil {
				return
			}
			if got := w.From.Format("2006-01-02") + ".." + w.To.Format("2006-01-02"); got != tt.from+".."+tt.to {
				t.Errorf("got %s, want %s..%s", got, tt.from, tt.to)
			}
		})
	}
}

func TestExplain(t *testing.T) {
	e := func(id, name string) model.Entity { return &model.Actor{ID: id, Name: name} }
	nodes := []model.Entity{e("a", "Xi Jinping"), e("b", "the agreement"), e("c", "export controls"), e("d", "semiconductors")}
	rel := func(verb, from, to string) *model.Relationship {
		return &model.Relationship{Verb: verb, From: e(from, ""), To: e(to, "")}
	}
	hops := []model.Hop{
		{Relationship: rel("must approve", "a", "b"), Forward: true},
		{Relationship: rel("eases", "b", "c"), Forward: true},
		{Relationship: rel("restricts", "c", "d"), Forward: true},
	}
	if got, want := Explain(nodes, hops), "Xi Jinping must approve the agreement, which eases export controls, which restricts semiconductors"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	back := []model.Hop{{Relationship: rel("must approve", "a", "b"), Forward: false}}
	if got, want := Explain([]model.Entity{nodes[1], nodes[0]}, back), "the agreement, which Xi Jinping must approve"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
