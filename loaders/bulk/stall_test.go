package bulk

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestRetrySaysWhenStalled: while a call to Neo4j goes unanswered (the driver
// retrying a lost connection), the loader says so and until when; a call that
// answers in time says nothing.
func TestRetrySaysWhenStalled(t *testing.T) {
	var buf strings.Builder
	out := &syncWriter{w: &buf}
	text := func() string { out.mu.Lock(); defer out.mu.Unlock(); return buf.String() }
	b := &bulk{o: Options{RetryFor: time.Minute}, out: out, ctx: context.Background(), stallNotice: 50 * time.Millisecond}

	if err := b.retry(func() error { return nil }); err != nil || text() != "" {
		t.Fatalf("a prompt call: err %v, printed %q", err, text())
	}
	release := make(chan struct{})
	done := make(chan error, 1)
	go func() { done <- b.retry(func() error { <-release; return nil }) }()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(text(), "no answer from Neo4j") {
		if time.Now().After(deadline) {
			close(release)
			t.Fatalf("nothing said while the call was stalled: %q", text())
		}
		time.Sleep(10 * time.Millisecond)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	want := regexp.MustCompile(`retrying until about \d\d:\d\d:\d\d UTC \(--retry-for 1m0s\), then stopping`)
	if !want.MatchString(text()) {
		t.Errorf("printed %q, want it to say until when", text())
	}
}
