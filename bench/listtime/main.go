// Command listtime times the lists with filters (neo4jstore.Store.Entities,
// behind `actors(filter:)`, `meetings(filter:)`, `policies(filter:)`) with and
// without their time filters (knownAsOf; a policy's asOf with statuses) on a large
// graph: a page of 20 with totalCount, each row run -rounds times (the first
// plans it), printed as a Markdown table with the first run, the median of all
// runs, the database hits of the statement (PROFILE) and the index operators its
// plan uses. bench/lists.sh runs it on the generated 1M-relationship set.
//
//	go run ./bench/listtime -uri bolt://127.0.0.1:7699 [-rounds 3]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"tradegraph/graph"
	"tradegraph/graph/model"
	"tradegraph/graph/neo4jstore"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// rows are the lists of the table in docs/benchmarks.md ("Lists with time
// filters").
var rows = []struct {
	list, filter string
	q            graph.EntityQuery
}{
	{"actors", "none", graph.EntityQuery{Kind: model.KindActor}},
	{"actors", "knownAsOf 2023-06-30", graph.EntityQuery{Kind: model.KindActor, KnownAsOf: day(2023, 6, 30)}},
	{"actors", "knownAsOf 2017-12-31 (before every document)", graph.EntityQuery{Kind: model.KindActor, KnownAsOf: day(2017, 12, 31)}},
	{"meetings", "none", graph.EntityQuery{Kind: model.KindMeeting}},
	{"meetings", "knownAsOf 2023-06-30", graph.EntityQuery{Kind: model.KindMeeting, KnownAsOf: day(2023, 6, 30)}},
	{"policies", "statuses IN_FORCE", graph.EntityQuery{Kind: model.KindPolicy, Statuses: []string{"IN_FORCE"}}},
	{"policies", "asOf 2025-06-30, statuses IN_FORCE", graph.EntityQuery{Kind: model.KindPolicy, Statuses: []string{"IN_FORCE"}, StatusAsOf: day(2025, 6, 30)}},
	{"policies", "asOf, IN_FORCE, knownAsOf 2023-06-30", graph.EntityQuery{Kind: model.KindPolicy, Statuses: []string{"IN_FORCE"}, StatusAsOf: day(2025, 6, 30), KnownAsOf: day(2023, 6, 30)}},
}

func main() {
	uri := flag.String("uri", "bolt://127.0.0.1:7699", "Neo4j holding the graph")
	rounds := flag.Int("rounds", 3, "timed runs of each list (the first one plans it)")
	flag.Parse()
	ctx := context.Background()
	d, err := neo4j.NewDriverWithContext(*uri, neo4j.NoAuth())
	if err == nil {
		defer d.Close(ctx)
		err = run(ctx, d, neo4jstore.New(d, "neo4j", nil), *rounds)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "listtime:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, d neo4j.DriverWithContext, store *neo4jstore.Store, rounds int) error {
	fmt.Println("| list | filter | totalCount | page | first | median | db hits | index operators |")
	fmt.Println("|---|---|---:|---:|---:|---:|---:|---|")
	for _, r := range rows {
		q := r.q
		q.First, q.WantTotal = 20, true
		var times []time.Duration
		var page *graph.EntityPage
		var last graph.TracedQuery
		for range rounds {
			trace := &graph.QueryTrace{}
			start := time.Now()
			p, err := store.Entities(graph.WithTrace(ctx, trace), q)
			if err != nil {
				return fmt.Errorf("%s %s: %w", r.list, r.filter, err)
			}
			times = append(times, time.Since(start))
			page = p
			if es := trace.Entries(); len(es) == 1 {
				last = es[0]
			}
		}
		hits, ops, err := profile(ctx, d, last)
		if err != nil {
			return fmt.Errorf("%s %s: profile: %w", r.list, r.filter, err)
		}
		sorted := slices.Clone(times)
		slices.Sort(sorted)
		fmt.Printf("| %s | %s | %d | %d | %d ms | %d ms | %d | %s |\n", r.list, r.filter, page.TotalCount, len(page.Entities),
			times[0].Milliseconds(), sorted[len(sorted)/2].Milliseconds(), hits, strings.Join(ops, ", "))
	}
	return nil
}

// profile runs a traced statement again under PROFILE and returns its plan's
// database hits and the index operators it uses (each once, with its details).
func profile(ctx context.Context, d neo4j.DriverWithContext, q graph.TracedQuery) (int64, []string, error) {
	if q.Cypher == "" {
		return 0, nil, fmt.Errorf("no statement traced")
	}
	res, err := neo4j.ExecuteQuery(ctx, d, "PROFILE "+q.Cypher, q.Params, neo4j.EagerResultTransformer)
	if err != nil {
		return 0, nil, err
	}
	var hits int64
	var ops []string
	var walk func(p neo4j.ProfiledPlan)
	walk = func(p neo4j.ProfiledPlan) {
		hits += p.DbHits()
		if op := p.Operator(); strings.Contains(op, "Index") || strings.Contains(op, "LabelScan") {
			s := op
			if det, ok := p.Arguments()["Details"].(string); ok {
				det, _, _ = strings.Cut(det, ", cache[")
				s += " " + det
			}
			if !slices.Contains(ops, s) {
				ops = append(ops, s)
			}
		}
		for _, c := range p.Children() {
			walk(c)
		}
	}
	if p := res.Summary.Profile(); p != nil {
		walk(p)
	}
	return hits, ops, nil
}
