package neo4jstore_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"tradegraph/graph"
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
