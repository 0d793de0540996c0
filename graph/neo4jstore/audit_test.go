package neo4jstore_test

import (
	"context"
	"fmt"
	"testing"

	"tradegraph/graph"
	"tradegraph/graph/model"
	"tradegraph/graph/neo4jstore"
	"tradegraph/internal/neo4jtest"
)

// TestBatchAudit: a batch that changes the graph appends one audit record with who,
// the source, counts and ids; one that changes nothing appends none; one that
// fails appends none (the record is in the batch's transaction).
func TestBatchAudit(t *testing.T) {
	d := neo4jtest.Driver(t)
	neo4jtest.Reset(t, d)
	ctx := context.Background()
	s := neo4jstore.New(d, neo4jtest.Database, nil)
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	b := model.Batch{Source: model.Source{ID: "f.yaml", By: "ann"}, Entities: []model.EntityRecord{
		{ID: "actor:a", Kind: "Actor", Type: "STATE", Name: "A"}, {ID: "actor:b", Kind: "Actor", Type: "STATE", Name: "B"}}}
	for i := range 2 {
		if _, err := writeBatch(t, s, b); err != nil {
			t.Fatal(err)
		}
		if n := neo4jtest.Count(t, d, `MATCH (a:Audit) RETURN count(a) AS c`, nil); n != 1 {
			t.Fatalf("after write %d: %d audit records, want 1", i+1, n)
		}
	}
	_, err := writeBatch(t, s, model.Batch{Source: b.Source,
		Entities:      []model.EntityRecord{{ID: "actor:x", Kind: "Actor", Type: "STATE", Name: "X"}},
		Relationships: []model.RelationshipRecord{{From: "actor:x", Type: "IMPOSES", To: "policy:missing"}}})
	if err == nil {
		t.Fatal("a batch with a missing endpoint was written")
	}
	page, err := s.AuditLog(ctx, graph.PageQuery{First: 10}, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Records) != 1 {
		t.Fatalf("%d audit records, want 1 (the failed batch's rolled back with it): %+v", len(page.Records), page.Records)
	}
	got := page.Records[0]
	want := model.AuditRecord{Seq: 1, At: got.At, By: "ann", Action: "load", Source: "f.yaml",
		Counts: []model.AuditCount{{Key: "Actor created", Count: 2}}, Ids: []string{"actor:a", "actor:b"}, IdsTotal: 2}
	if fmt.Sprint(got) != fmt.Sprint(want) || got.At == "" {
		t.Errorf("audit record %+v, want %+v", got, want)
	}
}
