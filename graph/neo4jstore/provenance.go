package neo4jstore

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"tradegraph/graph"
	"tradegraph/graph/model"
)

// Provenance: every node and relationship a source asserts keeps
//   - sources: the list of the ids of the sources that assert it (read by
//     --sync and by the API);
//   - prov: a JSON list of {source, firstSeen, lastSeen, by}, one entry per
//     source, in the canonical form of model.EncodeProvenance.
//
// Documents and relationships update both in the same UNWIND statement that
// writes them (provFragment), so a bulk load pays no extra round trip: the
// entry of the batch's source is found by its text (model.ProvEntryHead) and
// rewritten with the new lastSeen and by, its firstSeen kept, or appended.
// Entities read their claims, sources and prov first, locked, and get all three
// computed in Go (entities.go).

// provParams are the parameters provFragment reads: the source, the head of its
// prov entry and the tail of an entry written now.
func provParams(src model.Source, now time.Time) map[string]any {
	at := model.ProvTime(now)
	return map[string]any{
		"src": src.ID, "provHead": model.ProvEntryHead(src.ID), "provNow": at,
		"provTail": model.ProvEntryTail(at, src.By),
	}
}

// withProv adds the provenance parameters to params.
func withProv(prov, params map[string]any) map[string]any {
	for k, v := range prov {
		params[k] = v
	}
	return params
}

// provFragment computes newSources and newProv of x (a node or relationship
// just merged) for the batch's source, carrying row, x, outcome and carry. It
// reads only: the statement sets them after its own SET x = row.props.
func provFragment(carry ...string) string {
	with := strings.Join(append([]string{"row", "x", "outcome"}, carry...), ", ")
	return fmt.Sprintf(`WITH %[1]s, coalesce(x.prov, '[]') AS pv, coalesce(x.sources, []) AS srcs
		WITH %[1]s, pv, srcs, split(pv, $provHead) AS parts
		WITH %[1]s,
			CASE WHEN $src IN srcs THEN srcs ELSE srcs + $src END AS newSources,
			CASE WHEN size(parts) = 1
				THEN CASE pv WHEN '[]' THEN '[' ELSE left(pv, size(pv) - 1) + ',' END + $provHead + $provNow + $provTail + ']'
				ELSE parts[0] + $provHead + left(parts[1], %[2]d) + $provTail + substring(parts[1], size(split(parts[1], '}')[0]) + 1)
			END AS newProv`, with, len(model.ProvTimeLayout))
}

// The evidence guarantee under concurrency: a relationship's quotes must be
// verbatim in the stored sentences when its transaction commits, whatever
// another transaction does to the documents meanwhile. Two checks, each inside
// the write transaction, each after locking the documents concerned:
//   - a batch of relationships locks the documents its evidence cites (in id
//     order) and checks every quote against their stored sentences
//     (evidenceCheck);
//   - a batch of documents whose text changed checks, after writing (which
//     locks them), every relationship in the graph that quotes them, except
//     those the batch rewrites itself (citationCheck).
// Whichever transaction locks a document first, the other waits for it to
// commit and then sees what it wrote, so one of them fails instead of both
// committing a broken quote.

// evidenceCheckCypher locks the documents $docs (in id order) and returns the
// evidence items of their $docs.ev whose quote is not in the stored sentence, or
// whose document is missing. Each document's sentences are read once, for all
// the items citing it: a batch of relationships quotes few documents many times
// (the 1M generated set: ~250 documents for ~5,500 items per 5,000
// relationships), and reading the sentence list again for every item was most
// of the statement.
const evidenceCheckCypher = `
		UNWIND $docs AS doc
		OPTIONAL MATCH (d:Document {id: doc.id})
		FOREACH (_ IN CASE WHEN d IS NULL THEN [] ELSE [1] END | SET d._lock = true REMOVE d._lock)
		WITH doc, d IS NULL AS missing, d.sentences AS sentences
		UNWIND doc.ev AS ev
		WITH doc, missing, ev WHERE missing OR NOT coalesce(sentences[ev.sentence - 1], '') CONTAINS ev.quote
		RETURN ev.rel AS rel, doc.id AS doc, ev.sentence AS sentence, missing
		LIMIT 5`

// evidenceCheck returns the statement that locks the documents rels cite and
// fails the batch when a quote is not in its stored sentence.
func evidenceCheck(rels []model.RelationshipRecord) statement {
	byDoc := map[string][]row{}
	for _, r := range rels {
		for _, e := range r.Evidence {
			byDoc[e.Doc] = append(byDoc[e.Doc], row{"rel": r.Key(), "sentence": int64(e.Sentence), "quote": e.Quote})
		}
	}
	docs := make([]row, 0, len(byDoc))
	for _, id := range slices.Sorted(maps.Keys(byDoc)) {
		docs = append(docs, row{"id": id, "ev": byDoc[id]})
	}
	return statement{cypher: evidenceCheckCypher, params: map[string]any{"docs": docs}, check: brokenQuotes("relationship")}
}

// citationCheckCypher returns the evidence items of the graph's relationships
// (other than $rewritten) that quote one of $changed and whose quote is not in
// the stored sentence. It reads every relationship: it runs only when a
// document's text changed.
const citationCheckCypher = `
		MATCH (a:Entity)-[r]->(b:Entity)
		WHERE NOT type(r) = 'MENTIONS' AND any(id IN r.evidenceDocs WHERE id IN $changed) AND NOT r.id IN $rewritten
		UNWIND range(0, size(r.evidenceDocs) - 1) AS i
		WITH a, r, b, i WHERE r.evidenceDocs[i] IN $changed
		MATCH (d:Document {id: r.evidenceDocs[i]})
		WITH a, r, b, i, d WHERE NOT coalesce(d.sentences[r.evidenceSentences[i] - 1], '') CONTAINS r.evidenceQuotes[i]
		RETURN a.id + '|' + type(r) + '|' + b.id AS rel, d.id AS doc, r.evidenceSentences[i] AS sentence, false AS missing
		LIMIT 5`

// citationCheck returns the statement that checks, after the documents
// statement at index docs, the relationships quoting the documents whose text
// it changed, except those of rels (the batch rewrites and checks them) and
// requoted (the load rewrites them later).
func citationCheck(docs int, rels []model.RelationshipRecord, requoted []string) statement {
	rewritten := slices.Clone(requoted)
	for _, r := range rels {
		rewritten = append(rewritten, model.RelationshipID(r.From, r.Type, r.To))
	}
	return statement{build: func(prev [][]*neo4j.Record) (*statement, error) {
		var changed []string
		for _, rec := range prev[docs] {
			raw, err := get[[]any](rec, "changed")
			if err != nil {
				return nil, decodeErr(err)
			}
			ids, err := stringList(raw)
			if err != nil {
				return nil, decodeErr(err)
			}
			changed = append(changed, ids...)
		}
		if len(changed) == 0 {
			return nil, nil
		}
		return &statement{
			cypher: citationCheckCypher,
			params: map[string]any{"changed": changed, "rewritten": rewritten},
			check:  brokenQuotes("document"),
		}, nil
	}}
}

// brokenQuotes fails the batch when a check statement found quotes that are not
// in their stored sentence, naming them.
func brokenQuotes(what string) func([]*neo4j.Record) error {
	return func(recs []*neo4j.Record) error {
		if len(recs) == 0 {
			return nil
		}
		var msgs []string
		for _, rec := range recs {
			rel, err1 := get[string](rec, "rel")
			doc, err2 := get[string](rec, "doc")
			n, err3 := get[int64](rec, "sentence")
			missing, err4 := get[bool](rec, "missing")
			if err := errors.Join(err1, err2, err3, err4); err != nil {
				return decodeErr(err)
			}
			if missing {
				msgs = append(msgs, fmt.Sprintf("%s cites document %s, which is not in the graph", rel, doc))
			} else {
				msgs = append(msgs, fmt.Sprintf("the quote of %s is not in sentence %d of %s as stored", rel, n, doc))
			}
		}
		if what == "document" {
			return graph.Errorf(graph.ECONFLICT, "the new text of a document breaks evidence in the graph (%s): nothing was written; fix the quotes or load them with the new text", strings.Join(msgs, "; "))
		}
		return graph.Errorf(graph.ECONFLICT, "evidence no longer matches its document (%s; the document changed meanwhile?): nothing was written", strings.Join(msgs, "; "))
	}
}

// provenanceCypher reads the prov of the entities $ents and the relationships
// $rels (one index seek per type for each).
var provenanceCypher = func() string {
	var parts []string
	for _, t := range model.RelTypeNames() {
		parts = append(parts, fmt.Sprintf("MATCH ()-[x:%s]->() WHERE x.id = id RETURN x.prov AS prov", t))
	}
	return `
		CALL () {
			UNWIND $ents AS id
			MATCH (x:Entity {id: id})
			RETURN id, x.prov AS prov
			UNION ALL
			UNWIND $rels AS id
			CALL (id) {
				` + strings.Join(parts, "\n\t\t\t\tUNION ALL\n\t\t\t\t") + `
			}
			RETURN id, prov
		}
		RETURN id, coalesce(prov, '') AS prov`
}()

// Provenance returns, for each id of an entity or a relationship (rel:...),
// which sources assert it and when.
func (s *Store) Provenance(ctx context.Context, ids []string) (map[string][]model.Provenance, error) {
	ents, rels := []string{}, []string{}
	for _, id := range ids {
		if strings.HasPrefix(id, "rel:") {
			rels = append(rels, id)
		} else {
			ents = append(ents, id)
		}
	}
	res, err := s.read(ctx, provenanceCypher, map[string]any{"ents": ents, "rels": rels})
	if err != nil {
		return nil, err
	}
	out := make(map[string][]model.Provenance, len(res.Records))
	for _, rec := range res.Records {
		id, err := get[string](rec, "id")
		if err != nil {
			return nil, decodeErr(err)
		}
		raw, err := get[string](rec, "prov")
		if err != nil {
			return nil, decodeErr(err)
		}
		if out[id], err = model.DecodeProvenance(raw); err != nil {
			return nil, decodeErr(fmt.Errorf("%s: %w", id, err))
		}
	}
	return out, nil
}

// Claims returns, for each entity id, every source's claim about it.
func (s *Store) Claims(ctx context.Context, ids []string) (map[string][]model.EntityClaim, error) {
	res, err := s.read(ctx, `UNWIND $ids AS id MATCH (x:Entity {id: id}) RETURN id, coalesce(x.claims, '') AS claims`, map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	out := make(map[string][]model.EntityClaim, len(res.Records))
	for _, rec := range res.Records {
		id, err := get[string](rec, "id")
		if err != nil {
			return nil, decodeErr(err)
		}
		raw, err := get[string](rec, "claims")
		if err != nil {
			return nil, decodeErr(err)
		}
		if out[id], err = model.DecodeClaims(raw); err != nil {
			return nil, decodeErr(fmt.Errorf("%s: %w", id, err))
		}
	}
	return out, nil
}
