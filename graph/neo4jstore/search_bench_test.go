package neo4jstore_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"tradegraph/graph"
	"tradegraph/graph/neo4jstore"
	"tradegraph/internal/neo4jtest"
	"tradegraph/internal/seedtest"
)

// benchSearchText is bench/peer.sh's search (shape e).
const benchSearchText = "lutnick"

// benchLuceneQuery is the full-text query Store.Search sends for benchSearchText
// (luceneQuery, without the fuzzy terms: they are only a fallback).
const benchLuceneQuery = "+(lutnick^3 OR lutnick*)"

// BenchmarkSearchStatements times shape e's search against the seed graph, all
// statements auto-commit.
//
// interleaved runs, in a new random order every round, e's search through
// Store.Search, the statement it runs sent straight through the driver, its
// full-text call alone and its parts, other forms of the same
// query, the peer's statement for e (a CONTAINS scan of names, as @neo4j/graphql
// compiles it, roughly) and RETURN 1 (a round trip that does nothing); it reports
// each one's median. Every other form of the query is first checked to find the
// same entities with the same scores as Store.Search's query, so a form that
// answers differently fails instead of being timed.
//
// search runs Store.Search alone, for a profiler attached to the server
// (docs/benchmarks.md, "Search, tenth session").
func BenchmarkSearchStatements(b *testing.B) {
	driver := seedtest.Graph(b)
	store := neo4jstore.New(driver, neo4jtest.Database, nil)
	ctx := context.Background()
	run := func(cypher string, params map[string]any) ([]*neo4j.Record, error) {
		s := driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: neo4jtest.Database, AccessMode: neo4j.AccessModeRead})
		defer s.Close(ctx)
		res, err := s.Run(ctx, cypher, params)
		if err != nil {
			return nil, err
		}
		return res.Collect(ctx)
	}
	raw := func(cypher string, params map[string]any) func() error {
		return func() error {
			_, err := run(cypher, params)
			return err
		}
	}
	// fulltext returns the statement of a full-text call with query q (and
	// options opts, a Cypher map or ""), returning each hit's id and score.
	fulltext := func(q, opts string) (string, map[string]any) {
		if opts != "" {
			opts = ", " + opts
		}
		return fmt.Sprintf(`CALL db.index.fulltext.queryNodes('entity_search', $q%s) YIELD node, score
			RETURN node.id AS id, score ORDER BY score DESC, id`, opts), map[string]any{"q": q}
	}
	search := func() error {
		hits, err := store.Search(ctx, graph.SearchQuery{Text: benchSearchText, First: 10})
		if err == nil && len(hits) == 0 {
			b.Fatal("no hits for " + benchSearchText)
		}
		return err
	}
	// Other forms of benchLuceneQuery tried for speed: each must find what it finds.
	forms := []struct{ name, q, opts string }{
		{"form-limit", benchLuceneQuery, "{limit: 10}"},                  // Lucene keeps the top 10 only
		{"form-unwrapped", "lutnick^3 OR lutnick*", ""},                  // without the required clause around one word
		{"form-matchall", benchLuceneQuery + " +*:*^0", ""},              // a conjunction: no BooleanScorer window
		{"form-range", "+(lutnick^3 OR [lutnick TO lutnick\uffff])", ""}, // a term range instead of the prefix
	}
	want, err := run(fulltext(benchLuceneQuery, ""))
	if err != nil || len(want) == 0 {
		b.Fatalf("search's query: %v, %d hits", err, len(want))
	}
	hitsOf := func(recs []*neo4j.Record) []string {
		var out []string
		for _, r := range recs {
			out = append(out, fmt.Sprint(r.Values...))
		}
		return out
	}
	// statement is the one Store.Search runs, as its trace records it.
	trace := &graph.QueryTrace{}
	if _, err := store.Search(graph.WithTrace(ctx, trace), graph.SearchQuery{Text: benchSearchText, First: 10}); err != nil || len(trace.Entries()) != 1 {
		b.Fatalf("search: %v, %d statements traced", err, len(trace.Entries()))
	}
	statement := trace.Entries()[0]
	type variant struct {
		name string
		run  func() error
	}
	variants := []variant{
		{"search", search},
		{"statement", raw(statement.Cypher, statement.Params)},
		{"fulltext", raw(fulltext(benchLuceneQuery, ""))},
		{"fulltext-exact", raw(fulltext("lutnick^3", ""))},
		{"fulltext-prefix", raw(fulltext("lutnick*", ""))},
		{"fulltext-nomatch", raw(fulltext("zzqxjv", ""))},
		{"peer-contains", raw(`MATCH (n:Entity) WHERE n.name CONTAINS $t RETURN n {.id, .name, .kind} AS n LIMIT 10`, map[string]any{"t": "Lutnick"})},
		{"return-1", raw(`RETURN 1`, nil)},
	}
	for _, f := range forms {
		got, err := run(fulltext(f.q, f.opts))
		if err != nil {
			b.Fatalf("%s: %v", f.name, err)
		}
		if !slices.Equal(hitsOf(got), hitsOf(want)) {
			b.Fatalf("%s finds %v, search's query %v", f.name, hitsOf(got), hitsOf(want))
		}
		variants = append(variants, variant{f.name, raw(fulltext(f.q, f.opts))})
	}
	b.Run("interleaved", func(b *testing.B) {
		times := make([][]time.Duration, len(variants))
		order := make([]int, len(variants))
		for i := range order {
			order[i] = i
		}
		for b.Loop() {
			rand.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
			for _, i := range order {
				t0 := time.Now()
				if err := variants[i].run(); err != nil {
					b.Fatal(variants[i].name, err)
				}
				times[i] = append(times[i], time.Since(t0))
			}
		}
		for i, v := range variants {
			slices.Sort(times[i])
			b.ReportMetric(float64(times[i][len(times[i])/2].Microseconds()), v.name+"-p50-µs")
		}
	})
	b.Run("search", func(b *testing.B) {
		for b.Loop() {
			if err := search(); err != nil {
				b.Fatal(err)
			}
		}
	})
}
