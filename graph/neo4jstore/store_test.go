package neo4jstore

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

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

// TestDeadlineStopsRead: a read whose request deadline passes must stop in Neo4j
// too, not run on for nobody (Store.run sends the deadline as the transaction
// timeout, and the driver closes the connection when the deadline passes; either
// ends it). The statement here would run for minutes; it must be gone from Neo4j's
// transactions soon after the deadline.
func TestDeadlineStopsRead(t *testing.T) {
	d := neo4jtest.Driver(t)
	s := New(d, neo4jtest.Database, nil)
	const marker = "deadline-stops-read"
	slow := "UNWIND range(1, 4000000000) AS x WITH x WHERE x % 7 = 3 RETURN count(x) AS n, '" + marker + "' AS m"
	running := func() []string {
		res, err := neo4j.ExecuteQuery(context.Background(), d, `
			SHOW TRANSACTIONS YIELD transactionId, currentQuery
			WHERE currentQuery CONTAINS $marker AND NOT currentQuery STARTS WITH 'SHOW'
			RETURN transactionId`, map[string]any{"marker": marker},
			neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(neo4jtest.Database))
		if err != nil {
			t.Fatalf("SHOW TRANSACTIONS: %v", err)
		}
		var ids []string
		for _, r := range res.Records {
			id, _ := r.Values[0].(string)
			ids = append(ids, id)
		}
		return ids
	}
	t.Cleanup(func() {
		if ids := running(); len(ids) > 0 {
			_, _ = neo4j.ExecuteQuery(context.Background(), d, "TERMINATE TRANSACTIONS $ids", map[string]any{"ids": ids},
				neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(neo4jtest.Database))
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	start := time.Now()
	done := make(chan error, 1)
	go func() {
		_, err := s.read(ctx, slow, nil)
		done <- err
	}()
	// Seen running first, so that "gone" below cannot pass for a query never found.
	for len(running()) == 0 {
		select {
		case err := <-done:
			t.Fatalf("the read ended (%v) before SHOW TRANSACTIONS saw it running", err)
		case <-time.After(20 * time.Millisecond):
		}
	}
	err := <-done
	if graph.ErrorCode(err) != graph.ETIMEOUT {
		t.Fatalf("read past its deadline: got %v (code %q), want code %s", err, graph.ErrorCode(err), graph.ETIMEOUT)
	}
	ended := time.Now()
	deadline := ended.Add(30 * time.Second)
	for len(running()) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the statement still runs in Neo4j %s after its request's deadline", time.Since(ended).Round(time.Second))
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("deadline after %s; gone from Neo4j %s later", ended.Sub(start).Round(time.Millisecond), time.Since(ended).Round(time.Millisecond))
}

// TestNamed: a statement is sent only the parameters its text names, and the
// builder's map is left as it was (statements may share it).
func TestNamed(t *testing.T) {
	params := map[string]any{"first": 21, "q0_first": 21, "q0_f": 1, "after": nil, "b c": "x", "ünï": 2}
	got := named("MATCH (n) WHERE n.x = $`b c` AND n.y = $ünï RETURN n LIMIT $first + $q0_first", params)
	want := map[string]any{"first": 21, "q0_first": 21, "b c": "x", "ünï": 2}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("named = %v, want %v", got, want)
	}
	if len(params) != 6 {
		t.Errorf("named changed its argument: %v", params)
	}
	all := map[string]any{"first": 1}
	if got := named("RETURN $first", all); !reflect.DeepEqual(got, all) {
		t.Errorf("named dropped a used parameter: %v", got)
	}
	if got := named("RETURN 1", nil); len(got) != 0 {
		t.Errorf("named(nil) = %v", got)
	}
}
