package neo4jstore

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"tradegraph/graph"
)

// record builds a driver record from alternating keys and values.
func record(kv ...any) *neo4j.Record {
	rec := &neo4j.Record{}
	for i := 0; i < len(kv); i += 2 {
		rec.Keys = append(rec.Keys, kv[i].(string))
		rec.Values = append(rec.Values, kv[i+1])
	}
	return rec
}

// TestDecodersRejectMissingFields feeds each record shape's decoder a well-formed
// record, which must decode, and the same record with a column missing, null or of
// another type, which must be an error, never a zero value.
func TestDecodersRejectMissingFields(t *testing.T) {
	actor := map[string]any{"id": "actor:a", "kind": "Actor", "type": "STATE", "name": "A"}
	decoders := []struct {
		name   string
		good   []any
		decode func(*neo4j.Record) error
	}{
		{"node", []any{"id", "actor:a", "e", actor, "d", nil}, func(r *neo4j.Record) error { _, _, err := decodeNode(r); return err }},
		{"known", []any{"id", "doc:d", "kind", "Document", "sentences", []any{"One."}}, func(r *neo4j.Record) error { _, _, _, err := decodeKnown(r); return err }},
		{"page", []any{"total", int64(3), "page", []any{}}, func(r *neo4j.Record) error { _, _, err := decodePage([]*neo4j.Record{r}, "page"); return err }},
		{"citations", []any{"from", "actor:a", "type", "IMPOSES", "to", "policy:p", "docs", []any{"doc:d"}, "sentences", []any{int64(1)}, "quotes", []any{"q"}},
			func(r *neo4j.Record) error { _, err := decodeCitations(r); return err }},
		{"neighbourhood", []any{"center", actor, "edges", []any{}, "truncated", []any{}, "capped", false, "undated", int64(0)},
			func(r *neo4j.Record) error { _, err := decodeNeighborhood(r, time.Time{}); return err }},
		{"write outcome", []any{"outcome", "created", "c", int64(2)}, func(r *neo4j.Record) error { _, err := tally("Actor", []*neo4j.Record{r}, 2); return err }},
	}
	for _, d := range decoders {
		t.Run(d.name, func(t *testing.T) {
			if err := d.decode(record(d.good...)); err != nil {
				t.Fatalf("well-formed record: %v", err)
			}
			for i := 0; i < len(d.good); i += 2 {
				key := d.good[i].(string)
				missing := append(append([]any{}, d.good[:i]...), d.good[i+2:]...)
				if err := d.decode(record(missing...)); err == nil {
					t.Errorf("without column %s: no error", key)
				}
				wrong := append([]any{}, d.good...)
				wrong[i+1] = struct{}{}
				if err := d.decode(record(wrong...)); err == nil {
					t.Errorf("with column %s of another type: no error", key)
				}
			}
		})
	}
}

// TestDecodeErrIsInternal checks that a decoding failure reaches the API as
// INTERNAL with its cause kept for the log.
func TestDecodeErrIsInternal(t *testing.T) {
	_, err := get[string](record("other", "x"), "id")
	if err == nil {
		t.Fatal("a missing column decoded")
	}
	got := decodeErr(err)
	var ge *graph.Error
	if !errors.As(got, &ge) || ge.Code != graph.EINTERNAL || ge.Cause == nil || !strings.Contains(ge.Cause.Error(), "column id") {
		t.Errorf("decodeErr(%v) = %#v, want INTERNAL with the cause", err, got)
	}
	if _, err := get[string](record("id", nil), "id"); err == nil {
		t.Error("a null column decoded as a value")
	}
}
