package app

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"tradegraph/internal/neo4jtest"
)

// startServer calls run("serve") on port 0 against the test Neo4j and returns the
// base URL once /readyz answers 200. The server stops when the test ends.
func startServer(t *testing.T, env map[string]string) string {
	t.Helper()
	return startServerAt(t, neo4jtest.URI(t), env)
}

// startServerAt is startServer against the Neo4j at uri, with serve's flags args.
func startServerAt(t *testing.T, uri string, env map[string]string, args ...string) string {
	t.Helper()
	getenv := func(k string) string {
		if k == "NEO4J_URI" {
			return uri
		}
		return env[k]
	}
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"tradegraph", "serve", "--addr", "127.0.0.1:0"}, args...), getenv, pw)
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run returned %v after shutdown", err)
		}
	})
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			var line struct{ Msg, URL string }
			if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "listening" {
				addr <- line.URL
			}
		}
	}()
	var base string
	select {
	case base = <-addr:
	case err := <-done:
		t.Fatalf("run exited before listening: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("server did not start listening within 60s")
	}
	// Generous: the store's warm-up takes minutes on a machine other suites share.
	deadline := time.Now().Add(3 * time.Minute)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz not 200 within 3 minutes (last: %v)", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// postGraphQL posts a query and decodes the response into out.
func postGraphQL(t *testing.T, base, query string, out any) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"query": query})
	resp, err := http.Post(base+"/graphql", "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatalf("POST /graphql: %v", err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST /graphql: status %d: %s", resp.StatusCode, raw)
	}
	if err := json.Unmarshal(raw, out); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
}

func TestEndToEndServeReadsFromNeo4j(t *testing.T) {
	driver := neo4jtest.Driver(t)
	neo4jtest.Reset(t, driver)
	// Three actors and one policy written straight to Neo4j: the API must report them.
	_, err := neo4j.ExecuteQuery(context.Background(), driver, `
		UNWIND range(1, 3) AS i CREATE (:Entity:Actor {id: 'actor:e2e-' + i, name: 'E2E ' + i})
		WITH count(*) AS _ CREATE (:Entity:Policy {id: 'policy:e2e', name: 'E2E policy'})`,
		nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(neo4jtest.Database))
	if err != nil {
		t.Fatal(err)
	}
	base := startServer(t, nil)

	var got struct {
		Data struct {
			Version string
			Stats   struct {
				NodesByKind []struct {
					Kind  string
					Count int
				}
			}
		}
		Errors []any
	}
	postGraphQL(t, base, `{ version stats { nodesByKind { kind count } } }`, &got)
	if len(got.Errors) > 0 {
		t.Fatalf("errors: %v", got.Errors)
	}
	counts := map[string]int{}
	for _, k := range got.Data.Stats.NodesByKind {
		counts[k.Kind] = k.Count
	}
	if counts["Actor"] != 3 || counts["Policy"] != 1 || counts["Meeting"] != 0 {
		t.Errorf("got counts %v, want Actor 3, Policy 1, Meeting 0", counts)
	}
	if got.Data.Version == "" {
		t.Error("got empty version")
	}

	resp, err := http.Get(base + "/healthz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("/healthz: %v %v", resp, err)
	}
	resp.Body.Close()
}

func TestRunUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no command", []string{"tradegraph"}, "usage: tradegraph"},
		{"unknown command", []string{"tradegraph", "frobnicate"}, `unknown command "frobnicate"`},
		{"load without files", []string{"tradegraph", "load"}, "name at least one FILE"},
		{"load bad flag", []string{"tradegraph", "load", "--no-such-flag"}, "flag provided but not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out strings.Builder
			err := run(context.Background(), tt.args, func(string) string { return "" }, &out)
			var u usageError
			if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.As(err, &u) {
				t.Errorf("got %v, want a usage error containing %q", err, tt.want)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	var out strings.Builder
	if err := run(context.Background(), []string{"tradegraph", "version"}, func(string) string { return "" }, &out); err != nil {
		t.Fatal(err)
	}
	if got, want := out.String(), "tradegraph "+version+"\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
