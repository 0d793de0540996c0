package model

import (
	"reflect"
	"strings"
	"testing"
)

func fp(f float64) *float64 { return &f }

func TestCombineRelationships(t *testing.T) {
	ev := func(doc string, n int, q string) Evidence { return Evidence{Doc: doc, Sentence: n, Quote: q} }
	keep := RelationshipRecord{Type: "IMPOSES", From: "actor:a", To: "policy:p", Confidence: fp(0.6),
		Note: "kept note", Evidence: []Evidence{ev("doc:1", 1, "x")}}
	tests := []struct {
		name          string
		other         RelationshipRecord
		wantEvidence  []Evidence
		wantConf      float64
		wantNote      string
		wantValidFrom string
		wantConflicts []string
	}{
		{"duplicate evidence is kept once, lower confidence ignored",
			RelationshipRecord{Confidence: fp(0.5), Evidence: []Evidence{ev("doc:1", 1, "x")}},
			[]Evidence{ev("doc:1", 1, "x")}, 0.6, "kept note", "", nil},
		{"new evidence appended, higher confidence kept, empty field filled",
			RelationshipRecord{Confidence: fp(0.9), ValidFrom: "2025", Evidence: []Evidence{ev("doc:2", 3, "y")}},
			[]Evidence{ev("doc:1", 1, "x"), ev("doc:2", 3, "y")}, 0.9, "kept note", "2025", nil},
		{"no confidence means 1",
			RelationshipRecord{Evidence: []Evidence{ev("doc:1", 1, "x")}},
			[]Evidence{ev("doc:1", 1, "x")}, 1, "kept note", "", nil},
		{"a differing field is a conflict, the kept value stays",
			RelationshipRecord{Confidence: fp(0.1), Note: "other note", Evidence: []Evidence{ev("doc:1", 2, "x")}},
			[]Evidence{ev("doc:1", 1, "x"), ev("doc:1", 2, "x")}, 0.6, "kept note", "",
			[]string{`actor:a|IMPOSES|policy:p: note differs: kept "kept note", dropped "other note"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, conflicts := CombineRelationships(keep, tt.other)
			if !reflect.DeepEqual(got.Evidence, tt.wantEvidence) {
				t.Errorf("evidence %v, want %v", got.Evidence, tt.wantEvidence)
			}
			if *got.Confidence != tt.wantConf {
				t.Errorf("confidence %v, want %v", *got.Confidence, tt.wantConf)
			}
			if got.Note != tt.wantNote || got.ValidFrom != tt.wantValidFrom {
				t.Errorf("note %q validFrom %q, want %q %q", got.Note, got.ValidFrom, tt.wantNote, tt.wantValidFrom)
			}
			if !reflect.DeepEqual(conflicts, tt.wantConflicts) {
				t.Errorf("conflicts %q, want %q", conflicts, tt.wantConflicts)
			}
		})
	}
	if len(keep.Evidence) != 1 || *keep.Confidence != 0.6 {
		t.Errorf("CombineRelationships changed its input: %+v", keep)
	}
}

func TestBatchRedirect(t *testing.T) {
	into := map[string]string{"actor:usa": "actor:united-states"}
	ev := []Evidence{{Doc: "doc:1", Sentence: 1, Quote: "a"}}
	b := Batch{
		Entities: []EntityRecord{{ID: "actor:usa", Kind: "Actor"}, {ID: "actor:china", Kind: "Actor"}},
		Relationships: []RelationshipRecord{
			{Type: "MEETS", From: "actor:usa", To: "actor:china", Evidence: ev},
			{Type: "MEETS", From: "actor:united-states", To: "actor:china", Confidence: fp(0.5), Evidence: []Evidence{{Doc: "doc:1", Sentence: 2, Quote: "b"}}},
			{Type: "STATES", From: "actor:china", To: "policy:p", AttributedTo: "actor:usa", Evidence: ev},
		},
		Mentions: []DocumentMentions{{Doc: "doc:1", Entities: map[string][]int{"actor:usa": {3, 1}, "actor:united-states": {1, 2}}}},
	}
	got, skipped, err := b.Redirect(into)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Entities) != 1 || got.Entities[0].ID != "actor:china" {
		t.Errorf("entities %+v, want only actor:china", got.Entities)
	}
	if skipped["Actor"] == nil || skipped["Actor"].Unchanged != 1 {
		t.Errorf("skipped %v, want 1 Actor unchanged", skipped.Table())
	}
	if len(got.Relationships) != 2 {
		t.Fatalf("relationships %+v, want the two MEETS combined", got.Relationships)
	}
	if r := got.Relationships[0]; r.From != "actor:united-states" || len(r.Evidence) != 2 || confidenceOf(r) != 1 {
		t.Errorf("combined MEETS %+v, want from the survivor with both evidence items and confidence 1", r)
	}
	if r := got.Relationships[1]; r.AttributedTo != "actor:united-states" {
		t.Errorf("attributedTo %q, want the survivor", r.AttributedTo)
	}
	want := map[string][]int{"actor:united-states": {1, 2, 3}}
	if !reflect.DeepEqual(got.Mentions[0].Entities, want) {
		t.Errorf("mentions %v, want %v", got.Mentions[0].Entities, want)
	}
	if b.Relationships[0].From != "actor:usa" || len(b.Entities) != 2 {
		t.Errorf("Redirect changed its input")
	}

	self := Batch{Relationships: []RelationshipRecord{{Type: "MEETS", From: "actor:usa", To: "actor:united-states", Evidence: ev}}}
	if _, _, err := self.Redirect(into); err == nil || !strings.Contains(err.Error(), "cannot point at its own start") {
		t.Errorf("a relationship between the merged pair: err %v, want it refused", err)
	}
}
