// Package seedtest gives end-to-end tests the test Neo4j holding exactly the seed
// graph (data/seed), loaded the way `tradegraph load` loads it.
package seedtest

import (
	"context"
	"io"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"tradegraph/graph/neo4jstore"
	"tradegraph/internal/neo4jtest"
	"tradegraph/loaders"
)

// File is the path of the seed dataset.
var File = func() string {
	_, here, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(here), "..", "..", "data", "seed", "us-china-rare-earth-deal.yaml")
}()

// Graph empties the test Neo4j, applies the migrations, loads the seed and returns
// a driver to it.
func Graph(t testing.TB) neo4j.DriverWithContext {
	t.Helper()
	driver := neo4jtest.Driver(t)
	ctx := context.Background()
	if err := neo4jstore.Migrate(ctx, driver, neo4jtest.Database); err != nil {
		t.Fatal(err)
	}
	neo4jtest.Reset(t, driver)
	if _, err := loaders.Load(ctx, loaders.Options{Graph: neo4jstore.New(driver, neo4jtest.Database, nil), Out: io.Discard}, []string{File}); err != nil {
		t.Fatalf("load seed: %v", err)
	}
	return driver
}
