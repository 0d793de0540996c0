package bulk_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tradegraph/graph/model"
	"tradegraph/internal/neo4jtest"
	"tradegraph/loaders"
	"tradegraph/loaders/bulk"
)

// TestBulkSync: a bulk file reloaded with --sync loses what it no longer holds
// (a dry run lists it first and changes nothing); a file with a rejected row is
// not synced, so nothing it may still assert is lost; a file whose source id was
// last loaded from another file is refused before anything is read.
func TestBulkSync(t *testing.T) {
	d := emptyGraph(t)
	dir := t.TempDir()
	t.Chdir(dir) // source ids are paths relative to the working directory
	file := func(name, content string) string {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return name
	}
	const relHeader = ":START_ID,:END_ID,:TYPE,evidenceDocs:string[],evidenceSentences:int[],evidenceQuotes:string[]\n"
	alphaImposes := "actor:alpha,policy:levy,IMPOSES,doc:a,1,Alpha imposes the levy\n"
	betaImposes := "actor:beta,policy:levy,IMPOSES,doc:a,2,Beta imposes the levy too\n"
	docs := file("docs.csv", "id:ID,:LABEL,type,title,date,text\ndoc:a,Document,ARTICLE,A,2025-05,Alpha imposes the levy. Beta imposes the levy too.\n")
	nodes := file("nodes.csv", "id:ID,:LABEL,type,name,status\nactor:alpha,Actor,COUNTRY,Alpha,\nactor:beta,Actor,COUNTRY,Beta,\npolicy:levy,Policy,TARIFF,Levy,IN_FORCE\n")
	rels := file("rels.csv", relHeader+alphaImposes+betaImposes)

	load := func(o bulk.Options, files ...string) (string, error) {
		t.Helper()
		var out strings.Builder
		o.Graph, o.MaxRejects, o.Progress, o.Out = storeOf(d), -1, "off", &out
		o.Rejects, o.Checkpoint = filepath.Join(t.TempDir(), "rejects.txt"), filepath.Join(t.TempDir(), "c.json")
		o.Source = model.Source{By: "operator"}
		_, err := bulk.Load(context.Background(), o, files)
		return out.String(), err
	}
	mustLoad := func(o bulk.Options, files ...string) string {
		t.Helper()
		out, err := load(o, files...)
		if err != nil {
			t.Fatalf("bulk load %v: %v\n%s", files, err, out)
		}
		return out
	}
	count := func(cypher string) int64 { return neo4jtest.Count(t, d, cypher, nil) }
	betaRel := model.RelationshipID("actor:beta", "IMPOSES", "policy:levy")

	if out := mustLoad(bulk.Options{Sync: true}, docs, nodes, rels); strings.Contains(out, "--sync") {
		t.Errorf("the first load with --sync has nothing to retract, yet says:\n%s", out)
	}

	// Beta and its relationship leave the files.
	file("nodes.csv", "id:ID,:LABEL,type,name,status\nactor:alpha,Actor,COUNTRY,Alpha,\npolicy:levy,Policy,TARIFF,Levy,IN_FORCE\n")
	file("rels.csv", relHeader+alphaImposes)
	out := mustLoad(bulk.Options{Sync: true, DryRun: true}, docs, nodes, rels)
	for _, want := range []string{"rels.csv: --sync would retract 1 fact(s)", "relationship " + betaRel, "nodes.csv: --sync would retract 1 fact(s)", "entity       actor:beta"} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run --sync lacks %q:\n%s", want, out)
		}
	}
	if n := count(`MATCH (:Entity {id: 'actor:beta'})-[r:IMPOSES]->() RETURN count(r) AS c`); n != 1 {
		t.Fatalf("the dry run changed the graph: beta's relationship count %d", n)
	}

	// A rejected row in rels.csv: that file is not synced (beta's relationship
	// stays), nodes.csv is, but beta stays as long as its relationship needs it.
	file("rels.csv", relHeader+alphaImposes+"actor:alpha,policy:nowhere,IMPOSES,doc:a,1,Alpha imposes the levy\n")
	out = mustLoad(bulk.Options{Sync: true}, docs, nodes, rels)
	if !strings.Contains(out, "rels.csv: --sync skipped: 1 row(s) of this file were rejected") {
		t.Errorf("a file with a rejected row was synced, or not said:\n%s", out)
	}
	if n := count(`MATCH (:Entity {id: 'actor:beta'})-[r:IMPOSES]->() RETURN count(r) AS c`); n != 1 {
		t.Errorf("a file with a rejected row lost a relationship: %d left", n)
	}
	if !strings.Contains(out, "nodes.csv: --sync: 1 fact(s)") || !strings.Contains(out, "actor:beta") {
		t.Errorf("nodes.csv's sync does not report beta:\n%s", out)
	}
	if n := count(`MATCH (e:Entity {id: 'actor:beta'}) RETURN count(e) AS c`); n != 1 {
		t.Errorf("beta went while a relationship still needs it")
	}

	// Every row passes: the relationship goes, then beta with it on the next sync
	// of nodes.csv; both retractions are recorded under the operator.
	file("rels.csv", relHeader+alphaImposes)
	out = mustLoad(bulk.Options{Sync: true}, docs, nodes, rels)
	if !strings.Contains(strings.Join(strings.Fields(out), " "), "retracted relationship "+betaRel) {
		t.Errorf("--sync does not retract beta's relationship:\n%s", out)
	}
	if n := count(`MATCH ()-[r:IMPOSES]->() RETURN count(r) AS c`); n != 1 {
		t.Errorf("%d IMPOSES relationships after --sync, want alpha's alone", n)
	}
	mustLoad(bulk.Options{Sync: true}, nodes)
	if n := count(`MATCH (e:Entity {id: 'actor:beta'}) RETURN count(e) AS c`); n != 0 {
		t.Errorf("beta is still in the graph after its file dropped it and nothing needs it")
	}
	if n := count(`MATCH (r:Retraction {by: 'operator'}) WHERE r.id IN ['actor:beta', '` + betaRel + `'] RETURN count(r) AS c`); n != 2 {
		t.Errorf("%d retraction records for beta and its relationship, want 2", n)
	}
	if n := count(`MATCH (a:Entity {id: 'actor:alpha'})-[:IMPOSES]->(:Entity {id: 'policy:levy'}) RETURN count(a) AS c`); n != 1 {
		t.Errorf("alpha's relationship, still in the file, went")
	}

	// The same source id (nodes.csv) from another directory's file: refused.
	other := t.TempDir()
	if err := os.WriteFile(filepath.Join(other, "nodes.csv"), []byte("id:ID,:LABEL,type,name\nactor:gamma,Actor,COUNTRY,Gamma\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(other)
	before := count(`MATCH (n) RETURN count(n) AS c`)
	out, err := load(bulk.Options{Sync: true}, "nodes.csv")
	if !errors.Is(err, loaders.ErrInvalid) || !strings.Contains(out, `source id "nodes.csv" was last loaded from `+filepath.Join(dir, "nodes.csv")) {
		t.Errorf("--sync of another file with the same source id: %v\n%s", err, out)
	}
	if after := count(`MATCH (n) RETURN count(n) AS c`); after != before {
		t.Errorf("the refused load wrote %d node(s)", after-before)
	}
}
