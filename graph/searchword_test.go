package graph_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"tradegraph/graph"
	"tradegraph/graph/neo4jstore"
	"tradegraph/internal/neo4jtest"
	"tradegraph/internal/seedtest"
)

// TestSearchWordAtTheLimit: a word of MaxSearchWord characters, also of four-byte
// characters, is searched without a database error (Lucene's automaton limit is in
// bytes), and one character more is BAD_USER_INPUT.
func TestSearchWordAtTheLimit(t *testing.T) {
	srv := apiServer(t, graph.Options{Store: neo4jstore.New(seedtest.Graph(t), neo4jtest.Database, nil)})
	for _, ch := range []string{"a", "é", "語", "𠀀"} {
		if r := post(t, srv.URL, `{ search(text: "`+strings.Repeat(ch, graph.MaxSearchWord)+`") { score } }`, nil, nil); len(r.Errors) > 0 {
			t.Errorf("%d × %q: %s, want an answer", graph.MaxSearchWord, ch, r.raw)
		}
		if r := post(t, srv.URL, `{ search(text: "`+strings.Repeat(ch, graph.MaxSearchWord+1)+`") { score } }`, nil, nil); r.code() != graph.EINVALID {
			t.Errorf("%d × %q: %s, want BAD_USER_INPUT", graph.MaxSearchWord+1, ch, r.raw)
		}
	}
}

// TestSearchFuzzyOnlyWhenNothingMatches: a word is matched within one edit only
// when the search finds nothing exactly or as a prefix. On the seed, "states"
// matches seven entities as written, and "state" (one edit away) one more policy,
// which "states" therefore does not return; a misspelt name still finds its
// entity, whatever other words of the text match.
func TestSearchFuzzyOnlyWhenNothingMatches(t *testing.T) {
	srv := apiServer(t, graph.Options{Store: neo4jstore.New(seedtest.Graph(t), neo4jtest.Database, nil)})
	ids := func(text string) []string {
		t.Helper()
		r := post(t, srv.URL, `query($s: String!) { search(text: $s, first: 50) { entity { id } } }`, map[string]any{"s": text}, nil)
		if len(r.Errors) > 0 {
			t.Fatalf("search %q: %s", text, r.raw)
		}
		var data struct {
			Search []struct{ Entity struct{ ID string } }
		}
		if err := json.Unmarshal(r.Data, &data); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, h := range data.Search {
			out = append(out, h.Entity.ID)
		}
		return out
	}
	const fuzzyOnly = "policy:opening-china-to-american-trade"
	if got := ids("state"); !slices.Contains(got, fuzzyOnly) {
		t.Errorf("search state: %v, want %s among them", got, fuzzyOnly)
	}
	if got := ids("states"); len(got) != 7 || slices.Contains(got, fuzzyOnly) {
		t.Errorf("search states: %v, want the 7 exact or prefix matches without %s", got, fuzzyOnly)
	}
	for text, want := range map[string]string{
		"Lutnik":                    "actor:howard-lutnick",
		"Howard Lutnik":             "actor:howard-lutnick",
		"Commerce Secretary Lutnik": "actor:howard-lutnick",
		"Bejing":                    "actor:china",
	} {
		if got := ids(text); len(got) == 0 || got[0] != want {
			t.Errorf("search %q: %v, want %s first", text, got, want)
		}
	}
}
