package loaders_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"tradegraph/graph/model"
	"tradegraph/loaders"
)

// seedCounts reads the seed dataset with a plain YAML decode, independent of the
// loader's parser, and counts its documents, entities by kind and relationships by type.
func seedCounts(t *testing.T) (docs int, kinds, types map[string]int) {
	t.Helper()
	raw, err := os.ReadFile(seedDataset)
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Documents     []struct{ ID string }
		Entities      []struct{ Kind string }
		Relationships []struct{ Type string }
	}
	if err := yaml.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	kinds, types = map[string]int{}, map[string]int{}
	for _, e := range f.Entities {
		kinds[e.Kind]++
	}
	for _, r := range f.Relationships {
		types[r.Type]++
	}
	if len(f.Entities) == 0 || len(f.Relationships) == 0 {
		t.Fatalf("seed has %d entities and %d relationships, want some", len(f.Entities), len(f.Relationships))
	}
	return len(f.Documents), kinds, types
}

// printedTable parses the summary table Load prints: name -> created, updated, unchanged.
func printedTable(t *testing.T, out string) map[string]loaders.Outcome {
	t.Helper()
	rows := map[string]loaders.Outcome{}
	lines := strings.Split(out, "\n")
	start := slices.IndexFunc(lines, func(l string) bool { return strings.Fields(l)[0] == "created" })
	if start < 0 {
		t.Fatalf("no summary table in output:\n%s", out)
	}
	for _, l := range lines[start+1:] {
		f := strings.Fields(l)
		if len(f) != 4 {
			continue
		}
		n := make([]int, 3)
		for i := range n {
			var err error
			if n[i], err = strconv.Atoi(f[i+1]); err != nil {
				t.Fatalf("summary line %q: %v", l, err)
			}
		}
		rows[f[0]] = loaders.Outcome{Created: n[0], Updated: n[1], Unchanged: n[2]}
	}
	return rows
}

// countsInGraph returns Neo4j's own counts: entities by kind label, documents, and
// relationships by type.
func countsInGraph(t *testing.T, d neo4j.DriverWithContext) map[string]int {
	t.Helper()
	got := map[string]int{}
	for _, rec := range query(t, d, `MATCH (n) WHERE NOT n:Audit AND NOT n:AuditSeq AND NOT n:Source UNWIND labels(n) AS l WITH l WHERE l <> 'Entity' RETURN l AS k, count(*) AS c`, nil) {
		got[get[string](t, rec, "k")] = int(get[int64](t, rec, "c"))
	}
	for _, rec := range query(t, d, `MATCH ()-[r]->() RETURN type(r) AS k, count(*) AS c`, nil) {
		got[get[string](t, rec, "k")] = int(get[int64](t, rec, "c"))
	}
	return got
}

// TestLoadSeed loads the seed into an empty graph and checks that the summary, the
// printed table and Neo4j's own counts all equal the dataset's, and that a second
// load reports everything unchanged and leaves the graph as it was.
func TestLoadSeed(t *testing.T) {
	d := emptyGraph(t)
	nDocs, kinds, types := seedCounts(t)
	want := map[string]int{string(model.KindDocument): nDocs}
	for k, n := range kinds {
		want[k] = n
	}
	for k, n := range types {
		want[k] = n
	}

	sum, out := mustLoad(t, d, loaders.Options{}, seedDataset)
	mentions := sum[model.MentionsType]
	if mentions == nil || mentions.Created == 0 {
		t.Fatalf("got MENTIONS %v, want some created", mentions)
	}
	want[model.MentionsType] = mentions.Created // derived by the matcher, not in the file
	wantTotal := 0
	for key, n := range want {
		wantTotal += n
		if got, w := sum[key], (loaders.Outcome{Created: n}); got == nil || *got != w {
			t.Errorf("first load, %s: got %v, want %+v", key, got, w)
		}
	}
	if len(sum) != len(want) {
		t.Errorf("first load: got %d summary rows, want %d: %v", len(sum), len(want), sum)
	}
	printed := printedTable(t, out)
	for key, n := range want {
		if got, w := printed[key], (loaders.Outcome{Created: n}); got != w {
			t.Errorf("printed row %s: got %+v, want %+v", key, got, w)
		}
	}
	if got, w := printed["total"], (loaders.Outcome{Created: wantTotal}); got != w {
		t.Errorf("printed total: got %+v, want %+v", got, w)
	}
	if got := countsInGraph(t, d); !mapsEqual(got, want) {
		t.Errorf("counts in Neo4j: got %v, want %v", got, want)
	}
	wantValid := fmt.Sprintf("valid: %d document(s), %d entities, %d relationships\n", nDocs, sumValues(kinds), sumValues(types))
	if !strings.HasPrefix(out, wantValid) {
		t.Errorf("got output starting %q, want %q", out[:min(len(out), 80)], wantValid)
	}

	wantInDoc(t, docText(t), "text", "tradegraph load data/seed/us-china-rare-earth-deal.yaml", out)

	before := graphState(t, d)
	sum2, out2 := mustLoad(t, d, loaders.Options{}, seedDataset)
	for key, n := range want {
		if got, w := sum2[key], (loaders.Outcome{Unchanged: n}); got == nil || *got != w {
			t.Errorf("second load, %s: got %v, want %+v", key, got, w)
		}
	}
	if got, w := printedTable(t, out2)["total"], (loaders.Outcome{Unchanged: wantTotal}); got != w {
		t.Errorf("second load printed total: got %+v, want %+v", got, w)
	}
	if got := countsInGraph(t, d); !mapsEqual(got, want) {
		t.Errorf("counts in Neo4j after the second load: got %v, want %v", got, want)
	}
	if after := graphState(t, d); after != before {
		t.Errorf("second load changed the graph: got %v, want %v", after, before)
	}
}

// evidenceProblems checks every relationship in Neo4j except MENTIONS: it must have
// at least one evidence item, its three evidence lists must be parallel, and every
// quote must be a substring of the named sentence of the named document.
func evidenceProblems(t *testing.T, d neo4j.DriverWithContext) (checked int, problems []string) {
	t.Helper()
	docs := map[string][]string{}
	for _, rec := range query(t, d, `MATCH (d:Document) RETURN d.id AS id, d.sentences AS s`, nil) {
		for _, s := range get[[]any](t, rec, "s") {
			docs[get[string](t, rec, "id")] = append(docs[get[string](t, rec, "id")], s.(string))
		}
	}
	for _, rec := range query(t, d, `
		MATCH (a)-[r]->(b) WHERE type(r) <> 'MENTIONS'
		RETURN a.id + ' ' + type(r) + ' ' + b.id AS rel, r.evidenceDocs AS docs,
		       r.evidenceSentences AS sentences, r.evidenceQuotes AS quotes`, nil) {
		checked++
		rel := get[string](t, rec, "rel")
		evDocs, _, _ := neo4j.GetRecordValue[[]any](rec, "docs")
		evSents, _, _ := neo4j.GetRecordValue[[]any](rec, "sentences")
		evQuotes, _, _ := neo4j.GetRecordValue[[]any](rec, "quotes")
		if len(evDocs) == 0 {
			problems = append(problems, rel+": no evidence")
			continue
		}
		if len(evSents) != len(evDocs) || len(evQuotes) != len(evDocs) {
			problems = append(problems, fmt.Sprintf("%s: %d docs, %d sentences, %d quotes", rel, len(evDocs), len(evSents), len(evQuotes)))
			continue
		}
		for i := range evDocs {
			doc, n, quote := evDocs[i].(string), int(evSents[i].(int64)), evQuotes[i].(string)
			sentences := docs[doc]
			switch {
			case n < 1 || n > len(sentences):
				problems = append(problems, fmt.Sprintf("%s: %s has no sentence %d", rel, doc, n))
			case quote == "" || !strings.Contains(sentences[n-1], quote):
				problems = append(problems, fmt.Sprintf("%s: %q is not in %s sentence %d", rel, quote, doc, n))
			}
		}
	}
	return checked, problems
}

// TestSeedEvidenceInGraph checks the evidence of every seed relationship as stored
// in Neo4j, then that the check catches bad evidence written behind its back.
func TestSeedEvidenceInGraph(t *testing.T) {
	d := emptyGraph(t)
	mustLoad(t, d, loaders.Options{}, seedDataset)
	_, _, types := seedCounts(t)
	checked, problems := evidenceProblems(t, d)
	if checked != sumValues(types) {
		t.Errorf("checked %d relationships, want the seed's %d", checked, sumValues(types))
	}
	if len(problems) > 0 {
		t.Errorf("got evidence problems:\n%s", strings.Join(problems, "\n"))
	}

	query(t, d, `
		MATCH (a:Entity {id: 'actor:china'}), (b:Entity {id: 'commodity:semiconductors'})
		CREATE (a)-[:CONTROLS {evidenceDocs: ['doc:us-china-rare-earth-deal'], evidenceSentences: [14], evidenceQuotes: ['control of semiconductors']}]->(b)
		CREATE (a)-[:CONCERNED_ABOUT]->(b)`, nil)
	_, problems = evidenceProblems(t, d)
	want := []string{
		`actor:china CONTROLS commodity:semiconductors: "control of semiconductors" is not in doc:us-china-rare-earth-deal sentence 14`,
		"actor:china CONCERNED_ABOUT commodity:semiconductors: no evidence",
	}
	slices.Sort(problems)
	slices.Sort(want)
	if !slices.Equal(problems, want) {
		t.Errorf("after writing bad evidence: got %q, want %q", problems, want)
	}
	// The bad evidence was written behind the writer's back, to test the check;
	// it goes before the test ends, which asserts no broken quote is left.
	query(t, d, `MATCH (:Entity {id: 'actor:china'})-[r:CONTROLS|CONCERNED_ABOUT]->(:Entity {id: 'commodity:semiconductors'}) DELETE r`, nil)
}

// mentionsInGraph returns the MENTIONS of document doc: entity id -> sentence numbers.
func mentionsInGraph(t *testing.T, d neo4j.DriverWithContext, doc string) map[string][]int {
	t.Helper()
	got := map[string][]int{}
	for _, rec := range query(t, d, `MATCH (:Document {id: $doc})-[m:MENTIONS]->(e:Entity) RETURN e.id AS id, m.sentences AS s, m.count AS c`, map[string]any{"doc": doc}) {
		id := get[string](t, rec, "id")
		for _, n := range get[[]any](t, rec, "s") {
			got[id] = append(got[id], int(n.(int64)))
		}
		if c := get[int64](t, rec, "c"); int(c) != len(got[id]) {
			t.Errorf("MENTIONS %s: count %d, want %d (its sentences)", id, c, len(got[id]))
		}
	}
	return got
}

// TestArticleLoaderOnSeedArticle loads the seed's entities, then the seed article as
// an article, and checks the mentions it links, sentence by sentence.
func TestArticleLoaderOnSeedArticle(t *testing.T) {
	d := emptyGraph(t)
	mustLoad(t, d, loaders.Options{}, seedDataset)
	meta := loaders.ArticleMeta{ID: "doc:seed-article", Title: "Seed article, loaded as an article"}
	sum, out := mustLoad(t, d, loaders.Options{Article: meta}, seedArticle)
	if got, want := sum[string(model.KindDocument)], (loaders.Outcome{Created: 1}); got == nil || *got != want {
		t.Errorf("Document: got %v, want %+v", got, want)
	}
	got := mentionsInGraph(t, d, "doc:seed-article")

	// Read off the article by hand. Matching is longest first, so a span belongs to
	// one entity: "U.S. officials" (s9) is the officials, not the United States, and
	// "trade court ruling" (s11) is the ruling, not the court.
	want := map[string][]int{
		"actor:howard-lutnick":                      {3},                             // "Commerce Secretary, Howard Lutnick"
		"actor:xi-jinping":                          {2, 3},                          // "President Xi Jinping"; "between Trump and Jinping"
		"actor:donald-trump":                        {2, 3, 6, 9, 11},                // s7 says only "He"
		"actor:china":                               {1, 4, 5, 7, 8, 12, 13, 14, 15}, // "Beijing’s" in s5, "Beijing" in s15
		"actor:united-states":                       {1, 5, 6, 7, 8, 13, 14},         // United States, U.S., US, Washington (s14); "American trade" (s7)
		"actor:us-officials":                        {9},
		"actor:appeals-court":                       {11},
		"actor:trade-court":                         nil,
		"actor:china-commerce-ministry":             {8},
		"actor:chinese-technology-firms":            {15},
		"meeting:geneva-negotiations-2025-05":       {3},
		"meeting:trump-xi-phone-call":               {3},
		"meeting:london-negotiations":               {10},
		"meeting:us-china-trade-war":                {12},
		"meeting:may-de-escalation-meeting-2025-05": {13},
		"policy:us-china-rare-earth-framework":      {1, 3, 6, 10}, // tentative agreement, framework, tentative deal
		"policy:trade-court-ruling-on-levies":       {11},
		"policy:us-china-trade-truce":               {10},
		"commodity:us-goods":                        {12}, // s13's "American goods" is inside the 10 per cent tariff's name
		"commodity:fighter-jets":                    {14},
	}
	for id, w := range want {
		if g := got[id]; !slices.Equal(g, w) {
			t.Errorf("%s: got sentences %v, want %v", id, g, w)
		}
	}
	// Aliases resolve: the spans "Beijing" (s5, s15), "Jinping" (s3) and "Washington" (s14).
	sentences := seedSentences(t)
	m := loaders.NewMatcher(seedNames(t))
	for _, c := range []struct {
		sentence int
		text, id string
	}{{5, "Beijing", "actor:china"}, {15, "Beijing", "actor:china"}, {3, "Jinping", "actor:xi-jinping"}, {14, "Washington", "actor:united-states"}} {
		if !hasSpan(m, sentences[c.sentence-1], c.text, c.id) {
			t.Errorf("sentence %d: got spans %v, want %q resolved to %s", c.sentence, spanTexts(m, sentences[c.sentence-1]), c.text, c.id)
		}
	}
	// "American trade" (s7) and "U.S. optimism" (s8) mention the United States only by
	// adjective, and are stored as such.
	adj := query(t, d, `MATCH (:Document {id: 'doc:seed-article'})-[m:MENTIONS]->(e:Entity) WHERE m.adjectival IS NOT NULL RETURN e.id AS id, m.adjectival AS a`, nil)
	var adjGot []string
	for _, rec := range adj {
		adjGot = append(adjGot, fmt.Sprint(get[string](t, rec, "id"), get[[]any](t, rec, "a")))
	}
	if want := []string{"actor:united-states[7 8]"}; !slices.Equal(adjGot, want) {
		t.Errorf("adjectival mentions: got %v, want %v", adjGot, want)
	}
	// No bare title ("Commerce Secretary"), adjective ("American") or place ("on
	// Truth Social") is a candidate any more.
	for _, w := range []string{"Commerce Secretary", "American", "Truth Social"} {
		if strings.Contains(out, w) {
			t.Errorf("%q is listed as a candidate:\n%s", w, out)
		}
	}
	wantInDoc(t, docText(t), "text", `tradegraph load --id doc:seed-article --title "Seed article, loaded as an article" data/seed/us-china-rare-earth-deal.txt`, out)

	// The curated copy of the same text has the same mentions.
	if curated := mentionsInGraph(t, d, "doc:us-china-rare-earth-deal"); !mapsEqualFunc(curated, got) {
		t.Errorf("mentions of the curated document differ from the article's:\ngot  %v\nwant %v", curated, got)
	}

	// Re-loading the article changes nothing.
	before := graphState(t, d)
	sum2, _ := mustLoad(t, d, loaders.Options{Article: meta}, seedArticle)
	for key, o := range sum2 {
		if o.Created != 0 || o.Updated != 0 || o.Unchanged == 0 {
			t.Errorf("reload, %s: got %+v, want all unchanged", key, *o)
		}
	}
	if after := graphState(t, d); after != before {
		t.Errorf("reloading the article changed the graph: got %v, want %v", after, before)
	}
}

// TestEditOneEntity edits one entity's description in a copy of the seed and
// checks that reloading reports exactly one update and writes it.
func TestEditOneEntity(t *testing.T) {
	d := emptyGraph(t)
	mustLoad(t, d, loaders.Options{}, seedDataset)

	dir := t.TempDir()
	raw, err := os.ReadFile(seedDataset)
	if err != nil {
		t.Fatal(err)
	}
	old := `description: "Appeals court that placed the trade court ruling on Trump's levies on hold pending further litigation."`
	edited := `description: "Appeals court that put the trade court ruling on hold."`
	if n := strings.Count(string(raw), old); n != 1 {
		t.Fatalf("found the description %d times in the seed, want 1", n)
	}
	copyFile(t, seedArticle, filepath.Join(dir, filepath.Base(seedArticle)))
	path := filepath.Join(dir, "edited.yaml")
	if err := os.WriteFile(path, []byte(strings.Replace(string(raw), old, edited, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	sum, out := mustLoad(t, d, loaders.Options{}, path)
	updated := 0
	for key, o := range sum {
		updated += o.Updated
		if o.Created != 0 {
			t.Errorf("%s: got %d created, want 0", key, o.Created)
		}
	}
	if got := sum[string(model.KindActor)]; updated != 1 || got == nil || got.Updated != 1 {
		t.Errorf("got %d updated in all, Actor %v, want exactly 1, an Actor:\n%s", updated, got, out)
	}
	if got := printedTable(t, out)["total"].Updated; got != 1 {
		t.Errorf("printed total updated: got %d, want 1", got)
	}
	recs := query(t, d, `MATCH (e:Entity {id: 'actor:appeals-court'}) RETURN e.description AS d`, nil)
	if len(recs) != 1 || get[string](t, recs[0], "d") != "Appeals court that put the trade court ruling on hold." {
		t.Errorf("description in Neo4j: got %v, want the edited one", recs)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func sumValues(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func mapsEqualFunc(a, b map[string][]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

// seedSentences returns the seed article's sentences, as the loader numbers them.
func seedSentences(t *testing.T) []string {
	t.Helper()
	p, probs := loaders.ParseCurated(seedDataset)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	return p.Data.Documents[0].Sentences
}

// seedNames returns every name and alias of the seed's entities.
func seedNames(t *testing.T) []loaders.Name {
	t.Helper()
	p, probs := loaders.ParseCurated(seedDataset)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	var names []loaders.Name
	for _, e := range p.Data.Entities {
		names = append(names, loaders.Name{Text: e.Name, EntityID: e.ID})
		for _, a := range e.Aliases {
			names = append(names, loaders.Name{Text: a, EntityID: e.ID})
		}
	}
	return names
}

// hasSpan reports whether m finds text in sentence and resolves it to id.
func hasSpan(m *loaders.Matcher, sentence, text, id string) bool {
	for _, sp := range m.Find(sentence) {
		if sentence[sp.Start:sp.End] == text && sp.EntityID == id {
			return true
		}
	}
	return false
}

func spanTexts(m *loaders.Matcher, sentence string) []string {
	var out []string
	for _, sp := range m.Find(sentence) {
		out = append(out, sentence[sp.Start:sp.End]+"="+sp.EntityID)
	}
	return out
}

// TestReloadDocumentWithChangedText checks that a document already cited by the
// graph's evidence cannot be reloaded with text that breaks a quote, while the same
// text, or a change no quote depends on, loads.
func TestReloadDocumentWithChangedText(t *testing.T) {
	d := emptyGraph(t)
	mustLoad(t, d, loaders.Options{}, seedDataset)
	raw, err := os.ReadFile(seedArticle)
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	meta := loaders.ArticleMeta{ID: "doc:us-china-rare-earth-deal", Title: "Reloaded as an article"}
	dir := t.TempDir()
	article := func(name, old, new string) string {
		t.Helper()
		if strings.Count(text, old) != 1 {
			t.Fatalf("%q is not once in the seed article", old)
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(strings.Replace(text, old, new, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}

	before := graphState(t, d)
	path := article("edited.txt", "confirmed the deal yesterday", "confirmed the deal on Monday")
	_, out, err := load(t, loaders.Options{Graph: storeOf(d), Article: meta}, path)
	wantInvalid(t, err)
	want := path + `: text: sentence 3 of the new text no longer contains "Howard Lutnick, confirmed the deal yesterday", which actor:howard-lutnick CONFIRMED policy:us-china-rare-earth-framework in the graph quotes (evidence[0]): keep the text, or reload that relationship with new evidence in the same load` + "\n"
	if out != want {
		t.Errorf("got:\n%s\nwant:\n%s", out, want)
	}
	if after := graphState(t, d); after != before {
		t.Errorf("graph changed: got %v, want %v", after, before)
	}

	// Cutting the last sentence breaks every quote from it.
	path = article("cut.txt", " On the other hand, Beijing has voiced frustration over U.S. semiconductor export restrictions, which have affected the operations of Chinese technology firms.", "")
	_, out, err = load(t, loaders.Options{Graph: storeOf(d), Article: meta}, path)
	wantInvalid(t, err)
	if n := strings.Count(out, "the new text has no sentence 15"); n == 0 || n != strings.Count(out, "\n") {
		t.Errorf("got:\n%s\nwant only lines saying sentence 15 is gone", out)
	}

	// A change no quote depends on loads; so does the same text.
	for _, path := range []string{article("harmless.txt", "On the other hand, Beijing", "Meanwhile, Beijing"), seedArticle} {
		if _, out, err := load(t, loaders.Options{Graph: storeOf(d), Article: meta}, path); err != nil {
			t.Errorf("%s: got %v, want no error:\n%s", path, err, out)
		}
	}
}
