package neo4jstore

import (
	"context"
	"fmt"
	"slices"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"tradegraph/graph/model"
)

// The look-ups the loaders need while validating (loaders.Graph): what the graph
// already holds for the ids an input references, the names of its entities, and
// the evidence that quotes documents whose text changes.

// nodesCypher returns, for each of $ids that is an entity or a document, the id
// and the columns of ret (over e, the entity, and d, the document; the other is
// null): the one statement that finds nodes by id, for the API and the loaders.
// An id that was merged away finds its survivor (redirect.go).
func nodesCypher(ret string) string {
	return `
		UNWIND $ids AS id
		OPTIONAL MATCH (rd:Redirect {id: id})
		OPTIONAL MATCH (e:Entity {id: coalesce(rd.into, id)})
		OPTIONAL MATCH (d:Document {id: id})
		WITH id, e, d WHERE e IS NOT NULL OR d IS NOT NULL
		RETURN id, ` + ret
}

var knownCypher = nodesCypher(`coalesce(e.kind, 'Document') AS kind, d.sentences AS sentences`)

// Known returns the kinds of the ids that exist, and the sentences of documents.
func (s *Store) Known(ctx context.Context, ids []string) (map[string]model.Kind, map[string][]string, error) {
	res, err := s.read(ctx, knownCypher, map[string]any{"ids": ids})
	if err != nil {
		return nil, nil, fmt.Errorf("look up %d ids: %w", len(ids), err)
	}
	kinds := map[string]model.Kind{}
	sentences := map[string][]string{}
	for _, rec := range res.Records {
		id, kind, sents, err := decodeKnown(rec)
		if err != nil {
			return nil, nil, decodeErr(err)
		}
		kinds[id] = kind
		if sents != nil {
			sentences[id] = sents
		}
	}
	return kinds, sentences, nil
}

// decodeKnown reads a knownCypher record: sentences is nil for an entity.
func decodeKnown(rec *neo4j.Record) (id string, kind model.Kind, sentences []string, err error) {
	if id, err = get[string](rec, "id"); err != nil {
		return
	}
	k, err := get[string](rec, "kind")
	if err != nil {
		return
	}
	raw, isNil, err := getOrNil[[]any](rec, "sentences")
	if err != nil || isNil {
		return id, model.Kind(k), nil, err
	}
	sentences, err = stringList(raw)
	return id, model.Kind(k), sentences, err
}

// stringList returns raw as strings; an element of another type is an error.
func stringList(raw []any) ([]string, error) {
	out := make([]string, len(raw))
	for i, v := range raw {
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("element %d: want a string, got %T", i, v)
		}
		out[i] = s
	}
	return out, nil
}

// Names returns every entity's name and aliases, for linking mentions.
func (s *Store) Names(ctx context.Context) ([]model.Name, error) {
	res, err := s.read(ctx, `
		MATCH (e:Entity) RETURN e.id AS id, e.name AS name, coalesce(e.aliases, []) AS aliases ORDER BY id`, nil)
	if err != nil {
		return nil, fmt.Errorf("read entity names: %w", err)
	}
	var names []model.Name
	for _, rec := range res.Records {
		id, err := get[string](rec, "id")
		if err != nil {
			return nil, decodeErr(err)
		}
		name, err := get[string](rec, "name")
		if err != nil {
			return nil, decodeErr(err)
		}
		raw, err := get[[]any](rec, "aliases")
		if err != nil {
			return nil, decodeErr(err)
		}
		aliases, err := stringList(raw)
		if err != nil {
			return nil, decodeErr(fmt.Errorf("aliases of %s: %w", id, err))
		}
		names = append(names, model.Name{Text: name, EntityID: id})
		for _, a := range aliases {
			names = append(names, model.Name{Text: a, EntityID: id})
		}
	}
	return names, nil
}

// ChangedDocuments returns the ids of the docs (with their sentences split) that
// the graph holds with other sentences than the given ones, sorted. It sends ids
// and gets back content hashes (nothing at all on a first load); only for the
// documents whose hash differs does it read the stored sentences.
func (s *Store) ChangedDocuments(ctx context.Context, docs []model.DocumentRecord) ([]string, error) {
	byID := make(map[string]model.DocumentRecord, len(docs))
	ids := make([]string, 0, len(docs))
	for _, d := range docs {
		byID[d.ID] = d
		ids = append(ids, d.ID)
	}
	res, err := s.read(ctx, `UNWIND $ids AS id MATCH (d:Document {id: id}) RETURN d.id AS id, coalesce(d._hash, '') AS hash`,
		map[string]any{"ids": ids})
	if err != nil {
		return nil, fmt.Errorf("compare %d documents with the graph: %w", len(ids), err)
	}
	var differ []string
	for _, rec := range res.Records {
		id, err := get[string](rec, "id")
		if err != nil {
			return nil, decodeErr(err)
		}
		h, err := get[string](rec, "hash")
		if err != nil {
			return nil, decodeErr(err)
		}
		if h != documentProps(byID[id])["_hash"] {
			differ = append(differ, id)
		}
	}
	if len(differ) == 0 {
		return nil, nil
	}
	res, err = s.read(ctx, `UNWIND $ids AS id MATCH (d:Document {id: id}) RETURN d.id AS id, coalesce(d.sentences, []) AS sentences`,
		map[string]any{"ids": differ})
	if err != nil {
		return nil, fmt.Errorf("compare %d documents with the graph: %w", len(differ), err)
	}
	var changed []string
	for _, rec := range res.Records {
		id, err := get[string](rec, "id")
		if err != nil {
			return nil, decodeErr(err)
		}
		raw, err := get[[]any](rec, "sentences")
		if err != nil {
			return nil, decodeErr(err)
		}
		old, err := stringList(raw)
		if err != nil {
			return nil, decodeErr(fmt.Errorf("sentences of %s: %w", id, err))
		}
		if !slices.Equal(old, byID[id].Sentences) {
			changed = append(changed, id)
		}
	}
	slices.Sort(changed)
	return changed, nil
}

// Citations returns every evidence item of a relationship in the graph that cites
// one of the documents docIDs. It reads every relationship: call it only for
// documents whose text changed.
func (s *Store) Citations(ctx context.Context, docIDs []string) ([]model.Citation, error) {
	res, err := s.read(ctx, `
		MATCH (a:Entity)-[r]->(b:Entity)
		WHERE type(r) <> 'MENTIONS' AND any(d IN r.evidenceDocs WHERE d IN $ids)
		RETURN a.id AS from, type(r) AS type, b.id AS to,
		       r.evidenceDocs AS docs, r.evidenceSentences AS sentences, r.evidenceQuotes AS quotes
		ORDER BY from, type, to`, map[string]any{"ids": docIDs})
	if err != nil {
		return nil, fmt.Errorf("read the evidence citing %v: %w", docIDs, err)
	}
	var out []model.Citation
	for _, rec := range res.Records {
		cs, err := decodeCitations(rec)
		if err != nil {
			return nil, decodeErr(err)
		}
		for _, c := range cs {
			if slices.Contains(docIDs, c.Doc) {
				out = append(out, c)
			}
		}
	}
	return out, nil
}

// decodeCitations reads the evidence items of one relationship of Citations.
func decodeCitations(rec *neo4j.Record) ([]model.Citation, error) {
	var base model.Citation
	var err error
	if base.From, err = get[string](rec, "from"); err != nil {
		return nil, err
	}
	if base.Type, err = get[string](rec, "type"); err != nil {
		return nil, err
	}
	if base.To, err = get[string](rec, "to"); err != nil {
		return nil, err
	}
	raw, err := get[[]any](rec, "docs")
	if err != nil {
		return nil, err
	}
	docs, err := stringList(raw)
	if err != nil {
		return nil, fmt.Errorf("docs: %w", err)
	}
	if raw, err = get[[]any](rec, "quotes"); err != nil {
		return nil, err
	}
	quotes, err := stringList(raw)
	if err != nil {
		return nil, fmt.Errorf("quotes: %w", err)
	}
	sents, err := get[[]any](rec, "sentences")
	if err != nil {
		return nil, err
	}
	if len(sents) != len(docs) || len(quotes) != len(docs) {
		return nil, fmt.Errorf("%s %s %s: evidence lists of %d docs, %d sentences, %d quotes", base.From, base.Type, base.To, len(docs), len(sents), len(quotes))
	}
	out := make([]model.Citation, len(docs))
	for i := range docs {
		n, ok := sents[i].(int64)
		if !ok {
			return nil, fmt.Errorf("sentences: element %d: want an integer, got %T", i, sents[i])
		}
		c := base
		c.Index, c.Doc, c.Sentence, c.Quote = i, docs[i], int(n), quotes[i]
		out[i] = c
	}
	return out, nil
}
