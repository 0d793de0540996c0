package graph

import (
	"context"
	"errors"

	"github.com/99designs/gqlgen/graphql"

	"tradegraph/graph/model"
)

// What the resolvers fetch, through the Store and the request's batch loaders, and
// how they build their results from it: the one implementation behind the fields
// that several types or lists share. arguments.go maps the arguments.

// entityPage is a page of one kind's list.
type entityPage struct{ *EntityPage }

func (p entityPage) pageInfo() *model.PageInfo {
	pi := &model.PageInfo{HasNextPage: p.HasNextPage}
	if n := len(p.Cursors); n > 0 {
		pi.EndCursor = &p.Cursors[n-1]
	}
	return pi
}

// edgesOf builds the edges of a kind's connection from a page of it, with edge
// making one edge: the one builder behind actors, meetings, commodities and policies.
func edgesOf[N model.Entity, E any](page entityPage, edge func(cursor string, node N) E) ([]E, error) {
	edges := make([]E, 0, len(page.Entities))
	for i, e := range page.Entities {
		n, ok := e.(N)
		if !ok {
			return nil, Errorf(EINTERNAL, "a page of %T holds a %T", n, e)
		}
		edges = append(edges, edge(page.Cursors[i], n))
	}
	return edges, nil
}

func (r *queryResolver) entities(ctx context.Context, kind model.Kind, f listFilter, first *int, after *string) (entityPage, error) {
	n, err := intArg("first", first, 20, MaxPageSize)
	if err != nil {
		return entityPage{}, err
	}
	q := EntityQuery{
		PageQuery: PageQuery{First: n, After: derefStr(after), WantTotal: selected(ctx, "totalCount")},
		Kind:      kind, Types: f.types, Statuses: f.statuses, NameContains: f.nameContains,
	}
	if kind == model.KindPolicy {
		if f.asOf != nil {
			q.StatusAsOf = f.asOf.Last()
		}
	} else if q.During, err = window(f.asOf, f.during, nil); err != nil {
		return entityPage{}, err
	}
	if f.knownAsOf != nil {
		q.KnownAsOf = f.knownAsOf.Last()
	}
	plans := prefetchPlans(ctx, []model.Kind{kind}, "edges", "node")
	q.Rels = queries(plans)
	q.Names = opNamesOnly(ctx)
	page, err := r.Store.Entities(ctx, q)
	if err != nil {
		return entityPage{}, err
	}
	prime(ctx, plans, page.Rels)
	return entityPage{page}, nil
}

// entityByID returns the entity with id, or nil; with the relationships its
// selection asks for read in the same statement. An id of an entity kind is read
// as Entities reads a page (only the four name fields when the operation selects
// no more, and no look-up of a document by the id); any other id goes through
// Nodes.
func (r *queryResolver) entityByID(ctx context.Context, id string) (model.Entity, error) {
	kind, ok := model.KindOfID(id)
	if !ok || kind == model.KindDocument {
		nodes, err := r.Store.Nodes(ctx, []string{id})
		if err != nil {
			return nil, err
		}
		e, _ := nodes[id].(model.Entity)
		return e, nil
	}
	plans := prefetchPlans(ctx, []model.Kind{kind})
	page, err := r.Store.Entities(ctx, EntityQuery{IDs: []string{id}, Rels: queries(plans), Names: opNamesOnly(ctx)})
	if err != nil || len(page.Entities) == 0 {
		return nil, err
	}
	prime(ctx, plans, page.Rels)
	return page.Entities[0], nil
}

func (r *queryResolver) paths(ctx context.Context, from, to string, maxLength *int, types []model.RelType, avoid []string, first *int, asOf *model.DateInput, during *model.DateRange, knownAsOf *model.DateInput) (*model.PathResult, error) {
	q := PathQuery{Types: types, Avoid: avoid}
	var err error
	if q.MaxLength, err = intArg("maxLength", maxLength, DefaultPathLength, MaxPathLength); err != nil {
		return nil, err
	}
	n, err := intArg("first", first, DefaultPaths, MaxPaths)
	if err != nil {
		return nil, err
	}
	if q.Window, err = window(asOf, during, knownAsOf); err != nil {
		return nil, err
	}
	a, b, err := resolveEndpoints(ctx, r.Store, from, to)
	if err != nil {
		return nil, err
	}
	res := &model.PathResult{From: a, To: b, Paths: []model.Path{}}
	if a.GetID() == b.GetID() {
		return nil, Errorf(EINVALID, "from and to are the same entity %s", a.GetID())
	}
	q.From, q.To, q.Candidates = a.GetID(), b.GetID(), PathCandidates(n)
	q.Select = relSelectAt(ctx, q.Window, "paths", "hops", "relationship")
	cands, err := r.Store.Paths(ctx, q)
	if err != nil {
		return nil, err
	}
	res.Paths = rankPaths(cands, n)
	return res, nil
}

// vocabulary lists the relationship types for clients.
func vocabulary() []model.RelTypeInfo {
	out := make([]model.RelTypeInfo, 0, len(model.Vocabulary))
	for _, s := range model.Vocabulary {
		out = append(out, model.RelTypeInfo{Type: s.Type, From: kindEnums(s.From), To: kindEnums(s.To), Verb: s.Verb, Description: s.Description})
	}
	return out
}

func kindEnums(ks []model.Kind) []model.EntityKind {
	out := make([]model.EntityKind, len(ks))
	for i, k := range ks {
		out[i] = model.EnumOf(k)
	}
	return out
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
// relationships field: the page read ahead by the root field (lookahead.go), or
// else through the request's batch loader.
func entityRelationships(ctx context.Context, id string, types []model.RelType, direction *model.Direction, first *int, after *string, asOf *model.DateInput, during *model.DateRange, knownAsOf *model.DateInput) (*model.RelationshipConnection, error) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil {
		return nil, Errorf(EINTERNAL, "relationships outside a field")
	}
	l, err := loadersFrom(ctx)
	if err != nil {
		return nil, err
	}
	args, err := l.prefetched.argsOf(fc.Field, func() (relArgs, error) {
		return relArgsOf(graphql.GetOperationContext(ctx), opNamesOnly(ctx), fc.Field, types, direction, first, after, asOf, during, knownAsOf)
	})
	if err != nil {
		return nil, err
	}
	key := relKey{id: id, args: args}
	if conn := l.prefetched.get(key); conn != nil {
		return conn, nil
	}
	conn, err := l.rels.Load(ctx, key)
	if errors.Is(err, errNotLoaded) || (err == nil && conn == nil) {
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
	if errors.Is(err, errNotLoaded) || (err == nil && ms == nil) {
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
	if errors.Is(err, errNotLoaded) {
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
	for arg, s := range map[string]string{"from": from, "to": to} {
		if _, ok := model.KindOfID(s); ok {
			ids = append(ids, s)
		} else if err := checkSearchText(arg, s); err != nil {
			return nil, nil, err
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
		hits, err := searchName(ctx, store, SearchQuery{Text: text, First: 1})
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

// searchName searches for a name as people write it: the store searches the forms
// of model.ResolveName, a demonym as its country ("Chinese"), then as given, then
// without a possessive or a title ("Treasury Secretary Scott Bessent"), in one
// statement, the hits of each form before those of the next, without repeats.
// Each hit is read as names only when the operation selects nothing else of any
// entity (namesOnly).
func searchName(ctx context.Context, store Store, q SearchQuery) ([]model.SearchHit, error) {
	q.Names = opNamesOnly(ctx)
	return store.Search(ctx, q)
}

// policyStatus is Policy.status: the current status, or with asOf the status on
// asOf's last day (nil before the policy's lifetime).
func policyStatus(p *model.Policy, asOf *model.DateInput) *string {
	if asOf == nil {
		return p.Status
	}
	if s := p.StatusAsOf(asOf.Last()); s != "" {
		return &s
	}
	return nil
}

// MaxChangesDepth is the deepest neighbourhood Query.changes looks at.
const MaxChangesDepth = 2

func (r *queryResolver) changes(ctx context.Context, id string, from, to model.DateInput, depth, first *int) (*model.Changes, error) {
	q := ChangesQuery{ID: id, From: from.First(), To: to.Last()}
	var err error
	if q.Depth, err = intArg("depth", depth, 1, MaxChangesDepth); err != nil {
		return nil, err
	}
	if q.First, err = intArg("first", first, 20, MaxTimeline); err != nil {
		return nil, err
	}
	if q.To.Before(q.From) {
		return nil, Errorf(EINVALID, "changes: to %s is before from %s", to.Text, from.Text)
	}
	return r.Store.Changes(ctx, q)
}
