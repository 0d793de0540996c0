package graph_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"tradegraph/graph"
	"tradegraph/graph/neo4jstore"
	"tradegraph/internal/neo4jtest"
	"tradegraph/internal/seedtest"
)

// TestTraversalsReadOnlySelected: a neighbourhood, a paths and a timeline request
// read the evidence sentences' texts only when sentenceText is selected or a
// knownAsOf day needs their publication dates, and the attributed entity only
// when attributedTo is selected (explain mode shows the statements); and reading
// less changes nothing else of the answer.
func TestTraversalsReadOnlySelected(t *testing.T) {
	srv := apiServer(t, graph.Options{Store: neo4jstore.New(seedtest.Graph(t), neo4jtest.Database, nil), Explain: true})
	const (
		texts = "evidence { quote sentenceText }"
		att   = "attributedTo { id }"
		bare  = "evidence { quote }"
	)
	shapes := []struct{ name, query string }{
		{"neighborhood", `{ neighborhood(id: "actor:china", depth: 2%ARGS%) { nodes { id } edges { id type %REL% } } }`},
		{"paths", `{ paths(from: "actor:howard-lutnick", to: "commodity:rare-earth-minerals", first: 3%ARGS%) { paths { explanation hops { relationship { id type %REL% } } } } }`},
		{"timeline", `{ timeline(entity: "actor:china"%ARGS%) { date { text } summary relationship { id type %REL% } } }`},
	}
	cases := []struct {
		name, args, rel       string
		wantTexts, wantAttrib bool
	}{
		{"quotes only", "", bare, false, false},
		{"sentence texts", "", texts, true, false},
		{"attribution", "", bare + " " + att, false, true},
		{"both", "", texts + " " + att, true, true},
		{"knownAsOf without texts", `, knownAsOf: "2025-06-30"`, bare, true, false},
		{"knownAsOf with both", `, knownAsOf: "2025-06-30"`, texts + " " + att, true, true},
	}
	for _, s := range shapes {
		answers := map[string]any{}
		for _, c := range cases {
			t.Run(s.name+"/"+c.name, func(t *testing.T) {
				q := strings.NewReplacer("%ARGS%", c.args, "%REL%", c.rel).Replace(s.query)
				r := post(t, srv.URL, q, nil, nil)
				if len(r.Errors) > 0 {
					t.Fatalf("%s: %s", q, r.raw)
				}
				raw, _ := json.Marshal(r.Extensions["cypher"])
				stmts := string(raw)
				if got := strings.Contains(stmts, "edp:Document"); got != c.wantTexts {
					t.Errorf("reads evidence texts: %t, want %t\n%s", got, c.wantTexts, stmts)
				}
				if got := strings.Contains(stmts, "attp:Entity"); got != c.wantAttrib {
					t.Errorf("reads the attribution: %t, want %t\n%s", got, c.wantAttrib, stmts)
				}
				var data any
				if err := json.Unmarshal(r.Data, &data); err != nil {
					t.Fatal(err)
				}
				answers[c.name] = without(data, "sentenceText", "attributedTo")
			})
		}
		// With the extra fields taken out, every selection gives the same answer.
		for _, pair := range [][2]string{{"quotes only", "both"}, {"sentence texts", "both"}, {"attribution", "both"},
			{"knownAsOf without texts", "knownAsOf with both"}} {
			if a, b := answers[pair[0]], answers[pair[1]]; a == nil || !reflect.DeepEqual(a, b) {
				t.Errorf("%s: %q answers\n%v\n%q answers\n%v", s.name, pair[0], a, pair[1], b)
			}
		}
	}
}

// without returns v, a decoded JSON value, with the object keys named keys removed.
func without(v any, keys ...string) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			if !slices.Contains(keys, k) {
				out[k] = without(e, keys...)
			}
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = without(e, keys...)
		}
		return out
	}
	return v
}

// TestNamesOnlyReadsLess: an operation that selects nothing of any entity but its
// id, kind, name, type and the fields resolved from its id reads entities as
// those four properties (no properties(...) of a node in its statement); one
// field more anywhere, through an inline fragment or a named fragment, reads
// them whole; and both give the same answer once that field is taken out.
func TestNamesOnlyReadsLess(t *testing.T) {
	srv := apiServer(t, graph.Options{Store: neo4jstore.New(seedtest.Graph(t), neo4jtest.Database, nil), Explain: true})
	const d = `relationships(types: [PARTICIPATED_IN], direction: OUT) { edges { node { to { id name %s
		... on Meeting { relationships(types: [PARTICIPATED_IN], direction: IN) { edges { node { from { id name kind type } } } } } } } } }`
	cases := []struct {
		name, light, full, extra string
	}{
		{"entity, meetings, participants",
			`{ entity(id: "actor:donald-trump") { id name ` + fmt.Sprintf(d, "") + ` } }`,
			`{ entity(id: "actor:donald-trump") { id name ` + fmt.Sprintf(d, "description") + ` } }`, "description"},
		{"a kind's list through an inline fragment",
			`{ policies(first: 5) { edges { node { id name relationships(direction: OUT) { edges { node { to { id name } } } } } } } }`,
			`{ policies(first: 5) { edges { node { id name relationships(direction: OUT) { edges { node { to { id name ... on Commodity { category } } } } } } } } }`, "category"},
		{"a named fragment",
			`{ entity(id: "actor:china") { id name relationships(first: 5) { edges { node { from { id } } } } } }`,
			`{ entity(id: "actor:china") { id name relationships(first: 5) { edges { node { from { id ...F } } } } } } fragment F on Entity { aliases }`, "aliases"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var answers []any
			for i, q := range []string{c.light, c.full} {
				r := post(t, srv.URL, q, nil, nil)
				if len(r.Errors) > 0 {
					t.Fatalf("%s: %s", q, r.raw)
				}
				raw, _ := json.Marshal(r.Extensions["cypher"])
				whole := strings.Contains(string(raw), "properties(n)") || strings.Contains(string(raw), "properties(startNode") ||
					strings.Contains(string(raw), "properties(endNode")
				if want := i == 1; whole != want {
					t.Errorf("%s: reads whole entities %t, want %t\n%s", q, whole, want, raw)
				}
				var data any
				if err := json.Unmarshal(r.Data, &data); err != nil {
					t.Fatal(err)
				}
				answers = append(answers, without(data, c.extra))
			}
			if !reflect.DeepEqual(answers[0], answers[1]) {
				t.Errorf("names only:\n%v\nwhole:\n%v", answers[0], answers[1])
			}
		})
	}
}

// TestBareRelationshipsReadLess: a relationships field whose selection reads
// nothing of its relationships but their id, type, verb and endpoints reads no
// other property of them (explain mode shows the statement); one property more
// (here confidence, or evidence through a fragment) reads them whole; both give
// the same answer once that property is taken out; and one operation that reads
// the same relationships both ways answers each field as selected.
func TestBareRelationshipsReadLess(t *testing.T) {
	srv := apiServer(t, graph.Options{Store: neo4jstore.New(seedtest.Graph(t), neo4jtest.Database, nil), Explain: true})
	cases := []struct {
		name, light, full, extra string
	}{
		{"a kind's list (shape c)",
			`{ policies(first: 20) { edges { node { id name relationships(types: [RESTRICTS], direction: OUT) { edges { cursor node { id type verb to { id name } } } } } } } }`,
			`{ policies(first: 20) { edges { node { id name relationships(types: [RESTRICTS], direction: OUT) { edges { cursor node { id type verb confidence to { id name } } } } } } } }`, "confidence"},
		{"two levels (shape d)",
			`{ entity(id: "actor:donald-trump") { id relationships(types: [PARTICIPATED_IN], direction: OUT) { edges { node { to { id
				... on Meeting { relationships(types: [PARTICIPATED_IN], direction: IN) { edges { node { from { id name } } } } } } } } } } }`,
			`{ entity(id: "actor:donald-trump") { id relationships(types: [PARTICIPATED_IN], direction: OUT) { edges { node { to { id
				... on Meeting { relationships(types: [PARTICIPATED_IN], direction: IN) { edges { node { ...E from { id name } } } } } } } } } } }
			fragment E on Relationship { evidence { quote } }`, "evidence"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var answers []any
			for i, q := range []string{c.light, c.full} {
				r := post(t, srv.URL, q, nil, nil)
				if len(r.Errors) > 0 {
					t.Fatalf("%s: %s", q, r.raw)
				}
				raw, _ := json.Marshal(r.Extensions["cypher"])
				whole := strings.Contains(string(raw), "rel: properties(")
				if want := i == 1; whole != want {
					t.Errorf("%s: reads relationships' properties %t, want %t\n%s", q, whole, want, raw)
				}
				var data any
				if err := json.Unmarshal(r.Data, &data); err != nil {
					t.Fatal(err)
				}
				if s, _ := json.Marshal(data); !strings.Contains(string(s), `"id":"rel:`) && !strings.Contains(string(s), `"to"`) && !strings.Contains(string(s), `"from"`) {
					t.Fatalf("%s: no relationships in the answer: %s", q, s)
				}
				answers = append(answers, without(data, c.extra))
			}
			if !reflect.DeepEqual(answers[0], answers[1]) {
				t.Errorf("bare:\n%v\nwhole:\n%v", answers[0], answers[1])
			}
		})
	}
	t.Run("both in one operation", func(t *testing.T) {
		q := `{ entity(id: "actor:china") { id
			a: relationships(direction: OUT) { edges { node { id to { id } } } }
			b: relationships(direction: OUT) { edges { node { id confidence evidence { quote } to { id } } } } } }`
		r := post(t, srv.URL, q, nil, nil)
		if len(r.Errors) > 0 {
			t.Fatalf("%s", r.raw)
		}
		var data struct {
			Entity struct {
				A, B struct {
					Edges []struct {
						Node struct {
							ID         string
							Confidence *float64
							Evidence   []struct{ Quote string }
						}
					}
				}
			}
		}
		if err := json.Unmarshal(r.Data, &data); err != nil {
			t.Fatal(err)
		}
		a, b := data.Entity.A.Edges, data.Entity.B.Edges
		if len(a) == 0 || len(a) != len(b) {
			t.Fatalf("pages of %d and %d relationships, want the same, not empty: %s", len(a), len(b), r.Data)
		}
		for i := range b {
			if a[i].Node.ID != b[i].Node.ID || b[i].Node.Confidence == nil || len(b[i].Node.Evidence) == 0 {
				t.Errorf("edge %d: %+v / %+v: the whole read must carry confidence and evidence", i, a[i].Node, b[i].Node)
			}
		}
	})
}
