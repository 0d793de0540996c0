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
// sentences, and asks the graph, in one round trip, for the stored sentences of the
// documents whose content hash differs; only when some text changed does it read the
// evidence citing them and scan the input's relationships.
func (b *bulk) checkRewrittenDocuments(chunk []bulkRow) error {
	var rows []map[string]any
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
		rows = append(rows, map[string]any{"id": r.doc.ID, "hash": documentProps(r.doc)["_hash"]})
	}
	if len(rows) == 0 {
		return nil
	}
	res, err := neo4j.ExecuteQuery(b.ctx, b.o.Driver, `
		UNWIND $docs AS doc
		MATCH (d:Document {id: doc.id}) WHERE coalesce(d._hash, '') <> doc.hash
		RETURN d.id AS id, d.sentences AS sentences`,
		map[string]any{"docs": rows}, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(b.o.Database), neo4j.ExecuteQueryWithReadersRouting())
	if err != nil {
		return err
	}
	var changed []string
	for _, rec := range res.Records {
		id, _, _ := neo4j.GetRecordValue[string](rec, "id")
		stored, _, _ := neo4j.GetRecordValue[[]any](rec, "sentences")
		i, ok := at[id]
		if !ok {
			continue
		}
		if !slices.EqualFunc(stored, chunk[i].doc.Sentences, func(a any, s string) bool { return a == s }) {
			changed = append(changed, id)
		}
	}
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
