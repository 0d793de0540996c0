// Command stmtprof shows where a bulk load's time goes: it loads files through the
// bulk loader (bulk.Load, the code `tradegraph load` runs) with the explain trace
// on, and prints the wall time, the time inside the write transactions
// (WritePrepared: statements, commits and the in-transaction hooks) and each
// statement's total, grouped by its first distinctive line.
//
//	go run ./bench/stmtprof -uri bolt://127.0.0.1:7699 documents.csv entities.csv
//
// Load into an empty database of its own: the trace keeps every statement's
// parameters in memory, so use it on a part of a large set (the 1M set's nodes
// take about 1 GB). The trace also slows the load down; -trace=false times the
// load alone (the A/B of two commits' nodes phase in docs/benchmarks.md, run 21),
// and -neo4j-pid adds the server's CPU time (from /proc) to the client's.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"tradegraph/graph"
	"tradegraph/graph/model"
	"tradegraph/graph/neo4jstore"
	"tradegraph/loaders/bulk"
)

// timed is the store with the time spent in WritePrepared summed.
type timed struct {
	*neo4jstore.Store
	ns atomic.Int64
}

func (t *timed) WritePrepared(ctx context.Context, p model.Prepared) (model.Summary, error) {
	start := time.Now()
	defer func() { t.ns.Add(int64(time.Since(start))) }()
	return t.Store.WritePrepared(ctx, p)
}

func main() {
	uri := flag.String("uri", "bolt://127.0.0.1:7687", "Neo4j URI")
	batch := flag.Int("batch-size", 5000, "rows per write transaction")
	cpu := flag.String("cpuprofile", "", "write the client's CPU profile to this file")
	trace := flag.Bool("trace", true, "record every statement (the per-statement table); false times the load alone")
	pidFile := flag.String("neo4j-pid", "", "the Neo4j server's pid file (scripts/neo4j.sh: .cache/neo4j/neo4j-PORT.pid): also print its CPU time during the load")
	flag.Parse()
	if err := run(*uri, *batch, *cpu, *trace, *pidFile, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "stmtprof:", err)
		os.Exit(1)
	}
}

func run(uri string, batch int, cpu string, trace bool, pidFile string, paths []string) error {
	if cpu != "" {
		f, err := os.Create(cpu)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	ctx := context.Background()
	d, err := neo4j.NewDriverWithContext(uri, neo4j.NoAuth())
	if err != nil {
		return err
	}
	defer d.Close(ctx)
	s := &timed{Store: neo4jstore.New(d, "neo4j", nil)}
	if err := s.Migrate(ctx); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "stmtprof")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	var tr graph.QueryTrace
	if trace {
		ctx = graph.WithTrace(ctx, &tr)
	}
	server0, err := serverCPU(pidFile)
	if err != nil {
		return err
	}
	client0 := clientCPU()
	start := time.Now()
	res, err := bulk.Load(ctx, bulk.Options{Graph: s, BatchSize: batch, Writers: 1,
		Rejects: filepath.Join(tmp, "rejects.txt"), Checkpoint: filepath.Join(tmp, "checkpoint.json"),
		Progress: "off", Out: io.Discard}, paths)
	if err != nil {
		return err
	}
	wall := time.Since(start)
	if pidFile != "" || !trace {
		server1, err := serverCPU(pidFile)
		if err != nil {
			return err
		}
		fmt.Printf("wrote %d rows in %d transactions in %.2f s; client CPU %.2f s", res.Written, res.Batches, wall.Seconds(), (clientCPU() - client0).Seconds())
		if pidFile != "" {
			fmt.Printf("; Neo4j CPU %.2f s", (server1 - server0).Seconds())
		}
		fmt.Println()
		if !trace {
			return nil
		}
	}
	type sum struct {
		ms float64
		n  int
	}
	by := map[string]*sum{}
	var total float64
	for _, e := range tr.Entries() {
		k := key(e.Cypher)
		if by[k] == nil {
			by[k] = &sum{}
		}
		by[k].ms += e.Ms
		by[k].n++
		total += e.Ms
	}
	keys := make([]string, 0, len(by))
	for k := range by {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return by[keys[i]].ms > by[keys[j]].ms })
	fmt.Printf("wrote %d rows in %.1f s; in write transactions %.1f s; statements %.1f s\n",
		res.Written, wall.Seconds(), time.Duration(s.ns.Load()).Seconds(), total/1000)
	fmt.Printf("%9s %6s %6s  %s\n", "seconds", "share", "runs", "statement (first distinctive line)")
	for _, k := range keys {
		fmt.Printf("%9.1f %5.1f%% %6d  %s\n", by[k].ms/1000, 100*by[k].ms/total, by[k].n, k)
	}
	return nil
}

// clientCPU returns the CPU time this process has used.
func clientCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// serverCPU returns the CPU time of the process whose pid is in pidFile (user and
// system, from /proc/PID/stat); 0 without a pid file.
func serverCPU(pidFile string) (time.Duration, error) {
	if pidFile == "" {
		return 0, nil
	}
	pid, err := os.ReadFile(pidFile)
	if err != nil {
		return 0, err
	}
	stat, err := os.ReadFile("/proc/" + strings.TrimSpace(string(pid)) + "/stat")
	if err != nil {
		return 0, err
	}
	// The fields after the command (which may hold spaces), from the 3rd: utime is the 14th, stime the 15th.
	f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	if len(f) < 13 {
		return 0, fmt.Errorf("%s: unexpected /proc stat", pidFile)
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("%s: unexpected /proc stat", pidFile)
	}
	return time.Duration(utime+stime) * time.Second / 100, nil // clock ticks (USER_HZ = 100 on Linux)
}

// key names a statement by its first line that is not the grouping preamble of
// the writer's statements, cut to 70 characters.
func key(cypher string) string {
	for _, l := range strings.Split(cypher, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "UNWIND $groups") || strings.HasPrefix(l, "CALL (g)") || strings.HasPrefix(l, "UNWIND $rows") {
			continue
		}
		if len(l) > 70 {
			l = l[:70]
		}
		return l
	}
	return "(empty)"
}
