package neo4jstore_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"tradegraph/graph/neo4jstore"
	"tradegraph/internal/neo4jtest"
	"tradegraph/internal/seedtest"
)

// BenchmarkSearchStatements interleaves, request by request, bench/peer.sh's search
// (shape e, "lutnick") through Store.Search, the peer's statement for e (a CONTAINS scan of names, as @neo4j/graphql compiles
// it, roughly) and RETURN 1 (a round trip that does nothing), all auto-commit on
// the seed graph; reports each one's median.
func BenchmarkSearchStatements(b *testing.B) {
	driver := seedtest.Graph(b)
	store := neo4jstore.New(driver, neo4jtest.Database, nil)
	ctx := context.Background()
	raw := func(cypher string, params map[string]any) func() error {
		return func() error {
			s := driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: neo4jtest.Database, AccessMode: neo4j.AccessModeRead})
			defer s.Close(ctx)
			res, err := s.Run(ctx, cypher, params)
			if err == nil {
				_, err = res.Collect(ctx)
			}
			return err
		}
	}
	search := func() error {
		hits, err := store.Search(ctx, "lutnick", nil, 10)
		if err == nil && len(hits) == 0 {
			b.Fatal("no hits for lutnick")
		}
		return err
	}
	variants := []struct {
		name string
		run  func() error
	}{
		{"search", search},
		{"peer-contains", raw(`MATCH (n:Entity) WHERE n.name CONTAINS $t RETURN n {.id, .name, .kind} AS n LIMIT 10`, map[string]any{"t": "Lutnick"})},
		{"return-1", raw(`RETURN 1`, nil)},
	}
	times := make([][]time.Duration, len(variants))
	for b.Loop() {
		for i, v := range variants {
			t0 := time.Now()
			if err := v.run(); err != nil {
				b.Fatal(err)
			}
			times[i] = append(times[i], time.Since(t0))
		}
	}
	for i, v := range variants {
		slices.Sort(times[i])
		b.ReportMetric(float64(times[i][len(times[i])/2].Microseconds()), v.name+"-p50-µs")
	}
}
