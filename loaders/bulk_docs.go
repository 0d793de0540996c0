package loaders

import (
	"errors"
	"io"
	"slices"
	"sync/atomic"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"tradegraph/graph/model"
)

// checkRewrittenDocuments rejects the documents of chunk whose new text would leave
// evidence in the graph that no longer holds: a relationship written earlier that
// quotes a sentence the new text changes, unless the input writes that relationship
// again (with evidence checked against the new text). It splits each document's
// sentences and asks the graph which of the documents it holds (one round trip,
// ids out); only for those whose content hash differs does it read the stored
// sentences, and only when a text changed does it read the evidence citing them and
// scan the input's relationships.
func (b *bulk) checkRewrittenDocuments(chunk []bulkRow) error {
	var ids []string
	at := map[string]int{} // document id -> index in chunk
	for i := range chunk {
		r := &chunk[i]
		if r.kind != rowDocument || r.broken || len(r.probs) > 0 {
			continue
		}
		r.doc.Sentences = model.SplitSentences(r.doc.Text)
		if r.doc.ID == "" || b.o.Driver == nil { // --offline: no graph to compare with
			continue
		}
		at[r.doc.ID] = i
		ids = append(ids, r.doc.ID)
	}
	if len(ids) == 0 {
		return nil
	}
	// Which of them the graph holds, with what content hash: ids out, hashes back,
	// nothing at all on a first load.
	stored, err := b.readDocuments(`UNWIND $ids AS id MATCH (d:Document {id: id}) RETURN d.id AS id, coalesce(d._hash, '') AS v`, ids)
	if err != nil || len(stored) == 0 {
		return err
	}
	var differ []string
	for id, h := range stored {
		if h != documentProps(chunk[at[id]].doc)["_hash"] {
			differ = append(differ, id)
		}
	}
	if len(differ) == 0 {
		return nil
	}
	sentences, err := b.readDocuments(`UNWIND $ids AS id MATCH (d:Document {id: id}) RETURN d.id AS id, d.sentences AS v`, differ)
	if err != nil {
		return err
	}
	var changed []string
	for id, v := range sentences {
		old, _ := v.([]any)
		if !slices.EqualFunc(old, chunk[at[id]].doc.Sentences, func(a any, s string) bool { return a == s }) {
			changed = append(changed, id)
		}
	}
	slices.Sort(changed)
	if len(changed) == 0 {
		return nil
	}
	g := &GraphReader{Driver: b.o.Driver, Database: b.o.Database}
	cites, err := g.Citations(b.ctx, changed)
	if err != nil || len(cites) == 0 {
		return err
	}
	rewritten, err := b.relationshipsCiting(changed)
	if err != nil {
		return err
	}
	for _, id := range changed {
		r := &chunk[at[id]]
		sentences := map[string][]string{id: r.doc.Sentences}
		for _, p := range CheckCitations(cites, sentences, rewritten, func(string) Problem { return Problem{Field: "text"} }) {
			r.probs = append(r.probs, model.FieldError{Field: p.Field, Message: p.Message})
		}
	}
	return nil
}

// readDocuments runs cypher, which returns `id, v` for documents ids, and returns v
// by id.
func (b *bulk) readDocuments(cypher string, ids []string) (map[string]any, error) {
	res, err := neo4j.ExecuteQuery(b.ctx, b.o.Driver, cypher, map[string]any{"ids": ids}, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(b.o.Database), neo4j.ExecuteQueryWithReadersRouting())
	if err != nil {
		return nil, err
	}
	out := make(map[string]any, len(res.Records))
	for _, rec := range res.Records {
		id, _, _ := neo4j.GetRecordValue[string](rec, "id")
		v, _ := rec.Get("v")
		out[id] = v
	}
	return out, nil
}

// relationshipsCiting returns the keys (RelationshipRecord.Key) of the input's
// relationships whose evidence cites one of docs: streaming every input file once.
func (b *bulk) relationshipsCiting(docs []string) (map[string]bool, error) {
	out := map[string]bool{}
	var read atomic.Int64 // not the load's progress
	for _, path := range b.paths {
		src, err := openSource(path, &read, b.o.ArrayDelimiter)
		if err != nil {
			return nil, err
		}
		if !src.holds(phaseRelationships) {
			if err := src.close(); err != nil {
				return nil, err
			}
			continue
		}
		for {
			row, err := src.next()
			if err != nil {
				cerr := src.close()
				if errors.Is(err, io.EOF) {
					if cerr != nil {
						return nil, cerr
					}
					break
				}
				return nil, err
			}
			if row.kind != rowRelationship || row.broken {
				continue
			}
			for _, ev := range row.rel.Evidence {
				if slices.Contains(docs, ev.Doc) {
					out[row.rel.Key()] = true
				}
			}
		}
	}
	return out, nil
}
