package neo4jstore_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
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

// TestEntitiesNewInOneStatement checks the entity path of a batch: entities that
// do not exist are created, with their claim, kind label and provenance, by the
// statement that locks the others (no second statement); entities that exist get
// the combination with their stored claims; a batch that names an entity twice
// keeps its last record; and every count adds up.
func TestEntitiesNewInOneStatement(t *testing.T) {
	d := neo4jtest.Driver(t)
	neo4jtest.Reset(t, d)
	w := neo4jstore.New(d, neo4jtest.Database, nil)
	ctx := context.Background()
	if err := w.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	// write writes b as src and returns its summary and how many entity
	// statements ran: the create-or-lock one, and the combination's.
	write := func(src string, ents ...model.EntityRecord) (model.Summary, int, int) {
		t.Helper()
		var tr graph.QueryTrace
		p, err := w.Prepare(model.Batch{Source: model.Source{ID: src, By: "test"}, Entities: ents})
		if err != nil {
			t.Fatal(err)
		}
		sum, err := w.WritePrepared(graph.WithTrace(ctx, &tr), p)
		if err != nil {
			t.Fatal(err)
		}
		first, combined := 0, 0
		for _, e := range tr.Entries() {
			switch {
			case strings.Contains(e.Cypher, "x._created"), strings.Contains(e.Cypher, "UNWIND $ids AS id\n\t\tMERGE"):
				first++
			case strings.Contains(e.Cypher, "UNWIND g.rows AS row"):
				combined++
			}
		}
		return sum, first, combined
	}
	a := model.EntityRecord{ID: "actor:a", Kind: "Actor", Type: "STATE", Name: "A"}
	m := model.EntityRecord{ID: "meeting:m", Kind: "Meeting", Type: "SUMMIT", Name: "M", Start: "2025-05"}
	sum, first, combined := write("test/one.csv", a, m)
	if want := (model.Summary{"Actor": {Created: 1}, "Meeting": {Created: 1}}); sum.Table() != want.Table() {
		t.Errorf("new entities:\n%s\nwant:\n%s", sum.Table(), want.Table())
	}
	if first != 1 || combined != 0 {
		t.Errorf("new entities ran %d first and %d combining statements, want 1 and 0", first, combined)
	}
	if n := neo4jtest.Count(t, d, `MATCH (e:Entity:Meeting {id: 'meeting:m'}) WHERE e.name = 'M' AND e.lifeFrom = date('2025-05-01')
		AND e.sources = ['test/one.csv'] AND e.prov STARTS WITH '[{"source":"test/one.csv"' AND e.claims CONTAINS '"M"'
		AND e._hash <> '' AND e._created IS NULL AND NOT e:Actor RETURN count(e) AS c`, nil); n != 1 {
		t.Error("the new meeting lacks its properties, label, claim or provenance, or kept the creation marker")
	}

	// The same again, and a new one: the existing ones are combined, unchanged.
	c := model.EntityRecord{ID: "commodity:c", Kind: "Commodity", Type: "MINERAL", Name: "C"}
	sum, first, combined = write("test/one.csv", a, m, c)
	if want := (model.Summary{"Actor": {Unchanged: 1}, "Meeting": {Unchanged: 1}, "Commodity": {Created: 1}}); sum.Table() != want.Table() {
		t.Errorf("a repeat with one new entity:\n%s\nwant:\n%s", sum.Table(), want.Table())
	}
	if first != 1 || combined != 1 {
		t.Errorf("a repeat ran %d first and %d combining statements, want 1 and 1", first, combined)
	}

	// Another source's claim on an existing entity is kept beside the first.
	a2 := a
	a2.Description = "Described by two"
	if sum, _, _ = write("test/two.csv", a2); sum.Table() != (model.Summary{"Actor": {Updated: 1}}).Table() {
		t.Errorf("a second source's claim:\n%s", sum.Table())
	}
	if n := neo4jtest.Count(t, d, `MATCH (e:Actor {id: 'actor:a'}) WHERE e.sources = ['test/one.csv', 'test/two.csv']
		AND e.claims CONTAINS 'test/one.csv' AND e.claims CONTAINS 'test/two.csv' AND e.description = 'Described by two' RETURN count(e) AS c`, nil); n != 1 {
		t.Error("the second source's claim did not join the first")
	}

	// An entity named twice in one batch: its last record is what the graph keeps.
	d1 := model.EntityRecord{ID: "actor:d", Kind: "Actor", Type: "STATE", Name: "D first"}
	d2 := model.EntityRecord{ID: "actor:d", Kind: "Actor", Type: "STATE", Name: "D last"}
	sum, _, _ = write("test/one.csv", d1, d2)
	if got := sum["Actor"]; got == nil || got.Created+got.Updated+got.Unchanged != 2 {
		t.Errorf("an entity named twice: %s", sum.Table())
	}
	if n := neo4jtest.Count(t, d, `MATCH (e:Actor {id: 'actor:d'}) WHERE e.name = 'D last' RETURN count(e) AS c`, nil); n != 1 {
		t.Error("an entity named twice in a batch does not hold its last record")
	}
}

// TestConcurrentClaimsOnANewEntity writes one new entity from two sources at
// once, many times: whichever creates it, the other must find it and add its
// claim, so both claims and both sources are always kept.
func TestConcurrentClaimsOnANewEntity(t *testing.T) {
	d := neo4jtest.Driver(t)
	neo4jtest.Reset(t, d)
	w := neo4jstore.New(d, neo4jtest.Database, nil)
	ctx := context.Background()
	if err := w.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	const rounds = 50
	for i := range rounds {
		id := fmt.Sprintf("actor:race-%d", i)
		var errs [2]error
		var wg sync.WaitGroup
		start := make(chan struct{})
		for j, src := range []string{"test/left.csv", "test/right.csv"} {
			p, err := w.Prepare(model.Batch{Source: model.Source{ID: src, By: "test"}, Entities: []model.EntityRecord{
				{ID: id, Kind: "Actor", Type: "STATE", Name: "Race " + src}}})
			if err != nil {
				t.Fatal(err)
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, errs[j] = w.WritePrepared(ctx, p)
			}()
		}
		close(start)
		wg.Wait()
		if err := errors.Join(errs[:]...); err != nil {
			t.Fatalf("round %d: %v", i, err)
		}
		claims, err := w.Claims(ctx, []string{id})
		if err != nil {
			t.Fatal(err)
		}
		if len(claims[id]) != 2 {
			t.Fatalf("round %d: %d claims kept, want both sources': %+v", i, len(claims[id]), claims[id])
		}
		if n := neo4jtest.Count(t, d, `MATCH (e:Actor {id: $id}) WHERE size(e.sources) = 2 RETURN count(e) AS c`, map[string]any{"id": id}); n != 1 {
			t.Fatalf("round %d: the entity does not list both sources", i)
		}
	}
}

// TestEvidenceCheckInTransaction writes relationships whose evidence the loaders
// did not check: each quote is checked against the stored sentence inside the
// transaction, the items of one document together; a wrong quote or a missing
// document fails the batch, naming the item, and nothing is written.
func TestEvidenceCheckInTransaction(t *testing.T) {
	d := neo4jtest.Driver(t)
	neo4jtest.Reset(t, d)
	w := neo4jstore.New(d, neo4jtest.Database, nil)
	if err := w.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	text := "Alpha imposes the levy. Beta objects to it."
	if _, err := writeBatch(t, w, model.Batch{
		Documents: []model.DocumentRecord{{ID: "doc:a", Title: "A", Text: text, Sentences: model.SplitSentences(text)}},
		Entities: []model.EntityRecord{{ID: "actor:alpha", Kind: "Actor", Type: "COUNTRY", Name: "Alpha"},
			{ID: "actor:beta", Kind: "Actor", Type: "COUNTRY", Name: "Beta"},
			{ID: "policy:levy", Kind: "Policy", Type: "TARIFF", Name: "Levy"}},
	}); err != nil {
		t.Fatal(err)
	}
	imposes := model.RelationshipRecord{From: "actor:alpha", Type: "IMPOSES", To: "policy:levy",
		Evidence: []model.Evidence{{Doc: "doc:a", Sentence: 1, Quote: "Alpha imposes the levy"}}}
	objects := model.RelationshipRecord{From: "actor:beta", Type: "CONCERNED_ABOUT", To: "policy:levy",
		Evidence: []model.Evidence{{Doc: "doc:a", Sentence: 2, Quote: "Beta objects"}, {Doc: "doc:a", Sentence: 1, Quote: "Alpha imposes"}}}
	wrong := objects
	wrong.Evidence = []model.Evidence{{Doc: "doc:a", Sentence: 2, Quote: "Beta objects"}, {Doc: "doc:a", Sentence: 1, Quote: "Beta objects"}}
	missing := model.RelationshipRecord{From: "actor:beta", Type: "ENDORSED", To: "policy:levy",
		Evidence: []model.Evidence{{Doc: "doc:missing", Sentence: 1, Quote: "Beta"}}}
	for _, c := range []struct {
		name string
		rels []model.RelationshipRecord
		want string // in the error; "" for none
	}{
		{"a wrong quote beside right ones", []model.RelationshipRecord{imposes, wrong}, "the quote of actor:beta|CONCERNED_ABOUT|policy:levy is not in sentence 1 of doc:a as stored"},
		{"a missing document", []model.RelationshipRecord{imposes, missing}, "actor:beta|ENDORSED|policy:levy cites document doc:missing, which is not in the graph"},
		{"every quote in its sentence", []model.RelationshipRecord{imposes, objects}, ""},
	} {
		before := neo4jtest.Count(t, d, "MATCH ()-[r]->() RETURN count(r) AS c", nil)
		_, err := writeBatch(t, w, model.Batch{Relationships: c.rels})
		after := neo4jtest.Count(t, d, "MATCH ()-[r]->() RETURN count(r) AS c", nil)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.want == "" && after != before+int64(len(c.rels)):
			t.Errorf("%s: %d relationships written, want %d", c.name, after-before, len(c.rels))
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want) || graph.ErrorCode(err) != graph.ECONFLICT):
			t.Errorf("%s: error %v, want a conflict naming %q", c.name, err, c.want)
		case c.want != "" && after != before:
			t.Errorf("%s: the failed batch wrote %d relationships", c.name, after-before)
		}
	}
}
