package neo4jstore_test

import (
	"context"
	"encoding/csv"
	"os"
	"strings"
	"testing"
	"time"

	"tradegraph/graph/model"
	"tradegraph/graph/neo4jstore"
)

// TestImportFilesEffectiveDates: the import files carry every relationship's
// effective dates, derived as model.EffectiveValidity derives them (the reference
// TestEffectiveMatchesModel holds the writer's Cypher to), whether the
// relationships come after their endpoints and evidence documents (as the loaders
// write them) or before (they wait until Close).
func TestImportFilesEffectiveDates(t *testing.T) {
	docs, ents, rels := timeDocs(), timeEntities(), timeRels()
	want := wantEff(t, docs, ents, rels)
	src := model.Source{ID: "test", By: "tester"}
	for name, batches := range map[string][]model.Batch{
		"nodes first":         {{Source: src, Documents: docs, Entities: ents}, {Source: src, Relationships: rels}},
		"relationships first": {{Source: src, Relationships: rels}, {Source: src, Entities: ents}, {Source: src, Documents: docs}},
		"one batch":           {{Source: src, Documents: docs, Entities: ents, Relationships: rels}},
	} {
		t.Run(name, func(t *testing.T) {
			w, err := neo4jstore.NewImportFiles(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			for _, b := range batches {
				p, err := w.Prepare(b)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := w.WritePrepared(context.Background(), p); err != nil {
					t.Fatal(err)
				}
			}
			m, err := w.Close([]string{"test"}, "tester")
			if err != nil {
				t.Fatal(err)
			}
			compareEff(t, effInFiles(t, m.Relationships), want)
		})
	}
}

// effInFiles reads the effective dates of the relationships in the import files.
func effInFiles(t *testing.T, paths []string) map[string]storedEff {
	t.Helper()
	day := func(s string) time.Time {
		if s == "" {
			return time.Time{}
		}
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	out := map[string]storedEff{}
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		col := map[string]int{}
		for i, h := range recs[0] {
			col[h] = i
		}
		get := func(rec []string, h string) string {
			if i, ok := col[h]; ok {
				return rec[i]
			}
			return ""
		}
		for _, rec := range recs[1:] {
			key := strings.Join([]string{get(rec, ":START_ID(Entity)"), get(rec, ":TYPE"), get(rec, ":END_ID(Entity)")}, "|")
			span := strings.ReplaceAll(get(rec, "effSpan:date[]"), string(neo4jstore.ImportArrayDelimiter), "..")
			out[key] = storedEff{day(get(rec, "effFrom:date")), day(get(rec, "effTo:date")), day(get(rec, "knownFrom:date")), get(rec, "dateSource:string"), span}
		}
	}
	return out
}
