package graph

import (
	"context"

	"tradegraph/graph/model"
)

// Store is everything the resolvers need from the graph database. There is one
// implementation over Neo4j (graph/neo4jstore) and a hand-written fake for resolver
// tests. Errors are *Error values with a Code (see errors.go) or wrap one.
type Store interface {
	// Ping returns nil while the database answers, or ErrUnavailable.
	Ping(ctx context.Context) error
	// Stats returns node counts by kind and relationship counts by type.
	// Returns an EUNAVAILABLE error when the database cannot be reached.
	Stats(ctx context.Context) (*model.GraphStats, error)
}
