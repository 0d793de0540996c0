package bulk

import (
	"compress/gzip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tradegraph/gen"
	"tradegraph/graph/model"
	"tradegraph/loaders"
)

// The baseline input every reject case extends: valid rows, so that each case's
// report holds exactly the problems of the one row it adds.
const (
	baseNodes = `id:ID,:LABEL,type,name,aliases:string[],rate:float,unit,status,title,text
doc:a,Document,ARTICLE,,,,,,A title,China imposes a tariff on Gallium. Japan is concerned.
actor:china,Entity;Actor,COUNTRY,China,Beijing;PRC,,,,,
actor:japan,Actor,COUNTRY,Japan,,,,,,
policy:gallium-tariff,Policy,TARIFF,Gallium tariff,,25,percent,IN_FORCE,,
`
	baseRels = `:START_ID,:END_ID,:TYPE,confidence:float,evidenceDocs:string[],evidenceSentences:int[],evidenceQuotes:string[]
actor:china,policy:gallium-tariff,IMPOSES,,doc:a,1,China imposes a tariff
`
	baseJSONL = `{"kind":"Document","id":"doc:a","type":"ARTICLE","title":"A title","text":"China imposes a tariff on Gallium. Japan is concerned."}
{"kind":"Actor","id":"actor:china","type":"COUNTRY","name":"China","aliases":["Beijing"]}
{"kind":"Policy","id":"policy:gallium-tariff","type":"TARIFF","name":"Gallium tariff","status":"IN_FORCE","rate":25,"unit":"percent"}
{"type":"IMPOSES","from":"actor:china","to":"policy:gallium-tariff","evidence":[{"doc":"doc:a","sentence":1,"quote":"China imposes a tariff"}]}
`
)

// bulkDryRun writes files into a temporary directory (the test's working
// directory, so reports name them relatively) and loads them offline.
func bulkDryRun(t *testing.T, files map[string]string, order []string, maxRejects int) (Result, string, error) {
	t.Helper()
	dir := t.TempDir()
	t.Chdir(dir)
	for name, content := range files {
		if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var out strings.Builder
	res, err := Load(context.Background(), Options{DryRun: true, MaxRejects: maxRejects, Rejects: "rejects.txt",
		Checkpoint: "cp.json", Progress: "off", Out: &out}, order)
	report, rerr := os.ReadFile(filepath.Join(dir, "rejects.txt"))
	if rerr != nil && err == nil {
		t.Fatalf("no reject report: %v", rerr)
	}
	if err == nil && res.Read != res.Written+res.Rejected {
		t.Errorf("read %d, want written %d + rejected %d", res.Read, res.Written, res.Rejected)
	}
	return res, string(report), err
}

func TestBulkRejects(t *testing.T) {
	relTypes := strings.Join(model.RelTypeNames(), ", ")
	actorTypes := strings.Join(model.Subtypes[model.KindActor], ", ")
	tests := []struct {
		name string
		file string // which file the row is appended to
		row  string
		want []string // the exact reject report
	}{
		// Rows that cannot be read.
		{"csv wrong field count", "nodes.csv", `actor:x,Actor,COUNTRY`,
			[]string{`nodes.csv:6: csv: has 3 fields, the header has 10`}},
		{"csv bad quote", "nodes.csv", `actor:x,Actor,COUNTRY,"Un"closed,,,,,,`,
			[]string{`nodes.csv:6: csv: extraneous or missing " in quoted-field`}},
		{"csv number", "nodes.csv", `policy:x,Policy,TARIFF,X tariff,,abc,percent,IN_FORCE,,`,
			[]string{`nodes.csv:6: rate: "abc" is not a number`}},
		{"csv label with two kinds", "nodes.csv", `actor:x,Actor;Policy,COUNTRY,X,,,,,,`,
			[]string{`nodes.csv:6: kind: :LABEL "Actor;Policy" has more than one kind (want one of Actor, Meeting, Commodity, Policy or Document, optionally with Entity)`}},
		{"csv document column on an entity", "nodes.csv", `actor:x,Actor,COUNTRY,X,,,,,Title,`,
			[]string{`nodes.csv:6: title: applies to Document only, not to an entity`}},
		{"csv entity column on a document", "nodes.csv", `doc:b,Document,ARTICLE,Name,,,,,B,Some text.`,
			[]string{`nodes.csv:6: name: applies to entities only, not to a Document`}},
		// Entities and documents, by the model's rules.
		{"unknown kind", "nodes.csv", `actor:x,Country,COUNTRY,X,,,,,,`,
			[]string{`nodes.csv:6: kind: unknown kind "Country" (want Actor, Meeting, Commodity or Policy)`}},
		{"missing name", "nodes.csv", `actor:x,Actor,COUNTRY,,,,,,,`,
			[]string{`nodes.csv:6: name: is required`}},
		{"unknown subtype", "nodes.csv", `actor:x,Actor,NATION,X,,,,,,`,
			[]string{`nodes.csv:6: type: unknown Actor type "NATION" (want one of ` + actorTypes + `)`}},
		{"id prefix", "nodes.csv", `policy:x,Actor,COUNTRY,X,,,,,,`,
			[]string{`nodes.csv:6: id: "policy:x" must start with "actor:" for an Actor`}},
		{"field of another kind", "nodes.csv", `actor:x,Actor,COUNTRY,X,,,,IN_FORCE,,`,
			[]string{`nodes.csv:6: status: applies to Policy only, not to an Actor`}},
		{"duplicate id", "nodes.csv", `actor:china,Actor,COUNTRY,China again,,,,,,`,
			[]string{`nodes.csv:6: id: duplicate id "actor:china" (first defined at nodes.csv:3)`}},
		{"document without text", "nodes.csv", `doc:b,Document,ARTICLE,,,,,,B,`,
			[]string{`nodes.csv:6: text: is empty: a document needs its text`}},
		// Relationships.
		{"unknown type", "rels.csv", `actor:china,actor:japan,HATES,,doc:a,1,China`,
			[]string{`rels.csv:3: type: unknown relationship type "HATES" (want one of ` + relTypes + `)`}},
		{"unknown endpoint", "rels.csv", `actor:china,actor:nobody,CONCERNED_ABOUT,,doc:a,1,China`,
			[]string{`rels.csv:3: to: unknown entity "actor:nobody" (not in this input nor in the graph)`}},
		{"endpoint kind", "rels.csv", `actor:china,actor:japan,IMPOSES,,doc:a,1,China`,
			[]string{`rels.csv:3: to: IMPOSES cannot end at actor:japan, an Actor (allowed: Policy)`}},
		{"self loop", "rels.csv", `actor:china,actor:china,CONCERNED_ABOUT,,doc:a,1,China`,
			[]string{`rels.csv:3: to: a relationship cannot point at its own start actor:china`}},
		{"quote not verbatim", "rels.csv", `actor:japan,policy:gallium-tariff,CONCERNED_ABOUT,,doc:a,1,Japan is worried`,
			[]string{`rels.csv:3: evidence[0].quote: "Japan is worried" is not verbatim in doc:a sentence 1: "China imposes a tariff on Gallium."`}},
		{"sentence out of range", "rels.csv", `actor:japan,policy:gallium-tariff,CONCERNED_ABOUT,,doc:a,9,Japan`,
			[]string{`rels.csv:3: evidence[0].sentence: 9 is not a sentence of doc:a (it has 1..2)`}},
		{"unknown document", "rels.csv", `actor:japan,policy:gallium-tariff,CONCERNED_ABOUT,,doc:zz,1,Japan`,
			[]string{`rels.csv:3: evidence[0].doc: unknown document "doc:zz"`}},
		{"no evidence", "rels.csv", `actor:japan,policy:gallium-tariff,CONCERNED_ABOUT,,,,`,
			[]string{`rels.csv:3: evidence: is required: at least one item with doc, sentence and quote`}},
		{"evidence columns disagree", "rels.csv", `actor:japan,policy:gallium-tariff,CONCERNED_ABOUT,,doc:a,1;2,Japan`,
			[]string{`rels.csv:3: evidence: evidenceDocs, evidenceSentences and evidenceQuotes have 1, 2 and 1 items: want one of each per evidence item`}},
		{"sentence not a number", "rels.csv", `actor:japan,policy:gallium-tariff,CONCERNED_ABOUT,,doc:a,one,Japan`,
			[]string{`rels.csv:3: evidence[0].sentence: "one" is not a sentence number`}},
		{"confidence", "rels.csv", `actor:japan,policy:gallium-tariff,CONCERNED_ABOUT,1.5,doc:a,2,Japan is concerned`,
			[]string{`rels.csv:3: confidence: 1.5 is outside 0..1`}},
		{"duplicate relationship", "rels.csv", `actor:china,policy:gallium-tariff,IMPOSES,,doc:a,1,China imposes`,
			[]string{`rels.csv:3: duplicate relationship actor:china IMPOSES policy:gallium-tariff (first at rels.csv:2): merge their evidence into one entry`}},
		// JSON Lines: unreadable lines, then the same model rules.
		{"json syntax", "graph.jsonl", `{"kind": "Actor",`,
			[]string{`graph.jsonl:5: json: unexpected end of JSON input`}},
		{"json unknown field", "graph.jsonl", `{"kind":"Actor","id":"actor:x","type":"COUNTRY","name":"X","colour":"red"}`,
			[]string{`graph.jsonl:5: json: unknown field "colour"`}},
		{"json wrong type", "graph.jsonl", `{"kind":"Actor","id":"actor:x","type":"COUNTRY","name":"X","aliases":"Y"}`,
			[]string{`graph.jsonl:5: json: aliases: want []string, got string`}},
		{"json unknown record", "graph.jsonl", `{"id":"actor:x"}`,
			[]string{`graph.jsonl:5: json: cannot tell the record: want "kind" (an entity or a document) or "from" and "to" (a relationship)`}},
		{"json model rule", "graph.jsonl", `{"type":"IMPOSES","from":"actor:china","to":"actor:nobody","evidence":[{"doc":"doc:a","sentence":1,"quote":"China"}]}`,
			[]string{`graph.jsonl:5: to: unknown entity "actor:nobody" (not in this input nor in the graph)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{"nodes.csv": baseNodes, "rels.csv": baseRels}
			order := []string{"nodes.csv", "rels.csv"}
			if tt.file == "graph.jsonl" {
				files, order = map[string]string{"graph.jsonl": baseJSONL}, []string{"graph.jsonl"}
			}
			files[tt.file] += tt.row + "\n"
			res, report, err := bulkDryRun(t, files, order, -1)
			if err != nil {
				t.Fatalf("Bulk: %v", err)
			}
			if got, want := report, strings.Join(tt.want, "\n")+"\n"; got != want {
				t.Errorf("reject report:\n got: %q\nwant: %q", got, want)
			}
			if res.Rejected != 1 {
				t.Errorf("rejected %d rows, want 1", res.Rejected)
			}
		})
	}
}

func TestBulkMaxRejects(t *testing.T) {
	rels := baseRels
	for range 5 {
		rels += "actor:china,actor:nobody,CONCERNED_ABOUT,,doc:a,1,China\n"
	}
	res, report, err := bulkDryRun(t, map[string]string{"nodes.csv": baseNodes, "rels.csv": rels}, []string{"nodes.csv", "rels.csv"}, 2)
	if !errors.Is(err, ErrTooManyRejects) {
		t.Fatalf("err = %v, want ErrTooManyRejects", err)
	}
	if res.Rejected != 3 || res.Read != 8 || res.Read != res.Written+res.Rejected {
		t.Errorf("read %d, written %d, rejected %d; want 8 = 5 + 3", res.Read, res.Written, res.Rejected)
	}
	if n := strings.Count(report, "\n"); n != 3 {
		t.Errorf("report has %d lines, want 3:\n%s", n, report)
	}
}

func TestBulkHeaderErrors(t *testing.T) {
	tests := []struct{ header, want string }{
		{"id:ID,:LABEL,colour", `nodes.csv:1: header: unknown column "colour" (want one of aliases, announced, category, date, description, end, ended, inForce, language, name, place, publisher, rate, role, start, status, statusHistory, suspended, text, title, type, unit, url, uses, or a column typed :IGNORE)`},
		{"id:ID,name", `nodes.csv:1: header: missing column :LABEL (nodes need id:ID and :LABEL; relationships need :START_ID, :END_ID and :TYPE)`},
		{"id:ID,:LABEL,aliases", `nodes.csv:1: header: column "aliases": aliases is a string array (:string[])`},
		{"id:ID,:LABEL,rate:int", `nodes.csv:1: header: column "rate:int": rate is a number (:float or :double)`},
		{"id:ID,:LABEL,name,name", `nodes.csv:1: header: column "name" appears twice`},
		{"id:ID,:START_ID,:END_ID,:TYPE", `nodes.csv:1: header: a file holds nodes (id:ID) or relationships (:START_ID, :END_ID), not both`},
		{":START_ID,:END_ID,:TYPE", `nodes.csv:1: header: relationships need evidenceDocs:string[], evidenceSentences:int[] and evidenceQuotes:string[] columns (one item per evidence)`},
	}
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			var out strings.Builder
			t.Chdir(t.TempDir())
			os.WriteFile("nodes.csv", []byte(tt.header+"\n"), 0o644)
			_, err := Load(context.Background(), Options{DryRun: true, Rejects: "r.txt", Checkpoint: "c.json", Progress: "off", Out: &out}, []string{"nodes.csv"})
			if !errors.Is(err, loaders.ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
			if got := strings.TrimSpace(out.String()); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestBulkGeneratedInputIsValid checks that what gen writes loads without a reject.
func TestBulkGeneratedInputIsValid(t *testing.T) {
	for _, format := range []string{"csv", "jsonl"} {
		t.Run(format, func(t *testing.T) {
			dir := t.TempDir()
			st, err := gen.Generate(gen.Config{Seed: 7, Relationships: 3000, Format: format, Dir: dir})
			if err != nil {
				t.Fatal(err)
			}
			var out strings.Builder
			res, err := Load(context.Background(), Options{DryRun: true, MaxRejects: 0, Rejects: filepath.Join(dir, "r.txt"),
				Checkpoint: filepath.Join(dir, "c.json"), Progress: "off", Out: &out}, st.Files)
			if err != nil {
				t.Fatalf("Bulk: %v\n%s", err, out.String())
			}
			want := int64(st.Documents + st.Entities + st.Relationships)
			if res.Read != want || res.Written != want || res.Rejected != 0 {
				t.Errorf("read %d, valid %d, rejected %d; want %d, %d, 0", res.Read, res.Written, res.Rejected, want, want)
			}
		})
	}
}

// TestBulkCSVDialect checks the parts of the neo4j-admin header style beyond
// plain columns: id spaces, :IGNORE columns, a label without Entity, and gzip.
func TestBulkCSVDialect(t *testing.T) {
	nodes := "id:ID(Actor),:LABEL,name,type,comment:IGNORE\nactor:china,Actor,China,COUNTRY,anything\n" +
		"doc:a,Document,,ARTICLE,x\n"
	var gz strings.Builder
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(nodes))
	zw.Close()
	files := map[string]string{
		"nodes.csv.gz": gz.String(),
		"docs.csv":     "id:ID,:LABEL,title,text\ndoc:b,Document,B,China met Japan.\n",
		"rels.csv": ":START_ID(Actor),:END_ID(Actor),:TYPE,evidenceDocs:string[],evidenceSentences:int[],evidenceQuotes:string[],x:IGNORE\n" +
			"actor:china,actor:china,CONCERNED_ABOUT,doc:b,1,China,whatever\n",
	}
	res, report, err := bulkDryRun(t, files, []string{"nodes.csv.gz", "docs.csv", "rels.csv"}, -1)
	if err != nil {
		t.Fatal(err)
	}
	want := "nodes.csv.gz:3: title: is required\nnodes.csv.gz:3: text: is empty: a document needs its text\n" +
		"rels.csv:2: to: a relationship cannot point at its own start actor:china\n"
	if report != want {
		t.Errorf("report:\n got %q\nwant %q", report, want)
	}
	if res.Read != 4 || res.Written != 2 || res.Rejected != 2 {
		t.Errorf("read %d, valid %d, rejected %d; want 4, 2, 2", res.Read, res.Written, res.Rejected)
	}
}

func TestCheckpointIsForItsInputs(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "rels.csv")
	os.WriteFile(in, []byte("a\n"), 0o644)
	stamps, err := stampInputs([]string{in})
	if err != nil {
		t.Fatal(err)
	}
	cpPath := filepath.Join(dir, "cp.json")
	cp := checkpoint{Version: checkpointVersion, Inputs: stamps, Committed: position{phaseRelationships, 0, 7}, Rows: 6}
	if err := cp.save(cpPath); err != nil {
		t.Fatal(err)
	}
	got, found, err := readCheckpoint(cpPath, stamps)
	if err != nil || !found || got.Committed != cp.Committed || got.Rows != 6 {
		t.Fatalf("readCheckpoint = %+v, %v, %v; want the saved one", got, found, err)
	}
	os.WriteFile(in, []byte("a\nb\n"), 0o644) // the input changed since
	changed, _ := stampInputs([]string{in})
	if _, _, err := readCheckpoint(cpPath, changed); err == nil || !strings.Contains(err.Error(), "other input files") {
		t.Errorf("resuming against a changed input: err = %v, want a refusal", err)
	}
	if _, found, err := readCheckpoint(filepath.Join(dir, "none.json"), stamps); found || err != nil {
		t.Errorf("missing checkpoint: found %v, err %v; want neither", found, err)
	}
}

func TestProgressLine(t *testing.T) {
	var c counters
	c.read.Store(1234567)
	c.written.Store(1200000)
	c.rejected.Store(3)
	// Everything is read, half of it committed: the bar shows what is committed.
	c.bytes.Store(100)
	c.done.Store(50)
	c.phase.Store("relationships")
	p := &progress{bar: true, total: 100, c: &c, verb: "written", start: time.Now().Add(-10 * time.Second)}
	got := p.line()
	for _, want := range []string{"[===============               ]  50%", "1,234,567 rows read", "1,200,000 written", "3 rejected", "ETA 10s", "(relationships)"} {
		if !strings.Contains(got, want) {
			t.Errorf("bar %q lacks %q", got, want)
		}
	}
	p.bar = false
	if got := p.line(); !strings.HasPrefix(got, " 50% 1,234,567 rows read") {
		t.Errorf("line = %q", got)
	}
}
