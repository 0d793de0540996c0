package loaders_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"tradegraph/graph/model"
	"tradegraph/internal/neo4jtest"
	"tradegraph/loaders"
)

// Two curated datasets by different authors that both declare actor:elphberg.
// A gives a description and the role "Prime Minister"; B gives no description,
// the role "Premier" and another alias. A's source id sorts first, so with equal
// priorities and one source each, A's role is shown whatever the load order.
const (
	sourcesDatasetA = `source: test:a
documents:
  - id: doc:a
    title: A
    text: Prime Minister Rudolf Elphberg met the smelters. Elphberg leads Ruritania.
entities:
  - id: actor:elphberg
    kind: Actor
    type: PERSON
    name: Rudolf Elphberg
    aliases: ["Elphberg"]
    role: Prime Minister
    description: "Head of the Ruritanian government."
  - id: actor:ruritania
    kind: Actor
    type: COUNTRY
    name: Ruritania
relationships:
  - type: LEADS
    from: actor:elphberg
    to: actor:ruritania
    evidence:
      - {doc: doc:a, sentence: 2, quote: Elphberg leads Ruritania}
`
	sourcesDatasetB = `source: test:b
documents:
  - id: doc:b
    title: B
    text: Premier Rudolf Elphberg spoke. Rudolf leads Ruritania.
entities:
  - id: actor:elphberg
    kind: Actor
    type: PERSON
    name: Rudolf Elphberg
    aliases: ["Rudolf"]
    role: Premier
  - id: actor:ruritania
    kind: Actor
    type: COUNTRY
    name: Ruritania
relationships:
  - type: LEADS
    from: actor:elphberg
    to: actor:ruritania
    evidence:
      - {doc: doc:b, sentence: 2, quote: Rudolf leads Ruritania}
`
)

// writeDataset writes a dataset into dir and returns its path.
func writeDataset(t *testing.T, dir, name, text string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// entityFields reads the shown fields of an entity.
func entityFields(t *testing.T, d neo4j.DriverWithContext, id string) (aliases []string, description, role string) {
	t.Helper()
	recs := query(t, d, `MATCH (e:Entity {id: $id}) RETURN e.aliases AS aliases, e.description AS description, coalesce(e.role, '') AS role`, map[string]any{"id": id})
	if len(recs) != 1 {
		t.Fatalf("entity %s: %d records", id, len(recs))
	}
	for _, a := range get[[]any](t, recs[0], "aliases") {
		aliases = append(aliases, a.(string))
	}
	return aliases, get[string](t, recs[0], "description"), get[string](t, recs[0], "role")
}

// TestTwoSourcesOneEntity loads two datasets that declare one entity in both
// orders: the same aliases (united), description (never erased by an absent
// one) and role (the conflict decided by the documented precedence) either way;
// each load that meets the other's claim reports the conflict at file:line:field.
func TestTwoSourcesOneEntity(t *testing.T) {
	dir := t.TempDir()
	a := writeDataset(t, dir, "a.yaml", sourcesDatasetA)
	b := writeDataset(t, dir, "b.yaml", sourcesDatasetB)
	type result struct {
		aliases           []string
		description, role string
	}
	wantAliases := []string{"Elphberg", "Rudolf"} // in precedence order: test:a's first
	var results []result
	for _, order := range [][]string{{a, b}, {b, a}} {
		d := emptyGraph(t)
		t.Logf("%v start", order)
		_, first := mustLoad(t, d, loaders.Options{By: "tester"}, order[0])
		t.Logf("first loaded")
		if strings.Contains(first, "conflict") {
			t.Errorf("first load %s reported a conflict on an empty graph:\n%s", order[0], first)
		}
		_, second := mustLoad(t, d, loaders.Options{By: "tester"}, order[1])
		var other, mine, otherVal string
		if order[1] == a {
			mine, other, otherVal = `"Prime Minister"`, "test:b", `"Premier"`
		} else {
			mine, other, otherVal = `"Premier"`, "test:a", `"Prime Minister"`
		}
		// file:line: entities[0].role: both values and the other source.
		wantLine := order[1] + ":12: entities[0].role: conflict on actor:elphberg: this source says " + mine + ", other sources say " + otherVal + " from " + other
		if !strings.Contains(second, wantLine) {
			t.Errorf("second load %s: want a line starting %q, got:\n%s", order[1], wantLine, second)
		}
		if !strings.Contains(second, "1 entity field(s) conflict with other sources") {
			t.Errorf("second load %s does not count the conflict:\n%s", order[1], second)
		}
		t.Logf("second loaded")
		var r result
		r.aliases, r.description, r.role = entityFields(t, d, "actor:elphberg")
		results = append(results, r)
		if !slices.Equal(r.aliases, wantAliases) || r.description != "Head of the Ruritanian government." || r.role != "Prime Minister" {
			t.Errorf("order %v: aliases %q description %q role %q; want %q, A's description and role", order, r.aliases, r.description, r.role, wantAliases)
		}
		// Both claims are kept, and the API's per-field view shows the disagreement.
		claims, err := storeOf(d).Claims(context.Background(), []string{"actor:elphberg"})
		if err != nil {
			t.Fatal(err)
		}
		var roles []model.FieldConflict
		for _, fc := range model.SourcesByField(claims["actor:elphberg"]) {
			if fc.Field == "role" {
				roles = append(roles, fc)
			}
		}
		if len(roles) != 1 || len(roles[0].Values) != 2 || roles[0].Values[0].Value != "Prime Minister" || !slices.Equal(roles[0].Values[1].Sources, []string{"test:b"}) {
			t.Errorf("order %v: role sources %+v, want Prime Minister (test:a) then Premier (test:b)", order, roles)
		}
		t.Logf("claims read")
		// Both sources assert the entity; its provenance names the loader.
		prov, err := storeOf(d).Provenance(context.Background(), []string{"actor:elphberg", model.RelationshipID("actor:elphberg", "LEADS", "actor:ruritania")})
		if err != nil {
			t.Fatal(err)
		}
		for id, ps := range prov {
			var srcs []string
			for _, p := range ps {
				srcs = append(srcs, p.Source)
				if p.By != "tester" || p.FirstSeen == "" || p.LastSeen < p.FirstSeen {
					t.Errorf("%s: provenance %+v, want by tester with times", id, p)
				}
			}
			slices.Sort(srcs)
			if !slices.Equal(srcs, []string{"test:a", "test:b"}) {
				t.Errorf("%s: provenance sources %q, want both", id, srcs)
			}
		}
		if len(prov) != 2 {
			t.Errorf("provenance of %d facts, want the entity's and the relationship's", len(prov))
		}
	}
	if !slices.Equal(results[0].aliases, results[1].aliases) || results[0].description != results[1].description || results[0].role != results[1].role {
		t.Errorf("the order of the loads changed the entity: %+v vs %+v", results[0], results[1])
	}
}

// TestDryRunListsEntityChanges checks that a dry run of a second dataset lists,
// field by field, what it would change on an entity that exists, with the
// conflict, and writes nothing; and that an explicit null clears only the
// file's own value.
func TestDryRunListsEntityChanges(t *testing.T) {
	dir := t.TempDir()
	a := writeDataset(t, dir, "a.yaml", sourcesDatasetA)
	b := writeDataset(t, dir, "b.yaml", sourcesDatasetB)
	d := emptyGraph(t)
	mustLoad(t, d, loaders.Options{}, a)
	before := graphState(t, d)
	_, out := mustLoad(t, d, loaders.Options{DryRun: true}, b)
	for _, want := range []string{
		b + ":7: actor:elphberg would change:",
		`  aliases      ["Elphberg"] -> ["Elphberg", "Rudolf"]`,
		b + `:12: entities[0].role: conflict on actor:elphberg: this source says "Premier", other sources say "Prime Minister" from test:a; "Prime Minister" is shown`,
		"dry run: nothing written",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "  description") || strings.Contains(out, "  role ") {
		t.Errorf("dry run lists the description or the role, which B does not change (absent; outranked):\n%s", out)
	}
	if after := graphState(t, d); after != before {
		t.Errorf("a dry run changed the graph: %s -> %s", before, after)
	}

	// With B loaded, A clears its own description explicitly: nobody else gives
	// one, so the entity has none; B's alias stays.
	mustLoad(t, d, loaders.Options{}, b)
	cleared := writeDataset(t, dir, "a.yaml", strings.Replace(sourcesDatasetA, `description: "Head of the Ruritanian government."`, "description: null", 1))
	_, out = mustLoad(t, d, loaders.Options{}, cleared)
	aliases, desc, _ := entityFields(t, d, "actor:elphberg")
	if desc != "" || !slices.Contains(aliases, "Rudolf") {
		t.Errorf("after A cleared its description: description %q aliases %q, want none and B's alias kept\n%s", desc, aliases, out)
	}
}

// TestSyncRetractsWhatASourceDropped loads a dataset and another source that
// shares one relationship, deletes two relationships from the first and reloads
// it: without --sync the load counts them; --dry-run --sync lists them; --sync
// retracts the one only it asserted (gone from every read, its retraction
// recorded) and keeps the one the other source asserts, without this source.
func TestSyncRetractsWhatASourceDropped(t *testing.T) {
	dir := t.TempDir()
	extra := `
  - type: PARTICIPATED_IN
    from: actor:ruritania
    to: meeting:talks
    evidence:
      - {doc: doc:a, sentence: 1, quote: met the smelters}
`
	withMeeting := strings.Replace(sourcesDatasetA, "relationships:\n", `  - id: meeting:talks
    kind: Meeting
    type: MEETING
    name: Talks
relationships:
`, 1) + extra
	a := writeDataset(t, dir, "a.yaml", withMeeting)
	b := writeDataset(t, dir, "b.yaml", sourcesDatasetB)
	d := emptyGraph(t)
	s := storeOf(d)
	mustLoad(t, d, loaders.Options{}, a)
	mustLoad(t, d, loaders.Options{}, b)
	leads := model.RelationshipID("actor:elphberg", "LEADS", "actor:ruritania")
	participated := model.RelationshipID("actor:ruritania", "PARTICIPATED_IN", "meeting:talks")

	// A without both relationships (and without the meeting).
	trimmed := sourcesDatasetA[:strings.Index(sourcesDatasetA, "relationships:")] + "relationships: []\n"
	writeDataset(t, dir, "a.yaml", trimmed)
	_, out := mustLoad(t, d, loaders.Options{}, a)
	if !strings.Contains(out, a+": 3 facts from this source are no longer in it (use --sync to retract them)") {
		t.Errorf("a load without --sync does not count the stale facts:\n%s", out)
	}
	before := graphState(t, d)
	_, out = mustLoad(t, d, loaders.Options{DryRun: true, Sync: true}, a)
	for _, want := range []string{"--sync would retract 3 fact(s)", "relationship " + participated, "relationship " + leads, "still asserted by test:b", "entity       meeting:talks"} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run --sync lacks %q:\n%s", want, out)
		}
	}
	if after := graphState(t, d); after != before {
		t.Errorf("--dry-run --sync changed the graph")
	}

	_, out = mustLoad(t, d, loaders.Options{Sync: true, By: "curator"}, a)
	for _, want := range []string{"retracted relationship " + participated, "unsourced relationship " + leads, "retracted entity       meeting:talks"} {
		if !strings.Contains(strings.Join(strings.Fields(out), " "), strings.Join(strings.Fields(want), " ")) {
			t.Errorf("--sync output lacks %q:\n%s", want, out)
		}
	}
	// Gone from every read: by id, from the entity's relationships, from the
	// neighbourhood, and the meeting with it.
	ctx := context.Background()
	if r, err := s.Relationship(ctx, participated); err != nil || r != nil {
		t.Errorf("retracted relationship by id: %v %v", r, err)
	}
	if nodes, err := s.Nodes(ctx, []string{"meeting:talks"}); err != nil || len(nodes) != 0 {
		t.Errorf("retracted entity by id: %v %v", nodes, err)
	}
	if n := neo4jtest.Count(t, d, `MATCH (:Entity {id: 'actor:ruritania'})-[r:PARTICIPATED_IN]-() RETURN count(r) AS c`, nil); n != 0 {
		t.Errorf("the retracted relationship is still in the graph (%d)", n)
	}
	// The retractions are recorded: what, when, by whom, by which load.
	recs := query(t, d, `MATCH (r:Retraction) RETURN r.what AS what, r.id AS id, r.source AS source, r.by AS by, r.at AS at, r.load AS load ORDER BY what`, nil)
	if len(recs) != 2 || get[string](t, recs[0], "id") != "meeting:talks" || get[string](t, recs[1], "id") != participated {
		t.Fatalf("retraction records: %v", recs)
	}
	for _, rec := range recs {
		if get[string](t, rec, "source") != "test:a" || get[string](t, rec, "by") != "curator" || get[string](t, rec, "at") == "" || !strings.Contains(get[string](t, rec, "load"), "curator") {
			t.Errorf("retraction record %v", rec.AsMap())
		}
	}
	// And in the audit trail, in the same transaction as the retraction.
	audit := query(t, d, `MATCH (a:Audit {action: 'sync'}) RETURN a.source AS source, a.by AS by, a.countKeys AS keys, a.countValues AS values, a.ids AS ids`, nil)
	if len(audit) != 1 {
		t.Fatalf("%d sync audit records, want 1", len(audit))
	}
	if get[string](t, audit[0], "source") != "test:a" || get[string](t, audit[0], "by") != "curator" ||
		fmt.Sprint(get[[]any](t, audit[0], "keys")) != "[entity retracted relationship retracted relationship unsourced]" ||
		fmt.Sprint(get[[]any](t, audit[0], "values")) != "[1 1 1]" || len(get[[]any](t, audit[0], "ids")) != 3 {
		t.Errorf("sync audit record %v", audit[0].AsMap())
	}
	// The relationship test:b also asserts stays, asserted by test:b alone.
	r, err := s.Relationship(ctx, leads)
	if err != nil || r == nil {
		t.Fatalf("the relationship another source asserts went: %v", err)
	}
	prov, err := s.Provenance(ctx, []string{leads})
	if err != nil {
		t.Fatal(err)
	}
	if ps := prov[leads]; len(ps) != 1 || ps[0].Source != "test:b" {
		t.Errorf("provenance of the kept relationship: %+v, want test:b only", ps)
	}
	if n := neo4jtest.Count(t, d, `MATCH ()-[r:LEADS]->() WHERE r.sources = ['test:b'] RETURN count(r) AS c`, nil); n != 1 {
		t.Errorf("sources of the kept relationship are not [test:b]")
	}
	// Synced, nothing is stale any more.
	_, out = mustLoad(t, d, loaders.Options{}, a)
	if strings.Contains(out, "no longer in it") {
		t.Errorf("after --sync the source still has stale facts:\n%s", out)
	}
}

// TestSyncInChunks: when a sync retracts more facts than one transaction takes,
// the relationships go in the first transactions, so an entity that only they
// needed is retracted too (in the order StaleFacts lists them, entities before
// relationships, the entity would be kept as still needed).
func TestSyncInChunks(t *testing.T) {
	defer loaders.SetRetractChunk(1)()
	dir := t.TempDir()
	withMeeting := strings.Replace(sourcesDatasetA, "relationships:\n", `  - id: meeting:talks
    kind: Meeting
    type: MEETING
    name: Talks
relationships:
  - type: PARTICIPATED_IN
    from: actor:ruritania
    to: meeting:talks
    evidence:
      - {doc: doc:a, sentence: 1, quote: met the smelters}
  - type: PARTICIPATED_IN
    from: actor:elphberg
    to: meeting:talks
    evidence:
      - {doc: doc:a, sentence: 1, quote: Rudolf Elphberg met the smelters}
`, 1)
	a := writeDataset(t, dir, "a.yaml", withMeeting)
	d := emptyGraph(t)
	mustLoad(t, d, loaders.Options{}, a)
	writeDataset(t, dir, "a.yaml", sourcesDatasetA[:strings.Index(sourcesDatasetA, "relationships:")]+"relationships: []\n")
	_, out := mustLoad(t, d, loaders.Options{Sync: true}, a)
	if !strings.Contains(out, "--sync: 4 fact(s)") {
		t.Errorf("--sync in chunks of one does not report the 4 facts:\n%s", out)
	}
	if n := neo4jtest.Count(t, d, `MATCH (m:Entity {id: 'meeting:talks'}) RETURN count(m) AS c`, nil); n != 0 {
		t.Errorf("the meeting only the retracted relationships needed was kept:\n%s", out)
	}
	if n := neo4jtest.Count(t, d, `MATCH (:Entity)-[r]->(:Entity) RETURN count(r) AS c`, nil); n != 0 {
		t.Errorf("%d relationships left after --sync of a file that has none", n)
	}
	if n := neo4jtest.Count(t, d, `MATCH (e:Entity) WHERE e.id IN ['actor:elphberg', 'actor:ruritania'] RETURN count(e) AS c`, nil); n != 2 {
		t.Errorf("entities still in the file went: %d of 2 left", n)
	}
}

// TestSyncAfterMerge: a source whose entity was merged into another keeps its
// contribution while it still asserts the old id (written to the survivor through
// the redirect), and loses it with --sync once it no longer does: the aliases the
// merge carried over go, the survivor's own source keeps everything it said.
func TestSyncAfterMerge(t *testing.T) {
	dir := t.TempDir()
	datasetC := `source: test:c
documents:
  - id: doc:c
    title: C
    text: Rudi Elphberg spoke. Rudi leads Ruritania.
entities:
  - id: actor:rudi
    kind: Actor
    type: PERSON
    name: Rudi Elphberg
    aliases: ["Rudi"]
  - id: actor:ruritania
    kind: Actor
    type: COUNTRY
    name: Ruritania
relationships:
  - type: LEADS
    from: actor:rudi
    to: actor:ruritania
    evidence:
      - {doc: doc:c, sentence: 2, quote: Rudi leads Ruritania}
`
	a := writeDataset(t, dir, "a.yaml", sourcesDatasetA)
	c := writeDataset(t, dir, "c.yaml", datasetC)
	d := emptyGraph(t)
	s := storeOf(d)
	mustLoad(t, d, loaders.Options{}, a)
	mustLoad(t, d, loaders.Options{}, c)
	if _, err := s.MergeEntities(context.Background(), "actor:rudi", "actor:elphberg", model.Source{ID: "cli", By: "curator"}); err != nil {
		t.Fatal(err)
	}
	aliases, description, _ := entityFields(t, d, "actor:elphberg")
	if !slices.Contains(aliases, "Rudi") || !slices.Contains(aliases, "Rudi Elphberg") {
		t.Fatalf("after the merge the survivor's aliases are %v, want Rudi and Rudi Elphberg among them", aliases)
	}

	// C unchanged, with --sync: it still asserts actor:rudi (now the survivor).
	_, out := mustLoad(t, d, loaders.Options{Sync: true}, c)
	if strings.Contains(out, "retracted") || strings.Contains(out, "unsourced") {
		t.Errorf("--sync of an unchanged source retracted something after a merge:\n%s", out)
	}
	if got, _, _ := entityFields(t, d, "actor:elphberg"); !slices.Contains(got, "Rudi") {
		t.Errorf("after reloading C the survivor's aliases are %v, want Rudi still", got)
	}

	// C without actor:rudi and its relationship.
	trimmed := datasetC[:strings.Index(datasetC, "  - id: actor:rudi")] + `  - id: actor:ruritania
    kind: Actor
    type: COUNTRY
    name: Ruritania
relationships: []
`
	writeDataset(t, dir, "c.yaml", trimmed)
	_, out = mustLoad(t, d, loaders.Options{Sync: true}, c)
	got, gotDescription, _ := entityFields(t, d, "actor:elphberg")
	if slices.Contains(got, "Rudi") || slices.Contains(got, "Rudi Elphberg") {
		t.Errorf("after C dropped actor:rudi with --sync the survivor still has its aliases: %v\n%s", got, out)
	}
	if !slices.Contains(got, "Elphberg") || gotDescription != description {
		t.Errorf("--sync of C took what A said: aliases %v, description %q (was %q)", got, gotDescription, description)
	}
	recs := query(t, d, `MATCH (e:Entity {id: 'actor:elphberg'}) RETURN e.sources AS sources, e.claims AS claims`, nil)
	if srcs := get[[]any](t, recs[0], "sources"); slices.Contains(srcs, any("test:c")) {
		t.Errorf("the survivor still names test:c among its sources: %v", srcs)
	}
	if claims := get[string](t, recs[0], "claims"); strings.Contains(claims, "test:c") {
		t.Errorf("the survivor still holds a claim of test:c: %s", claims)
	}
}

// TestSyncRefusesAnotherFilesSource: a file whose `source:` id was last loaded
// from another file is refused with --sync (it would retract everything that
// file asserts), with nothing written; loaded once without --sync it becomes the
// source's file, and --sync of it is accepted.
func TestSyncRefusesAnotherFilesSource(t *testing.T) {
	dir := t.TempDir()
	a := writeDataset(t, dir, "a.yaml", sourcesDatasetA)
	// Another author's file that happens to name the same source id.
	other := strings.Replace(sourcesDatasetB, "source: test:b", "source: test:a", 1)
	b := writeDataset(t, dir, "b.yaml", other)
	d := emptyGraph(t)
	mustLoad(t, d, loaders.Options{}, a)
	before := graphState(t, d)
	_, out, err := load(t, loaders.Options{Graph: storeOf(d), Sync: true}, b)
	if !errors.Is(err, loaders.ErrInvalid) {
		t.Fatalf("--sync of another file under test:a: %v, want it refused\n%s", err, out)
	}
	for _, want := range []string{b + `: source: source id "test:a" was last loaded from `, "a.yaml", "load it once without --sync"} {
		if !strings.Contains(out, want) {
			t.Errorf("the refusal lacks %q:\n%s", want, out)
		}
	}
	if after := graphState(t, d); after != before {
		t.Errorf("the refused --sync changed the graph")
	}
	// Reloading a.yaml itself with --sync is fine.
	mustLoad(t, d, loaders.Options{Sync: true}, a)
	// b.yaml replaces a.yaml: once without --sync, then --sync is accepted.
	mustLoad(t, d, loaders.Options{}, b)
	if _, out := mustLoad(t, d, loaders.Options{Sync: true}, b); strings.Contains(out, "last loaded from") {
		t.Errorf("--sync of the source's current file was refused:\n%s", out)
	}
}
