package loaders

import (
	"context"
	"fmt"
	"strings"

	"tradegraph/graph/model"
)

// GraphLookup answers, in one round trip, what the graph already holds for ids that
// an input references but does not define.
type GraphLookup interface {
	// Known returns the kind of each id that exists in the graph, and the sentences of
	// each of those ids that is a document.
	Known(ctx context.Context, ids []string) (kinds map[string]model.Kind, sentences map[string][]string, err error)
}

// Dataset is the validated content of one or more curated files, ready to write.
type Dataset struct {
	Documents     []model.DocumentRecord
	Entities      []model.EntityRecord
	Relationships []model.RelationshipRecord
}

// index is the model.Lookup over an input plus what the graph already holds.
type index struct {
	kinds     map[string]model.Kind
	sentences map[string][]string
	lifetimes map[string]model.Span // entities of the input with a dated lifetime
}

// Lifetime returns the lifetime of an entity the input defines.
func (ix *index) Lifetime(id string) (model.Span, bool) {
	s, ok := ix.lifetimes[id]
	return s, ok
}

func (ix *index) KindOf(id string) (model.Kind, bool) { k, ok := ix.kinds[id]; return k, ok }

func (ix *index) Sentences(id string) ([]string, bool) {
	s, ok := ix.sentences[id]
	return s, ok
}

// ValidateCurated checks parsed files together, as one input, and returns every
// problem at once: bad records, duplicate ids and relationships, dangling
// references (looked up in the graph when gl is not nil), endpoint kinds the type
// does not allow, bad dates and quotes that are not in their sentence. Evidence
// may also cite the articles of the same load, given as articles.
func ValidateCurated(ctx context.Context, files []*Parsed, gl GraphLookup, articles ...model.DocumentRecord) (*Dataset, Problems) {
	var probs Problems
	ds := &Dataset{}
	ix := &index{kinds: map[string]model.Kind{}, sentences: map[string][]string{}, lifetimes: map[string]model.Span{}}
	for _, a := range articles {
		if a.ID == "" {
			continue // an article that did not parse
		}
		// Load reports an article id that a dataset also defines.
		ix.kinds[a.ID] = model.KindDocument
		ix.sentences[a.ID] = a.Sentences
	}
	where := map[string]string{} // id -> "file:line" of its first definition
	define := func(p *Parsed, field, id string, k model.Kind) bool {
		if id == "" {
			return true
		}
		loc := fmt.Sprintf("%s:%d", p.Path, p.lineOf(field))
		if first, dup := where[id]; dup {
			probs = append(probs, p.problem(field, fmt.Sprintf("duplicate id %q (first defined at %s)", id, first)))
			return false
		}
		where[id] = loc
		ix.kinds[id] = k
		return true
	}
	for _, p := range files {
		for i, d := range p.Data.Documents {
			field := fmt.Sprintf("documents[%d]", i)
			for _, fe := range d.Validate() {
				probs = append(probs, p.problem(field+"."+fe.Field, fe.Message))
			}
			if define(p, field+".id", d.ID, model.KindDocument) {
				ix.sentences[d.ID] = d.Sentences
				ds.Documents = append(ds.Documents, d.DocumentRecord)
			}
		}
		for i, e := range p.Data.Entities {
			field := fmt.Sprintf("entities[%d]", i)
			for _, fe := range e.Validate() {
				probs = append(probs, p.problem(field+"."+fe.Field, fe.Message))
			}
			k, _ := model.ParseKind(e.Kind)
			if define(p, field+".id", e.ID, k) {
				ds.Entities = append(ds.Entities, e)
				if life := e.Lifetime(); !life.Open() {
					ix.lifetimes[e.ID] = life
				}
			}
		}
	}

	// Ids referenced but not defined in the input may already be in the graph.
	var missing []string
	seen := map[string]bool{}
	for _, p := range files {
		for _, r := range p.Data.Relationships {
			refs := []string{r.From, r.To, r.AttributedTo}
			for _, ev := range r.Evidence {
				refs = append(refs, ev.Doc)
			}
			for _, id := range refs {
				if _, ok := ix.kinds[id]; !ok && id != "" && !seen[id] {
					seen[id] = true
					missing = append(missing, id)
				}
			}
		}
	}
	if len(missing) > 0 && gl != nil {
		kinds, sentences, err := gl.Known(ctx, missing)
		if err != nil {
			return ds, append(probs, Problem{File: files[0].Path, Message: fmt.Sprintf("cannot look up referenced ids in the graph: %v", err)})
		}
		for id, k := range kinds {
			ix.kinds[id] = k
		}
		for id, s := range sentences {
			ix.sentences[id] = s
		}
	}

	rels := map[string]string{}
	for _, p := range files {
		for i, r := range p.Data.Relationships {
			field := fmt.Sprintf("relationships[%d]", i)
			errs := model.CheckRelationship(r, ix)
			for _, fe := range errs {
				probs = append(probs, p.problem(field+"."+fe.Field, fe.Message))
			}
			loc := fmt.Sprintf("%s:%d", p.Path, p.lineOf(field))
			if first, dup := rels[r.Key()]; dup {
				probs = append(probs, p.problem(field, fmt.Sprintf("duplicate relationship %s %s %s (first at %s): merge their evidence into one entry", r.From, r.Type, r.To, first)))
				continue
			}
			rels[r.Key()] = loc
			if len(errs) == 0 {
				ds.Relationships = append(ds.Relationships, r)
			}
		}
	}
	probs.Sort()
	return ds, probs
}

// Citation is one evidence item of a relationship already in the graph.
type Citation = model.Citation

// CheckCitations returns a problem for each citation whose quote is not in the named
// sentence of the new sentences of its document: reloading a document with changed
// text must not leave evidence in the graph that no longer holds. Citations by a
// relationship the input rewrites (rewritten holds its RelationshipRecord.Key) are
// skipped: its new evidence was checked with the input. at locates the problem for
// a document in the input.
func CheckCitations(cites []Citation, sentences map[string][]string, rewritten map[string]bool, at func(doc string) Problem) Problems {
	var probs Problems
	for _, c := range cites {
		s, ok := sentences[c.Doc]
		if !ok || rewritten[c.From+"|"+c.Type+"|"+c.To] {
			continue
		}
		var msg string
		switch {
		case c.Sentence < 1 || c.Sentence > len(s):
			msg = fmt.Sprintf("the new text has no sentence %d", c.Sentence)
		case !strings.Contains(s[c.Sentence-1], c.Quote):
			msg = fmt.Sprintf("sentence %d of the new text no longer contains %q", c.Sentence, c.Quote)
		default:
			continue
		}
		p := at(c.Doc)
		p.Message = fmt.Sprintf("%s, which %s %s %s in the graph quotes (evidence[%d]): keep the text, or reload that relationship with new evidence in the same load", msg, c.From, c.Type, c.To, c.Index)
		probs = append(probs, p)
	}
	return probs
}
