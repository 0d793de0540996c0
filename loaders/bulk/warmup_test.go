package bulk_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"tradegraph/internal/neo4jtest"
	"tradegraph/loaders"
	"tradegraph/loaders/bulk"
)

// warmCounter is the store with its writer's warm-ups counted.
type warmCounter struct {
	loaders.Graph
	warmed atomic.Int32
	err    atomic.Value // the warm-up's error, if any
}

func (w *warmCounter) WarmUpWriter(ctx context.Context) error {
	w.warmed.Add(1)
	err := w.Graph.WarmUpWriter(ctx)
	if err != nil {
		w.err.Store(err)
	}
	return err
}

// TestBulkWarmsUpTheWriter checks that a load that writes has the writer plan
// its statements once, beside its batches, and that the warm-up leaves nothing
// in the graph and takes nothing from the load; a dry run does not warm up.
func TestBulkWarmsUpTheWriter(t *testing.T) {
	d := emptyGraph(t)
	dir := t.TempDir()
	nodes := filepath.Join(dir, "nodes.csv")
	rels := filepath.Join(dir, "rels.csv")
	if err := os.WriteFile(nodes, []byte("id:ID,:LABEL,type,name,status,title,text\n"+
		"doc:a,Document,ARTICLE,,,A,Alpha imposes the levy. Beta responds.\n"+
		"actor:alpha,Actor,COUNTRY,Alpha,,,\npolicy:levy,Policy,TARIFF,Levy,IN_FORCE,,\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(rels, []byte(":START_ID,:END_ID,:TYPE,evidenceDocs:string[],evidenceSentences:int[],evidenceQuotes:string[]\n"+
		"actor:alpha,policy:levy,IMPOSES,doc:a,1,Alpha imposes the levy\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, dry := range []bool{false, true} {
		g := &warmCounter{Graph: storeOf(d)}
		var out strings.Builder
		res, err := bulk.Load(context.Background(), bulk.Options{Graph: g, DryRun: dry, MaxRejects: 0, Progress: "off", Out: &out,
			Rejects: filepath.Join(t.TempDir(), "rejects.txt"), Checkpoint: filepath.Join(t.TempDir(), "c.json")}, []string{nodes, rels})
		if err != nil {
			t.Fatalf("dry run %v: %v\n%s", dry, err, out.String())
		}
		if res.Written != 4 {
			t.Errorf("dry run %v: %d rows written, want 4", dry, res.Written)
		}
		want := int32(1)
		if dry {
			want = 0
		}
		if n := g.warmed.Load(); n != want {
			t.Errorf("dry run %v: %d warm-ups, want %d", dry, n, want)
		}
		if err, _ := g.err.Load().(error); err != nil && !strings.Contains(err.Error(), "context canceled") {
			t.Errorf("the warm-up failed: %v", err)
		}
	}
	if n := neo4jtest.Count(t, d, "MATCH (n) WHERE n.id CONTAINS 'warm-up' RETURN count(n) AS c", nil); n != 0 {
		t.Errorf("the warm-up left %d nodes", n)
	}
	if n := neo4jtest.Count(t, d, "MATCH (n) WHERE NOT n:Audit AND NOT n:AuditSeq AND NOT n:Source RETURN count(n) AS c", nil); n != 3 {
		t.Errorf("the graph holds %d nodes besides the audit trail and the source records, want the input's 3", n)
	}
}
