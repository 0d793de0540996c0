package neo4jstore

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"tradegraph/graph"
	"tradegraph/internal/neo4jtest"
)

func TestRetryable(t *testing.T) {
	conn := &neo4j.ConnectivityError{Inner: errors.New("connection refused")}
	deadlock := &neo4j.Neo4jError{Code: "Neo.TransientError.Transaction.DeadlockDetected", Msg: "deadlock"}
	syntax := &neo4j.Neo4jError{Code: "Neo.ClientError.Statement.SyntaxError", Msg: "bad"}
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"connection lost", conn, true},
		{"wrapped connection lost", fmt.Errorf("write batch 3: %w", conn), true},
		{"deadlock", deadlock, true},
		{"driver gave up on a lost connection", &neo4j.TransactionExecutionLimit{Cause: "timeout", Errors: []error{syntax, conn}}, true},
		{"driver gave up on a syntax error", &neo4j.TransactionExecutionLimit{Cause: "timeout", Errors: []error{syntax}}, false},
		{"syntax error", syntax, false},
		{"joined", errors.Join(errors.New("x"), conn), true},
		{"plain", errors.New("only 3 of 4 rows matched their endpoints"), false},
	}
	for _, tt := range tests {
		if got := retryable(tt.err); got != tt.want {
			t.Errorf("%s: retryable(%v) = %v, want %v", tt.name, tt.err, got, tt.want)
		}
		// What may go away on retry is what the loaders retry for longer.
		var ge *graph.Error
		if !errors.As(wrapErr(tt.err), &ge) {
			t.Fatalf("%s: wrapErr gave no *graph.Error", tt.name)
		}
		if ge.Temporary() != tt.want {
			t.Errorf("%s: wrapErr(%v) is %s, Temporary() = %v, want %v", tt.name, tt.err, ge.Code, ge.Temporary(), tt.want)
		}
	}
}

// TestWarmUpWritesNothing: the warm-up runs every statement of the batch writer
// (each must write its rows inside the transaction, or WarmUp fails) and the
// traversals, and leaves the graph as it was, audit trail included.
func TestWarmUpWritesNothing(t *testing.T) {
	d := neo4jtest.Driver(t)
	neo4jtest.Reset(t, d)
	s := New(d, neo4jtest.Database, nil)
	if err := s.WarmUp(context.Background()); err != nil {
		t.Fatalf("WarmUp: %v", err)
	}
	if n := neo4jtest.Count(t, d, `MATCH (n) RETURN count(n) AS c`, nil); n != 0 {
		t.Errorf("the warm-up left %d nodes in an empty graph", n)
	}
}
