package app

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"tradegraph/graph"
)

// hardened is what the hostile-input tests run against: newServer with the
// production budget (64 KiB bodies, depth 15, 30 aliases, complexity 5000) over a
// fakeStore that counts every call, so a test can prove no database work was done.
type hardened struct {
	URL   string
	store *fakeStore
	logs  *syncBuffer
}

type hardenedConfig struct {
	token       string
	tokens      *graph.Tokens
	readAuth    bool
	origins     []string
	maxInFlight int
	queueWait   time.Duration
	timeout     time.Duration
}

func newHardened(t *testing.T, store *fakeStore, c hardenedConfig) *hardened {
	t.Helper()
	if store == nil {
		store = &fakeStore{}
	}
	logs := &syncBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, nil))
	srv := httptest.NewServer(newServer(serverDeps{
		log: log, store: store, origins: c.origins, maxBody: 64 << 10,
		maxInFlight: c.maxInFlight, queueWait: c.queueWait,
		graphql: graph.NewHandler(graph.Options{Store: store, Logger: log, Introspection: true,
			RequestID: requestIDFrom, APIToken: c.token, Tokens: c.tokens, ReadAuth: c.readAuth, Timeout: c.timeout}),
	}))
	t.Cleanup(srv.Close)
	return &hardened{URL: srv.URL, store: store, logs: logs}
}

// reply is one HTTP answer of /graphql, decoded.
type reply struct {
	status  int
	header  http.Header
	body    []byte
	elapsed time.Duration
	Data    json.RawMessage `json:"data"`
	Errors  []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

func (r *reply) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

func do(t *testing.T, req *http.Request) *reply {
	t.Helper()
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	r := &reply{status: resp.StatusCode, header: resp.Header, body: body, elapsed: time.Since(start)}
	_ = json.Unmarshal(body, r) // a non-JSON body leaves Errors empty, which tests see
	return r
}

func postJSON(t *testing.T, base, query string, headers ...string) *reply {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"query": query})
	req, _ := http.NewRequest(http.MethodPost, base+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return do(t, req)
}

// leakPattern matches what an error body must never show: driver and database
// errors, Cypher, Go stack traces and file positions, internal addresses.
var leakPattern = regexp.MustCompile(`Neo4jError|Neo\.(Client|Transient|Database)Error|ConnectivityError|TransactionExecutionLimit|` +
	`\b(MATCH|MERGE|UNWIND|OPTIONAL MATCH|DETACH DELETE|RETURN|YIELD)\b|CALL db\.|` +
	`goroutine \d|panic:|runtime\.|\.go:\d|bolt://|neo4j://|dial tcp|127\.0\.0\.1:\d`)

// assertNoLeak fails when body shows any leakPattern text other than what the
// client itself sent (echoed input is the client's own).
func assertNoLeak(t *testing.T, body []byte, sent ...string) {
	t.Helper()
	s := string(body)
	for _, in := range sent {
		q, _ := json.Marshal(in) // as it appears inside a JSON string
		s = strings.ReplaceAll(s, strings.Trim(string(q), `"`), "")
		s = strings.ReplaceAll(s, in, "")
	}
	if m := leakPattern.FindString(s); m != "" {
		t.Errorf("response leaks %q: %.600s", m, body)
	}
}

func nested(levels int, open, close string) string {
	return strings.Repeat(open, levels) + strings.Repeat(close, levels)
}

func TestHostileGraphQLRefusedBeforeAnyDatabaseWork(t *testing.T) {
	srv := newHardened(t, nil, hardenedConfig{token: "secret-token"})

	var aliases strings.Builder
	aliases.WriteString("{")
	for i := 0; i < 31; i++ {
		fmt.Fprintf(&aliases, " a%d: version", i)
	}
	aliases.WriteString(" }")
	var bomb strings.Builder // each fragment spreads the previous twice: 2^40 fields
	bomb.WriteString("{ ...F40 } fragment F0 on Query { stats { nodesByKind { count } } }")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&bomb, " fragment F%d on Query { ...F%d ...F%d }", i, i-1, i-1)
	}
	relHop := `relationships(first: 1) { edges { node { to { ... on Actor { %s } } } } }`
	deepRels := "id"
	for i := 0; i < 5; i++ {
		deepRels = fmt.Sprintf(relHop, deepRels)
	}
	tests := []struct {
		name   string
		query  string
		status int
		code   string
	}{
		{"depth bomb", `{ entity(id: "actor:x") { ... on Actor { ` + deepRels + ` } } }`, 200, graph.EBUDGET},
		{"introspection depth bomb", "{ __schema { types { fields { type { " + strings.Repeat("ofType { ", 6) + "fields { type { " + strings.Repeat("ofType { ", 6) +
			"name " + strings.Repeat("} ", 6) + "} } " + strings.Repeat("} ", 6) + "} } } } }", 200, graph.EBUDGET},
		{"nesting past the token limit", "{ version " + nested(3000, "a { ", "} ") + "}", 422, "GRAPHQL_PARSE_FAILED"},
		{"alias flood", aliases.String(), 200, graph.EBUDGET},
		{"alias flood past the token limit", "{" + strings.Repeat(" v: version", 2000) + " }", 422, "GRAPHQL_PARSE_FAILED"},
		{"fragment cycle", `{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }`, 422, "GRAPHQL_VALIDATION_FAILED"},
		{"fragment bomb", bomb.String(), 200, graph.EBUDGET},
		{"huge first", `{ actors(first: 1000000) { totalCount } }`, 200, "COMPLEXITY_LIMIT_EXCEEDED"},
		{"huge first, cheap selection", `{ documents(first: 1000) { totalCount } }`, 200, graph.EINVALID},
		{"first past Int32", `{ actors(first: 99999999999) { totalCount } }`, 200, "COMPLEXITY_LIMIT_EXCEEDED"},
		{"negative first", `{ documents(first: -1) { totalCount } }`, 200, graph.EINVALID},
		{"huge nested first", `{ actors(first: 100) { edges { node { relationships(first: 100) { edges { node { id } } } } } } }`, 200, "COMPLEXITY_LIMIT_EXCEEDED"},
		{"deeply nested path", `{ paths(from: "a", to: "b", maxLength: 50) { paths { length } } }`, 200, graph.EINVALID},
		{"many paths", `{ paths(from: "a", to: "b", first: 1000) { paths { length } } }`, 200, "COMPLEXITY_LIMIT_EXCEEDED"},
		{"paths a little too many", `{ paths(from: "a", to: "b", first: 11, maxLength: 2) { paths { length } } }`, 200, graph.EINVALID},
		{"huge traversal", `{ neighborhood(id: "actor:x", depth: 3, limitPerType: 50, maxNodes: 100000) { nodes { id } } }`, 200, "COMPLEXITY_LIMIT_EXCEEDED"},
		{"node cap past its limit", `{ neighborhood(id: "actor:x", limitPerType: 1, maxNodes: 2001) { nodes { id } } }`, 200, graph.EINVALID},
		{"many large traversals", `{ a: neighborhood(id: "actor:x", depth: 3, limitPerType: 50, maxNodes: 2000) { nodes { id } }
			b: neighborhood(id: "actor:y", depth: 3, limitPerType: 50, maxNodes: 2000) { nodes { id } }
			c: neighborhood(id: "actor:z", depth: 3, limitPerType: 50, maxNodes: 2000) { nodes { id } } }`, 200, "COMPLEXITY_LIMIT_EXCEEDED"},
		{"deep traversal", `{ neighborhood(id: "actor:x", depth: 10) { nodes { id } } }`, 200, graph.EINVALID},
		{"deeper traversal than an int holds", `{ neighborhood(id: "actor:x", depth: 2000000000, limitPerType: 2000000000, maxNodes: 2000000000) { nodes { id } } }`, 200, "COMPLEXITY_LIMIT_EXCEEDED"},
		{"deep traversal, one per type", `{ neighborhood(id: "actor:x", depth: 4, limitPerType: 1) { nodes { id } } }`, 200, graph.EINVALID},
		{"search flood", `{ search(text: "x", first: 100000) { score } }`, 200, "COMPLEXITY_LIMIT_EXCEEDED"},
		{"search a little too many", `{ search(text: "x", first: 51) { score } }`, 200, graph.EINVALID},
		{"mutation without token", `mutation { deleteRelationship(id: "rel:x") }`, 200, graph.EUNAUTH},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := postJSON(t, srv.URL, tt.query)
			if r.status != tt.status || r.code() != tt.code {
				t.Errorf("got %d %s, want %d %s: %.300s", r.status, r.code(), tt.status, tt.code, r.body)
			}
			if r.elapsed > time.Second {
				t.Errorf("took %s: a refusal must be fast", r.elapsed)
			}
			assertNoLeak(t, r.body, tt.query)
		})
	}

	mutation := `mutation { upsertEntity(input: {id: "actor:csrf", kind: ACTOR, type: "PERSON", name: "CSRF"}) { id } }`
	form := url.Values{"query": {mutation}}.Encode()
	big := `{"query":"{ version }","pad":"` + strings.Repeat("x", 65<<10) + `"}`
	raw := []struct {
		name, method, contentType, body string
		chunked                         bool
		status                          int
		code                            string
	}{
		{"oversized body", "POST", "application/json", big, false, 413, graph.EBUDGET},
		{"oversized chunked body", "POST", "application/json", big, true, 413, graph.EBUDGET},
		{"batch array", "POST", "application/json", `[{"query":"{ version }"},{"query":"{ version }"}]`, false, 400, graph.EBADREQUEST},
		{"batch array after spaces", "POST", "application/json", "  \n[" + strings.Repeat(`{"query":"{ stats { nodesByKind { count } } }"},`, 50) + `{"query":"{ version }"}]`, false, 400, graph.EBADREQUEST},
		{"form-encoded mutation (CSRF)", "POST", "application/x-www-form-urlencoded", form, false, 415, graph.EBADREQUEST},
		{"text/plain mutation (CSRF)", "POST", "text/plain", `{"query":"` + strings.ReplaceAll(mutation, `"`, `\"`) + `"}`, false, 415, graph.EBADREQUEST},
		{"multipart mutation (CSRF)", "POST", "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"query\"\r\n\r\n" + mutation + "\r\n--x--\r\n", false, 415, graph.EBADREQUEST},
		{"no content type", "POST", "", `{"query":"` + strings.ReplaceAll(mutation, `"`, `\"`) + `"}`, false, 415, graph.EBADREQUEST},
		{"GET mutation", "GET", "", "", false, 405, graph.EBADREQUEST},
		{"PUT", "PUT", "application/json", `{"query":"{ version }"}`, false, 405, graph.EBADREQUEST},
		{"DELETE", "DELETE", "", "", false, 405, graph.EBADREQUEST},
		{"malformed JSON", "POST", "application/json", `{"query": "{ version }`, false, 400, graph.EBADREQUEST},
		{"empty body", "POST", "application/json", ``, false, 400, graph.EBADREQUEST},
		{"query not a string", "POST", "application/json", `{"query": {"a": 1}}`, false, 400, graph.EBADREQUEST},
		{"variables not an object", "POST", "application/json", `{"query": "{ version }", "variables": "x"}`, false, 400, graph.EBADREQUEST},
	}
	for _, tt := range raw {
		t.Run(tt.name, func(t *testing.T) {
			target := srv.URL + "/graphql"
			if tt.name == "GET mutation" {
				target += "?" + url.Values{"query": {mutation}}.Encode()
			}
			var body io.Reader = strings.NewReader(tt.body)
			if tt.chunked {
				body = io.MultiReader(body) // hides the length: sent chunked
			}
			req, _ := http.NewRequest(tt.method, target, body)
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			req.Header.Set("Authorization", "Bearer secret-token") // even with the token
			r := do(t, req)
			if r.status != tt.status || r.code() != tt.code {
				t.Errorf("got %d %s, want %d %s: %.300s", r.status, r.code(), tt.status, tt.code, r.body)
			}
			if tt.status == 405 && r.header.Get("Allow") == "" {
				t.Error("405 without an Allow header")
			}
			if r.elapsed > time.Second {
				t.Errorf("took %s: a refusal must be fast", r.elapsed)
			}
			assertNoLeak(t, r.body, mutation)
		})
	}
	if n := srv.store.calls.Load(); n != 0 {
		t.Errorf("refused requests made %d store calls, want 0", n)
	}
}

// syncBuffer is a bytes.Buffer that a logger and a test may use at once.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
