package neo4jstore_test

import (
	"context"
	"maps"
	"slices"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"tradegraph/graph/model"
	"tradegraph/graph/neo4jstore"
	"tradegraph/internal/neo4jtest"
)

// checkKnown compares every entity's stored knownFrom with want (id -> day, ""
// for none; every entity of the graph must be named) and with the definition
// computed from scratch by an independent statement (the earliest knownFrom of
// the entity's relationships and dateFirst of the documents mentioning it), and
// checks that no entity is left flagged _knownStale.
func checkKnown(t *testing.T, d neo4j.DriverWithContext, step string, want map[string]string) {
	t.Helper()
	res, err := neo4j.ExecuteQuery(context.Background(), d, `
		MATCH (e:Entity)
		OPTIONAL MATCH (e)-[r]-(:Entity) WHERE r.knownFrom IS NOT NULL
		WITH e, min(r.knownFrom) AS k1
		OPTIONAL MATCH (doc:Document)-[:MENTIONS]->(e) WHERE doc.dateFirst IS NOT NULL
		WITH e, k1, min(doc.dateFirst) AS k2
		RETURN e.id AS id, e.knownFrom AS stored, e._knownStale AS stale,
			CASE WHEN k1 IS NULL THEN k2 WHEN k2 IS NULL OR k1 <= k2 THEN k1 ELSE k2 END AS def`,
		nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(neo4jtest.Database))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, rec := range res.Records {
		m := rec.AsMap()
		id := m["id"].(string)
		stored, def := dayOf(m["stored"]), dayOf(m["def"])
		got[id] = stored
		if stored != def {
			t.Errorf("%s: %s stored knownFrom %q, its relationships and mentions give %q", step, id, stored, def)
		}
		if m["stale"] != nil {
			t.Errorf("%s: %s left flagged _knownStale", step, id)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(want)) {
		if got[id] != want[id] {
			t.Errorf("%s: %s knownFrom %q, want %q", step, id, got[id], want[id])
		}
	}
	if len(got) != len(want) {
		t.Errorf("%s: %d entities, the test names %d", step, len(got), len(want))
	}
}

func dayOf(v any) string {
	if d, ok := v.(neo4j.Date); ok {
		return d.Time().Format("2006-01-02")
	}
	return ""
}

// TestEntityKnownFrom follows an entity's derived knownFrom (docs/model.md,
// "Time on the lists") through every way of changing it: the first load
// (relationships and mentions), a later load of an earlier document, a
// relationship whose evidence changes to a later document, documents re-dated,
// a mention dropped, an entity rewritten, a sync retraction, a deleted
// relationship, a merge, and the migration's backfill of a graph without it.
// Each step checks the exact days and the definition computed from scratch, so
// a writer that skips the derivation fails it.
func TestEntityKnownFrom(t *testing.T) {
	d := neo4jtest.Driver(t)
	neo4jtest.Reset(t, d)
	ctx := context.Background()
	w := neo4jstore.New(d, neo4jtest.Database, nil)
	if err := w.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	write := func(b model.Batch) {
		t.Helper()
		if _, err := writeBatch(t, w, b); err != nil {
			t.Fatal(err)
		}
	}
	doc := func(id, date, text string) model.DocumentRecord {
		return model.DocumentRecord{ID: id, Title: id, Date: date, Text: text, Sentences: model.SplitSentences(text)}
	}
	docs, ents, rels := timeDocs(), timeEntities(), timeRels()
	note := doc("doc:july-note", "2025-07-02", "Japan watched.")
	ents = append(ents, model.EntityRecord{ID: "actor:japan", Kind: "Actor", Type: "COUNTRY", Name: "Japan"})
	write(model.Batch{Documents: append(docs, note), Entities: ents, Relationships: rels,
		Mentions: []model.DocumentMentions{{Doc: note.ID, Entities: map[string][]int{"actor:japan": {1}}}}})
	want := map[string]string{
		"actor:china": "2025-06-11", "actor:united-states": "2025-06-11", "commodity:gallium": "2025-06-11",
		"meeting:london-talks": "2025-06-11", "policy:october-controls": "2025-10-20", "policy:truce": "2025-10-20",
		"commodity:germanium": "",           // its one fact is undated
		"actor:japan":         "2025-07-02", // a mention only
	}
	checkKnown(t, d, "first load", want)

	// A later load adds an earlier document: a new relationship citing it, and
	// a mention of germanium in it, lower what they touch.
	brief := doc("doc:may-brief", "2025-05-20", "The truce targets the United States. Germanium was discussed.")
	targetsUS := model.RelationshipRecord{From: "policy:truce", Type: "TARGETS", To: "actor:united-states",
		Evidence: []model.Evidence{{Doc: brief.ID, Sentence: 1, Quote: "The truce targets the United States"}}}
	write(model.Batch{Documents: []model.DocumentRecord{brief}, Relationships: []model.RelationshipRecord{targetsUS},
		Mentions: []model.DocumentMentions{{Doc: brief.ID, Entities: map[string][]int{"commodity:germanium": {2}}}}})
	want["policy:truce"], want["actor:united-states"], want["commodity:germanium"] = "2025-05-20", "2025-05-20", "2025-05-20"
	checkKnown(t, d, "an earlier document", want)

	// The relationship's evidence becomes the October report (an update): its
	// endpoints are known later again.
	targetsUS.Evidence = []model.Evidence{{Doc: "doc:october-report", Sentence: 3, Quote: "The truce was suspended"}}
	write(model.Batch{Relationships: []model.RelationshipRecord{targetsUS}})
	want["policy:truce"], want["actor:united-states"] = "2025-10-20", "2025-06-11"
	checkKnown(t, d, "evidence changed to a later document", want)

	// Back to the brief (an update that lowers), then to the report again.
	october := targetsUS.Evidence
	targetsUS.Evidence = []model.Evidence{{Doc: brief.ID, Sentence: 1, Quote: "The truce targets the United States"}}
	write(model.Batch{Relationships: []model.RelationshipRecord{targetsUS}})
	want["policy:truce"], want["actor:united-states"] = "2025-05-20", "2025-05-20"
	checkKnown(t, d, "evidence changed to an earlier document", want)
	targetsUS.Evidence = october
	write(model.Batch{Relationships: []model.RelationshipRecord{targetsUS}})
	want["policy:truce"], want["actor:united-states"] = "2025-10-20", "2025-06-11"
	checkKnown(t, d, "evidence changed to the later document again", want)

	// Documents re-dated: the June report later (through the relationships it
	// evidences), the July note later (through its mention only).
	docs[0].Date, note.Date = "2025-06-20", "2025-08-01"
	write(model.Batch{Documents: []model.DocumentRecord{docs[0], note}})
	for _, id := range []string{"actor:china", "actor:united-states", "commodity:gallium", "meeting:london-talks"} {
		want[id] = "2025-06-20"
	}
	want["actor:japan"] = "2025-08-01"
	checkKnown(t, d, "documents re-dated", want)

	// The brief no longer mentions germanium (its mentions are rewritten).
	write(model.Batch{Mentions: []model.DocumentMentions{{Doc: brief.ID, Entities: map[string][]int{}}}})
	want["commodity:germanium"] = ""
	checkKnown(t, d, "a mention dropped", want)

	// Rewriting an entity's fields keeps its knownFrom.
	china := ents[0]
	china.Description = "A state."
	if sum, err := writeBatch(t, w, model.Batch{Entities: []model.EntityRecord{china}}); err != nil {
		t.Fatal(err)
	} else if sum["Actor"].Updated != 1 {
		t.Fatalf("the rewrite of China: %+v, want one Actor updated", sum)
	}
	checkKnown(t, d, "an entity rewritten", want)

	// Sync retracts the relationship that made gallium and China known in June.
	controls := model.RelationshipID("actor:china", "CONTROLS", "commodity:gallium")
	if _, err := w.Retract(ctx, model.Source{ID: "test/batch.yaml", By: "test"},
		[]model.Stale{{What: "relationship", ID: controls}}, "test sync"); err != nil {
		t.Fatal(err)
	}
	if n := neo4jtest.Count(t, d, "MATCH ()-[r:CONTROLS {id: $id}]->() RETURN count(r) AS c", map[string]any{"id": controls}); n != 0 {
		t.Fatalf("the retraction left the relationship (%d)", n)
	}
	want["commodity:gallium"], want["actor:china"] = "2025-10-20", "2025-10-20"
	checkKnown(t, d, "a relationship retracted", want)

	// The API deletes the London talks' one relationship.
	if ok, err := w.DeleteRelationship(ctx, model.RelationshipID("actor:united-states", "PARTICIPATED_IN", "meeting:london-talks")); err != nil || !ok {
		t.Fatalf("delete: %v %v", ok, err)
	}
	want["meeting:london-talks"], want["actor:united-states"] = "", "2025-10-20"
	checkKnown(t, d, "a relationship deleted", want)

	// Japan (known from the note's mention) merged into China: the survivor
	// gets the mention, and the earlier day.
	if _, err := w.MergeEntities(ctx, "actor:japan", "actor:china", model.Source{By: "test"}); err != nil {
		t.Fatal(err)
	}
	delete(want, "actor:japan")
	want["actor:china"] = "2025-08-01"
	checkKnown(t, d, "a merge", want)

	// A graph written before knownFrom and statusChanged existed: the
	// migration derives them (the truce's history holds statuses other than
	// SUSPENDED; the October controls have no history).
	changed := "MATCH (p:Policy) WHERE p.statusChanged = true RETURN count(p) AS c"
	if n := neo4jtest.Count(t, d, changed, nil); n != 1 {
		t.Errorf("%d policies with statusChanged after the writes, want 1 (the truce)", n)
	}
	neo4jtest.Count(t, d, "MATCH (e:Entity) REMOVE e.knownFrom, e.statusChanged RETURN count(*) AS c", nil)
	if err := w.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	checkKnown(t, d, "backfilled", want)
	if n := neo4jtest.Count(t, d, "MATCH (p:Policy {id: 'policy:truce'}) WHERE p.statusChanged = true RETURN count(p) AS c", nil); n != 1 {
		t.Error("the backfill did not derive the truce's statusChanged")
	}
	if n := neo4jtest.Count(t, d, changed, nil); n != 1 {
		t.Errorf("%d policies with statusChanged after the backfill, want 1", n)
	}
}
