package neo4jstore_test

import (
	"context"
	"strings"
	"testing"

	"tradegraph/graph"
	"tradegraph/graph/model"
	"tradegraph/graph/neo4jstore"
	"tradegraph/internal/neo4jtest"
)

// TestWriterOutcomesInMixedBatches checks the per-kind and per-type counts of one
// statement over rows of several kinds and types, where some rows are new, some
// unchanged and some changed, and that a changed kind swaps the label.
func TestWriterOutcomesInMixedBatches(t *testing.T) {
	d := neo4jtest.Driver(t)
	neo4jtest.Reset(t, d)
	ctx := context.Background()
	w := neo4jstore.New(d, neo4jtest.Database, nil)
	if err := w.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	ents := []model.EntityRecord{
		{ID: "actor:a", Kind: "Actor", Type: "STATE", Name: "A"},
		{ID: "actor:b", Kind: "Actor", Type: "STATE", Name: "B"},
		{ID: "policy:p", Kind: "Policy", Type: "TARIFF", Name: "P"},
		{ID: "commodity:c", Kind: "Commodity", Type: "MINERAL", Name: "C"},
	}
	rels := []model.RelationshipRecord{
		{From: "actor:a", Type: "IMPOSES", To: "policy:p"},
		{From: "policy:p", Type: "TARGETS", To: "actor:b"},
		{From: "policy:p", Type: "RESTRICTS", To: "commodity:c"},
	}
	first, err := writeBatch(t, w, model.Batch{Entities: ents, Relationships: rels})
	if err != nil {
		t.Fatal(err)
	}
	want := model.Summary{
		"Actor": {Created: 2}, "Policy": {Created: 1}, "Commodity": {Created: 1},
		"IMPOSES": {Created: 1}, "TARGETS": {Created: 1}, "RESTRICTS": {Created: 1},
	}
	if first.Table() != want.Table() {
		t.Errorf("first write:\n%s\nwant:\n%s", first.Table(), want.Table())
	}

	// Again: one actor renamed, the commodity now a policy, one new actor; one
	// relationship changed, one unchanged, one new of a type already present.
	ents[1].Name = "B renamed"
	ents[3] = model.EntityRecord{ID: "commodity:c", Kind: "Policy", Type: "TARIFF", Name: "C"}
	ents = append(ents, model.EntityRecord{ID: "actor:n", Kind: "Actor", Type: "PERSON", Name: "N"})
	rels[0].Note = "changed"
	rels = append(rels, model.RelationshipRecord{From: "actor:n", Type: "IMPOSES", To: "policy:p"})
	second, err := writeBatch(t, w, model.Batch{Entities: ents, Relationships: rels})
	if err != nil {
		t.Fatal(err)
	}
	want = model.Summary{
		"Actor": {Created: 1, Updated: 1, Unchanged: 1}, "Policy": {Updated: 1, Unchanged: 1},
		"IMPOSES": {Created: 1, Updated: 1}, "TARGETS": {Unchanged: 1}, "RESTRICTS": {Unchanged: 1},
	}
	if second.Table() != want.Table() {
		t.Errorf("second write:\n%s\nwant:\n%s", second.Table(), want.Table())
	}
	if n := neo4jtest.Count(t, d, "MATCH (e:Entity:Policy {id: 'commodity:c'}) WHERE NOT e:Commodity RETURN count(e) AS c", nil); n != 1 {
		t.Errorf("the entity whose kind changed has the Policy label without Commodity: %d", n)
	}
	if n := neo4jtest.Count(t, d, "MATCH ()-[r]->() RETURN count(r) AS c", nil); n != 4 {
		t.Errorf("relationships: %d, want 4 (no duplicates)", n)
	}
	if n := neo4jtest.Count(t, d, "MATCH ()-[r:IMPOSES {note: 'changed'}]->() RETURN count(r) AS c", nil); n != 1 {
		t.Errorf("the changed relationship was not rewritten: %d", n)
	}

	// What was written outside tradegraph has no content hash: a load rewrites it
	// and counts it updated, not created (a bare relationship has no properties,
	// a bare node only its id).
	neo4jtest.Count(t, d, `CREATE (a:Entity:Actor {id: 'actor:ext'}), (b:Entity:Actor {id: 'actor:ext2', name: 'Ext 2'}),
		(a)-[:MEMBER_OF]->(b) RETURN count(*) AS c`, nil)
	third, err := writeBatch(t, w, model.Batch{
		Entities: []model.EntityRecord{{ID: "actor:ext", Kind: "Actor", Type: "STATE", Name: "Ext"},
			{ID: "actor:ext2", Kind: "Actor", Type: "STATE", Name: "Ext 2"}},
		Relationships: []model.RelationshipRecord{{From: "actor:ext", Type: "MEMBER_OF", To: "actor:ext2"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	want = model.Summary{"Actor": {Updated: 2}, "MEMBER_OF": {Updated: 1}}
	if third.Table() != want.Table() {
		t.Errorf("rows stored without a hash:\n%s\nwant:\n%s", third.Table(), want.Table())
	}

	// A relationship whose endpoint is missing fails the batch, which writes nothing.
	_, err = writeBatch(t, w, model.Batch{
		Entities:      []model.EntityRecord{{ID: "actor:x", Kind: "Actor", Type: "STATE", Name: "X"}},
		Relationships: []model.RelationshipRecord{{From: "actor:x", Type: "IMPOSES", To: "policy:missing"}},
	})
	if err == nil {
		t.Fatal("a relationship to a missing entity was accepted")
	}
	if n := neo4jtest.Count(t, d, "MATCH (e:Entity {id: 'actor:x'}) RETURN count(e) AS c", nil); n != 0 {
		t.Errorf("a failed batch left %d of its entities", n)
	}
}

// writeBatch prepares and writes b.
func writeBatch(t *testing.T, w *neo4jstore.Store, b model.Batch) (model.Summary, error) {
	t.Helper()
	if b.Source.ID == "" {
		b.Source = model.Source{ID: "test/batch.yaml", By: "test"}
	}
	p, err := w.Prepare(b)
	if err != nil {
		t.Fatalf("prepare: %v", err)
	}
	if p.Len() != b.Len() {
		t.Errorf("prepared %d records of %d", p.Len(), b.Len())
	}
	return w.WritePrepared(context.Background(), p)
}

// TestRecomputeOnlyAfterUpdates checks that a batch rederives the relationships
// of its nodes only when it updated a node: a first load (every node created)
// and a repeat (every node unchanged) skip the statement; a meeting whose dates
// change runs it, and its participation follows.
func TestRecomputeOnlyAfterUpdates(t *testing.T) {
	d := neo4jtest.Driver(t)
	neo4jtest.Reset(t, d)
	w := neo4jstore.New(d, neo4jtest.Database, nil)
	if err := w.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	ents := []model.EntityRecord{
		{ID: "actor:a", Kind: "Actor", Type: "STATE", Name: "A"},
		{ID: "meeting:m", Kind: "Meeting", Type: "SUMMIT", Name: "M", Start: "2025-05"},
	}
	rels := []model.RelationshipRecord{{From: "actor:a", Type: "PARTICIPATED_IN", To: "meeting:m"}}
	recomputed := func(b model.Batch) bool {
		t.Helper()
		var tr graph.QueryTrace
		p, err := w.Prepare(model.Batch{Source: model.Source{ID: "test/batch.yaml", By: "test"},
			Entities: b.Entities, Relationships: b.Relationships})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.WritePrepared(graph.WithTrace(context.Background(), &tr), p); err != nil {
			t.Fatal(err)
		}
		for _, e := range tr.Entries() {
			if strings.Contains(e.Cypher, "AS recomputed") {
				return true
			}
		}
		return false
	}
	if recomputed(model.Batch{Entities: ents, Relationships: rels}) {
		t.Error("a first write (every node created) ran the recompute statement")
	}
	if recomputed(model.Batch{Entities: ents}) {
		t.Error("a repeat (every node unchanged) ran the recompute statement")
	}
	ents[1].Start = "2025-06"
	if !recomputed(model.Batch{Entities: ents}) {
		t.Fatal("a meeting whose dates changed did not run the recompute statement")
	}
	if n := neo4jtest.Count(t, d, "MATCH (:Actor)-[r:PARTICIPATED_IN]->(:Meeting) WHERE r.effFrom = date('2025-06-01') RETURN count(r) AS c", nil); n != 1 {
		t.Errorf("the participation's effective start did not follow the meeting: %d", n)
	}
}
