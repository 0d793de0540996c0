package loaders

import (
	"context"
	"fmt"
	"slices"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"tradegraph/graph/model"
)

// GraphReader answers the loaders' questions about what the graph already holds.
type GraphReader struct {
	Driver   neo4j.DriverWithContext
	Database string
}

var _ GraphLookup = (*GraphReader)(nil)

// Known returns the kinds of the ids that exist, and the sentences of documents.
func (g *GraphReader) Known(ctx context.Context, ids []string) (map[string]model.Kind, map[string][]string, error) {
	res, err := neo4j.ExecuteQuery(ctx, g.Driver, `
		UNWIND $ids AS id
		OPTIONAL MATCH (e:Entity {id: id})
		OPTIONAL MATCH (d:Document {id: id})
		WITH id, e, d WHERE e IS NOT NULL OR d IS NOT NULL
		RETURN id, coalesce(e.kind, 'Document') AS kind, d.sentences AS sentences`,
		map[string]any{"ids": ids}, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(g.Database), neo4j.ExecuteQueryWithReadersRouting())
	if err != nil {
		return nil, nil, fmt.Errorf("look up %d ids: %w", len(ids), err)
	}
	kinds := map[string]model.Kind{}
	sentences := map[string][]string{}
	for _, rec := range res.Records {
		id, _, _ := neo4j.GetRecordValue[string](rec, "id")
		kind, _, _ := neo4j.GetRecordValue[string](rec, "kind")
		kinds[id] = model.Kind(kind)
		if s, isNil, err := neo4j.GetRecordValue[[]any](rec, "sentences"); err == nil && !isNil {
			for _, v := range s {
				str, _ := v.(string)
				sentences[id] = append(sentences[id], str)
			}
		}
	}
	return kinds, sentences, nil
}

// Names returns every entity's name and aliases, for linking mentions.
func (g *GraphReader) Names(ctx context.Context) ([]Name, error) {
	res, err := neo4j.ExecuteQuery(ctx, g.Driver, `
		MATCH (e:Entity) RETURN e.id AS id, e.name AS name, coalesce(e.aliases, []) AS aliases ORDER BY id`,
		nil, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(g.Database), neo4j.ExecuteQueryWithReadersRouting())
	if err != nil {
		return nil, fmt.Errorf("read entity names: %w", err)
	}
	var names []Name
	for _, rec := range res.Records {
		id, _, _ := neo4j.GetRecordValue[string](rec, "id")
		name, _, _ := neo4j.GetRecordValue[string](rec, "name")
		names = append(names, Name{Text: name, EntityID: id})
		aliases, _, _ := neo4j.GetRecordValue[[]any](rec, "aliases")
		for _, a := range aliases {
			if s, ok := a.(string); ok {
				names = append(names, Name{Text: s, EntityID: id})
			}
		}
	}
	return names, nil
}

// ChangedDocuments returns the ids of the docs (with their sentences split) that
// the graph holds with other sentences than the given ones, sorted. It sends ids
// and gets back content hashes (nothing at all on a first load); only for the
// documents whose hash differs does it read the stored sentences.
func (g *GraphReader) ChangedDocuments(ctx context.Context, docs []model.DocumentRecord) ([]string, error) {
	byID := make(map[string]model.DocumentRecord, len(docs))
	ids := make([]string, 0, len(docs))
	for _, d := range docs {
		byID[d.ID] = d
		ids = append(ids, d.ID)
	}
	hashes, err := g.documents(ctx, `coalesce(d._hash, '')`, ids)
	if err != nil {
		return nil, err
	}
	var differ []string
	for id, h := range hashes {
		if h != documentProps(byID[id])["_hash"] {
			differ = append(differ, id)
		}
	}
	if len(differ) == 0 {
		return nil, nil
	}
	stored, err := g.documents(ctx, `d.sentences`, differ)
	if err != nil {
		return nil, err
	}
	var changed []string
	for id, v := range stored {
		old, _ := v.([]any)
		if !slices.EqualFunc(old, byID[id].Sentences, func(a any, s string) bool { return a == s }) {
			changed = append(changed, id)
		}
	}
	slices.Sort(changed)
	return changed, nil
}

// documents returns expr (over d) for each of the documents ids the graph holds.
func (g *GraphReader) documents(ctx context.Context, expr string, ids []string) (map[string]any, error) {
	res, err := neo4j.ExecuteQuery(ctx, g.Driver, `UNWIND $ids AS id MATCH (d:Document {id: id}) RETURN d.id AS id, `+expr+` AS v`,
		map[string]any{"ids": ids}, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(g.Database), neo4j.ExecuteQueryWithReadersRouting())
	if err != nil {
		return nil, fmt.Errorf("compare %d documents with the graph: %w", len(ids), err)
	}
	out := make(map[string]any, len(res.Records))
	for _, rec := range res.Records {
		id, _, err := neo4j.GetRecordValue[string](rec, "id")
		if err != nil {
			return nil, err
		}
		out[id], _ = rec.Get("v")
	}
	return out, nil
}

// Citations returns every evidence item of a relationship in the graph that cites
// one of the documents docIDs. It reads every relationship: call it only for
// documents whose text changed.
func (g *GraphReader) Citations(ctx context.Context, docIDs []string) ([]Citation, error) {
	res, err := neo4j.ExecuteQuery(ctx, g.Driver, `
		MATCH (a:Entity)-[r]->(b:Entity)
		WHERE type(r) <> 'MENTIONS' AND any(d IN r.evidenceDocs WHERE d IN $ids)
		RETURN a.id AS from, type(r) AS type, b.id AS to,
		       r.evidenceDocs AS docs, r.evidenceSentences AS sentences, r.evidenceQuotes AS quotes
		ORDER BY from, type, to`,
		map[string]any{"ids": docIDs}, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(g.Database), neo4j.ExecuteQueryWithReadersRouting())
	if err != nil {
		return nil, fmt.Errorf("read the evidence citing %v: %w", docIDs, err)
	}
	var out []Citation
	for _, rec := range res.Records {
		m := rec.AsMap()
		from, _ := m["from"].(string)
		typ, _ := m["type"].(string)
		to, _ := m["to"].(string)
		docs, _ := m["docs"].([]any)
		sents, _ := m["sentences"].([]any)
		quotes, _ := m["quotes"].([]any)
		for i := range docs {
			c := Citation{From: from, Type: typ, To: to, Index: i}
			c.Doc, _ = docs[i].(string)
			if i < len(sents) {
				n, _ := sents[i].(int64)
				c.Sentence = int(n)
			}
			if i < len(quotes) {
				c.Quote, _ = quotes[i].(string)
			}
			if slices.Contains(docIDs, c.Doc) {
				out = append(out, c)
			}
		}
	}
	return out, nil
}
