package model

import (
	"fmt"
	"slices"
)

// Merging entities: the pure rules that the store's merge and its batch writer
// apply once an entity id has been merged into another (a redirect).

// CombineRelationships returns the one relationship that keep and other (the
// same (from, type, to) once merged) become: the union of their evidence (keep's
// first, duplicates dropped), the higher confidence, and keep's dates, note and
// attribution, each filled from other's where keep has none. Where both have a
// different value, keep's stays and the conflict is reported, one line per field.
func CombineRelationships(keep, other RelationshipRecord) (RelationshipRecord, []string) {
	out := keep
	out.Evidence = slices.Clone(keep.Evidence)
	for _, ev := range other.Evidence {
		if !slices.ContainsFunc(out.Evidence, func(e Evidence) bool {
			return e.Doc == ev.Doc && e.Sentence == ev.Sentence && e.Quote == ev.Quote
		}) {
			out.Evidence = append(out.Evidence, ev)
		}
	}
	if confidenceOf(other) > confidenceOf(keep) {
		c := confidenceOf(other)
		out.Confidence = &c
	}
	var conflicts []string
	field := func(name string, k *string, o string) {
		switch {
		case *k == "":
			*k = o
		case o != "" && o != *k:
			conflicts = append(conflicts, fmt.Sprintf("%s: %s differs: kept %q, dropped %q", keep.Key(), name, *k, o))
		}
	}
	field("validFrom", &out.ValidFrom, other.ValidFrom)
	field("validTo", &out.ValidTo, other.ValidTo)
	field("attributedTo", &out.AttributedTo, other.AttributedTo)
	field("note", &out.Note, other.Note)
	return out, conflicts
}

// confidenceOf returns r's confidence, 1 when it has none.
func confidenceOf(r RelationshipRecord) float64 {
	if r.Confidence == nil {
		return 1
	}
	return *r.Confidence
}

// Redirect rewrites b for entity ids that were merged away (old id -> survivor):
// relationship endpoints, attributions and mentions move to the survivor, and
// relationships that then share (from, type, to) are combined. An entity record
// under a merged-away id is dropped (the survivor already holds its name as an
// alias) and counted unchanged in skipped. A relationship that would point at
// its own start is an error.
func (b Batch) Redirect(into map[string]string) (out Batch, skipped Summary, err error) {
	to := func(id string) string {
		if s, ok := into[id]; ok {
			return s
		}
		return id
	}
	out = b
	out.Documents = slices.Clone(b.Documents)
	skipped = Summary{}
	out.Entities = nil
	for _, e := range b.Entities {
		if s, ok := into[e.ID]; ok && s != e.ID {
			skipped.Add(e.Kind, Unchanged, 1)
			continue
		}
		out.Entities = append(out.Entities, e)
	}
	out.Relationships = nil
	at := map[string]int{}
	for _, r := range b.Relationships {
		r.From, r.To = to(r.From), to(r.To)
		if r.AttributedTo != "" {
			r.AttributedTo = to(r.AttributedTo)
		}
		if r.From == r.To {
			return Batch{}, nil, fmt.Errorf("relationship %s: its endpoints were merged into one entity, %s; a relationship cannot point at its own start", r.Key(), r.From)
		}
		if i, dup := at[r.Key()]; dup {
			out.Relationships[i], _ = CombineRelationships(out.Relationships[i], r)
			continue
		}
		at[r.Key()] = len(out.Relationships)
		out.Relationships = append(out.Relationships, r)
	}
	out.Mentions = nil
	for _, m := range b.Mentions {
		ents := make(map[string][]int, len(m.Entities))
		for id, sents := range m.Entities {
			s := to(id)
			ents[s] = append(ents[s], sents...)
		}
		for id, sents := range ents {
			slices.Sort(sents)
			ents[id] = slices.Compact(sents)
		}
		out.Mentions = append(out.Mentions, DocumentMentions{Doc: m.Doc, Entities: ents})
	}
	return out, skipped, nil
}

// EntityIDs returns the entity ids b references (records, endpoints,
// attributions, mentioned entities), each once, in first-seen order.
func (b Batch) EntityIDs() []string {
	seen := map[string]bool{}
	var ids []string
	add := func(id string) {
		if id != "" && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	for _, e := range b.Entities {
		add(e.ID)
	}
	for _, r := range b.Relationships {
		add(r.From)
		add(r.To)
		add(r.AttributedTo)
	}
	for _, m := range b.Mentions {
		keys := make([]string, 0, len(m.Entities))
		for id := range m.Entities {
			keys = append(keys, id)
		}
		slices.Sort(keys)
		for _, id := range keys {
			add(id)
		}
	}
	return ids
}
