package neo4jstore

import (
	"context"
	"fmt"

	"tradegraph/graph/model"
)

// NamedEntities returns every entity's id, kind, name and aliases, by id: what
// model.Suspects scores for likely duplicates.
func (s *Store) NamedEntities(ctx context.Context) ([]model.NamedEntity, error) {
	res, err := s.read(ctx, `
		MATCH (e:Entity) RETURN e.id AS id, coalesce(e.kind, '') AS kind, coalesce(e.name, '') AS name,
		       coalesce(e.aliases, []) AS aliases ORDER BY id`, nil)
	if err != nil {
		return nil, fmt.Errorf("read entity names: %w", err)
	}
	out := make([]model.NamedEntity, 0, len(res.Records))
	for _, rec := range res.Records {
		var e model.NamedEntity
		if e.ID, err = get[string](rec, "id"); err != nil {
			return nil, decodeErr(err)
		}
		if e.Kind, err = get[string](rec, "kind"); err != nil {
			return nil, decodeErr(err)
		}
		if e.Name, err = get[string](rec, "name"); err != nil {
			return nil, decodeErr(err)
		}
		raw, err := get[[]any](rec, "aliases")
		if err != nil {
			return nil, decodeErr(err)
		}
		if e.Aliases, err = stringList(raw); err != nil {
			return nil, decodeErr(fmt.Errorf("aliases of %s: %w", e.ID, err))
		}
		out = append(out, e)
	}
	return out, nil
}
