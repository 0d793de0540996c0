package loaders

import (
	"context"
	"fmt"

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
