// Command stmtab times Cypher statements against each other: each is sent as an
// auto-commit read through the Go driver (as Store.run sends a read), every
// statement once per round in a new random order, so that whatever else the
// machine does weighs on all alike; it prints each one's quartile, median, 95th and 99th percentiles.
//
//	go run ./bench/stmtab -uri bolt://127.0.0.1:7690 -n 4000 bench/stmtab/statements/c-*.cy bench/stmtab/statements/return1.cy
//
// A statement file holds the Cypher, then a line "--" and the parameters, one a
// line: name=text, name:int=number, name=null, name=[one text] (a list of one).
// Load the seed first (`tradegraph load`); the figures in docs/benchmarks.md
// ("Issue 18, sixth round") come from the files in statements/. With -modes each
// statement is also sent as Store.run sends a read, or with one of its session
// options alone, to time what each costs:
//
//	go run ./bench/stmtab -uri bolt://127.0.0.1:7690 -modes plain,server,server+timeout bench/stmtab/statements/return1.cy
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

type statement struct {
	name   string
	mode   string
	cypher string
	params map[string]any
	took   []time.Duration
}

func main() {
	uri := flag.String("uri", "bolt://127.0.0.1:7687", "Neo4j Bolt address")
	n := flag.Int("n", 3000, "timed rounds")
	warm := flag.Int("warm", 300, "untimed rounds first")
	modes := flag.String("modes", "plain", "comma-separated ways to send each statement: "+strings.Join(slices.Sorted(maps.Keys(sessionModes)), ", "))
	flag.Parse()
	log.SetFlags(0)
	var sts []*statement
	for _, f := range flag.Args() {
		for _, mode := range strings.Split(*modes, ",") {
			if _, ok := sessionModes[mode]; !ok {
				log.Fatalf("unknown mode %q", mode)
			}
			st, err := read(f)
			if err != nil {
				log.Fatal(err)
			}
			st.mode = mode
			if mode != "plain" {
				st.name += "@" + mode
			}
			sts = append(sts, st)
		}
	}
	if len(sts) == 0 {
		log.Fatal("usage: stmtab [-uri U] [-n N] FILE.cy...")
	}
	ctx := context.Background()
	driver, err := neo4j.NewDriverWithContext(*uri, neo4j.NoAuth())
	if err != nil {
		log.Fatal(err)
	}
	defer driver.Close(ctx)
	for i := 0; i < *warm+*n; i++ {
		rand.Shuffle(len(sts), func(a, b int) { sts[a], sts[b] = sts[b], sts[a] })
		for _, st := range sts {
			took, err := run(ctx, driver, st)
			if err != nil {
				log.Fatalf("%s: %v", st.name, err)
			}
			if i >= *warm {
				st.took = append(st.took, took)
			}
		}
	}
	slices.SortFunc(sts, func(a, b *statement) int { return strings.Compare(a.name, b.name) })
	for _, st := range sts {
		slices.Sort(st.took)
		q := func(f float64) int64 { return st.took[int(f*float64(len(st.took)-1))].Microseconds() }
		fmt.Printf("%-28s p25 %6d  p50 %6d  p95 %6d  p99 %6d µs\n", st.name, q(0.25), q(0.5), q(0.95), q(0.99))
	}
}

// sessionMode is a way to send a read: the session options set.
type sessionMode struct{ db, bookmarks, timeout bool }

var sessionModes = map[string]sessionMode{
	"plain":     {},
	"db":        {db: true},
	"bookmarks": {bookmarks: true},
	"timeout":   {timeout: true},
	// as Store.run sends a read without a deadline: the database named, the
	// driver's bookmark manager
	"server": {db: true, bookmarks: true},
	// as it sends an API request's read: with its deadline as transaction timeout
	"server+timeout": {db: true, bookmarks: true, timeout: true},
}

// run sends st as an auto-commit read in its mode and reads all its records.
func run(ctx context.Context, driver neo4j.DriverWithContext, st *statement) (time.Duration, error) {
	start := time.Now()
	m := sessionModes[st.mode]
	cfg := neo4j.SessionConfig{AccessMode: neo4j.AccessModeRead}
	var tx []func(*neo4j.TransactionConfig)
	if m.db {
		cfg.DatabaseName = "neo4j"
	}
	if m.bookmarks {
		cfg.BookmarkManager = driver.ExecuteQueryBookmarkManager()
	}
	if m.timeout {
		tx = append(tx, neo4j.WithTxTimeout(30*time.Second))
	}
	sess := driver.NewSession(ctx, cfg)
	defer sess.Close(ctx)
	res, err := sess.Run(ctx, st.cypher, st.params, tx...)
	if err != nil {
		return 0, err
	}
	if _, err := res.Collect(ctx); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}

// read parses a statement file.
func read(path string) (*statement, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	cypher, params, _ := strings.Cut(string(b), "\n--\n")
	st := &statement{name: strings.TrimSuffix(filepath.Base(path), ".cy"), cypher: cypher, params: map[string]any{}}
	for i, line := range strings.Split(params, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("%s: parameter line %d: want name=value, got %q", path, i+1, line)
		}
		switch {
		case strings.HasSuffix(k, ":int"):
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("%s: parameter line %d: %v", path, i+1, err)
			}
			st.params[strings.TrimSuffix(k, ":int")] = n
		case v == "null":
			st.params[k] = nil
		case strings.HasPrefix(v, "[") && strings.HasSuffix(v, "]"):
			st.params[k] = []any{strings.TrimSuffix(strings.TrimPrefix(v, "["), "]")}
		default:
			st.params[k] = v
		}
	}
	return st, nil
}
