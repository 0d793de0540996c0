package model

import (
	"math"
	"slices"
	"testing"
)

// fakeLookup is a model.Lookup over fixed maps.
type fakeLookup struct {
	kinds     map[string]Kind
	sentences map[string][]string
}

func (f fakeLookup) KindOf(id string) (Kind, bool) { k, ok := f.kinds[id]; return k, ok }

func (f fakeLookup) Sentences(id string) ([]string, bool) {
	s, ok := f.sentences[id]
	return s, ok
}

var lookup = fakeLookup{
	kinds: map[string]Kind{
		"actor:ruritania":   KindActor,
		"actor:tin-board":   KindActor,
		"commodity:tin":     KindCommodity,
		"policy:tin-ban":    KindPolicy,
		"meeting:tin-talks": KindMeeting,
		"doc:tin-note":      KindDocument,
		"doc:empty":         KindDocument,
		"actor:bad-kind":    "", // defined with an invalid kind
	},
	sentences: map[string][]string{
		"doc:tin-note": {"Ruritania bans exports of tin.", "The ban took effect in March 2025.", "Ruritania’s minister called it temporary."},
		"doc:empty":    nil,
	},
}

func ptr(f float64) *float64 { return &f }

func TestCheckRelationship(t *testing.T) {
	valid := RelationshipRecord{
		Type: "IMPOSES", From: "actor:ruritania", To: "policy:tin-ban",
		Evidence: []Evidence{{Doc: "doc:tin-note", Sentence: 1, Quote: "Ruritania bans exports of tin"}},
	}
	with := func(edit func(r *RelationshipRecord)) RelationshipRecord {
		r := valid
		r.Evidence = slices.Clone(valid.Evidence)
		edit(&r)
		return r
	}
	tests := []struct {
		name string
		rel  RelationshipRecord
		want []FieldError
	}{
		{"valid", valid, nil},
		{"valid with dates, confidence and attribution", with(func(r *RelationshipRecord) {
			r.ValidFrom, r.ValidTo, r.Confidence, r.AttributedTo = "2025-03", "2025", ptr(0.7), "actor:tin-board"
		}), nil},
		{"confidence bounds are allowed", with(func(r *RelationshipRecord) { r.Confidence = ptr(0) }), nil},
		{"missing type", with(func(r *RelationshipRecord) { r.Type = "" }),
			[]FieldError{{"type", "is required"}}},
		{"unknown type", with(func(r *RelationshipRecord) { r.Type = "IMPOSED" }),
			[]FieldError{{"type", `unknown relationship type "IMPOSED" (want one of AFFECTS, AIMS_TO_MAINTAIN, BENEFITS, CONCERNED_ABOUT, CONFIRMED, CONTINGENT_ON, CONTROLS, EASES, ENDORSED, ESSENTIAL_FOR, ESTABLISHED, FOLLOWED, IMPOSES, ISSUED, LEADS, LED_TO, MEMBER_OF, MUST_APPROVE, PARTICIPATED_IN, PROPOSED, RESPONDED_TO, RESTRICTS, RULED_ON, STAYED, TARGETS)`}}},
		{"MENTIONS is not curated", with(func(r *RelationshipRecord) { r.Type = "MENTIONS" }),
			[]FieldError{{"type", `unknown relationship type "MENTIONS" (want one of AFFECTS, AIMS_TO_MAINTAIN, BENEFITS, CONCERNED_ABOUT, CONFIRMED, CONTINGENT_ON, CONTROLS, EASES, ENDORSED, ESSENTIAL_FOR, ESTABLISHED, FOLLOWED, IMPOSES, ISSUED, LEADS, LED_TO, MEMBER_OF, MUST_APPROVE, PARTICIPATED_IN, PROPOSED, RESPONDED_TO, RESTRICTS, RULED_ON, STAYED, TARGETS)`}}},
		{"missing endpoints", with(func(r *RelationshipRecord) { r.From, r.To = "", "" }),
			[]FieldError{{"from", "is required"}, {"to", "is required"}}},
		{"dangling from", with(func(r *RelationshipRecord) { r.From = "actor:atlantis" }),
			[]FieldError{{"from", `unknown entity "actor:atlantis" (not in this input nor in the graph)`}}},
		{"dangling to", with(func(r *RelationshipRecord) { r.To = "policy:nothing" }),
			[]FieldError{{"to", `unknown entity "policy:nothing" (not in this input nor in the graph)`}}},
		{"start kind not allowed", with(func(r *RelationshipRecord) { r.From = "commodity:tin" }),
			[]FieldError{{"from", "IMPOSES cannot start at commodity:tin, a Commodity (allowed: Actor)"}}},
		{"end kind not allowed", with(func(r *RelationshipRecord) { r.To = "meeting:tin-talks" }),
			[]FieldError{{"to", "IMPOSES cannot end at meeting:tin-talks, a Meeting (allowed: Policy)"}}},
		{"a document is no endpoint", with(func(r *RelationshipRecord) { r.Type, r.From, r.To = "AFFECTS", "policy:tin-ban", "doc:tin-note" }),
			[]FieldError{{"to", "AFFECTS cannot end at doc:tin-note, a Document (allowed: Actor, Commodity)"}}},
		{"an endpoint of invalid kind is not reported twice", with(func(r *RelationshipRecord) { r.From = "actor:bad-kind" }), nil},
		{"self loop", with(func(r *RelationshipRecord) { r.Type, r.From, r.To = "LEADS", "actor:ruritania", "actor:ruritania" }),
			[]FieldError{{"to", "a relationship cannot point at its own start actor:ruritania"}}},
		{"bad validFrom", with(func(r *RelationshipRecord) { r.ValidFrom = "2025-13" }),
			[]FieldError{{"validFrom", `bad date "2025-13": want YYYY, YYYY-MM or YYYY-MM-DD`}}},
		{"bad validTo", with(func(r *RelationshipRecord) { r.ValidTo = "March 2025" }),
			[]FieldError{{"validTo", `bad date "March 2025": want YYYY, YYYY-MM or YYYY-MM-DD`}}},
		{"validTo before validFrom", with(func(r *RelationshipRecord) { r.ValidFrom, r.ValidTo = "2025-06", "2025-05-31" }),
			[]FieldError{{"validTo", "2025-05-31 is before validFrom 2025-06"}}},
		// A month covers all its days: "2025-05" still holds on 20 May.
		{"validTo of coarser precision overlapping validFrom", with(func(r *RelationshipRecord) { r.ValidFrom, r.ValidTo = "2025-05-20", "2025-05" }), nil},
		{"same year", with(func(r *RelationshipRecord) { r.ValidFrom, r.ValidTo = "2025-12", "2025" }), nil},
		{"confidence above 1", with(func(r *RelationshipRecord) { r.Confidence = ptr(1.5) }),
			[]FieldError{{"confidence", "1.5 is outside 0..1"}}},
		{"confidence below 0", with(func(r *RelationshipRecord) { r.Confidence = ptr(-0.1) }),
			[]FieldError{{"confidence", "-0.1 is outside 0..1"}}},
		{"confidence NaN", with(func(r *RelationshipRecord) { r.Confidence = ptr(math.NaN()) }),
			[]FieldError{{"confidence", "NaN is outside 0..1"}}},
		{"unknown attribution", with(func(r *RelationshipRecord) { r.AttributedTo = "actor:rumour" }),
			[]FieldError{{"attributedTo", `unknown entity "actor:rumour"`}}},
		{"no evidence", with(func(r *RelationshipRecord) { r.Evidence = nil }),
			[]FieldError{{"evidence", "is required: at least one item with doc, sentence and quote"}}},
		{"evidence without doc", with(func(r *RelationshipRecord) { r.Evidence[0].Doc = "" }),
			[]FieldError{{"evidence[0].doc", "is required"}}},
		{"evidence from an unknown document", with(func(r *RelationshipRecord) { r.Evidence[0].Doc = "doc:elsewhere" }),
			[]FieldError{{"evidence[0].doc", `unknown document "doc:elsewhere"`}}},
		{"evidence citing an entity as document", with(func(r *RelationshipRecord) { r.Evidence[0].Doc = "actor:ruritania" }),
			[]FieldError{{"evidence[0].doc", `unknown document "actor:ruritania"`}}},
		{"sentence 0", with(func(r *RelationshipRecord) { r.Evidence[0].Sentence = 0 }),
			[]FieldError{{"evidence[0].sentence", "0 is not a sentence of doc:tin-note (it has 1..3)"}}},
		{"sentence past the end", with(func(r *RelationshipRecord) { r.Evidence[0].Sentence = 4 }),
			[]FieldError{{"evidence[0].sentence", "4 is not a sentence of doc:tin-note (it has 1..3)"}}},
		{"document without text", with(func(r *RelationshipRecord) { r.Evidence[0].Doc = "doc:empty" }),
			[]FieldError{{"evidence[0].sentence", "1 is not a sentence of doc:empty (it has no text)"}}},
		{"empty quote", with(func(r *RelationshipRecord) { r.Evidence[0].Quote = "  " }),
			[]FieldError{{"evidence[0].quote", "is required"}}},
		{"quote from another sentence", with(func(r *RelationshipRecord) { r.Evidence[0].Sentence = 2 }),
			[]FieldError{{"evidence[0].quote", `"Ruritania bans exports of tin" is not verbatim in doc:tin-note sentence 2: "The ban took effect in March 2025."`}}},
		{"quote with a straight apostrophe where the text has a typographic one", with(func(r *RelationshipRecord) {
			r.Evidence[0] = Evidence{Doc: "doc:tin-note", Sentence: 3, Quote: "Ruritania's minister"}
		}), []FieldError{{"evidence[0].quote", `"Ruritania's minister" is not verbatim in doc:tin-note sentence 3: "Ruritania’s minister called it temporary."`}}},
		{"quote in other case", with(func(r *RelationshipRecord) { r.Evidence[0].Quote = "ruritania bans" }),
			[]FieldError{{"evidence[0].quote", `"ruritania bans" is not verbatim in doc:tin-note sentence 1: "Ruritania bans exports of tin."`}}},
		{"every problem of a record at once", RelationshipRecord{
			Type: "RESTRICTS", From: "actor:ruritania", To: "commodity:gold", ValidFrom: "2025-1", Confidence: ptr(2),
			Evidence: []Evidence{{Doc: "doc:tin-note", Sentence: 1, Quote: "bans exports"}, {Doc: "doc:tin-note", Sentence: 9, Quote: "x"}},
		}, []FieldError{
			{"to", `unknown entity "commodity:gold" (not in this input nor in the graph)`},
			{"from", "RESTRICTS cannot start at actor:ruritania, an Actor (allowed: Policy)"},
			{"validFrom", `bad date "2025-1": want YYYY, YYYY-MM or YYYY-MM-DD`},
			{"confidence", "2 is outside 0..1"},
			{"evidence[1].sentence", "9 is not a sentence of doc:tin-note (it has 1..3)"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CheckRelationship(tt.rel, lookup)
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestEntityRecordValidate(t *testing.T) {
	statuses := "PROPOSED, TENTATIVE, IN_FORCE, SUSPENDED, STRUCK_DOWN, ON_HOLD, EXPIRED, REPLACED"
	tests := []struct {
		name string
		e    EntityRecord
		want []FieldError
	}{
		{"actor", EntityRecord{ID: "actor:ruritania", Kind: "Actor", Type: "COUNTRY", Name: "Ruritania", Aliases: []string{"Ruritanian government"}, Role: "state"}, nil},
		{"meeting", EntityRecord{ID: "meeting:tin-talks-2025-05", Kind: "Meeting", Type: "NEGOTIATION", Name: "Tin talks", Start: "2025-05", End: "2025-05-20", Place: "Strelsau"}, nil},
		{"commodity", EntityRecord{ID: "commodity:tin", Kind: "Commodity", Type: "MINERAL", Name: "Tin", Category: "metal", Uses: []string{"solder"}}, nil},
		{"policy", EntityRecord{ID: "policy:tin-tariff", Kind: "Policy", Type: "TARIFF", Status: "IN_FORCE", Name: "Tin tariff", Rate: ptr(30), Unit: "percent"}, nil},
		{"missing kind", EntityRecord{ID: "actor:x", Name: "X"},
			[]FieldError{{"kind", "is required (one of Actor, Meeting, Commodity, Policy)"}}},
		{"unknown kind", EntityRecord{ID: "actor:x", Kind: "Person", Name: "X"},
			[]FieldError{{"kind", `unknown kind "Person" (want Actor, Meeting, Commodity or Policy)`}}},
		{"kind is case-sensitive", EntityRecord{ID: "actor:x", Kind: "actor", Name: "X"},
			[]FieldError{{"kind", `unknown kind "actor" (want Actor, Meeting, Commodity or Policy)`}}},
		{"a Document is not an entity", EntityRecord{ID: "doc:x", Kind: "Document", Name: "X"},
			[]FieldError{{"kind", `unknown kind "Document" (want Actor, Meeting, Commodity or Policy)`}}},
		{"missing id", EntityRecord{Kind: "Actor", Type: "PERSON", Name: "X"},
			[]FieldError{{"id", "is required"}}},
		{"id not a slug", EntityRecord{ID: "actor:Xi_Jinping", Kind: "Actor", Type: "PERSON", Name: "Xi Jinping"},
			[]FieldError{{"id", `"actor:Xi_Jinping" is not a slug id like "actor:example-name" (lowercase letters, digits and hyphens after the prefix)`}}},
		{"id without prefix", EntityRecord{ID: "xi-jinping", Kind: "Actor", Type: "PERSON", Name: "Xi Jinping"},
			[]FieldError{{"id", `"xi-jinping" is not a slug id like "actor:example-name" (lowercase letters, digits and hyphens after the prefix)`}}},
		{"id with another kind's prefix", EntityRecord{ID: "policy:xi-jinping", Kind: "Actor", Type: "PERSON", Name: "Xi Jinping"},
			[]FieldError{{"id", `"policy:xi-jinping" must start with "actor:" for an Actor`}}},
		{"id with a double hyphen", EntityRecord{ID: "commodity:rare--earth", Kind: "Commodity", Type: "MINERAL", Name: "Rare earth"},
			[]FieldError{{"id", `"commodity:rare--earth" is not a slug id like "commodity:example-name" (lowercase letters, digits and hyphens after the prefix)`}}},
		{"blank name", EntityRecord{ID: "actor:x", Kind: "Actor", Type: "PERSON", Name: " "},
			[]FieldError{{"name", "is required"}}},
		{"missing type", EntityRecord{ID: "commodity:tin", Kind: "Commodity", Name: "Tin"},
			[]FieldError{{"type", "is required for a Commodity (one of MINERAL, GOODS, TECHNOLOGY, PRODUCT, SERVICE, OTHER)"}}},
		{"another kind's type", EntityRecord{ID: "actor:x", Kind: "Actor", Type: "TARIFF", Name: "X"},
			[]FieldError{{"type", `unknown Actor type "TARIFF" (want one of PERSON, COUNTRY, GOVERNMENT_BODY, COURT, COMPANY, ORGANIZATION, GROUP)`}}},
		{"empty alias", EntityRecord{ID: "actor:x", Kind: "Actor", Type: "PERSON", Name: "X", Aliases: []string{"Ex", ""}},
			[]FieldError{{"aliases[1]", "is empty"}}},
		{"fields of other kinds", EntityRecord{ID: "actor:x", Kind: "Actor", Type: "PERSON", Name: "X", Place: "Geneva", Status: "IN_FORCE", Rate: ptr(1), Uses: []string{"y"}},
			[]FieldError{{"place", "applies to Meeting only, not to an Actor"}, {"uses", "applies to Commodity only, not to an Actor"},
				{"status", "applies to Policy only, not to an Actor"}, {"rate", "applies to Policy only, not to an Actor"}}},
		{"role on a policy", EntityRecord{ID: "policy:x", Kind: "Policy", Type: "TARIFF", Status: "IN_FORCE", Name: "X", Role: "chair"},
			[]FieldError{{"role", "applies to Actor only, not to a Policy"}}},
		{"policy without status", EntityRecord{ID: "policy:x", Kind: "Policy", Type: "TARIFF", Name: "X"},
			[]FieldError{{"status", "is required for a Policy (one of " + statuses + ")"}}},
		{"unknown status", EntityRecord{ID: "policy:x", Kind: "Policy", Type: "TARIFF", Status: "ACTIVE", Name: "X"},
			[]FieldError{{"status", `unknown status "ACTIVE" (want one of ` + statuses + ")"}}},
		{"rate without unit", EntityRecord{ID: "policy:x", Kind: "Policy", Type: "TARIFF", Status: "IN_FORCE", Name: "X", Rate: ptr(10)},
			[]FieldError{{"unit", "is required when rate is given (e.g. percent)"}}},
		{"bad start", EntityRecord{ID: "meeting:x", Kind: "Meeting", Type: "SUMMIT", Name: "X", Start: "2025-05-32"},
			[]FieldError{{"start", `bad date "2025-05-32": want YYYY, YYYY-MM or YYYY-MM-DD`}}},
		{"end before start", EntityRecord{ID: "meeting:x", Kind: "Meeting", Type: "SUMMIT", Name: "X", Start: "2025-05-20", End: "2025-05-19"},
			[]FieldError{{"end", "2025-05-19 is before start 2025-05-20"}}},
		{"end within the start month", EntityRecord{ID: "meeting:x", Kind: "Meeting", Type: "SUMMIT", Name: "X", Start: "2025-05", End: "2025-05-02"}, nil},
		{"unknown kind skips kind rules", EntityRecord{ID: "actor:x", Kind: "Thing", Name: "X", Status: "nonsense"},
			[]FieldError{{"kind", `unknown kind "Thing" (want Actor, Meeting, Commodity or Policy)`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.e.Validate()
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDocumentRecordValidate(t *testing.T) {
	ok := DocumentRecord{ID: "doc:tin-note", Title: "Tin note", Date: "2025-03", Sentences: []string{"Tin."}}
	tests := []struct {
		name string
		d    DocumentRecord
		want []FieldError
	}{
		{"valid", ok, nil},
		{"entity prefix", DocumentRecord{ID: "actor:tin-note", Title: "T", Sentences: []string{"x"}},
			[]FieldError{{"id", `"actor:tin-note" must start with "doc:" for a Document`}}},
		{"no title, bad type and date, no text", DocumentRecord{ID: "doc:x", Type: "BLOG", Date: "2025-02-29"}, []FieldError{
			{"title", "is required"},
			{"type", `unknown document type "BLOG" (want one of ARTICLE, REPORT, STATEMENT, OTHER)`},
			{"date", `bad date "2025-02-29": want YYYY, YYYY-MM or YYYY-MM-DD`},
			{"text", "is empty: a document needs its text"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.d.Validate()
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
