package app

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"tradegraph/graph"
)

// pingStore is a graph.Store whose Ping answers as told; nothing else is called.
type pingStore struct {
	graph.Store
	err error
}

func (s pingStore) Ping(context.Context) error { return s.err }

func testServer(t *testing.T, store graph.Store, origins []string) *httptest.Server {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := httptest.NewServer(newServer(serverDeps{
		log: log, store: store, origins: origins, maxBody: 1024,
		graphql: graph.NewHandler(graph.Options{Store: store, Logger: log, Introspection: true, RequestID: requestIDFrom}),
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestReadyzFollowsNeo4j(t *testing.T) {
	for _, tt := range []struct {
		name string
		err  error
		want int
	}{
		{"up", nil, http.StatusOK},
		{"down", graph.Errorf(graph.EUNAVAILABLE, "down"), http.StatusServiceUnavailable},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := testServer(t, pingStore{err: tt.err}, nil)
			resp, err := http.Get(srv.URL + "/readyz")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("got %d, want %d", resp.StatusCode, tt.want)
			}
			health, err := http.Get(srv.URL + "/healthz")
			if err != nil || health.StatusCode != http.StatusOK {
				t.Errorf("/healthz: %v %v", health, err)
			}
			health.Body.Close()
		})
	}
}

// TestReadyzWaitsForWarmUp: /readyz says "warming up" (503) until the store's
// warm-up has ended, then follows Neo4j; /healthz answers throughout.
func TestReadyzWaitsForWarmUp(t *testing.T) {
	warm := make(chan struct{})
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := httptest.NewServer(newServer(serverDeps{log: log, store: pingStore{}, warm: warm, graphql: http.NotFoundHandler()}))
	t.Cleanup(srv.Close)
	get := func(path string) (int, string) {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, strings.TrimSpace(string(body))
	}
	if code, body := get("/readyz"); code != http.StatusServiceUnavailable || body != "warming up" {
		t.Errorf("during the warm-up: %d %q, want 503 \"warming up\"", code, body)
	}
	if code, _ := get("/healthz"); code != http.StatusOK {
		t.Errorf("/healthz during the warm-up: %d", code)
	}
	close(warm)
	if code, body := get("/readyz"); code != http.StatusOK || body != "neo4j: up" {
		t.Errorf("after the warm-up: %d %q, want 200", code, body)
	}
}

func TestBodyLimit(t *testing.T) {
	srv := testServer(t, pingStore{}, nil)
	big := `{"query":"{ version }","pad":"` + strings.Repeat("x", 2048) + `"}`
	resp, err := http.Post(srv.URL+"/graphql", "application/json", strings.NewReader(big))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(body), "BUDGET_EXCEEDED") {
		t.Errorf("got %d %s, want 413 with BUDGET_EXCEEDED", resp.StatusCode, body)
	}
	ok, err := http.Post(srv.URL+"/graphql", "application/json", strings.NewReader(`{"query":"{ version }"}`))
	if err != nil {
		t.Fatal(err)
	}
	ok.Body.Close()
	if ok.StatusCode != http.StatusOK {
		t.Errorf("small body: got %d, want 200", ok.StatusCode)
	}
}

func TestCORSOriginsFromConfig(t *testing.T) {
	srv := testServer(t, pingStore{}, []string{"https://analyst.example"})
	for _, tt := range []struct {
		origin    string
		wantAllow string
	}{
		{"https://analyst.example", "https://analyst.example"},
		{"https://evil.example", ""},
	} {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(`{"query":"{ version }"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", tt.origin)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Access-Control-Allow-Origin"); got != tt.wantAllow {
			t.Errorf("origin %s: got Allow-Origin %q, want %q", tt.origin, got, tt.wantAllow)
		}
		if !strings.Contains(strings.Join(resp.Header.Values("Vary"), ","), "Origin") {
			t.Errorf("origin %s: no Vary: Origin", tt.origin)
		}
	}
}

func TestRequestIDInErrors(t *testing.T) {
	srv := testServer(t, pingStore{}, nil)
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(`{"query":"{ nope }"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Request-Id", "abc-123")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.Header.Get("X-Request-Id") != "abc-123" {
		t.Errorf("got X-Request-Id %q, want abc-123", resp.Header.Get("X-Request-Id"))
	}
	if !strings.Contains(string(body), `"requestId":"abc-123"`) {
		t.Errorf("error lacks the request id: %s", body)
	}
}
