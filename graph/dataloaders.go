package graph

import (
	"context"
	"fmt"
	"time"

	"tradegraph/graph/model"
)

// Per-request batch loaders: when a list of entities each asks for its
// relationships, mentions or documents, the resolvers' calls are gathered into one
// Store call (one Cypher round trip) per field instead of one per row. The batches
// run when every resolver that could still ask has asked (batch.go), not after a
// wait.
type dataloaders struct {
	sched *scheduler
	// names is namesOnly of the operation (opNamesOnly).
	names bool
	// prefetched are relationship pages read ahead by a root field (lookahead.go).
	prefetched prefetched
	nodes      *loader[string, model.Node]
	rels       *loader[relKey, *model.RelationshipConnection]
	mentions   *loader[mentionKey, []model.Mention]
	// sentences are documents' sentences, read only when a request selects them.
	sentences *loader[string, []model.Sentence]
	// provenance and claims are read only when a query selects them.
	provenance *loader[string, []model.Provenance]
	claims     *loader[string, []model.EntityClaim]
}

// relKey identifies one entity's relationships under one set of arguments. Keys
// with equal args share a round trip.
type relKey struct {
	id   string
	args relArgs
}

// relArgs are RelationshipQuery's filters in comparable form.
type relArgs struct {
	types     string // comma-joined
	direction model.Direction
	first     int
	after     string
	from, to  time.Time
	known     time.Time
	wantTotal bool
	// wantUndated: the selection reads undatedCount.
	wantUndated bool
	// texts, att and names: what the selection reads of each relationship and
	// its endpoints (RelSelect).
	texts, att, names bool
	// bare: the selection reads nothing of a relationship's own properties
	// but its id (RelSelect.Bare).
	bare bool
}

type mentionKey struct {
	id    string
	first int
}

type loadersKey struct{}

func newDataloaders(store Store) *dataloaders {
	s := &scheduler{}
	return &dataloaders{
		sched:      s,
		prefetched: prefetched{pages: map[relKey]*model.RelationshipConnection{}},
		nodes: newLoader(s, func(ctx context.Context, ids []string) (map[string]model.Node, error) {
			return store.Nodes(ctx, ids)
		}),
		rels: newLoader(s, func(ctx context.Context, keys []relKey) (map[relKey]*model.RelationshipConnection, error) {
			groups := map[relArgs][]string{}
			for _, k := range keys {
				groups[k.args] = append(groups[k.args], k.id)
			}
			out := make(map[relKey]*model.RelationshipConnection, len(keys))
			for args, ids := range groups {
				q := args.query()
				q.IDs = ids
				res, err := store.Relationships(ctx, q)
				if err != nil {
					return nil, err
				}
				for _, id := range ids {
					out[relKey{id, args}] = res[id]
				}
			}
			return out, nil
		}),
		mentions: newLoader(s, func(ctx context.Context, keys []mentionKey) (map[mentionKey][]model.Mention, error) {
			byFirst := map[int][]string{}
			for _, k := range keys {
				byFirst[k.first] = append(byFirst[k.first], k.id)
			}
			out := make(map[mentionKey][]model.Mention, len(keys))
			for first, ids := range byFirst {
				res, err := store.Mentions(ctx, ids, first)
				if err != nil {
					return nil, err
				}
				for _, id := range ids {
					out[mentionKey{id, first}] = res[id]
				}
			}
			return out, nil
		}),
		sentences: newLoader(s, func(ctx context.Context, ids []string) (map[string][]model.Sentence, error) {
			return store.Sentences(ctx, ids)
		}),
		provenance: newLoader(s, store.Provenance),
		claims:     newLoader(s, store.Claims),
	}
}

func loadersFrom(ctx context.Context) (*dataloaders, error) {
	l, ok := ctx.Value(loadersKey{}).(*dataloaders)
	if !ok {
		return nil, fmt.Errorf("no dataloaders in context")
	}
	return l, nil
}
