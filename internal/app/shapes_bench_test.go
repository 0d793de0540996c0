package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"tradegraph/graph"
	"tradegraph/graph/model"
	"tradegraph/graph/neo4jstore"
	"tradegraph/internal/neo4jtest"
	"tradegraph/internal/seedtest"
)

// peerShapes are bench/peer.sh's tradegraph requests (bench/peer/workloads.mjs),
// asked of the seed graph.
var peerShapes = []struct{ key, query, vars string }{
	{"a", `query BenchA($id: ID!) { entity(id: $id) { id name kind type } }`, `{"id":"actor:china"}`},
	{"c", `query BenchC { policies(first: 20) { edges { node { id name
        relationships(types: [RESTRICTS], direction: OUT) { edges { node { to { id name } } } } } } } }`, `{}`},
	{"d", `query BenchD($id: ID!) { entity(id: $id) { id name
        relationships(types: [PARTICIPATED_IN], direction: OUT) { edges { node { to { id name
          ... on Meeting { relationships(types: [PARTICIPATED_IN], direction: IN) { edges { node { from { id name } } } } } } } } } } }`, `{"id":"actor:donald-trump"}`},
	{"e", `query BenchE($text: String!) { search(text: $text) { entity { id name kind } } }`, `{"text":"lutnick"}`},
	{"f", `query BenchF { documents(first: 20) { edges { node { id title date { text } } } } }`, `{}`},
}

// peerStatements are the statements @neo4j/graphql 7.6.3 runs for the same
// shapes (bench/peer.sh's explaining peer wrote them, results/verify-explain.json;
// a's dbms.components call left out), timed beside tradegraph's own.
var peerStatements = map[string]struct {
	cypher string
	params map[string]any
}{
	"a": {`MATCH (this:Actor&Entity)
WHERE this.id = $param0
RETURN this { .id, .name, .kind, .type } AS this`, map[string]any{"param0": "actor:china"}},
	"c": {`MATCH (this:Policy&Entity)
WITH *
ORDER BY this.name ASC
LIMIT $param0
CALL (this) {
  MATCH (this)-[this0:RESTRICTS]->(this1:Commodity&Entity)
  WITH DISTINCT this1
  WITH this1 { .id, .name } AS this1
  RETURN collect(this1) AS var2
}
RETURN this { .id, .name, restricts: var2 } AS this`, map[string]any{"param0": int64(20)}},
	"d": {`MATCH (this:Actor&Entity)
WHERE this.id = $param0
CALL (this) {
  MATCH (this)-[this0:PARTICIPATED_IN]->(this1:Meeting&Entity)
  WITH DISTINCT this1
  CALL (this1) {
    MATCH (this1)<-[this2:PARTICIPATED_IN]-(this3:Actor&Entity)
    WITH DISTINCT this3
    WITH this3 { .id, .name } AS this3
    RETURN collect(this3) AS var4
  }
  WITH this1 { .id, .name, participants: var4 } AS this1
  RETURN collect(this1) AS var5
}
RETURN this { .id, .name, participatedIn: var5 } AS this`, map[string]any{"param0": "actor:donald-trump"}},
	"f": {`MATCH (this:Document)
WITH *
ORDER BY this.id ASC
LIMIT $param0
RETURN this { .id, .title, .date } AS this`, map[string]any{"param0": int64(20)}},
}

// BenchmarkShapes times bench/peer.sh's requests through the production handler
// chain (request id and log line, host check, CORS, body limit, in-flight limit,
// bearer, gqlgen) in process, against the statement each one runs sent straight
// through the driver: handler minus statement is the server's own cost per
// request. Profile one shape with, e.g.,
//
//	go test -run '^$' -bench 'Shapes/d/handler' -benchtime 5000x -cpuprofile cpu.out ./internal/app/
func BenchmarkShapes(b *testing.B) {
	driver := seedtest.Graph(b)
	store := neo4jstore.New(driver, neo4jtest.Database, nil)
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	handlerFor := func(explain bool) http.Handler {
		return newServer(serverDeps{log: log, store: store, maxBody: 64 << 10, maxInFlight: 32,
			queueWait: 500 * time.Millisecond, bodyTimeout: 10 * time.Second,
			graphql: graph.NewHandler(graph.Options{Store: store, Logger: log, RequestID: requestIDFrom,
				Timeout: 10 * time.Second, Explain: explain, MaxComplexity: 5000, Introspection: true})})
	}
	h, explain := handlerFor(false), handlerFor(true)
	ctx := context.Background()
	for _, s := range peerShapes {
		body, _ := json.Marshal(map[string]any{"query": s.query, "variables": json.RawMessage(s.vars)})
		try := func(h http.Handler) ([]byte, error) { return postShape(h, s.key, body) }
		serve := func(b *testing.B, h http.Handler) []byte {
			out, err := try(h)
			if err != nil {
				b.Fatal(err)
			}
			return out
		}
		var traced struct {
			Extensions struct{ Cypher []graph.TracedQuery }
		}
		dec := json.NewDecoder(bytes.NewReader(serve(b, explain)))
		dec.UseNumber()
		if err := dec.Decode(&traced); err != nil || len(traced.Extensions.Cypher) != 1 {
			b.Fatalf("%s: want one traced statement: %v %+v", s.key, err, traced)
		}
		st := traced.Extensions.Cypher[0]
		params := numbersToInts(st.Params)
		handlerOnce := func(b *testing.B) { serve(b, h) }
		txOnce := func(b *testing.B) {
			if _, err := neo4j.ExecuteQuery(ctx, driver, st.Cypher, params, neo4j.EagerResultTransformer,
				neo4j.ExecuteQueryWithDatabase(neo4jtest.Database), neo4j.ExecuteQueryWithReadersRouting()); err != nil {
				b.Fatal(err)
			}
		}
		autoCommit := func(b *testing.B, cypher string, params map[string]any) {
			sess := driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: neo4jtest.Database, AccessMode: neo4j.AccessModeRead})
			res, err := sess.Run(ctx, cypher, params)
			if err == nil {
				_, err = res.Collect(ctx)
			}
			sess.Close(ctx)
			if err != nil {
				b.Fatal(err)
			}
		}
		autoCommitOnce := func(b *testing.B) { autoCommit(b, st.Cypher, params) }
		roundTripOnce := func(b *testing.B) { autoCommit(b, "RETURN 1", nil) }
		peer, hasPeer := peerStatements[s.key]
		// cpu-µs/op is this process's CPU time per request (the server's Go work,
		// the driver's included; Neo4j runs in a process of its own): steadier than
		// the wall time on a busy machine, as it does not count the waits.
		b.Run(s.key+"/handler", func(b *testing.B) {
			b.ReportAllocs()
			cpu0 := processCPU(b)
			for b.Loop() {
				handlerOnce(b)
			}
			b.ReportMetric(float64((processCPU(b)-cpu0).Microseconds())/float64(b.N), "cpu-µs/op")
		})
		// Several clients at once: requests per second through the handler, as
		// bench/peer.sh's concurrency run loads the server.
		b.Run(s.key+"/parallel", func(b *testing.B) {
			b.ReportAllocs()
			b.SetParallelism(4) // 4 × GOMAXPROCS goroutines: 8 clients on 2 cores
			t0 := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := try(h); err != nil {
						b.Error(err) // not Fatal: this is not the benchmark's goroutine
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/time.Since(t0).Seconds(), "req/s")
		})
		// All in turn, request by request, so that whatever else the machine does
		// weighs on each alike; reports each one's median. RETURN 1 sent
		// auto-commit is the round trip that does no work: statement minus it is
		// Neo4j's work on the statement, handler minus statement the server's own;
		// the peer's statement for the shape, auto-commit through the same driver,
		// is Neo4j's work for @neo4j/graphql.
		b.Run(s.key+"/interleaved", func(b *testing.B) {
			var hd, ac, tx, rt, ps []time.Duration
			for b.Loop() {
				t0 := time.Now()
				handlerOnce(b)
				t1 := time.Now()
				autoCommitOnce(b)
				t2 := time.Now()
				txOnce(b)
				t3 := time.Now()
				roundTripOnce(b)
				t4 := time.Now()
				if hasPeer {
					autoCommit(b, peer.cypher, peer.params)
					ps = append(ps, time.Since(t4))
				}
				hd, ac, tx, rt = append(hd, t1.Sub(t0)), append(ac, t2.Sub(t1)), append(tx, t3.Sub(t2)), append(rt, t4.Sub(t3))
			}
			if hasPeer {
				b.ReportMetric(median(ps), "peerstmt-p50-µs")
			}
			b.ReportMetric(median(hd), "handler-p50-µs")
			b.ReportMetric(median(ac), "autocommit-p50-µs")
			b.ReportMetric(median(tx), "tx-p50-µs")
			b.ReportMetric(median(rt), "return1-p50-µs")
			b.ReportMetric(median(hd)-median(ac), "overhead-p50-µs")
		})
	}
}

// processCPU returns the CPU time (user and system) this process has used.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// postShape sends one shape's request body through h and returns the answer, or an
// error when the status is not 200 or the answer holds errors.
func postShape(h http.Handler, key string, body []byte) ([]byte, error) {
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Host = "localhost"
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != http.StatusOK || bytes.Contains(w.Body.Bytes(), []byte(`"errors"`)) {
		return nil, fmt.Errorf("%s: %d %s", key, w.Code, w.Body)
	}
	return w.Body.Bytes(), nil
}

// median returns the median of ds in microseconds.
func median(ds []time.Duration) float64 {
	s := slices.Clone(ds)
	slices.Sort(s)
	return float64(s[len(s)/2].Nanoseconds()) / 1000
}

// numbersToInts restores the parameter types that the explain trace's JSON
// flattened: whole numbers become int64, as the store sends them.
func numbersToInts(p map[string]any) map[string]any {
	out := make(map[string]any, len(p))
	for k, v := range p {
		if n, ok := v.(json.Number); ok {
			if i, err := n.Int64(); err == nil {
				out[k] = i
				continue
			}
			f, _ := n.Float64()
			out[k] = f
			continue
		}
		out[k] = v
	}
	return out
}

// replayStore answers the reads of bench/peer.sh's shapes (Entities, Search,
// Documents) from what the real store answered the first time, so that
// BenchmarkShapesStack times the server's Go side alone.
type replayStore struct {
	graph.Store
	entities recorded[*graph.EntityPage]
	hits     recorded[[]model.SearchHit]
	docs     recorded[*model.DocumentConnection]
}

// recorded is an answer kept from its first asking.
type recorded[T any] struct {
	mu  sync.Mutex
	got bool
	v   T
}

// get returns the answer ask gave the first time it succeeded.
func (r *recorded[T]) get(ask func() (T, error)) (T, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.got {
		v, err := ask()
		if err != nil {
			return v, err
		}
		r.v, r.got = v, true
	}
	return r.v, nil
}

func (s *replayStore) Entities(ctx context.Context, q graph.EntityQuery) (*graph.EntityPage, error) {
	return s.entities.get(func() (*graph.EntityPage, error) { return s.Store.Entities(ctx, q) })
}

func (s *replayStore) Search(ctx context.Context, q graph.SearchQuery) ([]model.SearchHit, error) {
	return s.hits.get(func() ([]model.SearchHit, error) { return s.Store.Search(ctx, q) })
}

func (s *replayStore) Documents(ctx context.Context, q graph.PageQuery) (*model.DocumentConnection, error) {
	return s.docs.get(func() (*model.DocumentConnection, error) { return s.Store.Documents(ctx, q) })
}

// BenchmarkShapesStack times bench/peer.sh's requests through the production
// handler chain with the store's answers replayed from memory: HTTP handling,
// parsing, validation, budget, resolving and serialising, without Bolt. Each
// shape's answer after the timed requests must be the one the real store gave.
func BenchmarkShapesStack(b *testing.B) {
	driver := seedtest.Graph(b)
	real := neo4jstore.New(driver, neo4jtest.Database, nil)
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	for _, s := range peerShapes {
		store := &replayStore{Store: real}
		h := newServer(serverDeps{log: log, store: store, maxBody: 64 << 10, maxInFlight: 32,
			queueWait: 500 * time.Millisecond, bodyTimeout: 10 * time.Second,
			graphql: graph.NewHandler(graph.Options{Store: store, Logger: log, RequestID: requestIDFrom,
				Timeout: 10 * time.Second, MaxComplexity: 5000, Introspection: true})})
		body, _ := json.Marshal(map[string]any{"query": s.query, "variables": json.RawMessage(s.vars)})
		serve := func(b *testing.B) []byte {
			out, err := postShape(h, s.key, body)
			if err != nil {
				b.Fatal(err)
			}
			return out
		}
		want := serve(b) // from the real store, recorded
		b.Run(s.key, func(b *testing.B) {
			b.ReportAllocs()
			cpu0 := processCPU(b)
			for b.Loop() {
				serve(b)
			}
			b.ReportMetric(float64((processCPU(b)-cpu0).Microseconds())/float64(b.N), "cpu-µs/op")
			if got := serve(b); !bytes.Equal(got, want) {
				b.Fatalf("%s: replayed answer\n%s\ndiffers from the store's\n%s", s.key, got, want)
			}
		})
	}
}
