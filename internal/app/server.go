// Package app is the tradegraph program behind cmd main (the repository root's
// server.go): Run dispatches the commands. This file holds Run, the serve command
// and the Neo4j settings that serve and load share; load.go, gen.go, merge.go,
// suspects.go and draft.go hold the other commands, cli.go their shared flag
// conventions, and inflight.go, origins.go, slowclient.go and metrics.go the HTTP
// server's protections. Only these command files read flags and the environment;
// server.go wires every part. The *_test.go files beside them are the system
// tests: the commands and the server run end to end against a real Neo4j and,
// for the console, a real Chromium.
package app

import (
	"bytes"
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
	"slices"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"tradegraph/graph"
	"tradegraph/graph/neo4jstore"
	"tradegraph/web"
)

// version is set at build time with
// -ldflags "-X tradegraph/internal/app.version=...".
var version = "dev"

// Run runs the command named in args[1:] (args is os.Args) with the environment
// getenv, writing to stdout; ctx ends it (serve drains and stops). A bad command
// line is an error for which ExitCode returns 2.
func Run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	return run(ctx, args, getenv, stdout)
}

// ExitCode is the process exit status for Run's error: 0, 2 for a bad command
// line, 1 for any other failure.
func ExitCode(err error) int {
	var u usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &u):
		return 2
	default:
		return 1
	}
}

const usage = `usage: tradegraph <command> [flags]

commands:
  serve            serve the GraphQL API and the console
  load FILE...     validate and load curated YAML/JSON files, articles, CSV or JSON Lines
  import FILE...   initial load of an empty database with Neo4j's offline importer
  draft ARTICLE    propose an article's entities and relationships as a curated YAML dataset
  gen              generate a deterministic test graph (CSV or JSON Lines)
  merge FROM INTO  merge a duplicate entity into another (admin; recorded in the audit log)
  suspects         list likely duplicate entities, best first
  token NAME ROLE  make a secret token and its line for TRADEGRAPH_TOKENS_FILE
  version          print the version

Run "tradegraph <command> -h" for the flags of a command.`

// run is the whole program; main only handles signals and exit codes.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) < 2 {
		return usageError{fmt.Errorf("name a command\n%s", usage)}
	}
	switch cmd, rest := args[1], args[2:]; cmd {
	case "serve":
		return runServe(ctx, rest, getenv, stdout)
	case "load":
		return runLoad(ctx, rest, getenv, stdout)
	case "import":
		return runImport(ctx, rest, getenv, stdout)
	case "draft":
		return runDraft(ctx, rest, getenv, stdout)
	case "gen":
		return runGen(ctx, rest, getenv, stdout)
	case "merge":
		return runMerge(ctx, rest, getenv, stdout)
	case "suspects":
		return runSuspects(ctx, rest, getenv, stdout)
	case "token":
		return runToken(rest, stdout)
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
	driver, err := n.dial(ctx, log, retry)
	if err != nil {
		return nil, err
	}
	if err := neo4jstore.Migrate(ctx, driver, n.database); err != nil {
		return nil, errors.Join(err, driver.Close(ctx))
	}
	return driver, nil
}

// dial returns a driver that has answered, and migrates nothing: the import
// applies the migrations itself (step by step, timed) to the store it brought in.
func (n *neo4jFlags) dial(ctx context.Context, log *slog.Logger, retry time.Duration) (neo4j.DriverWithContext, error) {
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
	return driver, nil
}

// openStore connects (see connect) and returns a store that logs to stdout, and
// the function that closes its driver.
func (n *neo4jFlags) openStore(ctx context.Context, stdout io.Writer, retry time.Duration) (*neo4jstore.Store, func(), error) {
	log := slog.New(slog.NewTextHandler(stdout, nil))
	d, err := n.connect(ctx, log, retry)
	if err != nil {
		return nil, nil, err
	}
	return neo4jstore.New(d, n.database, log), func() { d.Close(context.Background()) }, nil
}

func runServe(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := newFlagSet("serve", "[flags]", "Serves the GraphQL API on /graphql, the console on /, /healthz, /readyz and /metrics.", stdout)
	var nf neo4jFlags
	nf.register(fs, getenv)
	addr := fs.String("addr", envOr(getenv, "TRADEGRAPH_ADDR", "127.0.0.1:8080"), "listen address; the default reaches this machine only, \":8080\" every interface [TRADEGRAPH_ADDR]")
	origins := fs.String("cors-origins", getenv("TRADEGRAPH_CORS_ORIGINS"), "comma-separated origins allowed by CORS; empty allows none, \"*\" every origin [TRADEGRAPH_CORS_ORIGINS]")
	hosts := fs.String("allowed-hosts", getenv("TRADEGRAPH_ALLOWED_HOSTS"), "comma-separated host names the server answers besides localhost, the listen address and IP addresses (against DNS rebinding); \"*\" turns the check off [TRADEGRAPH_ALLOWED_HOSTS]")
	introspection := fs.Bool("introspection", getenv("TRADEGRAPH_INTROSPECTION") != "off", "allow schema introspection (GraphiQL needs it) [TRADEGRAPH_INTROSPECTION=off disables]")
	timeout := fs.Duration("timeout", 10*time.Second, "time budget of one GraphQL request")
	maxBody := fs.Int64("max-body", 64<<10, "largest accepted request body, in bytes")
	token := fs.String("api-token", getenv("TRADEGRAPH_API_TOKEN"), "bearer token that enables mutations, as one editor token named api-token [TRADEGRAPH_API_TOKEN]")
	tokensFile := fs.String("tokens-file", getenv("TRADEGRAPH_TOKENS_FILE"), "file of named tokens with roles (NAME reader|editor|admin sha256:HEX per line; `tradegraph token` makes one) [TRADEGRAPH_TOKENS_FILE]")
	readAuth := fs.String("read-auth", envOr(getenv, "TRADEGRAPH_READ_AUTH", "off"), "\"required\": every request, queries included, needs a valid token [TRADEGRAPH_READ_AUTH]")
	explain := fs.Bool("explain", getenv("TRADEGRAPH_EXPLAIN") == "1", "add each query's Cypher, parameters and time to extensions.cypher (development only) [TRADEGRAPH_EXPLAIN=1]")
	maxComplexity := fs.Int("max-complexity", 5000, "largest accepted operation complexity")
	maxInFlight := fs.Int("max-inflight", 32, "GraphQL requests served at once; more wait up to --queue-wait, then get 503 (0: no limit)")
	queueWait := fs.Duration("queue-wait", 500*time.Millisecond, "how long a request waits for one of --max-inflight slots before 503")
	headerTimeout := fs.Duration("header-timeout", 5*time.Second, "longest time a client may take to send a request's headers")
	bodyTimeout := fs.Duration("body-timeout", 10*time.Second, "longest time a client may take to send a request's body (read whole before the request takes an in-flight slot)")
	maxConns := fs.Int("max-conns-per-client", 64, "connections one client address may hold at once; more are answered 429 (0: no cap; behind a load balancer every client has its address)")
	fs.IntVar(&nf.maxPool, "neo4j-max-pool", 100, "Neo4j connections at most (one request may use a few at once)")
	fs.DurationVar(&nf.acquireTimeout, "neo4j-acquire-timeout", time.Second, "longest wait for a Neo4j connection before SERVICE_UNAVAILABLE")
	if done, err := parseFlags(fs, args); done {
		return err
	}
	log := slog.New(slog.NewJSONHandler(stdout, nil))
	if *readAuth != "off" && *readAuth != "required" {
		return usageError{fmt.Errorf("--read-auth (TRADEGRAPH_READ_AUTH): want \"required\" or \"off\", got %q", *readAuth)}
	}
	tokens, err := loadTokens(*tokensFile)
	if err != nil {
		return err
	}
	if *readAuth == "required" && tokens.Len() == 0 && *token == "" {
		return usageError{errors.New("TRADEGRAPH_READ_AUTH=required needs tokens: set TRADEGRAPH_TOKENS_FILE or TRADEGRAPH_API_TOKEN")}
	}

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
			Tokens: tokens, ReadAuth: *readAuth == "required",
			MaxComplexity: *maxComplexity, Reviews: &reviews{store: store},
		}),
		origins:     splitList(*origins),
		hosts:       newHostAllowList(*addr, splitList(*hosts)),
		maxBody:     *maxBody,
		maxInFlight: *maxInFlight,
		queueWait:   *queueWait,
		bodyTimeout: *bodyTimeout,
	})

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	ln = limitConnsPerClient(ln, *maxConns)
	srv := newHTTPServer(h, httpLimits{headerTimeout: *headerTimeout, bodyTimeout: *bodyTimeout,
		writeTimeout: *timeout + 5*time.Second,
		// A GET carries its query in the URL: hold headers to the body's budget.
		maxHeaderBytes: int(max(*maxBody, 16<<10)) + 8<<10})
	log.Info("listening", "addr", ln.Addr().String(), "url", "http://"+ln.Addr().String(), "neo4j", nf.uri)
	warnOpenings(log, *addr, *readAuth == "required", splitList(*origins), splitList(*hosts))
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

// warnOpenings logs each setting that opens the server beyond this machine's own
// browser sessions, so an operator sees what they chose.
func warnOpenings(log *slog.Logger, addr string, readAuth bool, origins, hosts []string) {
	if !isLoopback(addr) && !readAuth {
		log.Warn("listening beyond loopback: every machine that reaches this address can read the graph without a token",
			"addr", addr, "hint", "TRADEGRAPH_ADDR=127.0.0.1:8080 keeps it on this machine")
	}
	if slices.Contains(origins, "*") {
		log.Warn("CORS allows every origin (TRADEGRAPH_CORS_ORIGINS=*): any web page a user opens can read the graph")
	}
	if slices.Contains(hosts, "*") {
		log.Warn("the Host check is off (TRADEGRAPH_ALLOWED_HOSTS=*): DNS rebinding can reach the API from any web page")
	}
}

// loadTokens reads the tokens file, if one is named.
func loadTokens(path string) (*graph.Tokens, error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("tokens file (TRADEGRAPH_TOKENS_FILE): %w", err)
	}
	defer f.Close()
	return graph.ParseTokens(f, path)
}

// runToken prints a new secret and the tokens-file line that holds its digest.
func runToken(args []string, stdout io.Writer) error {
	const help = "usage: tradegraph token NAME ROLE   (ROLE: reader, editor or admin)"
	if len(args) == 1 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
		fmt.Fprintln(stdout, help)
		return nil
	}
	if len(args) != 2 {
		return usageError{errors.New(help)}
	}
	role, ok := graph.ParseRole(args[1])
	if !ok {
		return usageError{fmt.Errorf("unknown role %q\n%s", args[1], help)}
	}
	if strings.ContainsFunc(args[0], func(r rune) bool { return r <= ' ' || r == '#' }) {
		return usageError{fmt.Errorf("token name %q: no spaces or #", args[0])}
	}
	secret, line := graph.NewToken(args[0], role)
	fmt.Fprintf(stdout, "secret (give it to %s; it is not stored anywhere): %s\nline for TRADEGRAPH_TOKENS_FILE:\n%s\n", args[0], secret, line)
	return nil
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
	// hosts are the Host headers answered (the zero value: localhost and IP addresses).
	hosts   hostAllowList
	maxBody int64
	// maxInFlight caps concurrent GraphQL requests (0: no cap); a request waits up to
	// queueWait for a slot.
	maxInFlight int
	queueWait   time.Duration
	// bodyTimeout bounds the reading of a /graphql body (0: the server's ReadTimeout only).
	bodyTimeout time.Duration
	// warm is closed once the store's warm-up has ended (nil: nothing to wait for).
	warm <-chan struct{}
}

// newServer builds every route in one place.
func newServer(d serverDeps) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/graphql", withCORS(d.origins, limitBody(d.maxBody, d.bodyTimeout, limitInFlight(d.maxInFlight, d.queueWait, withBearer(d.graphql)))))
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
	if d.hosts.names == nil && !d.hosts.any {
		d.hosts = newHostAllowList("", nil)
	}
	return withRequestID(d.log, checkHost(d.log, d.hosts, mux))
}

// limitBody refuses bodies larger than n bytes, and reads the body whole (within
// timeout) before passing the request on: a slow client then holds a goroutine and
// a connection, never one of the in-flight slots that come after.
func limitBody(n int64, timeout time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, status, msg := readBody(w, r, n, timeout)
		if status != 0 {
			code := graph.EBADREQUEST
			if status == http.StatusRequestEntityTooLarge {
				code = graph.EBUDGET
			}
			if status == http.StatusRequestTimeout {
				w.Header().Set("Connection", "close")
			}
			graph.WriteError(w, status, code, msg, requestIDFrom(r.Context()))
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, r)
	})
}

// withBearer passes the request's bearer token to the GraphQL layer, which alone
// decides what needs it.
func withBearer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The scheme is case-insensitive (RFC 9110, section 11.1).
		if scheme, tok, ok := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " "); ok && strings.EqualFold(scheme, "Bearer") {
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

// Unwrap lets http.ResponseController reach the connection (limitBody's read deadline).
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

func (s *statusWriter) Flush() {
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
