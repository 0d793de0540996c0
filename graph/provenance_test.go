package graph_test

import (
	"context"
	"encoding/json"
	"testing"

	"tradegraph/graph"
	"tradegraph/graph/model"
	"tradegraph/graph/neo4jstore"
	"tradegraph/internal/neo4jtest"
)

// TestProvenanceAndFieldSources checks the API side of sources: a mutation is
// recorded under its token's name (api:<name>), an entity that a load and a
// mutation describe differently shows both values in fieldSources and both
// sources in provenance, the mutation that meets the disagreement reports it in
// extensions.warnings, and a relationship shows its provenance.
func TestProvenanceAndFieldSources(t *testing.T) {
	d := neo4jtest.Driver(t)
	neo4jtest.Reset(t, d)
	ctx := context.Background()
	store := neo4jstore.New(d, neo4jtest.Database, nil)
	if err := store.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	text := "Alpha imposes the levy."
	p, err := store.Prepare(model.Batch{Source: model.Source{ID: "data/alpha.yaml", By: "ana"},
		Documents: []model.DocumentRecord{{ID: "doc:alpha", Title: "Alpha", Text: text, Sentences: model.SplitSentences(text)}},
		Entities: []model.EntityRecord{
			{ID: "actor:alpha", Kind: "Actor", Type: "COUNTRY", Name: "Alpha", Aliases: []string{"A"}, Role: "state", Description: "A state."},
			{ID: "policy:levy", Kind: "Policy", Type: "TARIFF", Name: "Levy", Status: "IN_FORCE"}},
		Relationships: []model.RelationshipRecord{{From: "actor:alpha", Type: "IMPOSES", To: "policy:levy",
			Evidence: []model.Evidence{{Doc: "doc:alpha", Sentence: 1, Quote: "Alpha imposes the levy"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.WritePrepared(ctx, p); err != nil {
		t.Fatal(err)
	}
	srv := apiServer(t, graph.Options{Store: store, APIToken: mutationToken})
	r := post(t, srv.URL, `mutation { upsertEntity(input: {id: "actor:alpha", kind: ACTOR, type: "COUNTRY", name: "Alpha", aliases: ["Alphaland"], role: "republic"}) { id } }`, nil, withToken)
	if len(r.Errors) > 0 {
		t.Fatalf("upsertEntity: %s", r.raw)
	}
	warnings, _ := r.Extensions["warnings"].([]any)
	if len(warnings) != 1 {
		t.Errorf("upsertEntity meeting another source's role: warnings %v, want one (%s)", warnings, r.raw)
	}

	r = post(t, srv.URL, `{ entity(id: "actor:alpha") { aliases description ... on Actor { role }
		fieldSources { field conflict values { value sources } }
		provenance { source by firstSeen lastSeen }
		relationships { edges { node { provenance { source by } } } } } }`, nil, nil)
	if len(r.Errors) > 0 {
		t.Fatalf("query: %s", r.raw)
	}
	var got struct {
		Entity struct {
			Aliases      []string
			Description  string
			Role         string
			FieldSources []struct {
				Field    string
				Conflict bool
				Values   []model.SourcedValue
			}
			Provenance    []model.Provenance
			Relationships struct {
				Edges []struct {
					Node struct{ Provenance []model.Provenance }
				}
			}
		}
	}
	if err := json.Unmarshal(r.Data, &got); err != nil {
		t.Fatal(err)
	}
	e := got.Entity
	// "api:api-token" sorts before "data/alpha.yaml": with equal priorities, the
	// mutation's role is shown; the load's description stays (the mutation gives none).
	if e.Role != "republic" || e.Description != "A state." || len(e.Aliases) != 2 {
		t.Errorf("entity: role %q description %q aliases %q", e.Role, e.Description, e.Aliases)
	}
	roles := 0
	for _, fs := range e.FieldSources {
		if fs.Field == "role" {
			roles++
			if !fs.Conflict || len(fs.Values) != 2 || fs.Values[0].Sources[0] != "api:api-token" || fs.Values[1].Sources[0] != "data/alpha.yaml" {
				t.Errorf("role field sources: %+v", fs)
			}
		}
		if fs.Field == "description" && (fs.Conflict || len(fs.Values) != 1) {
			t.Errorf("description field sources: %+v", fs)
		}
	}
	if roles != 1 {
		t.Errorf("fieldSources lists role %d times: %+v", roles, e.FieldSources)
	}
	bySource := map[string]string{}
	for _, p := range e.Provenance {
		bySource[p.Source] = p.By
		if p.FirstSeen == "" || p.LastSeen < p.FirstSeen {
			t.Errorf("provenance times: %+v", p)
		}
	}
	if len(bySource) != 2 || bySource["api:api-token"] != "api-token" || bySource["data/alpha.yaml"] != "ana" {
		t.Errorf("entity provenance: %+v", e.Provenance)
	}
	if edges := e.Relationships.Edges; len(edges) != 1 || len(edges[0].Node.Provenance) != 1 || edges[0].Node.Provenance[0].Source != "data/alpha.yaml" {
		t.Errorf("relationship provenance: %+v", edges)
	}
}
