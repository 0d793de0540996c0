package graph

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vikstrous/dataloadgen"

	"tradegraph/graph/model"
)

// Limits of the API's arguments. Larger values are refused, not clamped, so a
// client learns the limit instead of silently getting less.
const (
	MaxPageSize     = 100
	MaxSearchHits   = 50
	MaxDepth        = 3
	MaxLimitPerType = 50
	MaxNodes        = 2000
	MaxPathLength   = 6
	MaxPaths        = 10
	MaxTimeline     = 200
)

// Defaults of the traversal arguments, as the schema declares them.
const (
	// DefaultMaxNodes is the node cap of a neighbourhood when the request sets none.
	DefaultMaxNodes     = 300
	DefaultLimitPerType = 10
	DefaultPathLength   = 4
	DefaultPaths        = 3
)

// PathCandidates is how many candidate paths a request for first paths asks the
// Store for: more than wanted, so that near-duplicates can be dropped.
func PathCandidates(first int) int { return 4 * first }

// intArg returns *v (or def when nil), refusing values outside 1..max.
func intArg(name string, v *int, def, max int) (int, error) {
	n := def
	if v != nil {
		n = *v
	}
	if n < 1 || n > max {
		return 0, Errorf(EINVALID, "%s must be between 1 and %d, got %d", name, max, n)
	}
	return n, nil
}

// window turns asOf / during / knownAsOf arguments into a Window. asOf "2025-05"
// covers all of May 2025; during covers from its first day to its last; knownAsOf
// "2025-07" keeps what was published by 31 July 2025.
func window(asOf *model.DateInput, during *model.DateRange, knownAsOf *model.DateInput) (Window, error) {
	if asOf != nil && during != nil {
		return Window{}, Errorf(EINVALID, "give asOf or during, not both")
	}
	var w Window
	if asOf != nil {
		w = Window{From: asOf.First(), To: asOf.Last()}
	}
	if during != nil {
		if during.From != nil {
			w.From = during.From.First()
		}
		if during.To != nil {
			w.To = during.To.Last()
		}
		if !w.From.IsZero() && !w.To.IsZero() && w.To.Before(w.From) {
			return Window{}, Errorf(EINVALID, "during: to is before from")
		}
	}
	if knownAsOf != nil {
		w.Known = knownAsOf.Last()
	}
	return w, nil
}

// selected reports whether the client asked for field in the current field's selection.
func selected(ctx context.Context, field string) bool {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil {
		return true
	}
	for _, f := range graphql.CollectFieldsCtx(ctx, nil) {
		if f.Name == field {
			return true
		}
	}
	return false
}

// entityRelationships is the one implementation behind every entity type's
// relationships field: it goes through the request's batch loader.
func entityRelationships(ctx context.Context, id string, types []model.RelType, direction *model.Direction, first *int, after *string, asOf *model.DateInput, during *model.DateRange, knownAsOf *model.DateInput) (*model.RelationshipConnection, error) {
	n, err := intArg("first", first, 20, MaxPageSize)
	if err != nil {
		return nil, err
	}
	w, err := window(asOf, during, knownAsOf)
	if err != nil {
		return nil, err
	}
	dir := model.DirectionBoth
	if direction != nil {
		dir = *direction
	}
	names := make([]string, len(types))
	for i, t := range types {
		names[i] = string(t)
	}
	slices.Sort(names)
	args := relArgs{types: strings.Join(names, ","), direction: dir, first: n, from: w.From, to: w.To, known: w.Known, wantTotal: selected(ctx, "totalCount")}
	if after != nil {
		args.after = *after
	}
	l, err := loadersFrom(ctx)
	if err != nil {
		return nil, err
	}
	conn, err := l.rels.Load(ctx, relKey{id: id, args: args})
	if errors.Is(err, dataloadgen.ErrNotFound) || (err == nil && conn == nil) {
		return &model.RelationshipConnection{Edges: []model.RelationshipEdge{}, PageInfo: &model.PageInfo{}}, nil
	}
	return conn, err
}

// entityMentions is the one implementation behind every entity type's mentions field.
func entityMentions(ctx context.Context, id string, first *int) ([]model.Mention, error) {
	n, err := intArg("first", first, 20, MaxPageSize)
	if err != nil {
		return nil, err
	}
	l, err := loadersFrom(ctx)
	if err != nil {
		return nil, err
	}
	ms, err := l.mentions.Load(ctx, mentionKey{id: id, first: n})
	if errors.Is(err, dataloadgen.ErrNotFound) || (err == nil && ms == nil) {
		return []model.Mention{}, nil
	}
	return ms, err
}

// loadDocument returns a document through the request's batch loader.
func loadDocument(ctx context.Context, id string) (*model.Document, error) {
	l, err := loadersFrom(ctx)
	if err != nil {
		return nil, err
	}
	n, err := l.nodes.Load(ctx, id)
	if errors.Is(err, dataloadgen.ErrNotFound) {
		return nil, Errorf(ENOTFOUND, "no document %q", id)
	}
	if err != nil {
		return nil, err
	}
	d, ok := n.(*model.Document)
	if !ok {
		return nil, Errorf(ENOTFOUND, "%q is not a document", id)
	}
	return d, nil
}

// resolveEndpoints turns path endpoints given as ids or names into entities: ids
// that exist are used as they are (both looked up in one round trip); anything else
// is searched for and the best hit taken.
func resolveEndpoints(ctx context.Context, store Store, from, to string) (model.Entity, model.Entity, error) {
	var ids []string
	for _, s := range []string{from, to} {
		if _, ok := model.KindOfID(s); ok {
			ids = append(ids, s)
		}
	}
	var nodes map[string]model.Node
	if len(ids) > 0 {
		var err error
		if nodes, err = store.Nodes(ctx, ids); err != nil {
			return nil, nil, err
		}
	}
	resolve := func(arg, text string) (model.Entity, error) {
		if e, ok := nodes[text].(model.Entity); ok {
			return e, nil
		}
		hits, err := store.Search(ctx, text, nil, 1)
		if err != nil {
			return nil, err
		}
		if len(hits) == 0 {
			return nil, Errorf(ENOTFOUND, "%s: no entity matches %q", arg, text)
		}
		return hits[0].Entity, nil
	}
	a, err := resolve("from", from)
	if err != nil {
		return nil, nil, err
	}
	b, err := resolve("to", to)
	return a, b, err
}

func kindsFromEnum(ks []model.EntityKind) ([]model.Kind, error) {
	out := make([]model.Kind, 0, len(ks))
	for _, k := range ks {
		mk, ok := model.KindOf(k)
		if !ok || mk == model.KindDocument {
			return nil, Errorf(EINVALID, "kinds: %s is not an entity kind", k)
		}
		out = append(out, mk)
	}
	return out, nil
}

func derefStr(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func dateText(d *model.DateInput) string {
	if d == nil {
		return ""
	}
	return d.Text
}
