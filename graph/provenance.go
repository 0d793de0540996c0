package graph

import (
	"context"
	"errors"
	"fmt"

	"github.com/99designs/gqlgen/graphql"

	"tradegraph/graph/model"
)

// provenanceOf returns which sources assert the entity or relationship id,
// through the request's batch loader (one round trip for a whole list).
func provenanceOf(ctx context.Context, id string) ([]model.Provenance, error) {
	l, err := loadersFrom(ctx)
	if err != nil {
		return nil, err
	}
	ps, err := l.provenance.Load(ctx, id)
	if err != nil && !isMissing(err) {
		return nil, err
	}
	if ps == nil {
		ps = []model.Provenance{}
	}
	return ps, nil
}

// fieldSourcesOf returns, per field of the entity id, which sources give which
// value (model.SourcesByField over its claims).
func fieldSourcesOf(ctx context.Context, id string) ([]model.FieldSources, error) {
	l, err := loadersFrom(ctx)
	if err != nil {
		return nil, err
	}
	claims, err := l.claims.Load(ctx, id)
	if err != nil && !isMissing(err) {
		return nil, err
	}
	out := []model.FieldSources{}
	for _, fc := range model.SourcesByField(claims) {
		conflict := len(fc.Values) > 1 && fc.Field != "aliases" && fc.Field != "uses"
		out = append(out, model.FieldSources{Field: fc.Field, Values: fc.Values, Conflict: conflict})
	}
	return out, nil
}

// isMissing reports the error a mapped batch loader returns for a key its
// function left out of the map: an id without provenance or claims.
func isMissing(err error) bool { return errors.Is(err, errNotLoaded) }

// warnConflicts adds the entity fields on which a mutation's claim and other
// sources disagree to the response's extensions, as "warnings": the mutation
// succeeds, and the client sees the disagreement instead of a silent winner.
func warnConflicts(ctx context.Context, conflicts []model.FieldConflict) {
	if len(conflicts) == 0 {
		return
	}
	msgs := make([]string, len(conflicts))
	for i, c := range conflicts {
		msgs[i] = fmt.Sprintf("conflict with other sources on %s", c.String())
	}
	graphql.RegisterExtension(ctx, "warnings", msgs)
}
