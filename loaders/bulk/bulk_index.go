package bulk

import (
	"container/list"
	"context"
	"fmt"
	"hash/fnv"

	"tradegraph/graph/model"
	"tradegraph/loaders"
)

// bulkIndex is what a bulk load remembers to validate rows against each other, in
// memory bounded by the number of ids, not by the size of the input:
//   - the kind and first location of every id a written row defined,
//   - a 64-bit hash and first location of every written relationship (duplicates),
//   - the sentences of recently seen documents (an LRU); older ones are read back
//     from the graph, where phase 1 already wrote them,
//   - the kinds of ids that the input references but only the graph holds.
type bulkIndex struct {
	defs      map[string]idDef
	rels      map[uint64]location
	graph     map[string]model.Kind
	absent    map[string]bool
	sentences *sentenceCache
	fetched   map[string][]string // sentences read from the graph for the current chunk
	gl        loaders.GraphLookup
	files     []string
}

type location struct {
	file int32
	line int32
}

type idDef struct {
	kind model.Kind
	at   location
}

func newBulkIndex(gl loaders.GraphLookup, files []string, docCache int) *bulkIndex {
	return &bulkIndex{
		defs: map[string]idDef{}, rels: map[uint64]location{}, graph: map[string]model.Kind{},
		absent: map[string]bool{}, sentences: newSentenceCache(docCache), gl: gl, files: files,
	}
}

func (ix *bulkIndex) where(l location) string {
	return fmt.Sprintf("%s:%d", ix.files[l.file], l.line)
}

var _ model.Lookup = (*bulkIndex)(nil)

// KindOf returns the kind of an id defined in the input or found in the graph.
func (ix *bulkIndex) KindOf(id string) (model.Kind, bool) {
	if d, ok := ix.defs[id]; ok {
		return d.kind, true
	}
	k, ok := ix.graph[id]
	return k, ok
}

// Sentences returns a document's sentences from the cache or the current chunk's
// graph reads.
func (ix *bulkIndex) Sentences(id string) ([]string, bool) {
	if s, ok := ix.sentences.get(id); ok {
		return s, true
	}
	s, ok := ix.fetched[id]
	return s, ok
}

// define records id as written at l, or returns the problem when it was defined
// before (with the curated loader's wording).
func (ix *bulkIndex) define(id string, k model.Kind, l location) *model.FieldError {
	if first, dup := ix.defs[id]; dup {
		return &model.FieldError{Field: "id", Message: fmt.Sprintf("duplicate id %q (first defined at %s)", id, ix.where(first.at))}
	}
	ix.defs[id] = idDef{kind: k, at: l}
	return nil
}

// defineRel records the relationship r as written at l, or returns the problem
// when the same (from, type, to) was written before.
func (ix *bulkIndex) defineRel(r model.RelationshipRecord, l location) *model.FieldError {
	h := fnv.New64a()
	h.Write([]byte(r.Key()))
	key := h.Sum64()
	if first, dup := ix.rels[key]; dup {
		return &model.FieldError{Message: fmt.Sprintf("duplicate relationship %s %s %s (first at %s): merge their evidence into one entry", r.From, r.Type, r.To, ix.where(first))}
	}
	ix.rels[key] = l
	return nil
}

// prefetch reads from the graph, in one round trip, what validating rows needs and
// the index does not hold: ids the input does not define, and the sentences of
// documents that are not cached.
func (ix *bulkIndex) prefetch(ctx context.Context, rows []bulkRow) error {
	ix.fetched = map[string][]string{}
	if ix.gl == nil {
		return nil
	}
	var need []string
	asked := map[string]bool{}
	ask := func(id string) {
		if id != "" && !asked[id] {
			asked[id] = true
			need = append(need, id)
		}
	}
	for _, row := range rows {
		r := row.rel
		for _, id := range []string{r.From, r.To, r.AttributedTo} {
			if _, ok := ix.KindOf(id); !ok && !ix.absent[id] {
				ask(id)
			}
		}
		for _, ev := range r.Evidence {
			if _, ok := ix.sentences.get(ev.Doc); !ok && !ix.absent[ev.Doc] {
				ask(ev.Doc)
			}
		}
	}
	if len(need) == 0 {
		return nil
	}
	kinds, sentences, err := ix.gl.Known(ctx, need)
	if err != nil {
		return err
	}
	for _, id := range need {
		k, ok := kinds[id]
		switch {
		case !ok:
			ix.absent[id] = true
		case k == model.KindDocument:
			ix.fetched[id] = sentences[id]
			ix.sentences.put(id, sentences[id])
			if _, def := ix.defs[id]; !def {
				ix.graph[id] = k
			}
		default:
			if _, def := ix.defs[id]; !def {
				ix.graph[id] = k
			}
		}
	}
	return nil
}

// sentenceCache keeps the sentences of the most recently used documents; a
// capacity of 0 or less keeps all of them (a dry run has no graph to read back from).
type sentenceCache struct {
	cap   int
	order *list.List // front: most recent; values are *cacheEntry
	items map[string]*list.Element
}

type cacheEntry struct {
	id        string
	sentences []string
}

func newSentenceCache(capacity int) *sentenceCache {
	return &sentenceCache{cap: capacity, order: list.New(), items: map[string]*list.Element{}}
}

func (c *sentenceCache) get(id string) ([]string, bool) {
	e, ok := c.items[id]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*cacheEntry).sentences, true
}

func (c *sentenceCache) put(id string, s []string) {
	if e, ok := c.items[id]; ok {
		e.Value.(*cacheEntry).sentences = s
		c.order.MoveToFront(e)
		return
	}
	c.items[id] = c.order.PushFront(&cacheEntry{id, s})
	if c.cap > 0 && c.order.Len() > c.cap {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.items, last.Value.(*cacheEntry).id)
	}
}
