package graph

import (
	"context"
	"sync"
	"time"
)

// QueryTrace records the database queries one GraphQL operation ran: how many (to
// prove there is no N+1) and, in explain mode, their text, parameters and time.
type QueryTrace struct {
	mu      sync.Mutex
	entries []TracedQuery
}

// TracedQuery is one query of a trace.
type TracedQuery struct {
	Cypher string         `json:"cypher"`
	Params map[string]any `json:"params"`
	Ms     float64        `json:"ms"`
}

type traceKey struct{}

// WithTrace returns a context that records queries into t.
func WithTrace(ctx context.Context, t *QueryTrace) context.Context {
	return context.WithValue(ctx, traceKey{}, t)
}

// Record adds a query to the trace of ctx, if any.
func Record(ctx context.Context, cypher string, params map[string]any, took time.Duration) {
	t, _ := ctx.Value(traceKey{}).(*QueryTrace)
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.entries = append(t.entries, TracedQuery{Cypher: cypher, Params: params, Ms: float64(took.Microseconds()) / 1000})
}

// Entries returns a copy of the recorded queries.
func (t *QueryTrace) Entries() []TracedQuery {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]TracedQuery(nil), t.entries...)
}
