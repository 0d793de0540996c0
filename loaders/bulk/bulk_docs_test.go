package bulk_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tradegraph/internal/neo4jtest"
	"tradegraph/loaders/bulk"
)

// TestBulkRewrittenDocument reloads a document whose new text no longer holds a
// quote of a relationship already in the graph: alone, the document is rejected
// (the report says which relationship and what to do) and the graph keeps the old
// text; with that relationship in the same load, quoting the new text, both are
// written.
func TestBulkRewrittenDocument(t *testing.T) {
	d := emptyGraph(t)
	dir := t.TempDir()
	file := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	const docHeader = "id:ID,:LABEL,type,title,date,text\n"
	const relHeader = ":START_ID,:END_ID,:TYPE,evidenceDocs:string[],evidenceSentences:int[],evidenceQuotes:string[]\n"
	nodes := file("nodes.csv", "id:ID,:LABEL,type,name,status\n"+
		"actor:alpha,Actor,COUNTRY,Alpha,\npolicy:levy,Policy,TARIFF,Levy,IN_FORCE\n")
	docs := file("docs.csv", docHeader+"doc:a,Document,ARTICLE,A,2025-05,Alpha imposes the levy. Beta responds.\n")
	rels := file("rels.csv", relHeader+"actor:alpha,policy:levy,IMPOSES,doc:a,1,Alpha imposes the levy\n")
	changedDocs := file("docs2.csv", docHeader+"doc:a,Document,ARTICLE,A,2025-05,Alpha lifts the levy. Beta responds.\n")
	newRels := file("rels2.csv", relHeader+"actor:alpha,policy:levy,IMPOSES,doc:a,1,Alpha lifts the levy\n")

	load := func(files ...string) (bulk.Result, string) {
		t.Helper()
		rejects := filepath.Join(t.TempDir(), "rejects.txt")
		var out strings.Builder
		res, err := bulk.Load(context.Background(), bulk.Options{Graph: storeOf(d),
			MaxRejects: -1, Progress: "off", Out: &out, Rejects: rejects, Checkpoint: filepath.Join(t.TempDir(), "c.json")}, files)
		if err != nil {
			t.Fatalf("Bulk: %v\n%s", err, out.String())
		}
		report, err := os.ReadFile(rejects)
		if err != nil {
			t.Fatal(err)
		}
		return res, string(report)
	}
	text := func() string {
		t.Helper()
		if neo4jtest.Count(t, d, "MATCH (x:Document {id: 'doc:a'}) WHERE x.text STARTS WITH 'Alpha lifts' RETURN count(x) AS c", nil) == 1 {
			return "new"
		}
		return "old"
	}

	if res, report := load(nodes, docs, rels); res.Rejected != 0 {
		t.Fatalf("first load rejected %d rows:\n%s", res.Rejected, report)
	}

	res, report := load(changedDocs)
	want := changedDocs + `:2: text: sentence 1 of the new text no longer contains "Alpha imposes the levy", which actor:alpha IMPOSES policy:levy in the graph quotes (evidence[0]): keep the text, or reload that relationship with new evidence in the same load` + "\n"
	if res.Rejected != 1 || report != want {
		t.Errorf("document alone: %d rejected, report:\n%s\nwant:\n%s", res.Rejected, report, want)
	}
	if got := text(); got != "old" {
		t.Errorf("the rejected document's text in the graph is the %s one", got)
	}

	if res, report := load(changedDocs, newRels); res.Rejected != 0 || res.Written != 2 {
		t.Errorf("document with its relationship: %d written, %d rejected:\n%s", res.Written, res.Rejected, report)
	}
	if got := text(); got != "new" {
		t.Errorf("the document's text in the graph is the %s one", got)
	}
	if n := neo4jtest.Count(t, d, "MATCH (:Entity {id: 'actor:alpha'})-[r:IMPOSES]->() WHERE r.evidenceQuotes = ['Alpha lifts the levy'] RETURN count(r) AS c", nil); n != 1 {
		t.Errorf("the relationship does not quote the new text (%d)", n)
	}
}
