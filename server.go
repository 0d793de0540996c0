// Command tradegraph serves a knowledge graph of trade and geopolitics (actors,
// meetings, commodities, policies and the evidence behind every link) over GraphQL,
// and loads it into Neo4j from curated files, CSV and articles.
//
//	tradegraph serve            serve /graphql, the console, /healthz and /readyz
//	tradegraph load FILE...     validate and load curated YAML/JSON or articles
//	tradegraph version          print the version
//
// This is the only file that reads flags and the environment; it wires every part.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/rs/cors"

	"tradegraph/graph"
	"tradegraph/graph/neo4jstore"
	"tradegraph/web"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args, os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "tradegraph:", err)
		var u usageError
		if errors.As(err, &u) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// usageError marks a bad command line (exit code 2).
type usageError struct{ error }

const usage = `usage: tradegraph <command> [flags]

commands:
  serve            serve the GraphQL API and the console
  load FILE...     validate and load curated YAML/JSON files, articles, CSV or JSON Lines
  draft ARTICLE    propose an article's entities and relationships as a curated YAML dataset
  gen              generate a deterministic test graph (CSV or JSON Lines)
  version          print the version

Run "tradegraph <command> -h" for the flags of a command.`

// run is the whole program; main only handles signals and exit codes.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) < 2 {
		return usageError{errors.New(usage)}
	}
	switch cmd, rest := args[1], args[2:]; cmd {
	case "serve":
		return runServe(ctx, rest, getenv, stdout)
	case "load":
		return runLoad(ctx, rest, getenv, stdout)
	case "draft":
		return runDraft(ctx, rest, getenv, stdout)
	case "gen":
		return runGen(ctx, rest, getenv, stdout)
	case "version":
		fmt.Fprintln(stdout, "tradegraph", version)
		return nil
	case "-h", "-help", "--help", "help":
		fmt.Fprintln(stdout, usage)
		return nil
	default:
		return usageError{fmt.Errorf("unknown command %q\n%s", cmd, usage)}
	}
}

// neo4jFlags are the connection settings shared by serve and load.
type neo4jFlags struct {
	uri, user, password, database string
	wait                          time.Duration
	// maxPool and acquireTimeout are serve's (0: the driver's defaults).
	maxPool        int
	acquireTimeout time.Duration
}

func (n *neo4jFlags) register(fs *flag.FlagSet, getenv func(string) string) {
	fs.StringVar(&n.uri, "neo4j-uri", envOr(getenv, "NEO4J_URI", "bolt://127.0.0.1:7687"), "Neo4j URI: bolt://, bolt+s://, neo4j:// or neo4j+s:// [NEO4J_URI]")
	fs.StringVar(&n.user, "neo4j-user", envOr(getenv, "NEO4J_USER", "neo4j"), "Neo4j user [NEO4J_USER]")
	fs.StringVar(&n.password, "neo4j-password", getenv("NEO4J_PASSWORD"), "Neo4j password; empty means no auth [NEO4J_PASSWORD]")
	fs.StringVar(&n.database, "neo4j-database", envOr(getenv, "NEO4J_DATABASE", "neo4j"), "Neo4j database [NEO4J_DATABASE]")
	fs.DurationVar(&n.wait, "neo4j-wait", 60*time.Second, "how long to wait for Neo4j at start")
}

// connect returns a driver that has answered, with the schema migrations applied.
// retry bounds the driver's retries of transient failures.
func (n *neo4jFlags) connect(ctx context.Context, log *slog.Logger, retry time.Duration) (neo4j.DriverWithContext, error) {
	driver, err := neo4jstore.NewDriver(neo4jstore.Config{URI: n.uri, User: n.user, Password: n.password, Database: n.database,
		MaxRetryTime: retry, MaxPoolSize: n.maxPool, AcquireTimeout: n.acquireTimeout})
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(n.wait)
	for {
		err = driver.VerifyConnectivity(ctx)
		if err == nil || time.Now().After(deadline) || ctx.Err() != nil {
			break
		}
		log.Info("waiting for neo4j", "uri", n.uri, "err", err)
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
	if err != nil {
		return nil, errors.Join(fmt.Errorf("neo4j at %s does not answer (is it running? try `make neo4j`): %w", n.uri, err), driver.Close(ctx))
	}
	if err := neo4jstore.Migrate(ctx, driver, n.database); err != nil {
		return nil, errors.Join(err, driver.Close(ctx))
	}
	return driver, nil
}

func envOr(getenv func(string) string, key, fallback string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return fallback
}

func runServe(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stdout)
	var nf neo4jFlags
	nf.register(fs, getenv)
	addr := fs.String("addr", envOr(getenv, "TRADEGRAPH_ADDR", ":8080"), "listen address [TRADEGRAPH_ADDR]")
	origins := fs.String("cors-origins", getenv("TRADEGRAPH_CORS_ORIGINS"), "comma-separated origins allowed by CORS; empty allows none [TRADEGRAPH_CORS_ORIGINS]")
	introspection := fs.Bool("introspection", getenv("TRADEGRAPH_INTROSPECTION") != "off", "allow schema introspection (GraphiQL needs it) [TRADEGRAPH_INTROSPECTION=off disables]")
	timeout := fs.Duration("timeout", 10*time.Second, "time budget of one GraphQL request")
	maxBody := fs.Int64("max-body", 64<<10, "largest accepted request body, in bytes")
	token := fs.String("api-token", getenv("TRADEGRAPH_API_TOKEN"), "bearer token that enables mutations; empty disables them [TRADEGRAPH_API_TOKEN]")
	explain := fs.Bool("explain", getenv("TRADEGRAPH_EXPLAIN") == "1", "add each query's Cypher, parameters and time to extensions.cypher (development only) [TRADEGRAPH_EXPLAIN=1]")
	maxComplexity := fs.Int("max-complexity", 5000, "largest accepted operation complexity")
	maxInFlight := fs.Int("max-inflight", 32, "GraphQL requests served at once; more wait up to --queue-wait, then get 503 (0: no limit)")
	queueWait := fs.Duration("queue-wait", 500*time.Millisecond, "how long a request waits for one of --max-inflight slots before 503")
	fs.IntVar(&nf.maxPool, "neo4j-max-pool", 100, "Neo4j connections at most (one request may use a few at once)")
	fs.DurationVar(&nf.acquireTimeout, "neo4j-acquire-timeout", time.Second, "longest wait for a Neo4j connection before SERVICE_UNAVAILABLE")
	if err := fs.Parse(args); err != nil {
		return usageError{err}
	}
	log := slog.New(slog.NewJSONHandler(stdout, nil))

	// No driver retries (they sleep a second first): a stopped Neo4j is reported at
	// once; the store retries a dead connection once by itself.
	driver, err := nf.connect(ctx, log, -1)
	if err != nil {
		return err
	}
	defer driver.Close(context.Background())
	store := neo4jstore.New(driver, nf.database, log)
	// Neo4j plans the traversal statements before the first user waits for them
	// (seconds on a freshly started Neo4j with a big graph); /readyz answers
	// "warming up" until it is done.
	warm := make(chan struct{})
	go func() {
		defer close(warm)
		wctx, cancel := context.WithTimeout(ctx, *timeout)
		defer cancel()
		start := time.Now()
		if err := store.WarmUp(wctx); err != nil {
			log.Warn("warm-up failed", "err", err)
			return
		}
		log.Info("warmed up", "ms", time.Since(start).Milliseconds())
	}()

	h := newServer(serverDeps{
		log:   log,
		store: store,
		warm:  warm,
		graphql: graph.NewHandler(graph.Options{
			Store: store, Version: version, Logger: log, Introspection: *introspection,
			Timeout: *timeout, RequestID: requestIDFrom, APIToken: *token, Explain: *explain,
			MaxComplexity: *maxComplexity,
		}),
		origins:     splitList(*origins),
		maxBody:     *maxBody,
		maxInFlight: *maxInFlight,
		queueWait:   *queueWait,
	})

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
		WriteTimeout: *timeout + 5*time.Second, IdleTimeout: time.Minute,
		// A GET carries its query in the URL: hold headers to the body's budget.
		MaxHeaderBytes: int(max(*maxBody, 16<<10)) + 8<<10}
	log.Info("listening", "addr", ln.Addr().String(), "url", "http://"+ln.Addr().String(), "neo4j", nf.uri)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: draining requests in flight")
	// In-flight requests finish within their own time budget; new ones are refused.
	shutdownCtx, cancel := context.WithTimeout(context.Background(), *timeout+5*time.Second)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// serverDeps are what the HTTP routes are built from.
type serverDeps struct {
	log     *slog.Logger
	store   graph.Store
	graphql http.Handler
	origins []string
	maxBody int64
	// maxInFlight caps concurrent GraphQL requests (0: no cap); a request waits up to
	// queueWait for a slot.
	maxInFlight int
	queueWait   time.Duration
	// warm is closed once the store's warm-up has ended (nil: nothing to wait for).
	warm <-chan struct{}
}

// newServer builds every route in one place.
func newServer(d serverDeps) http.Handler {
	mux := http.NewServeMux()
	c := cors.New(cors.Options{
		AllowedOrigins:   d.origins,
		AllowedMethods:   []string{http.MethodGet, http.MethodPost},
		AllowedHeaders:   []string{"Content-Type", "Authorization", "X-Request-Id"},
		AllowCredentials: false,
		MaxAge:           600,
	})
	mux.Handle("/graphql", c.Handler(limitBody(d.maxBody, limitInFlight(d.maxInFlight, d.queueWait, withBearer(d.graphql)))))
	mux.Handle("GET /metrics", metricsHandler())
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if d.warm != nil {
			select {
			case <-d.warm:
			default:
				http.Error(w, "warming up", http.StatusServiceUnavailable)
				return
			}
		}
		ctx, cancel := context.WithTimeout(r.Context(), 1500*time.Millisecond)
		defer cancel()
		if err := d.store.Ping(ctx); err != nil {
			d.log.WarnContext(ctx, "not ready", "err", err, "request_id", requestIDFrom(ctx))
			http.Error(w, "neo4j: unavailable", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "neo4j: up")
	})
	mux.Handle("/", web.Handler())
	return withRequestID(d.log, mux)
}

// limitBody refuses bodies larger than n bytes.
func limitBody(n int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > n {
			graph.WriteError(w, http.StatusRequestEntityTooLarge, graph.EBUDGET, fmt.Sprintf("request body larger than %d bytes", n), requestIDFrom(r.Context()))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, n)
		next.ServeHTTP(w, r)
	})
}

// withBearer passes the request's bearer token to the GraphQL layer, which alone
// decides what needs it.
func withBearer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			r = r.WithContext(graph.WithBearer(r.Context(), strings.TrimSpace(tok)))
		}
		next.ServeHTTP(w, r)
	})
}

type ctxKey int

const requestIDKey ctxKey = 0

func requestIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// withRequestID gives each request an id (the client's X-Request-Id when it is
// sane), echoes it in the response and logs one line per request.
func withRequestID(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if len(id) == 0 || len(id) > 64 || strings.ContainsFunc(id, func(c rune) bool { return c < 0x21 || c > 0x7e }) {
			var b [8]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		w.Header().Set("X-Request-Id", id)
		ctx := context.WithValue(r.Context(), requestIDKey, id)
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r.WithContext(ctx))
		countRequest(r.URL.Path, sw.status)
		log.InfoContext(ctx, "request", "request_id", id, "method", r.Method, "path", r.URL.Path,
			"status", sw.status, "ms", time.Since(start).Milliseconds())
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Flush() {
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
