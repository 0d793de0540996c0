package neo4jstore

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"tradegraph/graph"
	"tradegraph/graph/model"
)

// Redirects: a merged-away entity id stays as a (:Redirect {id, into}) node, so
// that what still names it reaches the survivor. Reads resolve ids through them
// (nodesCypher); the batch writer checks, first thing in each batch's transaction,
// whether the batch names a merged-away id, and if so rewrites the batch onto the
// survivors (model.Batch.Redirect) and writes that instead. A merge re-points the
// redirects to the entity it removes, so a redirect is always one hop.

// redirected is the redirect guard's finding: merged-away id -> survivor.
type redirected map[string]string

func (r redirected) Error() string {
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(r)) {
		fmt.Fprintf(&b, " %s->%s", k, r[k])
	}
	return "the batch names merged-away ids:" + b.String()
}

// redirectGuard is the first statement of a batch: it fails, rolling the
// transaction back before anything is written, when one of ids is a redirect.
func redirectGuard(ids []string) statement {
	return statement{
		cypher: `UNWIND $ids AS id MATCH (r:Redirect {id: id}) RETURN id, r.into AS into`,
		params: map[string]any{"ids": ids},
		check: func(recs []*neo4j.Record) error {
			if len(recs) == 0 {
				return nil
			}
			found := redirected{}
			for _, rec := range recs {
				id, err := get[string](rec, "id")
				if err != nil {
					return decodeErr(err)
				}
				into, err := get[string](rec, "into")
				if err != nil {
					return decodeErr(err)
				}
				found[id] = into
			}
			return &graph.Error{Code: graph.ECONFLICT, Message: "the batch names merged-away ids", Cause: found}
		},
	}
}

// runRedirected writes p; when its guard finds merged-away ids it rewrites the
// batch onto the survivors and writes that (again, should a merge commit in
// between). It returns the records, the summary key of each statement and the
// entity records that were dropped as merged away, counted unchanged.
func (s *Store) runRedirected(ctx context.Context, p *preparedBatch) ([][]*neo4j.Record, []string, model.Summary, error) {
	orig := p.batch
	skipped := model.Summary{}
	into := map[string]string{}
	for range 3 {
		recs, err := s.run(ctx, true, p.stmts)
		var found redirected
		if !errors.As(err, &found) {
			return recs, p.keys, skipped, err
		}
		maps.Copy(into, found)
		b, sk, err := orig.Redirect(into)
		if err != nil {
			return nil, nil, nil, graph.Errorf(graph.EINVALID, "%v", err)
		}
		skipped = sk
		next, err := s.Prepare(b)
		if err != nil {
			return nil, nil, nil, err
		}
		p = next.(*preparedBatch)
	}
	return nil, nil, nil, graph.Errorf(graph.ECONFLICT, "write: entities kept being merged while the batch was written; try again")
}

// redirects returns, for those of ids that were merged away, their survivors.
func (s *Store) redirects(ctx context.Context, ids []string) (map[string]string, error) {
	res, err := s.read(ctx, `UNWIND $ids AS id MATCH (r:Redirect {id: id}) RETURN id, r.into AS into`, map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, rec := range res.Records {
		id, err := get[string](rec, "id")
		if err != nil {
			return nil, decodeErr(err)
		}
		if out[id], err = get[string](rec, "into"); err != nil {
			return nil, decodeErr(err)
		}
	}
	return out, nil
}
