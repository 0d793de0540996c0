package loaders_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tradegraph/graph/model"
	"tradegraph/loaders"
	"tradegraph/loaders/bulk"
)

// TestBulkSources checks that bulk rows are recorded under their file's source
// and the operator, and that an entity a bulk file describes differently from a
// curated file keeps both claims and reports the conflict.
func TestBulkSources(t *testing.T) {
	d := emptyGraph(t)
	dir := t.TempDir()
	a := writeDataset(t, dir, "a.yaml", sourcesDatasetA)
	mustLoad(t, d, loaders.Options{}, a)
	nodes := filepath.Join(dir, "nodes.csv")
	if err := os.WriteFile(nodes, []byte("id:ID,:LABEL,type,name,role\nactor:elphberg,Actor,PERSON,Rudolf Elphberg,Chancellor\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	_, err := bulk.Load(context.Background(), bulk.Options{Graph: storeOf(d), Source: model.Source{By: "bulker"},
		MaxRejects: -1, Progress: "off", Out: &out, Rejects: filepath.Join(dir, "rejects.txt"), Checkpoint: filepath.Join(dir, "c.json")}, []string{nodes})
	if err != nil {
		t.Fatalf("Bulk: %v\n%s", err, out.String())
	}
	if want := nodes + ` lines 2-2: actor:elphberg: conflict with other sources on role: "Chancellor"`; !strings.Contains(out.String(), want) {
		t.Errorf("bulk output lacks %q:\n%s", want, out.String())
	}
	prov, err := storeOf(d).Provenance(context.Background(), []string{"actor:elphberg"})
	if err != nil {
		t.Fatal(err)
	}
	bySource := map[string]string{}
	for _, p := range prov["actor:elphberg"] {
		bySource[p.Source] = p.By
	}
	if bySource[loaders.SourceID(nodes)] != "bulker" || len(bySource) != 2 {
		t.Errorf("provenance %+v, want test:a and %s by bulker", prov["actor:elphberg"], loaders.SourceID(nodes))
	}
	if _, _, role := entityFields(t, d, "actor:elphberg"); role != "Chancellor" {
		t.Errorf("role %q: want Chancellor (the bulk file's absolute path sorts before test:a)", role)
	}
}
