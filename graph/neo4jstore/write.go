package neo4jstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

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

// apiSource is the source of a mutation: `api:<token name>`, run by the token's
// name (an unnamed principal writes as api:anonymous).
func apiSource(ctx context.Context) model.Source {
	name := "anonymous"
	if p, ok := graph.PrincipalFrom(ctx); ok && p.Name != "" {
		name = p.Name
	}
	return model.Source{ID: "api:" + name, By: name}
}

// UpsertEntity validates and writes an entity as the claim of the request's
// token (apiSource), then reads it back. It also returns the fields on which
// that claim and another source's disagree.
func (s *Store) UpsertEntity(ctx context.Context, e model.EntityRecord) (model.Entity, []model.FieldConflict, error) {
	if errs := e.Validate(); len(errs) > 0 {
		return nil, nil, invalid(errs)
	}
	p, err := s.Prepare(model.Batch{Entities: []model.EntityRecord{e}, Source: apiSource(ctx), Action: model.ActionMutation})
	if err != nil {
		return nil, nil, err
	}
	if _, err := s.WritePrepared(ctx, p); err != nil {
		return nil, nil, err
	}
	var conflicts []model.FieldConflict
	for _, c := range p.Conflicts() {
		conflicts = append(conflicts, c.FieldConflict)
	}
	nodes, err := s.Nodes(ctx, []string{e.ID})
	if err != nil {
		return nil, nil, err
	}
	ent, ok := nodes[e.ID].(model.Entity)
	if !ok {
		return nil, nil, graph.Errorf(graph.EINTERNAL, "entity %s not found after writing it", e.ID)
	}
	return ent, conflicts, nil
}

// UpsertRelationship validates a relationship against the graph (endpoints, their
// kinds, evidence quotes) and writes it.
func (s *Store) UpsertRelationship(ctx context.Context, r model.RelationshipRecord) (*model.Relationship, error) {
	// Ids that were merged away name their survivors (redirect.go), here already,
	// so that the relationship is checked and read back under its real id.
	into, err := s.redirects(ctx, []string{r.From, r.To, r.AttributedTo})
	if err != nil {
		return nil, err
	}
	for _, id := range []*string{&r.From, &r.To, &r.AttributedTo} {
		if s, ok := into[*id]; ok {
			*id = s
		}
	}
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
	if _, err := s.writeBatch(ctx, model.Batch{Relationships: []model.RelationshipRecord{r}, Source: apiSource(ctx), Action: model.ActionMutation}); err != nil {
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

// deleteRelCypher deletes by id with one index seek per type, flagging the
// endpoints' knownFrom for knownStaleCypher.
var deleteRelCypher = relByID("WITH r, startNode(r) AS a, endNode(r) AS b " + flagKnownCypher("a", "b") + " DELETE r RETURN count(*) AS deleted")

// DeleteRelationship deletes a relationship by id.
func (s *Store) DeleteRelationship(ctx context.Context, id string) (bool, error) {
	src := apiSource(ctx)
	audit := statement{build: func(prev [][]*neo4j.Record) (*statement, error) {
		if n, err := deletedCount(prev[0]); err != nil || n == 0 {
			return nil, err
		}
		return auditStatement(auditEntry{by: src.By, action: model.ActionDelete, source: src.ID,
			counts: []model.AuditCount{{Key: "relationships deleted", Count: 1}}, ids: []string{id}}), nil
	}}
	recs, err := s.run(ctx, true, []statement{{cypher: deleteRelCypher, params: map[string]any{"id": id}}, knownStaleStatement(), audit})
	if err != nil {
		return false, err
	}
	n, err := deletedCount(recs[0])
	return n > 0, err
}

// deletedCount reads the one record of deleteRelCypher.
func deletedCount(recs []*neo4j.Record) (int64, error) {
	if len(recs) != 1 {
		return 0, decodeErr(fmt.Errorf("delete relationship: %d records, want 1", len(recs)))
	}
	n, err := get[int64](recs[0], "deleted")
	if err != nil {
		return 0, decodeErr(err)
	}
	return n, nil
}
