package graph_test

import (
	"strings"
	"testing"

	"tradegraph/graph"
	"tradegraph/graph/neo4jstore"
	"tradegraph/internal/neo4jtest"
	"tradegraph/internal/seedtest"
)

// TestDocumentReadsFetchOnlyWhatIsSelected: a document list or a document by id
// that does not select sentences reads no document text (the statements return
// neither text nor sentences); selecting sentences adds one statement that reads
// them, for all documents of the request at once.
func TestDocumentReadsFetchOnlyWhatIsSelected(t *testing.T) {
	driver := seedtest.Graph(t)
	srv := apiServer(t, graph.Options{Store: neo4jstore.New(driver, neo4jtest.Database, nil), Explain: true})
	for _, tt := range []struct {
		name, query   string
		statements    int
		readSentences bool
	}{
		{"list of titles", `{ documents(first: 10) { edges { node { id title } } } }`, 1, false},
		{"document by id", `{ document(id: "doc:us-china-rare-earth-deal") { title url } }`, 1, false},
		{"mentions' documents", `{ entity(id: "actor:howard-lutnick") { ... on Actor { mentions { document { title } } } } }`, 2, false},
		{"list with sentences", `{ documents(first: 10) { edges { node { title sentences { number text } } } } }`, 2, true},
		{"document with sentences", `{ document(id: "doc:us-china-rare-earth-deal") { sentences { text } } }`, 2, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp := post(t, srv.URL, tt.query, nil, nil)
			if len(resp.Errors) > 0 {
				t.Fatalf("errors: %s", resp.raw)
			}
			queries, _ := resp.Extensions["cypher"].([]any)
			var texts []string
			readsSentences := false
			for _, q := range queries {
				c := q.(map[string]any)["cypher"].(string)
				texts = append(texts, c)
				if strings.Contains(c, "properties(d)") || strings.Contains(c, ".text") {
					t.Errorf("a statement reads whole documents:\n%s", c)
				}
				if strings.Contains(c, "d.sentences") {
					readsSentences = true
				}
			}
			if len(queries) != tt.statements || readsSentences != tt.readSentences {
				t.Errorf("%d statements (sentences read: %v), want %d (%v):\n%s", len(queries), readsSentences, tt.statements, tt.readSentences, strings.Join(texts, "\n----\n"))
			}
			if tt.readSentences && !strings.Contains(string(resp.Data), `"text":"`) {
				t.Errorf("selected sentences missing: %s", resp.Data)
			}
		})
	}
}
