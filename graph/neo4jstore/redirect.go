package neo4jstore

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"reflect"
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
		if b, err = s.combineWithStored(ctx, b, into, skipped); err != nil {
			return nil, nil, nil, err
		}
		next, err := s.Prepare(b)
		if err != nil {
			return nil, nil, nil, err
		}
		p = next.(*preparedBatch)
	}
	return nil, nil, nil, graph.Errorf(graph.ECONFLICT, "write: entities kept being merged while the batch was written; try again")
}

// orSurvivor answers read(id); when id names no entity (ENOTFOUND) but was
// merged away, it answers read(survivor), so that an old id keeps answering
// everywhere an entity id is asked for. The look-up of the redirect costs a
// statement only when the first read found nothing.
func orSurvivor[T any](ctx context.Context, s *Store, id string, read func(id string) (T, error)) (T, error) {
	out, err := read(id)
	if graph.ErrorCode(err) != graph.ENOTFOUND {
		return out, err
	}
	into, rerr := s.redirects(ctx, []string{id})
	if rerr != nil || into[id] == "" {
		return out, err
	}
	return read(into[id])
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

// combineWithStored combines each relationship of b that names a survivor of
// into with the one the graph already holds under the same (from, type, to): the
// stored one is kept first, the batch's evidence added (model.CombineRelationships).
// Without it, reloading a dataset that still names a merged-away id would replace
// the combined relationship of the merge with the dataset's own. A relationship
// that adds nothing to the stored one is dropped, counted unchanged in skipped,
// so the stored one keeps its content hash (see MergeEntities).
func (s *Store) combineWithStored(ctx context.Context, b model.Batch, into map[string]string, skipped model.Summary) (model.Batch, error) {
	survivor := map[string]bool{}
	for _, v := range into {
		survivor[v] = true
	}
	var rows []row
	at := map[string]int{}
	for i, r := range b.Relationships {
		if survivor[r.From] || survivor[r.To] {
			rows = append(rows, row{"from": r.From, "type": r.Type, "to": r.To})
			at[r.Key()] = i
		}
	}
	if len(rows) == 0 {
		return b, nil
	}
	res, err := s.read(ctx, `
		UNWIND $rows AS row
		MATCH (:Entity {id: row.from})-[r]->(:Entity {id: row.to}) WHERE type(r) = row.type
		RETURN row.from AS from, row.type AS type, row.to AS to, properties(r) AS props`, map[string]any{"rows": rows})
	if err != nil {
		return b, err
	}
	b.Relationships = slices.Clone(b.Relationships)
	drop := map[int]bool{}
	for _, rec := range res.Records {
		var from, typ, to string
		if from, err = get[string](rec, "from"); err == nil {
			if typ, err = get[string](rec, "type"); err == nil {
				to, err = get[string](rec, "to")
			}
		}
		if err != nil {
			return b, decodeErr(err)
		}
		props, err := get[map[string]any](rec, "props")
		if err != nil {
			return b, decodeErr(err)
		}
		stored, err := relRecord(typ, from, to, props)
		if err != nil {
			return b, err
		}
		i := at[model.RelationshipRecord{From: from, Type: typ, To: to}.Key()]
		combined, _ := model.CombineRelationships(stored, b.Relationships[i])
		if reflect.DeepEqual(combined, stored) {
			drop[i] = true
			skipped.Add(typ, model.Unchanged, 1)
		}
		b.Relationships[i] = combined
	}
	var kept []model.RelationshipRecord
	for i, r := range b.Relationships {
		if !drop[i] {
			kept = append(kept, r)
		}
	}
	b.Relationships = kept
	return b, nil
}
