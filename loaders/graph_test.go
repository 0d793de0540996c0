package loaders

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"tradegraph/graph/model"
)

// temporary is an error as the store reports one, with a Temporary method.
type temporary bool

func (t temporary) Error() string   { return fmt.Sprintf("temporary=%v", bool(t)) }
func (t temporary) Temporary() bool { return bool(t) }

func TestTransient(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"unavailable", temporary(true), true},
		{"wrapped unavailable", fmt.Errorf("write batch 3: %w", temporary(true)), true},
		{"joined", errors.Join(errors.New("x"), temporary(true)), true},
		{"not temporary", temporary(false), false},
		{"plain", errors.New("only 3 of 4 rows matched their endpoints"), false},
		{"none", nil, false},
	}
	for _, tt := range tests {
		if got := Transient(tt.err); got != tt.want {
			t.Errorf("%s: Transient(%v) = %v, want %v", tt.name, tt.err, got, tt.want)
		}
	}
}

// TestBatches checks that a load's records are cut into batches of at most size
// records, in the order documents, entities, relationships, none lost.
func TestBatches(t *testing.T) {
	docs := make([]model.DocumentRecord, 3)
	ents := make([]model.EntityRecord, 4)
	rels := make([]model.RelationshipRecord, 2)
	got := batches(docs, ents, rels, 4)
	want := [][3]int{{3, 1, 0}, {0, 3, 1}, {0, 0, 1}}
	if len(got) != len(want) {
		t.Fatalf("got %d batches, want %d", len(got), len(want))
	}
	for i, b := range got {
		if n := [3]int{len(b.Documents), len(b.Entities), len(b.Relationships)}; n != want[i] {
			t.Errorf("batch %d: %v documents, entities, relationships, want %v", i, n, want[i])
		}
	}
	if got := batches(nil, nil, nil, 4); len(got) != 0 {
		t.Errorf("no records: %d batches, want none", len(got))
	}
}

// TestRetry checks the loaders' retry policy: transient failures are retried until
// success or until retryFor is spent; any other failure ends it at once.
func TestRetry(t *testing.T) {
	ctx := context.Background()
	calls := 0
	err := Retry(ctx, time.Minute, func() error {
		calls++
		if calls < 3 {
			return temporary(true)
		}
		return nil
	})
	if err != nil || calls != 3 {
		t.Errorf("two transient failures then success: err %v after %d calls, want nil after 3", err, calls)
	}
	calls = 0
	permanent := errors.New("syntax error")
	if err := Retry(ctx, time.Minute, func() error { calls++; return permanent }); !errors.Is(err, permanent) || calls != 1 {
		t.Errorf("a permanent failure: err %v after %d calls, want it after 1", err, calls)
	}
	calls = 0
	err = Retry(ctx, 300*time.Millisecond, func() error { calls++; return temporary(true) })
	if !Transient(err) || !strings.Contains(err.Error(), "gave up after") || calls < 2 {
		t.Errorf("always transient: err %v after %d calls, want a give-up after at least 2", err, calls)
	}
}
