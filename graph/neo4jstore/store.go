// Package neo4jstore is the one package that holds Cypher, read and write: the
// implementation of graph.Store (the API's queries and mutations), the batch writer
// and look-ups the loaders consume (loaders.Graph), and the migrations. Every
// statement runs through Store.run. Labels and relationship types are never
// taken from user strings; they come from the closed vocabulary in graph/model.
package neo4jstore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"

	"tradegraph/graph"
	"tradegraph/graph/model"
)

// Config says how to reach Neo4j.
type Config struct {
	URI      string // bolt://, bolt+s://, neo4j:// or neo4j+s://
	User     string
	Password string
	Database string
	// MaxPoolSize caps connections; 0 keeps the driver's default.
	MaxPoolSize int
	// AcquireTimeout bounds the wait for a pooled connection, so that an exhausted
	// pool or a dead server fails fast instead of piling requests up.
	AcquireTimeout time.Duration
	// MaxRetryTime bounds the driver's retries of transient failures inside one managed
	// transaction; 0 keeps the driver's default (30 s). The loaders keep it long so
	// that a Neo4j restart mid-load is ridden out. A negative value turns the driver's
	// retries off, as the API does: they sleep about a second before each attempt, so
	// a stopped server took 1–2 s to report. Store.run still retries once, at once.
	MaxRetryTime time.Duration
}

// NewDriver returns a driver for cfg. It does not contact the server.
func NewDriver(cfg Config) (neo4j.DriverWithContext, error) {
	auth := neo4j.NoAuth()
	if cfg.Password != "" {
		user := cfg.User
		if user == "" {
			user = "neo4j"
		}
		auth = neo4j.BasicAuth(user, cfg.Password, "")
	}
	d, err := neo4j.NewDriverWithContext(cfg.URI, auth, func(c *config.Config) {
		if cfg.MaxPoolSize > 0 {
			c.MaxConnectionPoolSize = cfg.MaxPoolSize
		}
		c.ConnectionAcquisitionTimeout = cfg.AcquireTimeout
		if c.ConnectionAcquisitionTimeout == 0 {
			c.ConnectionAcquisitionTimeout = 5 * time.Second
		}
		c.SocketConnectTimeout = 2 * time.Second
		if cfg.MaxRetryTime != 0 {
			c.MaxTransactionRetryTime = max(cfg.MaxRetryTime, 0)
		}
	})
	if err != nil {
		return nil, fmt.Errorf("neo4j driver for %s: %w", cfg.URI, err)
	}
	return d, nil
}

// Store reads and writes the knowledge graph in Neo4j.
type Store struct {
	driver neo4j.DriverWithContext
	db     string
	log    *slog.Logger
}

var _ graph.Store = (*Store)(nil)

// New returns a Store over driver and database db.
func New(driver neo4j.DriverWithContext, db string, log *slog.Logger) *Store {
	if log == nil {
		log = slog.Default()
	}
	return &Store{driver: driver, db: db, log: log}
}

// statement is one Cypher statement with its parameters. check, when set, reads
// the statement's records inside its transaction: an error it returns rolls the
// whole unit of work back.
type statement struct {
	cypher string
	params map[string]any
	check  func(records []*neo4j.Record) error
	// build, when set, makes the statement inside the transaction from the records
	// of the statements before it: work that must see what the transaction has
	// locked and read (combining an entity's claims, a merge's writes from its
	// reads, an audit record from the batch's outcomes). A nil statement means
	// nothing to run. It must be a pure function of those records: a retried
	// transaction builds again.
	build func(prev [][]*neo4j.Record) (*statement, error)
}

// read runs one read-only statement, routed to readers so a cluster spreads the load.
func (s *Store) read(ctx context.Context, cypher string, params map[string]any) (*neo4j.EagerResult, error) {
	recs, err := s.run(ctx, false, []statement{{cypher: cypher, params: params}})
	if err != nil {
		return nil, err
	}
	return &neo4j.EagerResult{Records: recs[0]}, nil
}

// run is the one way statements reach Neo4j, read or write: the API's queries and
// mutations, the loaders' look-ups and every batch the writer sends. The request's
// deadline becomes the transaction timeout, so Neo4j stops work that nobody waits
// for any more; a failure that running again may cure is retried once, at once;
// every statement is recorded in the request's trace (explain mode) and observed
// in the store's metrics. Writes run as one managed write transaction: all of
// stmts commit or none does. It returns the records of each statement.
func (s *Store) run(ctx context.Context, write bool, stmts []statement) ([][]*neo4j.Record, error) {
	routingName := "read"
	if write {
		routingName = "write"
	}
	var txConfig []func(*neo4j.TransactionConfig)
	if dl, ok := ctx.Deadline(); ok {
		left := time.Until(dl)
		if left <= 0 {
			return nil, wrapErr(context.DeadlineExceeded)
		}
		txConfig = append(txConfig, neo4j.WithTxTimeout(left))
	}
	start := time.Now()
	took := make([]time.Duration, len(stmts)) // of the last attempt
	ran := make([]statement, len(stmts))      // as built and run in the last attempt
	recs, err := s.exec(ctx, write, stmts, txConfig, took, ran)
	if err != nil && ctx.Err() == nil && retryable(err) {
		// Once, at once: a restarted server leaves the pool full of dead connections,
		// and the first failure empties it (the driver drops a failed server's idle
		// connections), so the second attempt gets a fresh one; a stopped server
		// refuses again within a millisecond.
		queryRetries.Inc()
		recs, err = s.exec(ctx, write, stmts, txConfig, took, ran)
	}
	elapsed := time.Since(start)
	for i, st := range ran {
		if st.cypher != "" {
			graph.Record(ctx, st.cypher, st.params, took[i])
		}
	}
	if err != nil && ctx.Err() != nil {
		// The driver reports a deadline hit while connecting as a connectivity error;
		// the cause that matters to the client is its own time budget.
		err = errors.Join(ctx.Err(), err)
	}
	err = wrapErr(err)
	outcome := "ok"
	if err != nil {
		outcome = graph.ErrorCode(err)
	}
	queryDuration.WithLabelValues(routingName, outcome).Observe(elapsed.Seconds())
	if err != nil {
		return nil, err
	}
	return recs, nil
}

// exec runs stmts once: a read of one statement as an auto-commit transaction, a
// write as one managed write transaction that runs each statement and its check in
// turn. It sets took[i] to the time of statement i and ran[i] to statement i as it
// ran (built, when it is built in the transaction; zero when left out).
func (s *Store) exec(ctx context.Context, write bool, stmts []statement, txConfig []func(*neo4j.TransactionConfig), took []time.Duration, ran []statement) ([][]*neo4j.Record, error) {
	if !write && len(stmts) == 1 && stmts[0].build == nil {
		start := time.Now()
		st := stmts[0]
		st.params = named(st.cypher, st.params)
		ran[0] = st
		defer func() { took[0] = time.Since(start) }()
		return s.autoCommit(ctx, st, txConfig)
	}
	mode := neo4j.AccessModeRead
	if write {
		mode = neo4j.AccessModeWrite
	}
	session := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.db, AccessMode: mode})
	defer session.Close(ctx)
	work := func(tx neo4j.ManagedTransaction) (any, error) {
		out := make([][]*neo4j.Record, len(stmts))
		clear(ran) // the driver may run work again
		for i, st := range stmts {
			if st.build != nil {
				built, err := st.build(out[:i])
				if err != nil {
					return nil, err
				}
				if built == nil {
					continue
				}
				st = *built
			}
			start := time.Now()
			st.params = named(st.cypher, st.params)
			ran[i] = st
			res, err := tx.Run(ctx, st.cypher, st.params)
			if err != nil {
				return nil, err
			}
			out[i], err = res.Collect(ctx)
			took[i] = time.Since(start)
			if err != nil {
				return nil, err
			}
			if st.check != nil {
				if err := st.check(out[i]); err != nil {
					return nil, err
				}
			}
		}
		return out, nil
	}
	var out any
	var err error
	if write {
		out, err = session.ExecuteWrite(ctx, work, txConfig...)
	} else {
		out, err = session.ExecuteRead(ctx, work, txConfig...)
	}
	if err != nil {
		return nil, err
	}
	return out.([][]*neo4j.Record), nil
}

// named returns params without those that cypher does not name: Neo4j decodes every
// parameter sent, used or not, and the builders fill in every parameter a shape of
// statement may use (an entity page with no cursor, window or filter named none of
// ten it carried: 17–19 µs a statement, docs/benchmarks.md). params itself is left
// as it is: statements may share it.
func named(cypher string, params map[string]any) map[string]any {
	names := paramNamesOf(cypher)
	unused := 0
	for k := range params {
		if !names[k] {
			unused++
		}
	}
	if unused == 0 {
		return params
	}
	out := make(map[string]any, len(params)-unused)
	for k, v := range params {
		if names[k] {
			out[k] = v
		}
	}
	return out
}

// paramRef is a parameter in Cypher: $name or $`name`.
var paramRef = regexp.MustCompile("\\$(?:([\\p{L}_][\\p{L}\\p{N}_]*)|`([^`]+)`)")

// paramNames caches the parameters each statement text names, for the first
// maxParamTexts texts (the statements are built from a bounded set of shapes;
// past the cap a text's names are found again each time).
var (
	paramNames      sync.Map // cypher → map[string]bool
	paramNamesCount atomic.Int64
)

const maxParamTexts = 4096

func paramNamesOf(cypher string) map[string]bool {
	if v, ok := paramNames.Load(cypher); ok {
		return v.(map[string]bool)
	}
	names := map[string]bool{}
	for _, m := range paramRef.FindAllStringSubmatch(cypher, -1) {
		names[m[1]+m[2]] = true
	}
	if paramNamesCount.Load() < maxParamTexts {
		if _, loaded := paramNames.LoadOrStore(cypher, names); !loaded {
			paramNamesCount.Add(1)
		}
	}
	return names
}

// autoCommit runs one read-only statement as an auto-commit transaction: RUN and
// PULL in one round trip, where a managed transaction (ExecuteQuery) adds BEGIN and
// COMMIT, 120–170 µs a request (docs/benchmarks.md). Nothing else changes: the
// transaction timeout (txConfig, from the request's deadline) goes with the RUN,
// the context bounds the wait for a connection and every read, the bookmarks are
// ExecuteQuery's, so reads stay causally chained as before, and the driver retried
// nothing here before either (the API turns its retries off; Store.run retries
// once, and the loaders retry what stays transient).
func (s *Store) autoCommit(ctx context.Context, st statement, txConfig []func(*neo4j.TransactionConfig)) ([][]*neo4j.Record, error) {
	session := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.db, AccessMode: neo4j.AccessModeRead,
		BookmarkManager: s.driver.ExecuteQueryBookmarkManager()})
	// The records are all read: closing returns the connection to the pool and has
	// nothing to report that the read did not (the writes below do the same).
	defer session.Close(ctx)
	res, err := session.Run(ctx, st.cypher, st.params, txConfig...)
	if err != nil {
		return nil, err
	}
	records, err := res.Collect(ctx)
	if err != nil {
		return nil, err
	}
	if st.check != nil {
		if err := st.check(records); err != nil {
			return nil, err
		}
	}
	return [][]*neo4j.Record{records}, nil
}

// retryable reports whether err may go away when the work runs again: lost
// connections, an exhausted pool, deadlocks and the other errors Neo4j classifies
// as transient, also when the driver has already given up retrying them. It is the
// one classification: Store.run retries on it, and wrapErr reports it as a
// transient SERVICE_UNAVAILABLE, which a loader retries for longer.
func retryable(err error) bool {
	for e := err; e != nil; e = errors.Unwrap(e) {
		if neo4j.IsRetryable(e) {
			return true
		}
		var limit *neo4j.TransactionExecutionLimit
		if errors.As(e, &limit) && len(limit.Errors) > 0 {
			return retryable(limit.Errors[len(limit.Errors)-1])
		}
		var conn *neo4j.ConnectivityError
		if errors.As(e, &conn) {
			return true
		}
		if joined, ok := e.(interface{ Unwrap() []error }); ok {
			for _, je := range joined.Unwrap() {
				if retryable(je) {
					return true
				}
			}
			return false
		}
	}
	return false
}

// Ping returns nil while the database answers a trivial query.
func (s *Store) Ping(ctx context.Context) error {
	_, err := s.read(ctx, "RETURN 1", nil)
	return err
}

// Stats returns node counts by kind and relationship counts by type, from Neo4j's
// count store (constant time, no scan).
func (s *Store) Stats(ctx context.Context) (*model.GraphStats, error) {
	stats := &model.GraphStats{}
	for _, k := range model.Kinds {
		stats.NodesByKind = append(stats.NodesByKind, model.KindCount{Kind: string(k)})
	}
	res, err := s.read(ctx, statsCypher, nil)
	if err != nil {
		return nil, err
	}
	nodes := map[string]int{}
	for _, rec := range res.Records {
		what, err := get[string](rec, "what")
		if err != nil {
			return nil, decodeErr(err)
		}
		name, err := get[string](rec, "name")
		if err != nil {
			return nil, decodeErr(err)
		}
		c, err := get[int64](rec, "c")
		if err != nil {
			return nil, decodeErr(err)
		}
		if what == "node" {
			nodes[name] = int(c)
		} else if c > 0 {
			stats.RelationshipsByType = append(stats.RelationshipsByType, model.TypeCount{Type: name, Count: int(c)})
		}
	}
	for i := range stats.NodesByKind {
		stats.NodesByKind[i].Count = nodes[stats.NodesByKind[i].Kind]
	}
	return stats, nil
}

// statsCypher counts each label and relationship type of the closed vocabulary in one
// round trip. Each branch names a literal label or type, which Neo4j answers from its
// count store in constant time; the names come from graph/model, never from input.
var statsCypher = func() string {
	var parts []string
	for _, k := range model.Kinds {
		parts = append(parts, fmt.Sprintf("MATCH (n:%s) RETURN 'node' AS what, '%s' AS name, count(n) AS c", k, k))
	}
	for _, t := range append(model.RelTypeNames(), model.MentionsType) {
		parts = append(parts, fmt.Sprintf("MATCH ()-[r:%s]->() RETURN 'rel' AS what, '%s' AS name, count(r) AS c", t, t))
	}
	return strings.Join(parts, "\nUNION ALL\n")
}()

// wrapErr maps driver errors onto the API's error vocabulary, keeping the driver's
// error as the (logged, never shown) cause.
func wrapErr(err error) error {
	var n4j *neo4j.Neo4jError
	var ge *graph.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ge) && !errors.Is(err, context.DeadlineExceeded):
		return err // already in the API's vocabulary (a failed check, a decoding failure)
	case errors.Is(err, context.DeadlineExceeded):
		return &graph.Error{Code: graph.ETIMEOUT, Message: "the request took longer than its time budget", Cause: err}
	case errors.Is(err, context.Canceled):
		return &graph.Error{Code: graph.ETIMEOUT, Message: "the request was cancelled", Cause: err}
	case errors.As(err, &n4j) && (n4j.Code == "Neo.ClientError.Transaction.TransactionTimedOut" ||
		n4j.Code == "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration"):
		return &graph.Error{Code: graph.ETIMEOUT, Message: "the query took longer than its time budget", Cause: err}
	case errors.As(err, &n4j) && !retryable(err):
		return &graph.Error{Code: graph.EINTERNAL, Message: "database error", Cause: err}
	case retryable(err):
		return &graph.Error{Code: graph.EUNAVAILABLE, Message: "the graph database is unavailable", Cause: err, Transient: true}
	default:
		// An exhausted retry budget, and anything else that is not a server error:
		// the database cannot be used right now, and trying again at once will not
		// change that.
		return &graph.Error{Code: graph.EUNAVAILABLE, Message: "the graph database is unavailable", Cause: err}
	}
}

// WarmUp runs the traversal statements in the shapes the API sends most (a
// neighbourhood of depth 1 to 3 and a path query with the default arguments,
// reading no evidence text or attribution, and the depth-1 neighbourhood and the
// path query reading both, as the console asks), the provenance read for an
// entity that does not exist, the graph's counts, and the batch writer's statements in a
// transaction that is rolled back, so that Neo4j plans and caches them before a
// user waits for it: planning them took seconds on a freshly started Neo4j (the
// relationship writer, one branch per type, 21 s cold against 14 ms cached under
// load ~13). Each finds nothing or is undone; the first error ends the warm-up.
func (s *Store) WarmUp(ctx context.Context) error {
	const none = "warm-up:none"
	all := graph.RelSelect{Texts: true, Attribution: true}
	for depth := 1; depth <= graph.MaxDepth; depth++ {
		q := graph.NeighborhoodQuery{ID: none, Depth: depth, LimitPerType: graph.DefaultLimitPerType, MaxNodes: graph.DefaultMaxNodes}
		sels := []graph.RelSelect{{}}
		if depth == 1 {
			sels = append(sels, all)
		}
		for _, q.Select = range sels {
			if _, err := s.Neighborhood(ctx, q); err != nil && graph.ErrorCode(err) != graph.ENOTFOUND {
				return err
			}
		}
	}
	for _, sel := range []graph.RelSelect{{}, all} {
		q := graph.PathQuery{From: none, To: none + "2", MaxLength: graph.DefaultPathLength, Candidates: graph.PathCandidates(graph.DefaultPaths), Select: sel}
		if _, err := s.Paths(ctx, q); err != nil {
			return err
		}
	}
	// The provenance that a card and each hop of a path show: one branch per
	// relationship type, so it too takes seconds to plan on a fresh Neo4j (a first
	// paths request with provenance ran past the 10 s budget under load ~20).
	if _, err := s.Provenance(ctx, []string{none, "rel:" + none}); err != nil {
		return err
	}
	// The counts (the console's first request, and /readyz's callers' check): one
	// branch per label and type, planned cold in 2.5 s at load ~12 after the rest
	// of the warm-up (TestNeo4jStoppedWhileServing's first request).
	if _, err := s.Stats(ctx); err != nil {
		return err
	}
	return s.warmUpWriter(ctx)
}

// errWarmedUp rolls WarmUpWriter's transaction back.
var errWarmedUp = errors.New("warm-up: rolled back")

// WarmUpWriter writes a batch holding each kind of record (a document, two
// entities, a relationship quoting the document, its mentions) twice in one
// transaction, which it then rolls back: the first write creates every record,
// the second finds them (the statements that write what exists, such as the
// entities' combination with stored claims, run only then). Nothing is written,
// and the plans stay cached. A bulk load runs it beside its first batches.
func (s *Store) WarmUpWriter(ctx context.Context) error {
	return s.warmUpWriter(graph.WithTrace(ctx, nil)) // not the caller's work: its explain trace leaves it out
}

// warmUpWriter is WarmUpWriter within WarmUp, whose trace (when one is asked
// for) shows the writer's statements with the rest.
func (s *Store) warmUpWriter(ctx context.Context) error {
	text := "Warm-up A met warm-up B."
	b := model.Batch{
		Source: model.Source{ID: "warm-up", By: "tradegraph"},
		Documents: []model.DocumentRecord{{ID: "doc:warm-up", Type: "article", Title: "Warm-up", Date: "2025-01-01",
			Text: text, Sentences: model.SplitSentences(text)}},
		Entities: []model.EntityRecord{
			{ID: "actor:warm-up-a", Kind: string(model.KindActor), Type: "COUNTRY", Name: "Warm-up A"},
			{ID: "meeting:warm-up-b", Kind: string(model.KindMeeting), Type: "SUMMIT", Name: "Warm-up B", Start: "2025-01-01"},
		},
		Relationships: []model.RelationshipRecord{{Type: "PARTICIPATED_IN", From: "actor:warm-up-a", To: "meeting:warm-up-b",
			Evidence: []model.Evidence{{Doc: "doc:warm-up", Sentence: 1, Quote: "Warm-up A met"}}}},
		Mentions: []model.DocumentMentions{{Doc: "doc:warm-up", Entities: map[string][]int{"actor:warm-up-a": {1}}}},
	}
	var ps [2]*preparedBatch
	for i := range ps {
		prepared, err := s.Prepare(b)
		if err != nil {
			return err
		}
		ps[i] = prepared.(*preparedBatch)
	}
	n := len(ps[0].stmts)
	stmts := append(slices.Clone(ps[0].stmts), after(n, ps[1].stmts)...)
	stmts = append(stmts, statement{build: func(prev [][]*neo4j.Record) (*statement, error) {
		// Every counted statement must have written its rows in one of the two
		// writes: a warm-up that planned a statement but skipped its work would
		// leave the work's plans cold.
		for i, key := range ps[0].keys {
			if key == "" {
				continue
			}
			if len(prev[i]) == 0 && len(prev[n+i]) == 0 {
				return nil, fmt.Errorf("warm-up: the %s statement %d wrote nothing", key, i)
			}
			for _, recs := range [][]*neo4j.Record{prev[i], prev[n+i]} {
				if _, err := tally(key, recs, -1); err != nil {
					return nil, fmt.Errorf("warm-up: the %s statement %d: %w", key, i, err)
				}
			}
		}
		return nil, errWarmedUp
	}})
	if _, err := s.run(ctx, true, stmts); !errors.Is(err, errWarmedUp) {
		return fmt.Errorf("warm up the writer: %w", err)
	}
	return nil
}

// after returns stmts to run after n other statements in one transaction: each
// build sees the records of stmts' own statements only, as when they run alone.
func after(n int, stmts []statement) []statement {
	out := slices.Clone(stmts)
	for i := range out {
		if build := out[i].build; build != nil {
			out[i].build = func(prev [][]*neo4j.Record) (*statement, error) { return build(prev[n:]) }
		}
	}
	return out
}
