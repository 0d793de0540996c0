// Command pathtime times the API's traversals on a large graph: the path query
// (neo4jstore.Store.Paths, behind `paths(...)`) between the biggest hubs, between
// low-degree entities, and from a low-degree entity to a hub; then neighbourhoods
// (Store.Neighborhood) of the biggest hub and of a low-degree entity at depths 1-3;
// each query without a time window, then with asOf, knownAsOf and both.
// bench/paths.sh runs it on the generated 1M-relationship set.
//
//	go run ./bench/pathtime -uri bolt://127.0.0.1:7699 [-shortest] [-profile]
//
// -shortest also times the same walk with GQL's SHORTEST k alone (the query the
// API used before), to compare; -profile sums the database hits of each
// neighbourhood query.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"tradegraph/graph"
	"tradegraph/graph/model"
	"tradegraph/graph/neo4jstore"
)

func main() {
	uri := flag.String("uri", "bolt://127.0.0.1:7699", "Neo4j holding the graph")
	rounds := flag.Int("rounds", 3, "timed runs of each query (the first one plans it)")
	maxLength := flag.Int("max-length", 4, "longest path in hops")
	candidates := flag.Int("candidates", 12, "paths asked for (the API asks 4 × first)")
	shortest := flag.Bool("shortest", false, "also time SHORTEST k alone")
	profile := flag.Bool("profile", false, "also sum the database hits of each path and neighbourhood query (PROFILE)")
	paths := flag.Bool("paths", true, "time the path queries (-paths=false: neighbourhoods only)")
	nbs := flag.Bool("neighbourhoods", true, "time the neighbourhood queries (-neighbourhoods=false: paths only)")
	answersTo := flag.String("answers", "", "also write each path answer to this file, one line a path: pair, window, rank, relationship ids (to compare two builds' answers with diff)")
	scan := flag.Int("scan", 0, "instead, time the path query once for this many pairs of low-degree entities, under the API's 10 s budget")
	flag.Parse()
	if *answersTo != "" {
		f, err := os.Create(*answersTo)
		if err != nil {
			fmt.Fprintln(os.Stderr, "pathtime:", err)
			os.Exit(1)
		}
		defer f.Close()
		answers = f
	}
	ctx := context.Background()
	d, err := neo4j.NewDriverWithContext(*uri, neo4j.NoAuth())
	if err == nil {
		defer d.Close(ctx)
		store := neo4jstore.New(d, "neo4j", nil)
		if *scan > 0 {
			err = scanPairs(ctx, d, store, *scan, *maxLength, *candidates)
		} else {
			err = run(ctx, d, store, *rounds, *maxLength, *candidates, *shortest, *profile, *paths, *nbs)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "pathtime:", err)
		os.Exit(1)
	}
}

// windows are the time windows each path and neighbourhood query runs with: none
// first (the ratio column divides by its median), then valid time (the year 2025,
// as asOf: "2025"), knowledge time (knownAsOf: "2023-06-30", about two thirds of
// the generated documents) and both.
var windows = []struct {
	name   string
	window graph.Window
}{
	{"none", graph.Window{}},
	{"asOf 2025", graph.Window{From: day(2025, 1, 1), To: day(2025, 12, 31)}},
	{"knownAsOf 2023-06-30", graph.Window{Known: day(2023, 6, 30)}},
	{"both", graph.Window{From: day(2025, 1, 1), To: day(2025, 12, 31), Known: day(2023, 6, 30)}},
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// ratio writes d / base, or "-" without a base.
func ratio(d, base time.Duration) string {
	if base <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", float64(d)/float64(base))
}

func run(ctx context.Context, d neo4j.DriverWithContext, store *neo4jstore.Store, rounds, maxLength, candidates int, shortest, profile, timePaths, timeNeighbourhoods bool) error {
	// The six entities with most relationships, and four with 3 to 8 (the first by id).
	hubs, err := entities(ctx, d, `MATCH (n:Entity) WITH n, COUNT { (n)--() } AS deg ORDER BY deg DESC, n.id LIMIT 6 RETURN n.id AS id, deg`)
	if err != nil {
		return err
	}
	small, err := entities(ctx, d, `MATCH (n:Entity) WITH n, COUNT { (n)--() } AS deg WHERE 3 <= deg <= 8 WITH n, deg ORDER BY n.id LIMIT 4 RETURN n.id AS id, deg`)
	if err != nil {
		return err
	}
	if len(hubs) < 6 || len(small) < 4 {
		return fmt.Errorf("the graph is too small: %d hubs, %d low-degree entities", len(hubs), len(small))
	}
	pairs := [][2]entity{{hubs[0], hubs[1]}, {hubs[2], hubs[3]}, {hubs[4], hubs[5]}, {small[0], small[1]}, {small[2], small[3]}, {small[0], hubs[0]}}

	fmt.Printf("%d rounds of each query (the first plans it; median of the others)\n", rounds)
	if timePaths {
		if err := pathTimes(ctx, d, store, pairs, rounds, maxLength, candidates, shortest, profile); err != nil {
			return err
		}
	}
	if !timeNeighbourhoods {
		return nil
	}
	// Neighbourhoods of the biggest hub and of a low-degree entity, the other
	// traversal the console draws from; 300 is the API's default node cap, 2000 its
	// largest. With -profile, each query runs once more under PROFILE, and the
	// database hits of its plan are summed.
	fmt.Printf("\n| neighbourhood of (relationships) | depth | limitPerType | maxNodes | window | nodes | edges | node cap reached | first | median | median / none |")
	if profile {
		fmt.Printf(" db hits |")
	}
	fmt.Printf("\n|---|---:|---:|---:|---|---:|---:|---|---:|---:|---:|")
	if profile {
		fmt.Printf("---:|")
	}
	fmt.Println()
	for _, e := range []entity{hubs[0], small[0]} {
		for _, c := range []struct{ depth, limit, maxNodes int }{
			{1, 10, 300}, {2, 5, 300}, {2, 10, 300}, {3, 5, 300}, {3, 10, 300}, {3, 10, 2000}, {3, 50, 2000}} {
			var none time.Duration
			for _, w := range windows {
				q := graph.NeighborhoodQuery{ID: e.id, Depth: c.depth, LimitPerType: c.limit, MaxNodes: c.maxNodes, Window: w.window}
				var sub *model.Subgraph
				trace := &graph.QueryTrace{}
				took, err := timeRounds(rounds, func() error {
					var err error
					sub, err = store.Neighborhood(graph.WithTrace(ctx, trace), q)
					return err
				})
				if err != nil {
					return fmt.Errorf("neighbourhood of %s (%s): %w", e.id, w.name, err)
				}
				med := median(took[1:])
				if w.window.IsZero() {
					none = med
				}
				fmt.Printf("| %s (%d) | %d | %d | %d | %s | %d | %d | %v | %s | %s | %s |", e.id, e.deg, c.depth, c.limit, c.maxNodes, w.name,
					len(sub.Nodes), len(sub.Edges), sub.NodeCapReached, ms(took[0]), ms(med), ratio(med, none))
				if profile {
					hits, err := dbHits(ctx, d, trace.Entries()[0])
					if err != nil {
						return err
					}
					fmt.Printf(" %d |", hits)
				}
				fmt.Println()
			}
		}
	}
	return nil
}

// answers, when set (-answers), receives each path answer of pathTimes.
var answers io.Writer

// pathTimes prints the table of path query timings between the given pairs.
func pathTimes(ctx context.Context, d neo4j.DriverWithContext, store *neo4jstore.Store, pairs [][2]entity, rounds, maxLength, candidates int, shortest, profile bool) error {
	fmt.Printf("\nmaxLength %d, %d candidates\n\n", maxLength, candidates)

	head := "| from (relationships) | to (relationships) | window | paths | hops | API query first | API query median | median / none |"
	sep := "|---|---|---|---:|---|---:|---:|---:|"
	if profile {
		head += " db hits |"
		sep += "---:|"
	}
	if shortest {
		head += " SHORTEST k first | SHORTEST k median |"
		sep += "---:|---:|"
	}
	fmt.Println(head)
	fmt.Println(sep)
	for _, p := range pairs {
		var none time.Duration
		for _, w := range windows {
			q := graph.PathQuery{From: p[0].id, To: p[1].id, MaxLength: maxLength, Candidates: candidates, Window: w.window}
			var n int
			hops := "-"
			trace := &graph.QueryTrace{}
			var last []graph.RawPath
			api, err := timeRounds(rounds, func() error {
				paths, err := store.Paths(graph.WithTrace(ctx, trace), q)
				n, last = len(paths), paths
				if n > 0 {
					hops = fmt.Sprintf("%d-%d", len(paths[0].Rels), len(paths[n-1].Rels))
				}
				return err
			})
			if err != nil {
				return fmt.Errorf("%s -> %s (%s): %w", q.From, q.To, w.name, err)
			}
			med := median(api[1:])
			if w.window.IsZero() {
				none = med
			}
			if answers != nil {
				for i, rp := range last {
					ids := make([]string, len(rp.Rels))
					for j, r := range rp.Rels {
						ids[j] = r.ID
					}
					fmt.Fprintf(answers, "%s %s %s %d %s\n", q.From, q.To, strings.ReplaceAll(w.name, " ", "_"), i, strings.Join(ids, ","))
				}
			}
			fmt.Printf("| %s (%d) | %s (%d) | %s | %d | %s | %s | %s | %s |", p[0].id, p[0].deg, p[1].id, p[1].deg, w.name, n, hops, ms(api[0]), ms(med), ratio(med, none))
			if profile {
				hits, err := dbHits(ctx, d, trace.Entries()[0])
				if err != nil {
					return err
				}
				fmt.Printf(" %d |", hits)
			}
			if shortest && w.window.IsZero() {
				cypher := fmt.Sprintf(`MATCH (a:Entity {id: $from}), (b:Entity {id: $to})
				MATCH p = SHORTEST %d (a) ((:Entity)-[:%s]-(:Entity)){1,%d} (b) RETURN p`, candidates, strings.Join(model.RelTypeNames(), "|"), maxLength)
				old, err := timeRounds(rounds, func() error {
					_, err := neo4j.ExecuteQuery(ctx, d, cypher, map[string]any{"from": q.From, "to": q.To}, neo4j.EagerResultTransformer)
					return err
				})
				if err != nil {
					return err
				}
				fmt.Printf(" %s | %s |", ms(old[0]), ms(median(old[1:])))
			} else if shortest {
				fmt.Printf(" | |")
			}
			fmt.Println()
		}
	}

	return nil
}

// dbHits runs a traced query again under PROFILE and sums its plan's database hits.
func dbHits(ctx context.Context, d neo4j.DriverWithContext, q graph.TracedQuery) (int64, error) {
	res, err := neo4j.ExecuteQuery(ctx, d, "PROFILE "+q.Cypher, q.Params, neo4j.EagerResultTransformer)
	if err != nil {
		return 0, err
	}
	var sum func(p neo4j.ProfiledPlan) int64
	sum = func(p neo4j.ProfiledPlan) int64 {
		n := p.DbHits()
		for _, c := range p.Children() {
			n += sum(c)
		}
		return n
	}
	return sum(res.Summary.Profile()), nil
}

type entity struct {
	id  string
	deg int64
}

func entities(ctx context.Context, d neo4j.DriverWithContext, cypher string) ([]entity, error) {
	res, err := neo4j.ExecuteQuery(ctx, d, cypher, nil, neo4j.EagerResultTransformer)
	if err != nil {
		return nil, err
	}
	var out []entity
	for _, r := range res.Records {
		id, _, _ := neo4j.GetRecordValue[string](r, "id")
		deg, _, _ := neo4j.GetRecordValue[int64](r, "deg")
		out = append(out, entity{id, deg})
	}
	return out, nil
}

func timeRounds(n int, f func() error) ([]time.Duration, error) {
	var out []time.Duration
	for range max(n, 2) {
		t := time.Now()
		if err := f(); err != nil {
			return nil, err
		}
		out = append(out, time.Since(t))
	}
	return out, nil
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) string { return fmt.Sprintf("%d ms", d.Milliseconds()) }

// scanPairs times the API's path query once for n pairs of entities with 3 to 8
// relationships (taken in id order, the i-th with the (n+i)-th), each under the
// API's default 10 s budget, and prints each time and a summary. The first query
// plans the statement; it is run once before the scan.
func scanPairs(ctx context.Context, d neo4j.DriverWithContext, store *neo4jstore.Store, n, maxLength, candidates int) error {
	small, err := entities(ctx, d, fmt.Sprintf(`MATCH (n:Entity) WITH n, COUNT { (n)--() } AS deg WHERE 3 <= deg <= 8
		WITH n, deg ORDER BY n.id SKIP 100 LIMIT %d RETURN n.id AS id, deg`, 2*n))
	if err != nil {
		return err
	}
	if len(small) < 2*n {
		return fmt.Errorf("only %d low-degree entities", len(small))
	}
	if err := store.WarmUp(ctx); err != nil {
		return err
	}
	fmt.Printf("maxLength %d, %d candidates, %d pairs of entities with 3-8 relationships\n\n", maxLength, candidates, n)
	fmt.Println("| from | to | paths | lengths | ms |")
	fmt.Println("|---|---|---:|---|---:|")
	var took []time.Duration
	timeouts := 0
	for i := range n {
		q := graph.PathQuery{From: small[i].id, To: small[n+i].id, MaxLength: maxLength, Candidates: candidates}
		qctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		t := time.Now()
		paths, err := store.Paths(qctx, q)
		elapsed := time.Since(t)
		cancel()
		lengths := "-"
		if len(paths) > 0 {
			lengths = fmt.Sprintf("%d-%d", len(paths[0].Rels), len(paths[len(paths)-1].Rels))
		}
		switch {
		case graph.ErrorCode(err) == graph.ETIMEOUT:
			timeouts++
			lengths = "TIMEOUT"
		case err != nil:
			return fmt.Errorf("%s -> %s: %w", q.From, q.To, err)
		}
		took = append(took, elapsed)
		fmt.Printf("| %s | %s | %d | %s | %s |\n", q.From, q.To, len(paths), lengths, ms(elapsed))
	}
	slices.Sort(took)
	under := func(limit time.Duration) int {
		c := 0
		for _, d := range took {
			if d <= limit {
				c++
			}
		}
		return c
	}
	fmt.Printf("\n%d pairs: median %s, %d under 100 ms, %d under 400 ms, %d under 1 s, %d under 10 s, %d timeouts, slowest %s\n",
		n, ms(took[n/2]), under(100*time.Millisecond), under(400*time.Millisecond), under(time.Second), under(10*time.Second), timeouts, ms(took[n-1]))
	return nil
}
