package bulk

import (
	"errors"
	"io"
	"slices"
	"strings"
	"sync/atomic"

	"tradegraph/graph/model"
	"tradegraph/loaders"
)

// checkRewrittenDocuments rejects the documents of chunk whose new text would leave
// evidence in the graph that no longer holds: a relationship written earlier that
// quotes a sentence the new text changes, unless the input writes that relationship
// again (with evidence checked against the new text). It splits each document's
// sentences and compares them with the graph (Graph.ChangedDocuments: one
// round trip on a first load); only when a text changed does it read the evidence
// citing them and scan the input's relationships.
func (b *bulk) checkRewrittenDocuments(chunk []bulkRow) error {
	var docs []model.DocumentRecord
	at := map[string]int{} // document id -> index in chunk
	for i := range chunk {
		r := &chunk[i]
		if r.kind != rowDocument || r.broken || len(r.probs) > 0 {
			continue
		}
		r.doc.Sentences = model.SplitSentences(r.doc.Text)
		if r.doc.ID == "" || b.o.Graph == nil { // --offline: no graph to compare with
			continue
		}
		at[r.doc.ID] = i
		docs = append(docs, r.doc)
	}
	if len(docs) == 0 {
		return nil
	}
	g := b.o.Graph
	changed, err := g.ChangedDocuments(b.ctx, docs)
	if err != nil || len(changed) == 0 {
		return err
	}
	cites, err := g.Citations(b.ctx, changed)
	if err != nil || len(cites) == 0 {
		return err
	}
	rewritten, err := b.relationshipsCiting(changed)
	if err != nil {
		return err
	}
	// The writer checks again, inside the transaction that writes the new text,
	// every quote of the graph: the relationships this input writes again later
	// are left to their own check.
	for key := range rewritten {
		from, rest, _ := strings.Cut(key, "|")
		typ, to, _ := strings.Cut(rest, "|")
		b.requoted = append(b.requoted, model.RelationshipID(from, typ, to))
	}
	for _, id := range changed {
		r := &chunk[at[id]]
		sentences := map[string][]string{id: r.doc.Sentences}
		for _, p := range loaders.CheckCitations(cites, sentences, rewritten, func(string) loaders.Problem { return loaders.Problem{Field: "text"} }) {
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
		src, err := openSource(path, &read, b.o.ArrayDelimiter, b.o.MaxRecordBytes)
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
