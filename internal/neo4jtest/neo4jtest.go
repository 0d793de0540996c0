// Package neo4jtest gives integration tests the real Neo4j that `make test` starts.
// Tests that need it call Driver; with -short they are skipped, otherwise a missing
// Neo4j fails them with a message that says how to start one. Never a silent skip.
package neo4jtest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// EnvURI names the variable that points tests at their Neo4j. It is separate from
// NEO4J_URI on purpose: tests wipe the database they use.
const EnvURI = "TRADEGRAPH_TEST_NEO4J_URI"

// Database is the database tests use.
const Database = "neo4j"

// URI returns the test Neo4j's URI, skipping the test under -short and failing it
// when no test Neo4j is configured.
func URI(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test: needs Neo4j (run without -short, via `make test`)")
	}
	uri := os.Getenv(EnvURI)
	if uri == "" {
		t.Fatalf("integration test needs a real Neo4j: set %s (e.g. bolt://127.0.0.1:7688) or run `make test`, which starts one; use -short to skip", EnvURI)
	}
	if err := lockOnce(uri); err != nil {
		t.Fatalf("take the lock on the test Neo4j %s: %v", uri, err)
	}
	return uri
}

var (
	lockMu   sync.Mutex
	lockHeld *os.File
)

// lockOnce takes, once per test process and until it exits, an exclusive lock on a
// file named after uri. `go test ./...` runs the test binaries of several packages
// at once, and each resets the one database they share: without the lock, one
// package's Reset would wipe the graph another is checking.
func lockOnce(uri string) error {
	lockMu.Lock()
	defer lockMu.Unlock()
	if lockHeld != nil {
		return nil
	}
	name := filepath.Join(os.TempDir(), "tradegraph-neo4jtest-"+nonName.ReplaceAllString(uri, "_")+".lock")
	f, err := os.OpenFile(name, os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		return err
	}
	if err := lockFile(f); err != nil {
		return errors.Join(err, f.Close())
	}
	lockHeld = f // released by the kernel when the process exits
	return nil
}

var nonName = regexp.MustCompile(`[^A-Za-z0-9.-]+`)

// Driver returns a connected driver to the test Neo4j, closed when the test ends.
func Driver(t testing.TB) neo4j.DriverWithContext {
	t.Helper()
	uri := URI(t)
	d, err := neo4j.NewDriverWithContext(uri, neo4j.NoAuth())
	if err != nil {
		t.Fatalf("neo4j driver for %s: %v", uri, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := d.VerifyConnectivity(ctx); err != nil {
		t.Fatalf("test Neo4j at %s does not answer (start it with `make neo4j` or run `make test`): %v", uri, err)
	}
	t.Cleanup(func() { _ = d.Close(context.Background()) })
	// The evidence guarantee: whatever the test did, no quote in the graph may
	// be missing from its stored sentence when it ends.
	t.Cleanup(func() {
		if n := Count(t, d, BrokenQuotesCypher, nil); n != 0 {
			t.Errorf("evidence guarantee: %d evidence item(s) in the graph quote text that is not in their stored sentence", n)
		}
	})
	return d
}

// BrokenQuotesCypher counts the evidence items of the graph's relationships
// whose quote is not contained in the stored sentence they cite (or whose
// document or sentence is missing). It must be 0 at all times.
const BrokenQuotesCypher = `
	MATCH (:Entity)-[r]->(:Entity) WHERE r.evidenceDocs IS NOT NULL
	UNWIND range(0, size(r.evidenceDocs) - 1) AS i
	OPTIONAL MATCH (d:Document {id: r.evidenceDocs[i]})
	WITH r, i, d WHERE d IS NULL OR NOT coalesce(d.sentences[r.evidenceSentences[i] - 1], '') CONTAINS r.evidenceQuotes[i]
	RETURN count(*) AS c`

// Reset deletes every node and relationship, so a test starts from an empty graph.
// Schema (constraints, indexes) is kept.
func Reset(t testing.TB, d neo4j.DriverWithContext) {
	t.Helper()
	// CALL ... IN TRANSACTIONS needs an auto-commit transaction, hence session.Run.
	ctx := context.Background()
	s := d.NewSession(ctx, neo4j.SessionConfig{DatabaseName: Database})
	defer s.Close(ctx)
	res, err := s.Run(ctx, "MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS", nil)
	if err == nil {
		_, err = res.Consume(ctx)
	}
	if err != nil {
		t.Fatalf("reset test graph: %v", err)
	}
}

// Count runs a query returning one integer column "c" and returns it.
func Count(t testing.TB, d neo4j.DriverWithContext, cypher string, params map[string]any) int64 {
	t.Helper()
	res, err := neo4j.ExecuteQuery(context.Background(), d, cypher, params,
		neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(Database))
	if err != nil {
		t.Fatalf("count %q: %v", cypher, err)
	}
	if len(res.Records) != 1 {
		t.Fatalf("count %q: got %d records, want 1", cypher, len(res.Records))
	}
	c, _, err := neo4j.GetRecordValue[int64](res.Records[0], "c")
	if err != nil {
		t.Fatalf("count %q: %v", cypher, err)
	}
	return c
}
