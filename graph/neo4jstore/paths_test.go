package neo4jstore_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"tradegraph/graph"
	"tradegraph/graph/model"
	"tradegraph/graph/neo4jstore"
	"tradegraph/internal/neo4jtest"
	"tradegraph/internal/seedtest"
)

// TestNearShortestPathsBothWays: the paths one hop longer than the shortest come
// from two halves walked from each end, and for an odd length the end with fewer
// relationships walks the longer half, so which end walks what depends on the
// direction asked. Asked for all candidates, both directions must find the same
// paths. On the seed, fighter jets (a few relationships) and the United States (a
// hub) are 2 hops apart by fewer than 1000 paths, so the 3-hop ones are searched,
// each end walking the longer half in turn.
func TestNearShortestPathsBothWays(t *testing.T) {
	store := neo4jstore.New(seedtest.Graph(t), neo4jtest.Database, nil)
	ctx := context.Background()
	const a, b = "commodity:fighter-jets", "actor:united-states"
	ways := map[string][]string{}
	for _, q := range []graph.PathQuery{{From: a, To: b}, {From: b, To: a}} {
		q.MaxLength, q.Candidates = 3, 1000
		paths, err := store.Paths(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		lengths := map[int]int{}
		for _, p := range paths {
			ids := make([]string, len(p.Nodes))
			for i, n := range p.Nodes {
				ids[i] = n.GetID()
			}
			if ids[0] != a {
				slices.Reverse(ids)
			}
			got = append(got, strings.Join(ids, " "))
			lengths[len(p.Rels)]++
		}
		slices.Sort(got)
		if lengths[2] == 0 || lengths[3] == 0 {
			t.Fatalf("%s -> %s: paths by length %v; the test needs shortest paths of 2 hops and near-shortest ones of 3", q.From, q.To, lengths)
		}
		ways[q.From] = got
	}
	if !slices.Equal(ways[a], ways[b]) {
		t.Errorf("%s -> %s found %d paths, %s -> %s %d; they differ:\n%v\n%v", a, b, len(ways[a]), b, a, len(ways[b]), ways[a], ways[b])
	}
}

// TestNearShortestPathsKeepTheWindow: the direct links are looked for first, and
// the near-shortest search checks the time window and the avoided entities on each
// of its two halves before joining them, so a relationship outside the window, or
// an avoided entity, on the direct link or on either half, at either end, must drop
// the path, whichever end walks the longer half (both directions are asked, and the
// ends have different numbers of relationships). Between a and b: a direct link,
// three paths of 2 hops through m1-m3 and four of 3 hops through x1-x4 and y1-y4;
// the relationships marked late were first reported after the window's knownAsOf.
func TestNearShortestPathsKeepTheWindow(t *testing.T) {
	d := neo4jtest.Driver(t)
	neo4jtest.Reset(t, d)
	store := neo4jstore.New(d, neo4jtest.Database, nil)
	ctx := context.Background()
	doc := func(id, date string) model.DocumentRecord {
		const text = "They are concerned."
		return model.DocumentRecord{ID: id, Title: id, Date: date, Text: text, Sentences: model.SplitSentences(text)}
	}
	b := model.Batch{Documents: []model.DocumentRecord{doc("doc:early", "2025-01-10"), doc("doc:late", "2025-09-10")}}
	for _, id := range []string{"a", "b", "e", "m1", "m2", "m3", "x1", "x2", "x3", "x4", "y1", "y2", "y3", "y4"} {
		b.Entities = append(b.Entities, model.EntityRecord{ID: "actor:" + id, Kind: "Actor", Type: "COUNTRY", Name: "Actor " + id})
	}
	rel := func(from, to string, late bool) model.RelationshipRecord {
		d := "doc:early"
		if late {
			d = "doc:late"
		}
		return model.RelationshipRecord{From: "actor:" + from, Type: "CONCERNED_ABOUT", To: "actor:" + to,
			Evidence: []model.Evidence{{Doc: d, Sentence: 1, Quote: "concerned"}}}
	}
	b.Relationships = []model.RelationshipRecord{
		rel("a", "e", false), // a has one relationship more than b
		rel("a", "b", true),
		rel("a", "m1", false), rel("m1", "b", false),
		rel("a", "m2", false), rel("m2", "b", true), // late at b's end
		rel("a", "m3", true), rel("m3", "b", false), // late at a's end
		rel("a", "x1", false), rel("x1", "y1", false), rel("y1", "b", false),
		rel("a", "x2", true), rel("x2", "y2", false), rel("y2", "b", false),
		rel("a", "x3", false), rel("x3", "y3", false), rel("y3", "b", true),
		rel("a", "x4", false), rel("x4", "y4", true), rel("y4", "b", false), // late in the middle
	}
	if _, err := writeBatch(t, store, b); err != nil {
		t.Fatal(err)
	}
	known := graph.Window{Known: time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)}
	for _, c := range []struct {
		name string
		q    graph.PathQuery
		want []string
	}{
		{"no window", graph.PathQuery{}, []string{"a b", "a m1 b", "a m2 b", "a m3 b"}},
		{"knownAsOf 2025-05-01", graph.PathQuery{Window: known}, []string{"a m1 b", "a x1 y1 b"}},
		{"knownAsOf, avoid x1", graph.PathQuery{Window: known, Avoid: []string{"actor:x1"}}, []string{"a m1 b"}},
		{"knownAsOf, avoid y1", graph.PathQuery{Window: known, Avoid: []string{"actor:y1"}}, []string{"a m1 b"}},
		{"knownAsOf, avoid m1", graph.PathQuery{Window: known, Avoid: []string{"actor:m1"}}, []string{"a x1 y1 b"}},
		{"avoid a", graph.PathQuery{Avoid: []string{"actor:a"}}, nil},
	} {
		for _, way := range [][2]string{{"actor:a", "actor:b"}, {"actor:b", "actor:a"}} {
			q := c.q
			q.From, q.To, q.MaxLength, q.Candidates = way[0], way[1], 3, 1000
			paths, err := store.Paths(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			got := pathNames(paths, "a")
			slices.Sort(got)
			if !slices.Equal(got, c.want) {
				t.Errorf("%s -> %s, %s: got %q, want %q", way[0], way[1], c.name, got, c.want)
			}
		}
	}
}

// TestNearShortestPathsRankedWhenCut: asking for fewer candidates than there are
// must give the first ones of the whole ranking (length, lowest confidence,
// evidence, then the ids of the nodes between the ends and of the relationships),
// whichever tied paths the database walks first (a ranking that cut the ties by
// walk order failed it). Between a and b: a direct link, one 2-hop path through m0
// whose lowest confidence is the highest, and six 2-hop paths through m1-m6 tied
// on confidence and evidence, written in the reverse order of their ids.
func TestNearShortestPathsRankedWhenCut(t *testing.T) {
	d := neo4jtest.Driver(t)
	neo4jtest.Reset(t, d)
	store := neo4jstore.New(d, neo4jtest.Database, nil)
	ctx := context.Background()
	const text = "They are concerned."
	b := model.Batch{Documents: []model.DocumentRecord{{ID: "doc:1", Title: "doc:1", Date: "2025-01-10", Text: text, Sentences: model.SplitSentences(text)}}}
	for _, id := range []string{"a", "b", "m6", "m5", "m4", "m3", "m2", "m1", "m0"} {
		b.Entities = append(b.Entities, model.EntityRecord{ID: "actor:" + id, Kind: "Actor", Type: "COUNTRY", Name: "Actor " + id})
	}
	rel := func(from, to string, c float64) model.RelationshipRecord {
		return model.RelationshipRecord{From: "actor:" + from, Type: "CONCERNED_ABOUT", To: "actor:" + to, Confidence: &c,
			Evidence: []model.Evidence{{Doc: "doc:1", Sentence: 1, Quote: "concerned"}}}
	}
	b.Relationships = []model.RelationshipRecord{rel("a", "b", 0.5)}
	for _, m := range []string{"m6", "m5", "m4", "m3", "m2", "m1"} {
		b.Relationships = append(b.Relationships, rel("a", m, 0.8), rel(m, "b", 0.7))
	}
	b.Relationships = append(b.Relationships, rel("a", "m0", 0.9), rel("m0", "b", 0.9))
	if _, err := writeBatch(t, store, b); err != nil {
		t.Fatal(err)
	}
	paths := func(from, to string, candidates int) []string {
		t.Helper()
		got, err := store.Paths(ctx, graph.PathQuery{From: from, To: to, MaxLength: 3, Candidates: candidates})
		if err != nil {
			t.Fatal(err)
		}
		return pathNames(got, "a")
	}
	for _, way := range [][2]string{{"actor:a", "actor:b"}, {"actor:b", "actor:a"}} {
		all := paths(way[0], way[1], 100)
		if want := []string{"a b", "a m0 b", "a m1 b", "a m2 b", "a m3 b", "a m4 b", "a m5 b", "a m6 b"}; !slices.Equal(all, want) {
			t.Fatalf("%s -> %s, all candidates: got %q, want %q", way[0], way[1], all, want)
		}
		for k := 2; k < len(all); k++ {
			if got := paths(way[0], way[1], k); !slices.Equal(got, all[:k]) {
				t.Errorf("%s -> %s, %d candidates: got %q, want %q", way[0], way[1], k, got, all[:k])
			}
		}
	}
}

// TestShortestPathsFilteredByTheWindow: the shortest paths in a time window are
// looked for first among the shortest paths regardless of the window, then, when
// the window keeps none of them, by a search that checks the window as it walks.
// Each case fails if its branch is skipped: the filter (a path outside the window
// would come back), the search that follows it (nothing would), or the ranking
// after the filter (the wrong one of two would be cut). Between a and b (not
// linked): three 2-hop paths through m1-m3, the one through m2 reported after the
// window's knownAsOf and the one through m1 valid until 2024 only, and one 3-hop
// path through x, y. Between c and d: a direct link reported late, one 2-hop path
// through n reported late, and two 3-hop paths through u, v and w, z.
func TestShortestPathsFilteredByTheWindow(t *testing.T) {
	d := neo4jtest.Driver(t)
	neo4jtest.Reset(t, d)
	store := neo4jstore.New(d, neo4jtest.Database, nil)
	ctx := context.Background()
	doc := func(id, date string) model.DocumentRecord {
		const text = "They are concerned."
		return model.DocumentRecord{ID: id, Title: id, Date: date, Text: text, Sentences: model.SplitSentences(text)}
	}
	b := model.Batch{Documents: []model.DocumentRecord{doc("doc:early", "2023-01-10"), doc("doc:late", "2025-09-10")}}
	for _, id := range []string{"a", "b", "m1", "m2", "m3", "x", "y", "c", "d", "n", "u", "v", "w", "z"} {
		b.Entities = append(b.Entities, model.EntityRecord{ID: "actor:" + id, Kind: "Actor", Type: "COUNTRY", Name: "Actor " + id})
	}
	rel := func(from, to string, late bool, confidence float64, validTo string) model.RelationshipRecord {
		d := "doc:early"
		if late {
			d = "doc:late"
		}
		return model.RelationshipRecord{From: "actor:" + from, Type: "CONCERNED_ABOUT", To: "actor:" + to,
			Confidence: &confidence, ValidTo: validTo, Evidence: []model.Evidence{{Doc: d, Sentence: 1, Quote: "concerned"}}}
	}
	b.Relationships = []model.RelationshipRecord{
		rel("a", "m1", false, 0.6, ""), rel("m1", "b", false, 0.6, "2024-12-31"),
		rel("a", "m2", false, 0.95, ""), rel("m2", "b", true, 0.95, ""),
		rel("a", "m3", false, 0.9, ""), rel("m3", "b", false, 0.9, ""),
		rel("a", "x", false, 0.9, ""), rel("x", "y", false, 0.9, ""), rel("y", "b", false, 0.9, ""),
		rel("c", "d", true, 0.9, ""),
		rel("c", "n", false, 0.9, ""), rel("n", "d", true, 0.9, ""),
		rel("c", "u", false, 0.9, ""), rel("u", "v", false, 0.9, ""), rel("v", "d", false, 0.9, ""),
		rel("c", "w", false, 0.8, ""), rel("w", "z", false, 0.8, ""), rel("z", "d", false, 0.8, ""),
	}
	if _, err := writeBatch(t, store, b); err != nil {
		t.Fatal(err)
	}
	known := graph.Window{Known: time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)}
	in2025 := graph.Window{From: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)}
	for _, c := range []struct {
		name, from, to string
		q              graph.PathQuery
		want           []string
	}{
		{"no window", "a", "b", graph.PathQuery{}, []string{"a m1 b", "a m2 b", "a m3 b", "a x y b"}},
		// The filter: m2's late relationship is among the shortest paths regardless
		// of the window, and must not come back.
		{"filter, knownAsOf", "a", "b", graph.PathQuery{Window: known}, []string{"a m1 b", "a m3 b", "a x y b"}},
		{"filter, asOf 2025", "a", "b", graph.PathQuery{Window: in2025}, []string{"a m2 b", "a m3 b", "a x y b"}},
		{"filter, both", "a", "b", graph.PathQuery{Window: graph.Window{From: in2025.From, To: in2025.To, Known: known.Known}}, []string{"a m3 b", "a x y b"}},
		// Ranked after the filter: m2 (0.95) leads without a window, m3 (0.9) with it.
		{"ranked, no window", "a", "b", graph.PathQuery{Candidates: 1}, []string{"a m2 b"}},
		{"ranked, knownAsOf", "a", "b", graph.PathQuery{Window: known, Candidates: 1}, []string{"a m3 b"}},
		{"filter, knownAsOf, avoid m3", "a", "b", graph.PathQuery{Window: known, Avoid: []string{"actor:m3"}}, []string{"a m1 b", "a x y b"}},
		// The search after the filter: the window keeps no 2-hop path left.
		{"search, knownAsOf, avoid m1 m3", "a", "b", graph.PathQuery{Window: known, Avoid: []string{"actor:m1", "actor:m3"}}, []string{"a x y b"}},
		{"search, knownAsOf, avoid m1 m3 x", "a", "b", graph.PathQuery{Window: known, Avoid: []string{"actor:m1", "actor:m3", "actor:x"}}, nil},
		{"no window, c d", "c", "d", graph.PathQuery{}, []string{"c d", "c n d"}},
		// The direct link and the 2-hop path are outside the window.
		{"search after the direct link, knownAsOf", "c", "d", graph.PathQuery{Window: known}, []string{"c u v d", "c w z d"}},
		{"search, knownAsOf, avoid u", "c", "d", graph.PathQuery{Window: known, Avoid: []string{"actor:u"}}, []string{"c w z d"}},
		{"search, knownAsOf, ranked", "c", "d", graph.PathQuery{Window: known, Candidates: 1}, []string{"c u v d"}},
	} {
		for _, way := range [][2]string{{c.from, c.to}, {c.to, c.from}} {
			q := c.q
			q.From, q.To, q.MaxLength = "actor:"+way[0], "actor:"+way[1], 3
			if q.Candidates == 0 {
				q.Candidates = 1000
			}
			paths, err := store.Paths(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			got := pathNames(paths, c.from)
			slices.Sort(got)
			if !slices.Equal(got, c.want) {
				t.Errorf("%s -> %s, %s: got %q, want %q", way[0], way[1], c.name, got, c.want)
			}
		}
	}
}

// TestNearShortestPathsRankedByHalves: a walk joined from two halves is ranked by
// keys read for each half (the lower of their lowest confidences, the sum of their
// evidence, their ids one after the other), which must rank it as the whole walk's
// keys do. Between a and b: one 2-hop path through m, then 3-hop paths through
// p1-p6 and q1-q6 (written out of order), which for an odd length are joined from a
// half of 1 hop and one of 2, the end with fewer relationships walking 2: p1 has the highest lowest
// confidence; p2 and p3 tie on it, p3 having more evidence at b's end; p4 and p5 tie
// on both, and p4's first inner node comes before p5's while its second comes
// after; p6's lowest confidence is at b's end.
func TestNearShortestPathsRankedByHalves(t *testing.T) {
	d := neo4jtest.Driver(t)
	neo4jtest.Reset(t, d)
	store := neo4jstore.New(d, neo4jtest.Database, nil)
	ctx := context.Background()
	const text = "They are concerned."
	var b model.Batch
	for _, id := range []string{"doc:1", "doc:2"} {
		b.Documents = append(b.Documents, model.DocumentRecord{ID: id, Title: id, Date: "2025-01-10", Text: text, Sentences: model.SplitSentences(text)})
	}
	for _, id := range []string{"a", "b", "e", "m", "p6", "q6", "p5", "q4", "p4", "q5", "p3", "q3", "p2", "q2", "p1", "q1"} {
		b.Entities = append(b.Entities, model.EntityRecord{ID: "actor:" + id, Kind: "Actor", Type: "COUNTRY", Name: "Actor " + id})
	}
	rel := func(from, to string, c float64, docs ...string) model.RelationshipRecord {
		r := model.RelationshipRecord{From: "actor:" + from, Type: "CONCERNED_ABOUT", To: "actor:" + to, Confidence: &c}
		for _, doc := range docs {
			r.Evidence = append(r.Evidence, model.Evidence{Doc: doc, Sentence: 1, Quote: "concerned"})
		}
		return r
	}
	walk := func(p, q string, cl, cm, cr float64, right ...string) []model.RelationshipRecord {
		return []model.RelationshipRecord{rel("a", p, cl, "doc:1"), rel(p, q, cm, "doc:1"), rel(q, "b", cr, right...)}
	}
	// a has one relationship more than b (to e), so each end walks the 2-hop half
	// in one of the directions.
	b.Relationships = append(b.Relationships, rel("a", "e", 0.5, "doc:1"), rel("a", "m", 0.5, "doc:1"), rel("m", "b", 0.5, "doc:1"))
	b.Relationships = append(b.Relationships, walk("p6", "q6", 0.95, 0.95, 0.7, "doc:1")...)
	b.Relationships = append(b.Relationships, walk("p5", "q4", 0.8, 0.8, 0.8, "doc:1")...)
	b.Relationships = append(b.Relationships, walk("p4", "q5", 0.8, 0.8, 0.8, "doc:1")...)
	b.Relationships = append(b.Relationships, walk("p3", "q3", 0.8, 0.8, 0.8, "doc:1", "doc:2")...)
	b.Relationships = append(b.Relationships, walk("p2", "q2", 0.8, 0.8, 0.8, "doc:1")...)
	b.Relationships = append(b.Relationships, walk("p1", "q1", 0.9, 0.9, 0.9, "doc:1")...)
	if _, err := writeBatch(t, store, b); err != nil {
		t.Fatal(err)
	}
	// The ids are compared in the order walked: from b, q4 comes before q5.
	for way, want := range map[[2]string][]string{
		{"actor:a", "actor:b"}: {"a m b", "a p1 q1 b", "a p3 q3 b", "a p2 q2 b", "a p4 q5 b", "a p5 q4 b", "a p6 q6 b"},
		{"actor:b", "actor:a"}: {"a m b", "a p1 q1 b", "a p3 q3 b", "a p2 q2 b", "a p5 q4 b", "a p4 q5 b", "a p6 q6 b"},
	} {
		for k := 2; k <= len(want); k++ {
			got, err := store.Paths(ctx, graph.PathQuery{From: way[0], To: way[1], MaxLength: 3, Candidates: k})
			if err != nil {
				t.Fatal(err)
			}
			out := pathNames(got, "a")
			if !slices.Equal(out, want[:k]) {
				t.Errorf("%s -> %s, %d candidates: got %q, want %q", way[0], way[1], k, out, want[:k])
			}
		}
	}
}

// TestNearShortestPathsOfFiveHops: past 4 hops the paths one hop longer than the
// shortest come from SHORTEST k, ranked with the others by the same keys. Between a
// and b: two paths of 4 hops (through x1-x3 and y1-y3) and two of 5 (through w1-w4,
// confidence 0.5, and z1-z4, 0.9): asked for 3, the 5-hop one through z comes third
// (by confidence; by ids alone it would be w's).
func TestNearShortestPathsOfFiveHops(t *testing.T) {
	d := neo4jtest.Driver(t)
	neo4jtest.Reset(t, d)
	store := neo4jstore.New(d, neo4jtest.Database, nil)
	ctx := context.Background()
	const text = "They are concerned."
	b := model.Batch{Documents: []model.DocumentRecord{{ID: "doc:1", Title: "doc:1", Date: "2025-01-10", Text: text, Sentences: model.SplitSentences(text)}}}
	for _, id := range []string{"a", "b", "x1", "x2", "x3", "y1", "y2", "y3", "w1", "w2", "w3", "w4", "z1", "z2", "z3", "z4"} {
		b.Entities = append(b.Entities, model.EntityRecord{ID: "actor:" + id, Kind: "Actor", Type: "COUNTRY", Name: "Actor " + id})
	}
	chain := func(c float64, ids ...string) {
		for i := 1; i < len(ids); i++ {
			b.Relationships = append(b.Relationships, model.RelationshipRecord{From: "actor:" + ids[i-1], Type: "CONCERNED_ABOUT", To: "actor:" + ids[i],
				Confidence: &c, Evidence: []model.Evidence{{Doc: "doc:1", Sentence: 1, Quote: "concerned"}}})
		}
	}
	chain(0.6, "a", "y1", "y2", "y3", "b")
	chain(0.7, "a", "x1", "x2", "x3", "b")
	chain(0.9, "a", "z1", "z2", "z3", "z4", "b")
	chain(0.5, "a", "w1", "w2", "w3", "w4", "b")
	if _, err := writeBatch(t, store, b); err != nil {
		t.Fatal(err)
	}
	for _, way := range [][2]string{{"actor:a", "actor:b"}, {"actor:b", "actor:a"}} {
		got, err := store.Paths(ctx, graph.PathQuery{From: way[0], To: way[1], MaxLength: 5, Candidates: 3})
		if err != nil {
			t.Fatal(err)
		}
		out := pathNames(got, "a")
		if want := []string{"a x1 x2 x3 b", "a y1 y2 y3 b", "a z1 z2 z3 z4 b"}; !slices.Equal(out, want) {
			t.Errorf("%s -> %s: got %q, want %q", way[0], way[1], out, want)
		}
	}
}

// pathNames writes each path as the names of its actors (ids without "actor:"),
// from the end named from, one string each, in the order given.
func pathNames(paths []graph.RawPath, from string) []string {
	var out []string
	for _, p := range paths {
		ids := make([]string, len(p.Nodes))
		for i, n := range p.Nodes {
			ids[i] = strings.TrimPrefix(n.GetID(), "actor:")
		}
		if ids[0] != strings.TrimPrefix(from, "actor:") {
			slices.Reverse(ids)
		}
		out = append(out, strings.Join(ids, " "))
	}
	return out
}
