package neo4jstore

import (
	"context"
	"fmt"
	"strings"

	"tradegraph/graph"
	"tradegraph/graph/model"
)

// Mutations validate with the model's rules and write a model.Batch through the one
// batch writer (batch.go), inside Store.run like every statement, so an entity or
// relationship written through the API is exactly what the same record in a
// curated file would produce.

func invalid(errs []model.FieldError) error {
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = e.Error()
	}
	return graph.Errorf(graph.EINVALID, "%s", strings.Join(msgs, "; "))
}

// UpsertEntity validates and writes an entity, then reads it back.
func (s *Store) UpsertEntity(ctx context.Context, e model.EntityRecord) (model.Entity, error) {
	if errs := e.Validate(); len(errs) > 0 {
		return nil, invalid(errs)
	}
	if _, err := s.writeBatch(ctx, model.Batch{Entities: []model.EntityRecord{e}}); err != nil {
		return nil, err
	}
	nodes, err := s.Nodes(ctx, []string{e.ID})
	if err != nil {
		return nil, err
	}
	ent, ok := nodes[e.ID].(model.Entity)
	if !ok {
		return nil, graph.Errorf(graph.EINTERNAL, "entity %s not found after writing it", e.ID)
	}
	return ent, nil
}

// UpsertRelationship validates a relationship against the graph (endpoints, their
// kinds, evidence quotes) and writes it.
func (s *Store) UpsertRelationship(ctx context.Context, r model.RelationshipRecord) (*model.Relationship, error) {
	ids := []string{r.From, r.To}
	if r.AttributedTo != "" {
		ids = append(ids, r.AttributedTo)
	}
	for _, ev := range r.Evidence {
		ids = append(ids, ev.Doc)
	}
	kinds, sentences, err := s.Known(ctx, ids)
	if err != nil {
		return nil, err
	}
	lifetimes, err := s.lifetimes(ctx, []string{r.From, r.To})
	if err != nil {
		return nil, err
	}
	if errs := model.CheckRelationship(r, lookup{kinds, sentences, lifetimes}); len(errs) > 0 {
		return nil, invalid(errs)
	}
	if _, err := s.writeBatch(ctx, model.Batch{Relationships: []model.RelationshipRecord{r}}); err != nil {
		return nil, err
	}
	return s.Relationship(ctx, model.RelationshipID(r.From, r.Type, r.To))
}

type lookup struct {
	kinds     map[string]model.Kind
	sentences map[string][]string
	lifetimes map[string]model.Span
}

// Lifetime returns the stored lifetime of an entity (model.Lifetimes).
func (l lookup) Lifetime(id string) (model.Span, bool) {
	s, ok := l.lifetimes[id]
	return s, ok
}

func (l lookup) KindOf(id string) (model.Kind, bool) { k, ok := l.kinds[id]; return k, ok }
func (l lookup) Sentences(id string) ([]string, bool) {
	s, ok := l.sentences[id]
	return s, ok
}

// deleteRelCypher deletes by id with one index seek per type.
var deleteRelCypher = relByID("DELETE r RETURN count(*) AS deleted")

// DeleteRelationship deletes a relationship by id.
func (s *Store) DeleteRelationship(ctx context.Context, id string) (bool, error) {
	recs, err := s.run(ctx, true, []statement{{cypher: deleteRelCypher, params: map[string]any{"id": id}}})
	if err != nil {
		return false, err
	}
	if len(recs[0]) != 1 {
		return false, decodeErr(fmt.Errorf("delete relationship: %d records, want 1", len(recs[0])))
	}
	n, err := get[int64](recs[0][0], "deleted")
	if err != nil {
		return false, decodeErr(err)
	}
	return n > 0, nil
}
