package app

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"tradegraph/graph"
	"tradegraph/graph/model"
)

const upsertActor = `mutation { upsertEntity(input: {id: "actor:jane-doe", kind: ACTOR, type: "PERSON", name: "Jane Doe"}) { id } }`

func TestMutationsNeedTheToken(t *testing.T) {
	tests := []struct {
		name, serverToken, auth, code string
		reachesStore                  bool
	}{
		{"no token configured", "", "Bearer anything", graph.EFORBIDDEN, false},
		{"no Authorization header", "s3cret-token", "", graph.EUNAUTH, false},
		{"wrong token", "s3cret-token", "Bearer s3cret-tokem", graph.EUNAUTH, false},
		{"token prefix", "s3cret-token", "Bearer s3cret", graph.EUNAUTH, false},
		{"token plus suffix", "s3cret-token", "Bearer s3cret-token2", graph.EUNAUTH, false},
		{"not a bearer scheme", "s3cret-token", "Basic s3cret-token", graph.EUNAUTH, false},
		{"empty bearer", "s3cret-token", "Bearer ", graph.EUNAUTH, false},
		{"right token", "s3cret-token", "Bearer s3cret-token", "", true},
		// The scheme is case-insensitive (RFC 9110, section 11.1).
		{"lower-case scheme", "s3cret-token", "bearer s3cret-token", "", true},
		{"upper-case scheme", "s3cret-token", "BEARER s3cret-token", "", true},
		{"lower-case scheme, wrong token", "s3cret-token", "bearer s3cret-tokem", graph.EUNAUTH, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newHardened(t, nil, hardenedConfig{token: tt.serverToken})
			var headers []string
			if tt.auth != "" {
				headers = []string{"Authorization", tt.auth}
			}
			r := postJSON(t, srv.URL, upsertActor, headers...)
			if r.code() != tt.code {
				t.Errorf("got %d %s, want code %q: %s", r.status, r.code(), tt.code, r.body)
			}
			if reached := srv.store.calls.Load() > 0; reached != tt.reachesStore {
				t.Errorf("store reached: %v, want %v", reached, tt.reachesStore)
			}
			if strings.Contains(string(r.body), "s3cret") {
				t.Errorf("the response shows the token: %s", r.body)
			}
		})
	}
}

func TestCORS(t *testing.T) {
	const allowed = "https://analyst.example"
	srv := newHardened(t, nil, hardenedConfig{origins: []string{allowed}})
	request := func(method, origin string, headers ...string) *http.Response {
		t.Helper()
		var body io.Reader
		if method == http.MethodPost {
			body = strings.NewReader(`{"query":"{ version }"}`)
		}
		req, _ := http.NewRequest(method, srv.URL+"/graphql", body)
		if method == http.MethodPost {
			req.Header.Set("Content-Type", "application/json")
		}
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	varyOrigin := func(resp *http.Response) bool {
		return strings.Contains(strings.Join(resp.Header.Values("Vary"), ","), "Origin")
	}

	t.Run("allowed origin", func(t *testing.T) {
		resp := request(http.MethodPost, allowed)
		if got := resp.Header.Get("Access-Control-Allow-Origin"); got != allowed || !varyOrigin(resp) {
			t.Errorf("got Allow-Origin %q, Vary %q; want %q and Vary: Origin", got, resp.Header.Values("Vary"), allowed)
		}
		if resp.Header.Get("Access-Control-Allow-Credentials") != "" {
			t.Error("credentials allowed: cookies must never ride cross-site requests")
		}
	})
	t.Run("foreign origin", func(t *testing.T) {
		resp := request(http.MethodPost, "https://evil.example")
		for k := range resp.Header {
			if strings.HasPrefix(k, "Access-Control-") {
				t.Errorf("a foreign origin got %s: %q", k, resp.Header.Get(k))
			}
		}
		if !varyOrigin(resp) {
			t.Error("no Vary: Origin: a cache could serve one origin's answer to another")
		}
	})
	t.Run("preflight with allowed headers", func(t *testing.T) {
		resp := request(http.MethodOptions, allowed, "Access-Control-Request-Method", "POST",
			"Access-Control-Request-Headers", "authorization,content-type") // as browsers send it: sorted, lowercase
		if resp.StatusCode/100 != 2 || resp.Header.Get("Access-Control-Allow-Origin") != allowed ||
			!strings.Contains(strings.ToLower(resp.Header.Get("Access-Control-Allow-Headers")), "authorization") {
			t.Errorf("got %d %v, want 2xx allowing POST with Authorization", resp.StatusCode, resp.Header)
		}
	})
	t.Run("preflight asking for a disallowed header", func(t *testing.T) {
		resp := request(http.MethodOptions, allowed, "Access-Control-Request-Method", "POST",
			"Access-Control-Request-Headers", "content-type,x-evil")
		if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "" {
			t.Errorf("preflight for X-Evil got Allow-Origin %q: the browser would send it", got)
		}
		if got := resp.Header.Get("Access-Control-Allow-Headers"); got != "" {
			t.Errorf("preflight for X-Evil got Allow-Headers %q", got)
		}
	})
	t.Run("preflight asking for a disallowed method", func(t *testing.T) {
		resp := request(http.MethodOptions, allowed, "Access-Control-Request-Method", "DELETE")
		if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "" {
			t.Errorf("preflight for DELETE got Allow-Origin %q", got)
		}
	})
	t.Run("preflight from a foreign origin", func(t *testing.T) {
		resp := request(http.MethodOptions, "https://evil.example", "Access-Control-Request-Method", "POST",
			"Access-Control-Request-Headers", "content-type")
		if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "" {
			t.Errorf("got Allow-Origin %q for a foreign origin", got)
		}
	})
	if n := srv.store.calls.Load(); n != 0 {
		t.Errorf("CORS requests made %d store calls", n)
	}
}

func TestRequestIDInLogsAndErrors(t *testing.T) {
	store := &fakeStore{SearchFn: func(context.Context, string) ([]model.SearchHit, error) {
		return nil, &graph.Error{Code: graph.EUNAVAILABLE, Message: "the graph database is unavailable",
			Cause: errorString("ConnectivityError: dial tcp 127.0.0.1:7687: connect: connection refused")}
	}}
	srv := newHardened(t, store, hardenedConfig{})
	r := postJSON(t, srv.URL, `{ search(text: "x") { score } }`, "X-Request-Id", "req-42")
	if r.code() != graph.EUNAVAILABLE || r.Errors[0].Extensions["requestId"] != "req-42" {
		t.Errorf("got %s, want SERVICE_UNAVAILABLE with requestId req-42", r.body)
	}
	if r.header.Get("X-Request-Id") != "req-42" {
		t.Errorf("got X-Request-Id %q, want req-42", r.header.Get("X-Request-Id"))
	}
	assertNoLeak(t, r.body)

	// The log has the cause the client does not see, and both lines carry the id.
	var sawError, sawRequest bool
	for _, line := range strings.Split(srv.logs.String(), "\n") {
		var l struct {
			Msg       string `json:"msg"`
			Cause     string `json:"cause"`
			RequestID string `json:"request_id"`
		}
		if json.Unmarshal([]byte(line), &l) != nil {
			continue
		}
		switch l.Msg {
		case "graphql error":
			sawError = l.RequestID == "req-42" && strings.Contains(l.Cause, "connection refused")
		case "request":
			sawRequest = sawRequest || l.RequestID == "req-42"
		}
	}
	if !sawError || !sawRequest {
		t.Errorf("logs lack the request id (error line %v, request line %v):\n%s", sawError, sawRequest, srv.logs.String())
	}

	// A hostile id is replaced by a generated one.
	r = postJSON(t, srv.URL, `{ nope }`, "X-Request-Id", "bad id\twith spaces")
	id, _ := r.Errors[0].Extensions["requestId"].(string)
	if !regexp.MustCompile(`^[0-9a-f]{16}$`).MatchString(id) || r.header.Get("X-Request-Id") != id {
		t.Errorf("got requestId %q (header %q), want a generated 16-hex id", id, r.header.Get("X-Request-Id"))
	}
}

type errorString string

func (e errorString) Error() string { return string(e) }

// scrape returns the value of the sample line that starts with prefix (name and
// labels), or -1 when there is none.
func scrape(t *testing.T, base, prefix string) float64 {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("/metrics: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for _, line := range strings.Split(string(body), "\n") {
		if rest, ok := strings.CutPrefix(line, prefix+" "); ok {
			v, err := strconv.ParseFloat(strings.TrimSpace(rest), 64)
			if err != nil {
				t.Fatalf("metric %s: %q", prefix, rest)
			}
			return v
		}
	}
	return -1
}

func TestMetrics(t *testing.T) {
	srv := newHardened(t, nil, hardenedConfig{})
	count := `tradegraph_graphql_operation_duration_seconds_count{operation="AnalystLookup",type="query"}`
	badRequests := `tradegraph_graphql_errors_total{code="BAD_REQUEST"}`
	badInput := `tradegraph_graphql_errors_total{code="BAD_USER_INPUT"}`
	before := map[string]float64{count: max(scrape(t, srv.URL, count), 0), badRequests: max(scrape(t, srv.URL, badRequests), 0), badInput: max(scrape(t, srv.URL, badInput), 0)}

	for i := 0; i < 3; i++ {
		postJSON(t, srv.URL, `query AnalystLookup { search(text: "china") { score } }`)
	}
	postJSON(t, srv.URL, `{ search(text: "x", first: 51) { score } }`) // BAD_USER_INPUT
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader("query=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	do(t, req) // BAD_REQUEST

	for name, want := range map[string]float64{count: 3, badRequests: 1, badInput: 1} {
		if got := scrape(t, srv.URL, name) - before[name]; got != want {
			t.Errorf("%s grew by %v, want %v", name, got, want)
		}
	}
	for _, family := range []string{"tradegraph_http_requests_total", "tradegraph_graphql_in_flight", "tradegraph_loader_rows_total", "go_goroutines"} {
		resp, _ := http.Get(srv.URL + "/metrics")
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(body), "\n"+family) {
			t.Errorf("/metrics lacks %s", family)
		}
	}

	// Random operation names do not grow the series without bound.
	for i := 0; i < 150; i++ {
		postJSON(t, srv.URL, "query Op"+strconv.Itoa(i)+" { version }")
	}
	resp, _ := http.Get(srv.URL + "/metrics")
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	names := map[string]bool{}
	for _, m := range regexp.MustCompile(`tradegraph_graphql_operation_duration_seconds_count\{operation="([^"]*)"`).FindAllStringSubmatch(string(body), -1) {
		names[m[1]] = true
	}
	if len(names) > 102 || !names["other"] {
		t.Errorf("%d operation names after 150 distinct ones (other: %v), want at most 100 + anonymous + other", len(names), names["other"])
	}
}

func TestLoaderMetrics(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "actors.csv")
	if err := os.WriteFile(csv, []byte("id:ID,:LABEL,type,name\nactor:a,Actor,PERSON,A\nactor:b,Actor,PERSON,B\nnot-an-id,Actor,PERSON,C\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := newHardened(t, nil, hardenedConfig{})
	read, rejected := `tradegraph_loader_rows_total{outcome="read"}`, `tradegraph_loader_rows_total{outcome="rejected"}`
	r0, j0 := scrape(t, srv.URL, read), scrape(t, srv.URL, rejected)
	var out strings.Builder
	err := run(context.Background(), []string{"tradegraph", "load", "--dry-run", "--offline", "--progress", "off",
		"--rejects", filepath.Join(dir, "rejects.txt"), "--checkpoint", filepath.Join(dir, "cp.json"), csv},
		func(string) string { return "" }, &out)
	if err != nil {
		t.Fatalf("load: %v\n%s", err, out.String())
	}
	if got := scrape(t, srv.URL, read) - r0; got != 3 {
		t.Errorf("rows read grew by %v, want 3\n%s", got, out.String())
	}
	if got := scrape(t, srv.URL, rejected) - j0; got != 1 {
		t.Errorf("rows rejected grew by %v, want 1\n%s", got, out.String())
	}
}
