package neo4jstore

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"tradegraph/graph"
	"tradegraph/graph/model"
)

// entityQueryVariants returns entity queries that differ from a base in one way
// each that changes a statement's text or only its parameters.
func entityQueryVariants() map[string]graph.EntityQuery {
	day := time.Date(2025, 4, 2, 0, 0, 0, 0, time.UTC)
	rel := func(f func(*graph.RelationshipQuery)) graph.RelationshipQuery {
		q := graph.RelationshipQuery{PageQuery: graph.PageQuery{First: 10}, Types: []model.RelType{"RESTRICTS"}, Direction: model.DirectionOut}
		f(&q)
		return q
	}
	nested := func(f func(*graph.RelationshipQuery)) graph.RelationshipQuery {
		return rel(func(q *graph.RelationshipQuery) {
			q.Select.Nested = []graph.NestedRels{{End: graph.EndTo, Kinds: []model.Kind{model.KindMeeting}, Query: rel(f)}}
		})
	}
	base := graph.EntityQuery{PageQuery: graph.PageQuery{First: 20}, Kind: model.KindPolicy}
	out := map[string]graph.EntityQuery{}
	add := func(name string, f func(*graph.EntityQuery)) {
		q := base
		f(&q)
		out[name] = q
	}
	add("base", func(*graph.EntityQuery) {})
	for _, k := range []model.Kind{model.KindActor, model.KindMeeting, model.KindCommodity} {
		add("kind "+string(k), func(q *graph.EntityQuery) { q.Kind = k })
	}
	add("ids", func(q *graph.EntityQuery) { q.IDs = []string{"actor:china"} })
	add("other ids", func(q *graph.EntityQuery) { q.IDs = []string{"actor:china", "actor:donald-trump"} })
	add("ids names", func(q *graph.EntityQuery) { q.IDs = []string{"actor:china"}; q.Names = true })
	add("names", func(q *graph.EntityQuery) { q.Names = true })
	add("total", func(q *graph.EntityQuery) { q.WantTotal = true })
	add("after", func(q *graph.EntityQuery) { q.After = cursor("Tariff", "policy:x") })
	add("first", func(q *graph.EntityQuery) { q.First = 5 })
	add("statuses", func(q *graph.EntityQuery) { q.Statuses = []string{"active"} })
	add("status as of", func(q *graph.EntityQuery) { q.StatusAsOf = day })
	add("during", func(q *graph.EntityQuery) { q.Kind = model.KindMeeting; q.During = graph.Window{From: day} })
	add("known", func(q *graph.EntityQuery) { q.KnownAsOf = day })
	add("contains", func(q *graph.EntityQuery) { q.NameContains = "tariff" })
	relVariants := map[string]graph.RelationshipQuery{
		"rel":           rel(func(*graph.RelationshipQuery) {}),
		"rel in":        rel(func(q *graph.RelationshipQuery) { q.Direction = model.DirectionIn }),
		"rel both":      rel(func(q *graph.RelationshipQuery) { q.Direction = model.DirectionBoth }),
		"rel types":     rel(func(q *graph.RelationshipQuery) { q.Types = []model.RelType{"RESTRICTS", "IMPOSES"} }),
		"rel all types": rel(func(q *graph.RelationshipQuery) { q.Types = nil }),
		"rel total":     rel(func(q *graph.RelationshipQuery) { q.WantTotal = true }),
		"rel undated":   rel(func(q *graph.RelationshipQuery) { q.WantUndated = true }),
		"rel window":    rel(func(q *graph.RelationshipQuery) { q.Window = graph.Window{To: day} }),
		"rel undated w": rel(func(q *graph.RelationshipQuery) { q.WantUndated = true; q.Window = graph.Window{Known: day} }),
		"rel after":     rel(func(q *graph.RelationshipQuery) { q.After = cursor("RESTRICTS", "r1") }),
		"rel texts":     rel(func(q *graph.RelationshipQuery) { q.Select.Texts = true }),
		"rel att":       rel(func(q *graph.RelationshipQuery) { q.Select.Attribution = true }),
		"rel names":     rel(func(q *graph.RelationshipQuery) { q.Select.Names = true }),
		"rel bare":      rel(func(q *graph.RelationshipQuery) { q.Select.Bare = true }),
		"nested bare":   nested(func(q *graph.RelationshipQuery) { q.Select.Bare = true }),
		"nested":        nested(func(*graph.RelationshipQuery) {}),
		"nested in":     nested(func(q *graph.RelationshipQuery) { q.Direction = model.DirectionIn }),
		"nested texts":  nested(func(q *graph.RelationshipQuery) { q.Select.Texts = true }),
		"nested total":  nested(func(q *graph.RelationshipQuery) { q.WantTotal = true }),
		"nested types":  nested(func(q *graph.RelationshipQuery) { q.Types = []model.RelType{"PARTICIPATED_IN"} }),
		"nested deeper": nested(func(q *graph.RelationshipQuery) { *q = nested(func(*graph.RelationshipQuery) {}) }),
		"nested from": rel(func(q *graph.RelationshipQuery) {
			q.Select.Nested = []graph.NestedRels{{End: graph.EndFrom, Query: rel(func(*graph.RelationshipQuery) {})}}
		}),
		"nested any": rel(func(q *graph.RelationshipQuery) {
			q.Select.Nested = []graph.NestedRels{{End: graph.EndTo, Query: rel(func(*graph.RelationshipQuery) {})}}
		}),
		"nested two": rel(func(q *graph.RelationshipQuery) {
			q.Select.Nested = append(nested(func(*graph.RelationshipQuery) {}).Select.Nested, graph.NestedRels{End: graph.EndFrom, Query: rel(func(*graph.RelationshipQuery) {})})
		}),
		"nested first":   nested(func(q *graph.RelationshipQuery) { q.First = 3 }),
		"nested window":  nested(func(q *graph.RelationshipQuery) { q.Window = graph.Window{From: day} }),
		"nested undated": nested(func(q *graph.RelationshipQuery) { q.WantUndated = true; q.Window = graph.Window{From: day} }),
		"rel window to":  rel(func(q *graph.RelationshipQuery) { q.Window = graph.Window{From: day, To: day} }),
		"rel known":      rel(func(q *graph.RelationshipQuery) { q.Window = graph.Window{Known: day} }),
		"rel both axes":  rel(func(q *graph.RelationshipQuery) { q.Window = graph.Window{To: day, Known: day} }),
		"nested known":   nested(func(q *graph.RelationshipQuery) { q.Window = graph.Window{Known: day} }),
		"nested after":   nested(func(q *graph.RelationshipQuery) { q.After = cursor("PARTICIPATED_IN", "r2") }),
	}
	for name, r := range relVariants {
		add(name, func(q *graph.EntityQuery) { q.Rels = []graph.RelationshipQuery{r} })
		add("ids "+name, func(q *graph.EntityQuery) { q.IDs = []string{"actor:china"}; q.Rels = []graph.RelationshipQuery{r} })
		add("two "+name, func(q *graph.EntityQuery) { q.Rels = []graph.RelationshipQuery{relVariants["rel"], r} })
	}
	return out
}

// TestCachedStatementsAreBuiltOnes: with every shape's text in the cache, each
// query gets the statement and parameters it gets from an empty cache; a key
// that missed something the text depends on would hand one of these queries
// another's text.
func TestCachedStatementsAreBuiltOnes(t *testing.T) {
	variants := entityQueryVariants()
	type built struct {
		cypher string
		params map[string]any
	}
	fresh := map[string]built{}
	for name, q := range variants {
		statements.Clear()
		statementsCount.Store(0)
		c, p, err := entitiesStatement(q)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		fresh[name] = built{c, p}
	}
	statements.Clear()
	statementsCount.Store(0)
	for _, q := range variants {
		if _, _, err := entitiesStatement(q); err != nil {
			t.Fatal(err)
		}
	}
	if n := statementsCount.Load(); n < 2 {
		t.Fatalf("%d statements cached, want several", n)
	}
	texts := map[string]bool{}
	for name, q := range variants {
		c, p, err := entitiesStatement(q)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if c != fresh[name].cypher {
			t.Errorf("%s: cached text differs from the built one:\n%s\nwant\n%s", name, c, fresh[name].cypher)
		}
		if !reflect.DeepEqual(p, fresh[name].params) {
			t.Errorf("%s: params %v, want %v", name, p, fresh[name].params)
		}
		texts[c] = true
	}
	if int64(len(texts)) != statementsCount.Load() {
		t.Errorf("%d distinct texts under %d keys: a shape's key splits what one text serves", len(texts), statementsCount.Load())
	}
}

// TestStatementCacheIsBounded: past maxStatements shapes, texts are built every
// time and are still right.
func TestStatementCacheIsBounded(t *testing.T) {
	statements.Clear()
	statementsCount.Store(maxStatements)
	defer statements.Clear()
	defer statementsCount.Store(0)
	q := graph.EntityQuery{IDs: []string{"actor:china"}}
	a, _, err := entitiesStatement(q)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := cachedStatement(entitiesShape(q)); ok {
		t.Error("cached past the bound")
	}
	if b, _, _ := entitiesStatement(q); a != b {
		t.Error("uncached texts differ")
	}
}

// BenchmarkEntitiesStatement: the text and parameters of bench/peer.sh's shape d
// (an entity, its meetings, their participants, names only), built every time
// and from the cache.
func BenchmarkEntitiesStatement(b *testing.B) {
	in := graph.RelationshipQuery{PageQuery: graph.PageQuery{First: 50}, Types: []model.RelType{"PARTICIPATED_IN"}, Direction: model.DirectionIn,
		Select: graph.RelSelect{Names: true}}
	q := graph.EntityQuery{IDs: []string{"actor:donald-trump"}, Names: true, Rels: []graph.RelationshipQuery{{
		PageQuery: graph.PageQuery{First: 50}, Types: []model.RelType{"PARTICIPATED_IN"}, Direction: model.DirectionOut,
		Select: graph.RelSelect{Names: true, Nested: []graph.NestedRels{{End: graph.EndTo, Kinds: []model.Kind{model.KindMeeting}, Query: in}}}}}}
	for _, cached := range []bool{false, true} {
		name := "built"
		if cached {
			name = "cached"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if !cached {
					statements.Clear()
					statementsCount.Store(0)
				}
				if _, _, err := entitiesStatement(q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestPageSendsItsOwnerByID: a page of an entity's relationships sends the side
// that is the entity as its id when the decoder has built the entity with every
// field the page reads of an endpoint, and as a map otherwise.
func TestPageSendsItsOwnerByID(t *testing.T) {
	rel := func(dir model.Direction, names bool) graph.RelationshipQuery {
		return graph.RelationshipQuery{PageQuery: graph.PageQuery{First: 10}, Direction: dir, Select: graph.RelSelect{Names: names}}
	}
	entities := func(names bool, rq graph.RelationshipQuery) string {
		statements.Clear()
		statementsCount.Store(0)
		cypher, _, err := entitiesStatement(graph.EntityQuery{IDs: []string{"actor:x"}, Names: names, Rels: []graph.RelationshipQuery{rq}})
		if err != nil {
			t.Fatal(err)
		}
		return cypher
	}
	nested := rel(model.DirectionOut, true)
	nested.Select.Nested = []graph.NestedRels{{End: graph.EndTo, Query: rel(model.DirectionIn, true)}}
	for _, tt := range []struct {
		name, cypher string
		want, not    []string
	}{
		{"out", entities(true, rel(model.DirectionOut, true)), []string{"from: e1.id, to: {id: endNode(r1).id"}, nil},
		{"in", entities(true, rel(model.DirectionIn, true)), []string{"from: {id: startNode(r1).id", "to: e1.id"}, nil},
		{"both", entities(true, rel(model.DirectionBoth, true)), []string{"CASE WHEN startNode(r1) = e1 THEN e1.id ELSE", "CASE WHEN endNode(r1) = e1 THEN e1.id ELSE"}, nil},
		{"whole entity, names of endpoints", entities(false, rel(model.DirectionOut, true)), []string{"from: e1.id"}, nil},
		{"names of the entity, whole endpoints", entities(true, rel(model.DirectionOut, false)), []string{"from: properties(startNode(r1))"}, []string{"e1.id"}},
		{"nested: the meeting's page sends the meeting", entities(true, nested), []string{"from: e1.id", "to: e2.id"}, nil},
	} {
		for _, w := range tt.want {
			if !strings.Contains(tt.cypher, w) {
				t.Errorf("%s: want %q in\n%s", tt.name, w, tt.cypher)
			}
		}
		for _, n := range tt.not {
			if strings.Contains(tt.cypher, n) {
				t.Errorf("%s: want no %q in\n%s", tt.name, n, tt.cypher)
			}
		}
	}
	// Store.Relationships reads pages of entities it does not decode: maps only.
	b := nestedBuilder{params: map[string]any{}}
	page, err := b.page("e", rel(model.DirectionOut, true), "", 1, owner{})
	if err != nil || strings.Contains(page, "e1.id") {
		t.Errorf("a page whose owner is not built: %v\n%s", err, page)
	}
}

// TestEndOwner: a nested page's owner is the end of its parent relationship, read
// as a map, or sent as the parent page owner's id when that end is the owner's side.
func TestEndOwner(t *testing.T) {
	whole, names := owner{built: true}, owner{built: true, names: true}
	sel := graph.RelSelect{Names: true}
	for _, tt := range []struct {
		o    owner
		dir  model.Direction
		end  graph.End
		want owner
	}{
		{whole, model.DirectionOut, graph.EndFrom, whole}, // the owner's side: as the owner was built
		{whole, model.DirectionOut, graph.EndTo, names},   // the far side: a map as sel reads it
		{whole, model.DirectionIn, graph.EndTo, whole},
		{whole, model.DirectionIn, graph.EndFrom, names},
		{whole, model.DirectionBoth, graph.EndTo, names},    // either: the narrower of the two
		{whole, "", graph.EndFrom, names},                   // no direction is both
		{owner{}, model.DirectionOut, graph.EndFrom, names}, // not built: both ends are maps
	} {
		if got := endOwner(tt.o, sel, tt.dir, tt.end); got != tt.want {
			t.Errorf("endOwner(%+v, %q, %s) = %+v, want %+v", tt.o, tt.dir, tt.end, got, tt.want)
		}
	}
}
