package neo4jstore_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"tradegraph/graph"
	"tradegraph/graph/model"
	"tradegraph/graph/neo4jstore"
	"tradegraph/internal/neo4jtest"
)

// dump returns every node and relationship with all its properties, sorted: two
// equal dumps mean nothing changed.
func dump(t *testing.T, d neo4j.DriverWithContext) string {
	t.Helper()
	var lines []string
	for _, q := range []string{
		`MATCH (n) RETURN [l IN labels(n) | l] AS a, properties(n) AS p`,
		`MATCH (x)-[r]->(y) RETURN [x.id, type(r), y.id] AS a, properties(r) AS p`,
	} {
		res, err := neo4j.ExecuteQuery(context.Background(), d, q, nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(neo4jtest.Database))
		if err != nil {
			t.Fatal(err)
		}
		for _, rec := range res.Records {
			lines = append(lines, fmt.Sprint(rec.Values...))
		}
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

func mergeFixture(t *testing.T) (neo4j.DriverWithContext, *neo4jstore.Store, model.Batch) {
	t.Helper()
	d := neo4jtest.Driver(t)
	neo4jtest.Reset(t, d)
	s := neo4jstore.New(d, neo4jtest.Database, nil)
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	conf := func(f float64) *float64 { return &f }
	ev := func(n int, q string) []model.Evidence { return []model.Evidence{{Doc: "doc:1", Sentence: n, Quote: q}} }
	text := []string{"The USA imposes a tariff.", "The United States imposes a tariff.", "China and the USA met.", "USA said so."}
	b := model.Batch{
		Source:    model.Source{ID: "fixture.yaml", By: "ann"},
		Documents: []model.DocumentRecord{{ID: "doc:1", Title: "D", Text: strings.Join(text, " "), Sentences: text}},
		Entities: []model.EntityRecord{
			{ID: "actor:united-states", Kind: "Actor", Type: "STATE", Name: "United States", Aliases: []string{"US"}},
			{ID: "actor:usa", Kind: "Actor", Type: "STATE", Name: "USA", Aliases: []string{"U.S.", "us"}},
			{ID: "actor:china", Kind: "Actor", Type: "STATE", Name: "China"},
			{ID: "policy:tariff", Kind: "Policy", Type: "TARIFF", Name: "Tariff", Status: "IN_FORCE"},
		},
		Relationships: []model.RelationshipRecord{
			{Type: "IMPOSES", From: "actor:usa", To: "policy:tariff", Confidence: conf(0.9), Note: "from usa", Evidence: ev(1, "USA imposes")},
			{Type: "IMPOSES", From: "actor:united-states", To: "policy:tariff", Confidence: conf(0.5), Note: "from us", Evidence: ev(2, "United States imposes")},
			{Type: "MEMBER_OF", From: "actor:china", To: "actor:usa", Evidence: ev(3, "China and the USA")},
			{Type: "TARGETS", From: "policy:tariff", To: "actor:china", AttributedTo: "actor:usa", Evidence: ev(4, "USA said")},
		},
		Mentions: []model.DocumentMentions{{Doc: "doc:1", Entities: map[string][]int{"actor:usa": {1, 3}, "actor:united-states": {2}, "actor:china": {3}}}},
	}
	if _, err := writeBatch(t, s, b); err != nil {
		t.Fatal(err)
	}
	return d, s, b
}

// TestMergeRefusalsChangeNothing: each bad merge is refused with a clear message
// and leaves every node, relationship and property as it was.
func TestMergeRefusalsChangeNothing(t *testing.T) {
	d, s, _ := mergeFixture(t)
	ctx := context.Background()
	// A relationship between the pair would point at its own start after a merge.
	neo4jtest.Count(t, d, `MATCH (a {id: 'actor:usa'}), (b {id: 'actor:united-states'}) CREATE (a)-[:LEADS {id: 'x'}]->(b) RETURN count(*) AS c`, nil)
	before := dump(t, d)
	for _, tt := range []struct{ from, into, code, msg string }{
		{"actor:usa", "actor:usa", graph.EINVALID, "cannot merge actor:usa into itself"},
		{"actor:nobody", "actor:usa", graph.ENOTFOUND, `unknown entity "actor:nobody"`},
		{"actor:usa", "actor:nobody", graph.ENOTFOUND, `unknown entity "actor:nobody"`},
		{"actor:usa", "policy:tariff", graph.EINVALID, "actor:usa is an Actor and policy:tariff is a Policy; only entities of the same kind merge"},
		{"actor:usa", "actor:united-states", graph.EINVALID, "actor:usa LEADS actor:united-states would point at its own start"},
		{"actor:united-states", "actor:usa", graph.EINVALID, "would point at its own start"},
		{"doc:1", "actor:usa", graph.ENOTFOUND, `unknown entity "doc:1"`},
	} {
		_, err := s.MergeEntities(ctx, tt.from, tt.into, model.Source{By: "ann"})
		if graph.ErrorCode(err) != tt.code || !strings.Contains(graph.ErrorMessage(err), tt.msg) {
			t.Errorf("merge %s into %s: %v, want %s %q", tt.from, tt.into, err, tt.code, tt.msg)
		}
		if after := dump(t, d); after != before {
			t.Fatalf("merge %s into %s was refused but changed the graph:\nbefore:\n%s\nafter:\n%s", tt.from, tt.into, before, after)
		}
	}
}

func TestMergeMovesEverythingAndRedirects(t *testing.T) {
	d, s, fixture := mergeFixture(t)
	ctx := context.Background()
	res, err := s.MergeEntities(ctx, "actor:usa", "actor:united-states", model.Source{ID: "cli", By: "bob"})
	if err != nil {
		t.Fatal(err)
	}
	if res.RelationshipsMoved != 2 || res.RelationshipsCombined != 1 || res.MentionsMoved != 1 || res.AttributionsMoved != 1 {
		t.Errorf("moved %d (combined %d), mentions %d, attributions %d; want 2 (1), 1, 1",
			res.RelationshipsMoved, res.RelationshipsCombined, res.MentionsMoved, res.AttributionsMoved)
	}
	if want := []string{"USA", "U.S."}; !slices.Equal(res.AliasesAdded, want) {
		t.Errorf("aliases added %q, want %q (\"us\" is already an alias under another case)", res.AliasesAdded, want)
	}
	if len(res.Conflicts) != 1 || !strings.Contains(res.Conflicts[0], `note differs: kept "from us", dropped "from usa"`) {
		t.Errorf("conflicts %q, want the differing note", res.Conflicts)
	}
	if res.Into.GetID() != "actor:united-states" {
		t.Errorf("into %s", res.Into.GetID())
	}
	for q, want := range map[string]int64{
		`MATCH (e:Entity {id: 'actor:usa'}) RETURN count(e) AS c`:                                                       0,
		`MATCH (r:Redirect {id: 'actor:usa', into: 'actor:united-states'}) RETURN count(r) AS c`:                        1,
		`MATCH (:Entity {id: 'actor:united-states'})-[r:IMPOSES]->(:Entity {id: 'policy:tariff'}) RETURN count(r) AS c`: 1,
		// The combined relationship: both evidence items, the higher confidence, the survivor's note.
		`MATCH ()-[r:IMPOSES {confidence: 0.9, note: 'from us'}]->() WHERE size(r.evidenceDocs) = 2 AND r.id = $id RETURN count(r) AS c`:                1,
		`MATCH (:Entity {id: 'actor:china'})-[r:MEMBER_OF]->(:Entity {id: 'actor:united-states'}) RETURN count(r) AS c`:                                 1,
		`MATCH ()-[r:TARGETS {attributedTo: 'actor:united-states'}]->() RETURN count(r) AS c`:                                                           1,
		`MATCH (:Document {id: 'doc:1'})-[m:MENTIONS]->(:Entity {id: 'actor:united-states'}) WHERE m.sentences = [1, 2, 3] RETURN count(m) AS c`:        1,
		`MATCH (e:Entity {id: 'actor:united-states'}) WHERE e.aliases = ['US', 'USA', 'U.S.'] AND e.aliasText = 'US | USA | U.S.' RETURN count(e) AS c`: 1,
		`MATCH (a:Audit {action: 'merge', by: 'bob', source: 'cli'}) WHERE a.ids[0] = 'actor:usa' RETURN count(a) AS c`:                                 1,
	} {
		if n := neo4jtest.Count(t, d, q, map[string]any{"id": model.RelationshipID("actor:united-states", "IMPOSES", "policy:tariff")}); n != want {
			t.Errorf("%s: %d, want %d", q, n, want)
		}
	}

	// Reloading either dataset leaves the combined relationship as the merge made
	// it: the old one's (through the redirect) adds nothing new, the survivor's own
	// unchanged record keeps its content hash.
	combined := `MATCH ()-[r:IMPOSES {confidence: 0.9, note: 'from us'}]->() WHERE size(r.evidenceDocs) = 2 RETURN count(r) AS c`
	if _, err := writeBatch(t, s, fixture); err != nil {
		t.Fatal(err)
	}
	if n := neo4jtest.Count(t, d, combined, nil); n != 1 {
		t.Errorf("reloading the merged-away id's records undid the combined relationship")
	}
	own := model.Batch{Source: fixture.Source, Entities: fixture.Entities[:1], Relationships: fixture.Relationships[1:2]}
	sum, err := writeBatch(t, s, own)
	if err != nil {
		t.Fatal(err)
	}
	if want := (model.Summary{"Actor": {Unchanged: 1}, "IMPOSES": {Unchanged: 1}}); sum.Table() != want.Table() {
		t.Errorf("reloading the survivor's own records:\n%s\nwant:\n%s", sum.Table(), want.Table())
	}
	if n := neo4jtest.Count(t, d, combined, nil); n != 1 {
		t.Errorf("reloading the survivor's own records undid the combined relationship")
	}

	// The old id answers the survivor.
	nodes, err := s.Nodes(ctx, []string{"actor:usa"})
	if err != nil {
		t.Fatal(err)
	}
	if e, ok := nodes["actor:usa"].(model.Entity); !ok || e.GetID() != "actor:united-states" {
		t.Errorf("actor:usa answers %+v, want the survivor", nodes["actor:usa"])
	}
	// So do the traversals and the entity's history.
	sub, err := s.Neighborhood(ctx, graph.NeighborhoodQuery{ID: "actor:usa", Depth: 1, LimitPerType: 10, MaxNodes: 50})
	if err != nil || sub.Center == nil || sub.Center.GetID() != "actor:united-states" {
		t.Errorf("Neighborhood(actor:usa) = %+v, %v; want the survivor's", sub, err)
	}
	if _, err := s.Timeline(ctx, graph.TimelineQuery{ID: "actor:usa", First: 10}); graph.ErrorCode(err) == graph.ENOTFOUND {
		t.Errorf("Timeline(actor:usa): %v, want the survivor's", err)
	}
	ch, err := s.Changes(ctx, graph.ChangesQuery{ID: "actor:usa", From: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Now(), Depth: 1, First: 10})
	if err != nil || ch == nil {
		t.Errorf("Changes(actor:usa) = %+v, %v; want the survivor's", ch, err)
	}
	// So does a look-up by id that reads relationships ahead (entity(id) with
	// relationships selected).
	page, err := s.Entities(ctx, graph.EntityQuery{IDs: []string{"actor:usa"}, Rels: []graph.RelationshipQuery{{PageQuery: graph.PageQuery{First: 5}}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Entities) != 1 || page.Entities[0].GetID() != "actor:united-states" || page.Rels[0].Pages["actor:united-states"] == nil {
		t.Errorf("Entities(IDs: actor:usa) = %+v, want the survivor with its relationships", page)
	}
	kinds, _, err := s.Known(ctx, []string{"actor:usa"})
	if err != nil || kinds["actor:usa"] != model.KindActor {
		t.Errorf("Known(actor:usa) = %v, %v; want Actor", kinds, err)
	}

	// A batch that still uses the old id writes to the survivor; its record of the
	// old id is dropped, not written back.
	sum, err = writeBatch(t, s, model.Batch{
		Entities: []model.EntityRecord{{ID: "actor:usa", Kind: "Actor", Type: "STATE", Name: "USA"}},
		Relationships: []model.RelationshipRecord{{Type: "LEADS", From: "actor:usa", To: "actor:china",
			Evidence: []model.Evidence{{Doc: "doc:1", Sentence: 3, Quote: "China"}}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := (model.Summary{"Actor": {Unchanged: 1}, "LEADS": {Created: 1}}); sum.Table() != want.Table() {
		t.Errorf("write through the redirect:\n%s\nwant:\n%s", sum.Table(), want.Table())
	}
	if n := neo4jtest.Count(t, d, `MATCH (e:Entity {id: 'actor:usa'}) RETURN count(e) AS c`, nil); n != 0 {
		t.Errorf("the old id was written back as an entity")
	}
	if n := neo4jtest.Count(t, d, `MATCH (:Entity {id: 'actor:united-states'})-[r:LEADS {id: $id}]->(:Entity {id: 'actor:china'}) RETURN count(r) AS c`,
		map[string]any{"id": model.RelationshipID("actor:united-states", "LEADS", "actor:china")}); n != 1 {
		t.Errorf("the relationship naming the old id did not reach the survivor with the survivor's relationship id")
	}

	// So does a mutation, which reads the relationship back under the survivor's id.
	rel, err := s.UpsertRelationship(ctx, model.RelationshipRecord{Type: "CONCERNED_ABOUT", From: "actor:usa", To: "actor:china",
		Evidence: []model.Evidence{{Doc: "doc:1", Sentence: 3, Quote: "China"}}})
	if err != nil {
		t.Fatal(err)
	}
	if want := model.RelationshipID("actor:united-states", "CONCERNED_ABOUT", "actor:china"); rel == nil || rel.ID != want {
		t.Errorf("upsertRelationship from the old id returned %+v, want %s", rel, want)
	}

	// Merged again: refused, it is gone.
	_, err = s.MergeEntities(ctx, "actor:usa", "actor:china", model.Source{})
	if !strings.Contains(graph.ErrorMessage(err), "actor:usa was already merged into actor:united-states") {
		t.Errorf("merging a merged id: %v", err)
	}
	// A second merge re-points the first redirect: one hop, always.
	if _, err := s.MergeEntities(ctx, "actor:united-states", "actor:china", model.Source{}); err == nil ||
		!strings.Contains(graph.ErrorMessage(err), "would point at its own start") {
		t.Fatalf("united-states into china has relationships between them: %v", err)
	}
	neo4jtest.Count(t, d, `CREATE (:Entity:Actor {id: 'actor:america', kind: 'Actor', name: 'America'}) RETURN 1 AS c`, nil)
	if _, err := s.MergeEntities(ctx, "actor:united-states", "actor:america", model.Source{}); err != nil {
		t.Fatal(err)
	}
	if n := neo4jtest.Count(t, d, `MATCH (r:Redirect) WHERE r.into = 'actor:america' RETURN count(r) AS c`, nil); n != 2 {
		t.Errorf("%d redirects to actor:america, want 2 (the first re-pointed)", n)
	}
}
