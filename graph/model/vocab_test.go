package model

import (
	"regexp"
	"slices"
	"testing"
)

func TestVocabulary(t *testing.T) {
	typeName := regexp.MustCompile(`^[A-Z]+(?:_[A-Z]+)*$`)
	seen := map[RelType]bool{}
	for _, s := range Vocabulary {
		if seen[s.Type] {
			t.Errorf("%s: listed twice", s.Type)
		}
		seen[s.Type] = true
		if !typeName.MatchString(string(s.Type)) {
			t.Errorf("%s: want an UPPER_SNAKE name (it becomes a Neo4j relationship type)", s.Type)
		}
		if s.Verb == "" || s.Description == "" {
			t.Errorf("%s: got verb %q and description %q, want both", s.Type, s.Verb, s.Description)
		}
		if len(s.From) == 0 || len(s.To) == 0 {
			t.Errorf("%s: got From %v To %v, want both non-empty", s.Type, s.From, s.To)
		}
		for _, k := range slices.Concat(s.From, s.To) {
			if _, ok := ParseKind(string(k)); !ok || k == KindDocument {
				t.Errorf("%s: endpoint kind %q, want an entity kind (Documents link only by MENTIONS)", s.Type, k)
			}
		}
		if got, ok := LookupRel(string(s.Type)); !ok || got.Type != s.Type {
			t.Errorf("LookupRel(%s): got %v, %v, want the spec", s.Type, got.Type, ok)
		}
	}
	if _, ok := LookupRel(MentionsType); ok {
		t.Errorf("LookupRel(%s): got true, want false: MENTIONS is derived, never curated", MentionsType)
	}
	if got := RelTypeNames(); !slices.IsSorted(got) || len(got) != len(Vocabulary) {
		t.Errorf("RelTypeNames: got %v, want all %d names sorted", got, len(Vocabulary))
	}
	// The types the issue names must exist.
	for _, name := range []string{"LEADS", "MEMBER_OF", "PARTICIPATED_IN", "CONFIRMED", "MUST_APPROVE", "IMPOSES", "TARGETS",
		"RESTRICTS", "EASES", "ESTABLISHED", "FOLLOWED", "RULED_ON", "STAYED", "RESPONDED_TO", "ENDORSED",
		"CONCERNED_ABOUT", "ESSENTIAL_FOR", "AFFECTS"} {
		if _, ok := LookupRel(name); !ok {
			t.Errorf("LookupRel(%s): got false, want true", name)
		}
	}
}

func TestKinds(t *testing.T) {
	for _, k := range Kinds {
		if got, ok := ParseKind(string(k)); !ok || got != k {
			t.Errorf("ParseKind(%s): got %q, %v", k, got, ok)
		}
		if IDPrefix[k] == "" || len(Subtypes[k]) == 0 {
			t.Errorf("%s: got prefix %q and subtypes %v, want both", k, IDPrefix[k], Subtypes[k])
		}
		if got, ok := KindOfID(IDPrefix[k] + "x"); !ok || got != k {
			t.Errorf("KindOfID(%sx): got %q, %v, want %s", IDPrefix[k], got, ok, k)
		}
	}
	if _, ok := ParseKind("Person"); ok {
		t.Error(`ParseKind("Person"): got true, want false`)
	}
	if _, ok := KindOfID("person:x"); ok {
		t.Error(`KindOfID("person:x"): got true, want false`)
	}
}
