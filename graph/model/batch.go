package model

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
)

// Batch is one unit of writing: the store's batch writer writes all of it in one
// transaction, or none of it. Curated files, articles, bulk rows and the API's
// mutations all reach the graph as batches.
type Batch struct {
	Documents     []DocumentRecord
	Entities      []EntityRecord
	Relationships []RelationshipRecord
	// Mentions replace the MENTIONS of their documents, after the rest is written.
	Mentions []DocumentMentions
	// Source asserts every record of the batch: the writer records it on each
	// node and relationship (sources, prov) and keeps its claim on each entity.
	Source Source
	// Requoted are the ids (RelationshipID) of relationships that the same load
	// writes in a later batch, with evidence checked against the new text of this
	// batch's documents: the writer's check of the evidence quoting a changed
	// document skips them.
	Requoted []string
	// Action is what the audit trail calls the write (ActionLoad when empty).
	Action string
}

// Len returns the number of records in b.
func (b Batch) Len() int {
	return len(b.Documents) + len(b.Entities) + len(b.Relationships) + len(b.Mentions)
}

// DocumentMentions are the entities a document mentions: entity id -> the numbers
// of the sentences that mention it. Written, they replace the document's mentions.
type DocumentMentions struct {
	Doc      string
	Entities map[string][]int
	// Adjectival lists, per entity, the sentences that name it only by an
	// adjective or demonym ("Chinese goods"): a subset of its Entities sentences.
	Adjectival map[string][]int
}

// Prepared is a Batch made ready to send by the writer that prepared it (content
// hashes and statement parameters computed); only that writer can send it.
type Prepared interface {
	// Len returns the number of records of the batch.
	Len() int
	// Conflicts returns the entity fields that the batch's source and another
	// source disagree on, as found by the last write of the batch.
	Conflicts() []EntityConflict
}

// Outcome counts what a write did to the records it was given.
type Outcome struct {
	Created, Updated, Unchanged int
}

// Outcomes of one written record, as the batch writer reports them.
const (
	Created   = "created"
	Updated   = "updated"
	Unchanged = "unchanged"
)

// Summary is the outcome of a write by kind (Actor, Document, ...) or relationship type.
type Summary map[string]*Outcome

// Add counts n records of key with outcome (Created, Updated or Unchanged).
func (s Summary) Add(key, outcome string, n int) {
	o := s[key]
	if o == nil {
		o = &Outcome{}
		s[key] = o
	}
	switch outcome {
	case Created:
		o.Created += n
	case Updated:
		o.Updated += n
	default:
		o.Unchanged += n
	}
}

// Merge adds other's counts to s.
func (s Summary) Merge(other Summary) {
	for k, o := range other {
		s.Add(k, Created, o.Created)
		s.Add(k, Updated, o.Updated)
		s.Add(k, Unchanged, o.Unchanged)
	}
}

// Table renders the summary as aligned text rows: kinds first, in the model's
// order, then relationship types alphabetically, then the total.
func (s Summary) Table() string {
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	rank := func(k string) int {
		for i, kind := range Kinds {
			if string(kind) == k {
				return i
			}
		}
		return len(Kinds)
	}
	sort.Slice(keys, func(i, j int) bool {
		if ri, rj := rank(keys[i]), rank(keys[j]); ri != rj {
			return ri < rj
		}
		return keys[i] < keys[j]
	})
	var b strings.Builder
	fmt.Fprintf(&b, "%-18s %8s %8s %10s\n", "", Created, Updated, Unchanged)
	var tot Outcome
	for _, k := range keys {
		o := s[k]
		fmt.Fprintf(&b, "%-18s %8d %8d %10d\n", k, o.Created, o.Updated, o.Unchanged)
		tot.Created += o.Created
		tot.Updated += o.Updated
		tot.Unchanged += o.Unchanged
	}
	fmt.Fprintf(&b, "%-18s %8d %8d %10d\n", "total", tot.Created, tot.Updated, tot.Unchanged)
	return b.String()
}

// RelationshipID returns the stable public id of the relationship (from, typ, to).
func RelationshipID(from, typ, to string) string {
	sum := sha256.Sum256([]byte(from + "|" + typ + "|" + to))
	return "rel:" + hex.EncodeToString(sum[:10])
}

// Name is one name or alias under which an entity can be mentioned.
type Name struct {
	Text     string
	EntityID string
}

// Citation is one evidence item of a relationship already in the graph.
type Citation struct {
	From, Type, To string
	Index          int // position in the relationship's evidence
	Doc            string
	Sentence       int
	Quote          string
}
