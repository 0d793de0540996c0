package app

import (
	"context"
	"testing"
	"time"

	"tradegraph/internal/seedtest"
	"tradegraph/loadtest"
)

// TestLoadSmoke runs the load test's mix briefly against the seed: the long runs
// (scripts/loadtest.sh, docs/benchmarks.md) use the same code.
func TestLoadSmoke(t *testing.T) {
	seedtest.Graph(t)
	ctx := context.Background()
	base := startServer(t, nil)
	entities, err := loadtest.Discover(ctx, base+"/graphql", 100)
	if err != nil {
		t.Fatal(err)
	}
	st, err := loadtest.Attack(base+"/graphql", entities, 25, 2*time.Second, 10*time.Second, 1)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("25 req/s for 2s on the seed: %d requests, p50 %s, p95 %s, p99 %s, errors %v, by kind %+v", st.Requests, st.P50, st.P95, st.P99, st.Errors, st.ByKind)
	if st.Requests != 50 || st.OK != st.Requests {
		t.Errorf("got %d requests, %d ok, errors %v: want 50, all ok", st.Requests, st.OK, st.Errors)
	}
	for _, kind := range []string{"search", "entity", "neighbourhood", "path"} {
		if st.ByKind[kind].N == 0 {
			t.Errorf("no %s query in the mix", kind)
		}
	}
}

func TestLoadTestTargetsLoopbackOnly(t *testing.T) {
	for url, ok := range map[string]bool{
		"http://127.0.0.1:8080/graphql": true, "http://localhost/graphql": true, "http://[::1]:80/graphql": true,
		"http://10.0.0.1/graphql": false, "http://example.com/graphql": false, "http://192.168.1.2/graphql": false,
	} {
		if err := loadtest.CheckLoopback(url); (err == nil) != ok {
			t.Errorf("CheckLoopback(%s) = %v, want ok %v", url, err, ok)
		}
	}
}
