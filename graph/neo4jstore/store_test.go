package neo4jstore

import (
	"errors"
	"fmt"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"tradegraph/graph"
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
