package bulk_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"tradegraph/gen"
	"tradegraph/internal/neo4jtest"
	"tradegraph/loaders/bulk"
)

// TestBulkBatchBounds checks both bounds of a write transaction: --batch-size rows
// per file, and --batch-mib of text, which closes a batch before it is full (here
// after every row, with a 1-byte bound). Either way every row is written once.
func TestBulkBatchBounds(t *testing.T) {
	dir := t.TempDir()
	st, err := gen.Generate(gen.Config{Seed: 3, Relationships: 120, Format: "csv", Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	rows := int64(st.Documents + st.Entities + st.Relationships)
	perFile := []int{st.Documents, st.Entities, st.Relationships}
	const size = 50
	var byRows int64
	for _, n := range perFile {
		byRows += int64((n + size - 1) / size)
	}
	for _, tt := range []struct {
		name    string
		bytes   int
		batches int64
	}{
		{"rows bound", 0, byRows}, // 0: the default 16 MiB, far above these files
		{"bytes bound", 1, rows},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := emptyGraph(t)
			var out strings.Builder
			res, err := bulk.Load(context.Background(), bulk.Options{Graph: storeOf(d),
				BatchSize: size, BatchBytes: tt.bytes, MaxRejects: 0, Progress: "off", Out: &out,
				Rejects: filepath.Join(t.TempDir(), "r.txt"), Checkpoint: filepath.Join(t.TempDir(), "c.json")}, st.Files)
			if err != nil {
				t.Fatalf("Bulk: %v\n%s", err, out.String())
			}
			if res.Batches != tt.batches {
				t.Errorf("%d transactions, want %d (files of %v rows, batches of %d rows)", res.Batches, tt.batches, perFile, size)
			}
			if res.Read != rows || res.Written != rows {
				t.Errorf("read %d, written %d, want %d each", res.Read, res.Written, rows)
			}
			if n := neo4jtest.Count(t, d, "MATCH (n) WHERE n:Entity OR n:Document RETURN count(n) AS c", nil); n != int64(st.Documents+st.Entities) {
				t.Errorf("%d nodes, want %d", n, st.Documents+st.Entities)
			}
			if n := neo4jtest.Count(t, d, "MATCH ()-[r]->() RETURN count(r) AS c", nil); n != int64(st.Relationships) {
				t.Errorf("%d relationships, want %d", n, st.Relationships)
			}
		})
	}
}
