package graph_test

import (
	"encoding/json"
	"testing"

	"tradegraph/graph"
	"tradegraph/graph/neo4jstore"
	"tradegraph/internal/neo4jtest"
	"tradegraph/internal/seedtest"
)

// Names resolve in the API as analysts write them: with a title and a possessive,
// or as a country's adjective; and mentions tell adjectival ones apart.
func TestNamesAsWritten(t *testing.T) {
	driver := seedtest.Graph(t)
	srv := apiServer(t, graph.Options{Store: neo4jstore.New(driver, neo4jtest.Database, nil)})
	for _, tc := range []struct{ from, to, wantFrom, wantTo string }{
		{"Commerce Secretary Howard Lutnick's", "rare earth minerals", "actor:howard-lutnick", "commodity:rare-earth-minerals"},
		{"Chinese", "American", "actor:china", "actor:united-states"},
	} {
		resp := post(t, srv.URL, `query($f: String!, $t: String!) { paths(from: $f, to: $t, first: 1) { from { id } to { id } } }`,
			map[string]any{"f": tc.from, "t": tc.to}, nil)
		var data struct {
			Paths struct{ From, To struct{ ID string } }
		}
		if len(resp.Errors) > 0 || json.Unmarshal(resp.Data, &data) != nil {
			t.Fatalf("paths(%q, %q): %s", tc.from, tc.to, resp.raw)
		}
		if data.Paths.From.ID != tc.wantFrom || data.Paths.To.ID != tc.wantTo {
			t.Errorf("paths(%q, %q): got %s -> %s, want %s -> %s", tc.from, tc.to, data.Paths.From.ID, data.Paths.To.ID, tc.wantFrom, tc.wantTo)
		}
	}

	resp := post(t, srv.URL, `{ entity(id: "actor:united-states") { mentions { sentences adjectivalSentences kind } } }`, nil, nil)
	var data struct {
		Entity struct {
			Mentions []struct {
				Sentences, AdjectivalSentences []int
				Kind                           string
			}
		}
	}
	if len(resp.Errors) > 0 || json.Unmarshal(resp.Data, &data) != nil || len(data.Entity.Mentions) != 1 {
		t.Fatalf("mentions: %s", resp.raw)
	}
	// "American trade" (s7) and "U.S. optimism" (s8); the seed names the country elsewhere.
	m := data.Entity.Mentions[0]
	if len(m.AdjectivalSentences) != 2 || m.AdjectivalSentences[0] != 7 || m.AdjectivalSentences[1] != 8 || m.Kind != "NAME" {
		t.Errorf("got %+v, want adjectival sentences [7 8] of kind NAME", m)
	}
}
