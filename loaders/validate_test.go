package loaders_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"tradegraph/graph/model"
	"tradegraph/loaders"
)

// fakeGraph is a loaders.GraphLookup over fixed maps that records what it was asked.
type fakeGraph struct {
	kinds     map[string]model.Kind
	sentences map[string][]string
	err       error
	asked     []string
}

func (g *fakeGraph) Known(_ context.Context, ids []string) (map[string]model.Kind, map[string][]string, error) {
	g.asked = append(g.asked, ids...)
	if g.err != nil {
		return nil, nil, g.err
	}
	kinds, sentences := map[string]model.Kind{}, map[string][]string{}
	for _, id := range ids {
		if k, ok := g.kinds[id]; ok {
			kinds[id] = k
		}
		if s, ok := g.sentences[id]; ok {
			sentences[id] = s
		}
	}
	return kinds, sentences, nil
}

var _ loaders.GraphLookup = (*fakeGraph)(nil)

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// extra relates entities of the input to an entity and a document already in the graph.
const extra = `entities:
  - id: commodity:tin
    kind: Commodity
    type: MINERAL
    name: Tin
relationships:
  - type: CONTROLS
    from: actor:ruritania
    to: commodity:tin
    evidence:
      - doc: doc:ruritania-tin-note
        sentence: 1
        quote: Ruritania bans exports of tin
`

func TestValidateCuratedLooksUpTheGraph(t *testing.T) {
	p, probs := loaders.ParseCurated(writeFile(t, "extra.yaml", extra))
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	g := &fakeGraph{
		kinds:     map[string]model.Kind{"actor:ruritania": model.KindActor, "doc:ruritania-tin-note": model.KindDocument},
		sentences: map[string][]string{"doc:ruritania-tin-note": {"Ruritania bans exports of tin."}},
	}
	ds, probs := loaders.ValidateCurated(context.Background(), []*loaders.Parsed{p}, g)
	if len(probs) > 0 {
		t.Fatalf("got %v, want no problems", probs)
	}
	slices.Sort(g.asked)
	if want := []string{"actor:ruritania", "doc:ruritania-tin-note"}; !slices.Equal(g.asked, want) {
		t.Errorf("asked the graph for %v, want only the ids the input lacks, %v", g.asked, want)
	}
	if len(ds.Entities) != 1 || len(ds.Relationships) != 1 || len(ds.Documents) != 0 {
		t.Errorf("got %d documents, %d entities, %d relationships, want 0, 1, 1", len(ds.Documents), len(ds.Entities), len(ds.Relationships))
	}

	// Offline (no graph), the same references dangle.
	_, probs = loaders.ValidateCurated(context.Background(), []*loaders.Parsed{p}, nil)
	var got []string
	for _, pr := range probs {
		got = append(got, pr.Field+": "+pr.Message)
	}
	want := []string{
		`relationships[0].from: unknown entity "actor:ruritania" (not in this input nor in the graph)`, // line 8
		`relationships[0].evidence[0].doc: unknown document "doc:ruritania-tin-note"`,                  // line 11
	}
	if !slices.Equal(got, want) {
		t.Errorf("offline: got %q, want %q", got, want)
	}

	// A graph that cannot answer is a problem, not a pass.
	g = &fakeGraph{err: errors.New("connection refused")}
	ds, probs = loaders.ValidateCurated(context.Background(), []*loaders.Parsed{p}, g)
	if ds == nil {
		t.Error("got a nil Dataset, want one (Load reads it)")
	}
	if len(probs) != 1 || !strings.Contains(probs[0].Message, "cannot look up referenced ids in the graph: connection refused") {
		t.Errorf("got %v, want one problem saying the lookup failed", probs)
	}
}

func TestValidateCuratedAcrossFiles(t *testing.T) {
	// The base file defines what the second file references; a duplicate across the
	// two names the first definition's file and line.
	dup := writeFile(t, "dup.yaml", extra+`  - type: RESTRICTS
    from: policy:ruritania-tin-export-ban
    to: commodity:tin
    evidence:
      - doc: doc:ruritania-tin-note
        sentence: 2
        quote: The ban took effect
`)
	var files []*loaders.Parsed
	for _, path := range []string{"testdata/valid/ruritania.yaml", dup} {
		p, probs := loaders.ParseCurated(path)
		if len(probs) > 0 {
			t.Fatal(probs)
		}
		files = append(files, p)
	}
	_, probs := loaders.ValidateCurated(context.Background(), files, nil)
	var got []string
	for _, pr := range probs {
		got = append(got, pr.String())
	}
	want := []string{
		dup + `:2: entities[0].id: duplicate id "commodity:tin" (first defined at testdata/valid/ruritania.yaml:22)`,
		dup + ":14: relationships[1]: duplicate relationship policy:ruritania-tin-export-ban RESTRICTS commodity:tin (first at testdata/valid/ruritania.yaml:40): merge their evidence into one entry",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestSummaryTable(t *testing.T) {
	s := loaders.Summary{}
	s.Merge(loaders.Summary{"TARGETS": {Created: 2}, "Policy": {Updated: 1, Unchanged: 3}, "Actor": {Created: 4}, "AFFECTS": {Unchanged: 5}})
	s.Merge(loaders.Summary{"Actor": {Created: 1, Unchanged: 1}})
	want := `                    created  updated  unchanged
Actor                     5        0          1
Policy                    0        1          3
AFFECTS                   0        0          5
TARGETS                   2        0          0
total                     7        1          9
`
	if got := s.Table(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestCheckCitations(t *testing.T) {
	sentences := map[string][]string{"doc:note": {"Ruritania bans exports of tin.", "The ban took effect in April 2025."}}
	cites := []loaders.Citation{
		{From: "actor:ruritania", Type: "IMPOSES", To: "policy:ban", Index: 0, Doc: "doc:note", Sentence: 1, Quote: "bans exports of tin"},
		{From: "policy:ban", Type: "RESTRICTS", To: "commodity:tin", Index: 1, Doc: "doc:note", Sentence: 2, Quote: "took effect in March 2025"},
		{From: "actor:ruritania", Type: "CONTROLS", To: "commodity:tin", Index: 0, Doc: "doc:note", Sentence: 3, Quote: "controls tin"},
		{From: "actor:x", Type: "LEADS", To: "actor:y", Index: 0, Doc: "doc:other", Sentence: 9, Quote: "not loaded now"},
		{From: "actor:ruritania", Type: "AFFECTS", To: "commodity:tin", Index: 0, Doc: "doc:note", Sentence: 2, Quote: "March"},
	}
	rewritten := map[string]bool{"actor:ruritania|AFFECTS|commodity:tin": true}
	at := func(doc string) loaders.Problem { return loaders.Problem{File: "note.txt", Field: "text"} }
	var got []string
	for _, p := range loaders.CheckCitations(cites, sentences, rewritten, at) {
		got = append(got, p.String())
	}
	want := []string{
		`note.txt: text: sentence 2 of the new text no longer contains "took effect in March 2025", which policy:ban RESTRICTS commodity:tin in the graph quotes (evidence[1]): keep the text, or reload that relationship with new evidence in the same load`,
		`note.txt: text: the new text has no sentence 3, which actor:ruritania CONTROLS commodity:tin in the graph quotes (evidence[0]): keep the text, or reload that relationship with new evidence in the same load`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestDatasetMayCiteAnArticleOfTheSameLoad(t *testing.T) {
	dataset := writeFile(t, "cites-article.yaml", `entities:
  - id: actor:ruritania
    kind: Actor
    type: COUNTRY
    name: Ruritania
  - id: commodity:tin
    kind: Commodity
    type: MINERAL
    name: Tin
relationships:
  - type: CONTROLS
    from: actor:ruritania
    to: commodity:tin
    evidence:
      - doc: doc:ruritania-tin-brief
        sentence: 2
        quote: Ruritania bans exports of tin
`)
	_, out, err := load(t, loaders.Options{DryRun: true}, "testdata/valid/ruritania-tin-brief.md", dataset)
	if want := "valid: 1 document(s), 2 entities, 1 relationships\ndry run: nothing written\n"; err != nil || out != want {
		t.Errorf("got %v:\n%s\nwant no error and %q", err, out, want)
	}
	// Without the article, the same dataset cites an unknown document.
	_, out, err = load(t, loaders.Options{DryRun: true}, dataset)
	wantInvalid(t, err)
	if want := dataset + `:15: relationships[0].evidence[0].doc: unknown document "doc:ruritania-tin-brief"` + "\n"; out != want {
		t.Errorf("got %q, want %q", out, want)
	}
}
