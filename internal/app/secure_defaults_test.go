package app

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
)

// corsRequest sends one request to /graphql with a foreign Origin and returns the
// response, body read.
func corsRequest(t *testing.T, base, method, origin string, headers ...string) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	url := base + "/graphql"
	switch method {
	case http.MethodPost:
		body = strings.NewReader(`{"query":"{ version }"}`)
	case http.MethodGet:
		url += "?query=%7B%20version%20%7D"
	}
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Origin", origin)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp, string(raw)
}

// TestDefaultConfigAllowsNoOrigin: with no TRADEGRAPH_CORS_ORIGINS, no origin gets
// an Access-Control-* header on POST, GET or a preflight (rs/cors alone would
// answer "*" to every origin).
func TestDefaultConfigAllowsNoOrigin(t *testing.T) {
	srv := newHardened(t, nil, hardenedConfig{}) // no origins: the default
	for _, tt := range []struct {
		method     string
		headers    []string
		wantStatus int
	}{
		{http.MethodPost, nil, http.StatusOK},
		{http.MethodGet, nil, http.StatusOK},
		{http.MethodOptions, []string{"Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type"}, http.StatusForbidden},
	} {
		t.Run(tt.method, func(t *testing.T) {
			resp, body := corsRequest(t, srv.URL, tt.method, "http://evil.example", tt.headers...)
			for k := range resp.Header {
				if strings.HasPrefix(k, "Access-Control-") {
					t.Errorf("a foreign origin got %s: %q", k, resp.Header.Get(k))
				}
			}
			if resp.StatusCode != tt.wantStatus {
				t.Errorf("got status %d, want %d: %s", resp.StatusCode, tt.wantStatus, body)
			}
			if tt.method == http.MethodOptions && !strings.Contains(body, "TRADEGRAPH_CORS_ORIGINS") {
				t.Errorf("the refused preflight does not say how to allow origins: %s", body)
			}
		})
	}
}

// TestCORSStarOnlyWhenWritten: "*" is honoured when the operator writes it.
func TestCORSStarOnlyWhenWritten(t *testing.T) {
	srv := newHardened(t, nil, hardenedConfig{origins: []string{"*"}})
	resp, body := corsRequest(t, srv.URL, http.MethodPost, "http://anywhere.example")
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "*" {
		t.Errorf("got Allow-Origin %q, want *: %s", got, body)
	}
}

func TestHostAllowList(t *testing.T) {
	for _, tt := range []struct {
		name   string
		listen string
		extra  []string
		host   string
		want   bool
	}{
		{"localhost with port", "127.0.0.1:8080", nil, "localhost:8080", true},
		{"localhost upper case, trailing dot", "127.0.0.1:8080", nil, "LOCALHOST.:8080", true},
		{"IPv4 loopback", "127.0.0.1:8080", nil, "127.0.0.1:8080", true},
		{"IPv6 loopback", "127.0.0.1:8080", nil, "[::1]:8080", true},
		{"an IP address of the machine", ":8080", nil, "192.0.2.10:8080", true},
		{"rebinding domain", "127.0.0.1:8080", nil, "rebind.example:8080", false},
		{"rebinding domain without port", "127.0.0.1:8080", nil, "rebind.example", false},
		{"localhost as a suffix", "127.0.0.1:8080", nil, "localhost.rebind.example", false},
		{"empty Host", "127.0.0.1:8080", nil, "", false},
		{"the listen address's name", "graph.internal:8080", nil, "graph.internal:8080", true},
		{"configured name", ":8080", []string{"Tradegraph.Corp.Example"}, "tradegraph.corp.example", true},
		{"configured name, other host", ":8080", []string{"tradegraph.corp.example"}, "evil.example", false},
		{"check turned off", ":8080", []string{"*"}, "anything.example", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := newHostAllowList(tt.listen, tt.extra).allows(tt.host); got != tt.want {
				t.Errorf("allows(%q) with listen %q and %v: got %v, want %v", tt.host, tt.listen, tt.extra, got, tt.want)
			}
		})
	}
}

// TestForeignHostRefused: a request naming a host the server does not answer for
// (DNS rebinding) gets 421 before any store work, and the log says how to allow it.
func TestForeignHostRefused(t *testing.T) {
	srv := newHardened(t, nil, hardenedConfig{})
	for _, path := range []string{"/graphql", "/", "/playground", "/metrics"} {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(`{"query":"{ entities(first: 1) { totalCount } }"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Host = "rebind.example:8080"
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusMisdirectedRequest || !strings.Contains(string(body), "TRADEGRAPH_ALLOWED_HOSTS") {
			t.Errorf("%s: got %d %s, want 421 naming TRADEGRAPH_ALLOWED_HOSTS", path, resp.StatusCode, body)
		}
	}
	if n := srv.store.calls.Load(); n != 0 {
		t.Errorf("refused requests made %d store calls", n)
	}
	if !strings.Contains(srv.logs.String(), "TRADEGRAPH_ALLOWED_HOSTS") {
		t.Errorf("no log line says how to allow the host:\n%s", srv.logs.String())
	}
	// The same request with the server's own names is served.
	for _, host := range []string{"localhost:8080", "127.0.0.1:8080", "[::1]:8080"} {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(`{"query":"{ version }"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Host = host
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("Host %s: got %d, want 200", host, resp.StatusCode)
		}
	}
	// Health probes answer whatever Host a load balancer sends.
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/healthz", nil)
	req.Host = "10.1.2.3.nip.example"
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("/healthz with a foreign Host: got %d, want 200", resp.StatusCode)
	}
}

// TestServeListensOnLoopbackByDefault: serve's default address reaches this machine
// only; opening it to the network is the operator's explicit choice.
func TestServeListensOnLoopbackByDefault(t *testing.T) {
	var out bytes.Buffer
	_ = run(context.Background(), []string{"tradegraph", "serve", "-h"}, func(string) string { return "" }, &out)
	if !strings.Contains(out.String(), `(default "127.0.0.1:8080")`) {
		t.Errorf("serve -h does not show 127.0.0.1:8080 as the default address:\n%s", out.String())
	}
	for addr, want := range map[string]bool{"127.0.0.1:8080": true, "localhost:8080": true, "[::1]:8080": true,
		":8080": false, "0.0.0.0:8080": false, "192.0.2.10:8080": false} {
		if got := isLoopback(addr); got != want {
			t.Errorf("isLoopback(%q) = %v, want %v", addr, got, want)
		}
	}
}
