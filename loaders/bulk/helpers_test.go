package bulk_test

import (
	"context"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"tradegraph/graph/neo4jstore"
	"tradegraph/internal/neo4jtest"
)

// emptyGraph returns a driver to the test Neo4j, emptied and with the schema that
// `tradegraph load` puts in place before writing (the MERGEs rely on its constraints).
func emptyGraph(t *testing.T) neo4j.DriverWithContext {
	t.Helper()
	d := neo4jtest.Driver(t)
	neo4jtest.Reset(t, d)
	if err := neo4jstore.Migrate(context.Background(), d, neo4jtest.Database); err != nil {
		t.Fatal(err)
	}
	return d
}

// storeOf returns the store over the test Neo4j that the loaders read and write through.
func storeOf(d neo4j.DriverWithContext) *neo4jstore.Store {
	return neo4jstore.New(d, neo4jtest.Database, nil)
}
