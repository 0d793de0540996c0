package app

import (
	"context"
	"sync/atomic"

	"tradegraph/graph"
	"tradegraph/graph/model"
)

// fakeStore is a graph.Store for HTTP-level tests. Every method counts its call;
// the ones with a Fn field set do what it says, the others return an empty answer.
// Tests that must reach no database check calls == 0.
type fakeStore struct {
	calls    atomic.Int64
	PingFn   func(ctx context.Context) error
	SearchFn func(ctx context.Context, text string) ([]model.SearchHit, error)
	UpsertFn func(ctx context.Context, e model.EntityRecord) (model.Entity, error)
}

var _ graph.Store = (*fakeStore)(nil)

func (s *fakeStore) Ping(ctx context.Context) error {
	s.calls.Add(1)
	if s.PingFn != nil {
		return s.PingFn(ctx)
	}
	return nil
}

func (s *fakeStore) Stats(context.Context) (*model.GraphStats, error) {
	s.calls.Add(1)
	return &model.GraphStats{}, nil
}

func (s *fakeStore) Nodes(context.Context, []string) (map[string]model.Node, error) {
	s.calls.Add(1)
	return map[string]model.Node{}, nil
}

func (s *fakeStore) Relationship(context.Context, string) (*model.Relationship, error) {
	s.calls.Add(1)
	return nil, nil
}

func (s *fakeStore) Entities(context.Context, graph.EntityQuery) (*graph.EntityPage, error) {
	s.calls.Add(1)
	return &graph.EntityPage{}, nil
}

func (s *fakeStore) Documents(context.Context, graph.PageQuery) (*model.DocumentConnection, error) {
	s.calls.Add(1)
	return &model.DocumentConnection{}, nil
}

func (s *fakeStore) Sentences(context.Context, []string) (map[string][]model.Sentence, error) {
	s.calls.Add(1)
	return map[string][]model.Sentence{}, nil
}

func (s *fakeStore) Search(ctx context.Context, q graph.SearchQuery) ([]model.SearchHit, error) {
	s.calls.Add(1)
	if s.SearchFn != nil {
		return s.SearchFn(ctx, q.Text)
	}
	return []model.SearchHit{}, nil
}

func (s *fakeStore) Relationships(context.Context, graph.RelationshipQuery) (map[string]*model.RelationshipConnection, error) {
	s.calls.Add(1)
	return map[string]*model.RelationshipConnection{}, nil
}

func (s *fakeStore) Mentions(context.Context, []string, int) (map[string][]model.Mention, error) {
	s.calls.Add(1)
	return map[string][]model.Mention{}, nil
}

func (s *fakeStore) Neighborhood(context.Context, graph.NeighborhoodQuery) (*model.Subgraph, error) {
	s.calls.Add(1)
	return nil, graph.Errorf(graph.ENOTFOUND, "no such entity")
}

func (s *fakeStore) Paths(context.Context, graph.PathQuery) ([]graph.RawPath, error) {
	s.calls.Add(1)
	return nil, nil
}

func (s *fakeStore) Changes(context.Context, graph.ChangesQuery) (*model.Changes, error) {
	return &model.Changes{}, nil
}

func (s *fakeStore) Timeline(context.Context, graph.TimelineQuery) ([]model.TimelineEvent, error) {
	s.calls.Add(1)
	return []model.TimelineEvent{}, nil
}

func (s *fakeStore) UpsertEntity(ctx context.Context, e model.EntityRecord) (model.Entity, []model.FieldConflict, error) {
	s.calls.Add(1)
	if s.UpsertFn != nil {
		ent, err := s.UpsertFn(ctx, e)
		return ent, nil, err
	}
	return &model.Actor{ID: e.ID, Kind: model.EntityKindActor, Type: e.Type, Name: e.Name}, nil, nil
}

func (s *fakeStore) Provenance(ctx context.Context, ids []string) (map[string][]model.Provenance, error) {
	s.calls.Add(1)
	return map[string][]model.Provenance{}, nil
}

func (s *fakeStore) Claims(ctx context.Context, ids []string) (map[string][]model.EntityClaim, error) {
	s.calls.Add(1)
	return map[string][]model.EntityClaim{}, nil
}

func (s *fakeStore) UpsertRelationship(context.Context, model.RelationshipRecord) (*model.Relationship, error) {
	s.calls.Add(1)
	return nil, graph.Errorf(graph.EINVALID, "fake store writes no relationships")
}

func (s *fakeStore) DeleteRelationship(context.Context, string) (bool, error) {
	s.calls.Add(1)
	return false, nil
}

func (s *fakeStore) MergeEntities(context.Context, string, string, model.Source) (*model.MergeResult, error) {
	s.calls.Add(1)
	return nil, graph.Errorf(graph.EINVALID, "fake store merges nothing")
}

func (s *fakeStore) AuditLog(context.Context, graph.PageQuery, bool) (*model.AuditConnection, error) {
	s.calls.Add(1)
	return &model.AuditConnection{Records: []model.AuditRecord{}, PageInfo: &model.PageInfo{}}, nil
}
