package graph_test

import (
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
