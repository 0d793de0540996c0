package graph

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"tradegraph/graph/model"
)

// Look-ahead: a root field that returns entities (entity, the kinds' lists) reads
// the relationships its selection asks for, and the relationships of their
// endpoints, down to maxPrefetchDepth levels, in its own statement
// (EntityQuery.Rels), and leaves each page in the request's prefetched pages,
// keyed as the relationships resolver asks for it (relKey). The resolvers below
// then find their page there; a page not found there (a shape the look-ahead does
// not cover) goes through the batch loader as before. What each statement reads of
// a relationship (evidence texts, attribution) comes from the same selection sets
// (relSelectOf), for both paths.

// maxPrefetchDepth is how many levels of relationships one statement reads.
const maxPrefetchDepth = 3

// entityKinds are the kinds an Entity can be, with their GraphQL type names.
var entityKinds = []struct {
	kind     model.Kind
	typeName string
}{
	{model.KindActor, "Actor"}, {model.KindMeeting, "Meeting"}, {model.KindCommodity, "Commodity"}, {model.KindPolicy, "Policy"},
}

// prefetched holds the relationship pages read ahead for a request, and, for
// each root field that read ahead, the relationships fields whose pages it read.
type prefetched struct {
	mu      sync.Mutex
	pages   map[relKey]*model.RelationshipConnection
	planned map[*ast.Field]map[*ast.Field]bool
	// args are the key arguments of the relationships fields resolved so far: in
	// a list every element's field has the same arguments and selection, and
	// deriving them walks the selection (argsOf).
	args map[*ast.Field]fieldArgs
}

// fieldArgs are the key arguments relArgsOf derived for a field under the
// collected selection sel (kept so that the selection a key was made for stays
// the one compared against).
type fieldArgs struct {
	sel  ast.SelectionSet
	args relArgs
}

// argsOf returns the key arguments of field f of the request: derived once per
// field and selection by derive, then remembered. Within one request a field's
// arguments (variables included) are fixed; its collected selection can differ
// between parents of different types (fragments), so it is part of the match.
func (p *prefetched) argsOf(f graphql.CollectedField, derive func() (relArgs, error)) (relArgs, error) {
	p.mu.Lock()
	got, ok := p.args[f.Field]
	p.mu.Unlock()
	if ok && sameSelections(got.sel, f.Selections) {
		return got.args, nil
	}
	args, err := derive()
	if err != nil {
		return relArgs{}, err
	}
	p.mu.Lock()
	if p.args == nil {
		p.args = map[*ast.Field]fieldArgs{}
	}
	p.args[f.Field] = fieldArgs{sel: f.Selections, args: args}
	p.mu.Unlock()
	return args, nil
}

// sameSelections reports whether a and b hold the same selections, in order.
func sameSelections(a, b ast.SelectionSet) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// plannedUnder returns the relationships fields read ahead by root field root
// (nil when none); the set is complete before root's value is marshalled.
func (p *prefetched) plannedUnder(root *ast.Field) map[*ast.Field]bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.planned[root]
}

func (p *prefetched) get(k relKey) *model.RelationshipConnection {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.pages[k]
}

// relPlan is one relationships field read ahead: its key arguments, which
// endpoint of the relationships above it it belongs to and of which kinds (nil:
// any), and the plans of the relationships fields below its own endpoints.
type relPlan struct {
	field  *ast.Field
	args   relArgs
	end    End
	kinds  []model.Kind
	nested []*relPlan
}

// fullQuery is the query that reads p's pages and those nested in them.
func (p *relPlan) fullQuery() RelationshipQuery {
	q := p.args.query()
	for _, np := range p.nested {
		q.Select.Nested = append(q.Select.Nested, NestedRels{End: np.end, Kinds: np.kinds, Query: np.fullQuery()})
	}
	return q
}

// relArgsOf maps a relationships field's arguments and selection onto its key
// arguments, as the field's resolver does (entityRelationships); onlyNames is the operation's namesOnly.
func relArgsOf(oc *graphql.OperationContext, onlyNames bool, field graphql.CollectedField, types []model.RelType, direction *model.Direction, first *int, after *string, asOf *model.DateInput, during *model.DateRange, knownAsOf *model.DateInput) (relArgs, error) {
	n, err := intArg("first", first, 20, MaxPageSize)
	if err != nil {
		return relArgs{}, err
	}
	w, err := window(asOf, during, knownAsOf)
	if err != nil {
		return relArgs{}, err
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
	texts, att := relSelectOf(oc, field.Selections)
	args := relArgs{types: strings.Join(names, ","), direction: dir, first: n, from: w.From, to: w.To, known: w.Known,
		wantTotal: selects(oc, field.Selections, "totalCount"), wantUndated: selects(oc, field.Selections, "undatedCount"), texts: texts || !w.Known.IsZero(), att: att, names: onlyNames,
		bare: bareRels(oc, field.Selections)}
	if after != nil {
		args.after = *after
	}
	return args, nil
}

// query is the RelationshipQuery of key arguments a.
func (a relArgs) query() RelationshipQuery {
	q := RelationshipQuery{
		PageQuery:   PageQuery{First: a.first, After: a.after, WantTotal: a.wantTotal},
		WantUndated: a.wantUndated,
		Direction:   a.direction, Window: Window{From: a.from, To: a.to, Known: a.known},
		Select: RelSelect{Texts: a.texts, Attribution: a.att, Names: a.names, Bare: a.bare},
	}
	for _, t := range strings.Split(a.types, ",") {
		if t != "" {
			q.Types = append(q.Types, model.RelType(t))
		}
	}
	return q
}

// selects reports whether a selection set selects a field named name.
func selects(oc *graphql.OperationContext, sel ast.SelectionSet, name string) bool {
	for _, f := range graphql.CollectFields(oc, sel, nil) {
		if f.Name == name {
			return true
		}
	}
	return false
}

// subFields returns the fields named name in sel, for objects of type typeName.
func subFields(oc *graphql.OperationContext, sel ast.SelectionSet, typeName, name string) []graphql.CollectedField {
	var out []graphql.CollectedField
	for _, f := range graphql.CollectFields(oc, sel, []string{typeName}) {
		if f.Name == name {
			out = append(out, f)
		}
	}
	return out
}

// relNodes returns the Relationship selections of a relationships field's
// selection (edges { node { ... } }).
func relNodes(oc *graphql.OperationContext, sel ast.SelectionSet) []graphql.CollectedField {
	var out []graphql.CollectedField
	for _, e := range subFields(oc, sel, "RelationshipConnection", "edges") {
		out = append(out, subFields(oc, e.Selections, "RelationshipEdge", "node")...)
	}
	return out
}

// idFields are the fields of a Relationship answered without its own
// properties but its id: from its type (verb) and endpoints, or read apart
// (attributedTo: RelSelect.Attribution).
var idFields = map[string]bool{"id": true, "type": true, "verb": true, "from": true, "to": true, "attributedTo": true, "__typename": true}

// bareRels reports whether a relationships field's selection reads nothing of
// its relationships but idFields (RelSelect.Bare).
func bareRels(oc *graphql.OperationContext, sel ast.SelectionSet) bool {
	for _, n := range relNodes(oc, sel) {
		for _, f := range graphql.CollectFields(oc, n.Selections, []string{"Relationship"}) {
			if !idFields[f.Name] {
				return false
			}
		}
	}
	return true
}

// relSelectOf reports whether a relationships field's selection reads evidence
// sentence texts and attributions.
func relSelectOf(oc *graphql.OperationContext, sel ast.SelectionSet) (texts, att bool) {
	for _, n := range relNodes(oc, sel) {
		t, a := relFieldsOf(oc, n.Selections)
		texts, att = texts || t, att || a
	}
	return texts, att
}

// relFieldsOf reports whether the selection of a Relationship reads evidence
// sentence texts and the attribution.
func relFieldsOf(oc *graphql.OperationContext, sel ast.SelectionSet) (texts, att bool) {
	for _, ev := range subFields(oc, sel, "Relationship", "evidence") {
		texts = texts || len(subFields(oc, ev.Selections, "Evidence", "sentenceText")) > 0
	}
	att = len(subFields(oc, sel, "Relationship", "attributedTo")) > 0
	return texts, att
}

// relSelectAt returns what the current field reads of the relationships selected
// at path below it (edges for a neighbourhood): the evidence texts when some
// selection asks for sentenceText or the window has a knownAsOf day (which
// filters evidence by publication date), the attribution when one asks for
// attributedTo. Outside an operation it reads everything.
func relSelectAt(ctx context.Context, w Window, path ...string) RelSelect {
	oc := graphql.GetOperationContext(ctx)
	fc := graphql.GetFieldContext(ctx)
	if oc == nil || fc == nil {
		return RelSelect{Texts: true, Attribution: true}
	}
	sel := RelSelect{Texts: !w.Known.IsZero()}
	for _, s := range selectionsAt(oc, fc.Field.Selections, path...) {
		t, a := relFieldsOf(oc, s)
		sel.Texts, sel.Attribution = sel.Texts || t, sel.Attribution || a
	}
	return sel
}

// selectionsAt returns the selection sets of the fields at path below sel,
// whatever the fragments' type conditions.
func selectionsAt(oc *graphql.OperationContext, sel ast.SelectionSet, path ...string) []ast.SelectionSet {
	sels := []ast.SelectionSet{sel}
	for _, name := range path {
		var next []ast.SelectionSet
		for _, s := range sels {
			for _, f := range graphql.CollectFields(oc, s, nil) {
				if f.Name == name {
					next = append(next, f.Selections)
				}
			}
		}
		sels = next
	}
	return sels
}

// entityTypeNames are the GraphQL types whose values can be entities.
var entityTypeNames = map[string]bool{"Actor": true, "Meeting": true, "Commodity": true, "Policy": true, "Entity": true, "Node": true}

// nameFields are the fields of an entity answered from its id, kind, name and
// type, or by a resolver of their own from its id.
var nameFields = map[string]bool{"id": true, "kind": true, "name": true, "type": true, "__typename": true,
	"relationships": true, "mentions": true, "provenance": true, "fieldSources": true}

// opNamesOnly is namesOnly of the operation of ctx, worked out once per
// operation (the walk is of the whole document; a nested request asks it once
// per relationships field).
func opNamesOnly(ctx context.Context) bool {
	if l, err := loadersFrom(ctx); err == nil {
		return l.names
	}
	return namesOnly(graphql.GetOperationContext(ctx))
}

// namesOnly reports whether the operation selects nothing of any entity but
// nameFields, so that the store may read entities as their id, kind, name and
// type (most of an entity's bytes are its description, aliases and the
// bookkeeping of its sources). The walk is of the document as written, every
// fragment and every @skip/@include'd field counted: it may say no where a
// narrower walk would say yes, never the reverse.
func namesOnly(oc *graphql.OperationContext) bool {
	if oc == nil || oc.Operation == nil {
		return false
	}
	return namesOnlyIn(oc.Operation.SelectionSet, false)
}

// namesOnlyIn is namesOnly for a selection set, of an entity when entity is set.
func namesOnlyIn(sel ast.SelectionSet, entity bool) bool {
	for _, s := range sel {
		switch s := s.(type) {
		case *ast.Field:
			if entity && !nameFields[s.Name] {
				return false
			}
			isEntity := s.Definition != nil && s.Definition.Type != nil && entityTypeNames[s.Definition.Type.Name()]
			if !namesOnlyIn(s.SelectionSet, isEntity) {
				return false
			}
		case *ast.InlineFragment:
			if !namesOnlyIn(s.SelectionSet, entity || entityTypeNames[s.TypeCondition]) {
				return false
			}
		case *ast.FragmentSpread:
			if s.Definition == nil || !namesOnlyIn(s.Definition.SelectionSet, entity || entityTypeNames[s.Definition.TypeCondition]) {
				return false
			}
		}
	}
	return true
}

// relPlansOf returns the plans of the relationships fields that sel, the
// selection of an entity of one of kinds, asks for, depth levels deep at most.
func relPlansOf(oc *graphql.OperationContext, names bool, sel ast.SelectionSet, kinds []model.Kind, depth int) []*relPlan {
	if depth > maxPrefetchDepth {
		return nil
	}
	type found struct {
		field graphql.CollectedField
		kinds []model.Kind
	}
	var fields []*found
	byAST := map[*ast.Field]*found{}
	for _, k := range entityKinds {
		if kinds != nil && !slices.Contains(kinds, k.kind) {
			continue
		}
		for _, f := range graphql.CollectFields(oc, sel, []string{k.typeName, "Entity", "Node"}) {
			if f.Name != "relationships" {
				continue
			}
			if byAST[f.Field] == nil {
				byAST[f.Field] = &found{field: f}
				fields = append(fields, byAST[f.Field])
			}
			byAST[f.Field].kinds = append(byAST[f.Field].kinds, k.kind)
		}
	}
	var plans []*relPlan
	for _, fd := range fields {
		p, ok := relPlanOf(oc, names, fd.field, depth)
		if !ok {
			continue // the resolver reports the argument's problem
		}
		if len(fd.kinds) < len(entityKinds) {
			p.kinds = fd.kinds
		}
		plans = append(plans, p)
	}
	return plans
}

// relPlanOf returns the plan of one relationships field.
func relPlanOf(oc *graphql.OperationContext, names bool, f graphql.CollectedField, depth int) (*relPlan, bool) {
	raw := f.ArgumentMap(oc.Variables)
	var types []model.RelType
	if v, ok := raw["types"].([]any); ok {
		for _, t := range v {
			var rt model.RelType
			if rt.UnmarshalGQL(t) != nil {
				return nil, false
			}
			types = append(types, rt)
		}
	} else if raw["types"] != nil {
		return nil, false
	}
	var dir *model.Direction
	if v := raw["direction"]; v != nil {
		var d model.Direction
		if d.UnmarshalGQL(v) != nil || !d.IsValid() {
			return nil, false
		}
		dir = &d
	}
	first, ok := intValue(raw["first"])
	if !ok {
		return nil, false
	}
	var after *string
	if v := raw["after"]; v != nil {
		s, ok := v.(string)
		if !ok {
			return nil, false
		}
		after = &s
	}
	asOf, ok1 := dateValue(raw["asOf"])
	known, ok2 := dateValue(raw["knownAsOf"])
	var during *model.DateRange
	ok3 := true
	if v := raw["during"]; v != nil {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		var okFrom, okTo bool
		during = &model.DateRange{}
		during.From, okFrom = dateValue(m["from"])
		during.To, okTo = dateValue(m["to"])
		ok3 = okFrom && okTo
	}
	if !ok1 || !ok2 || !ok3 {
		return nil, false
	}
	args, err := relArgsOf(oc, names, f, types, dir, first, after, asOf, during, known)
	if err != nil {
		return nil, false
	}
	p := &relPlan{field: f.Field, args: args}
	for _, n := range relNodes(oc, f.Selections) {
		for _, end := range []End{EndFrom, EndTo} {
			for _, e := range subFields(oc, n.Selections, "Relationship", string(end)) {
				for _, np := range relPlansOf(oc, names, e.Selections, nil, depth+1) {
					np.end = end
					p.nested = append(p.nested, np)
				}
			}
		}
	}
	return p, true
}

// intValue reads an Int argument: nil (absent, default applied by the caller),
// an int64 from the document or a json.Number from the variables.
func intValue(v any) (*int, bool) {
	switch n := v.(type) {
	case nil:
		return nil, true
	case int64:
		i := int(n)
		return &i, true
	case int:
		return &n, true
	case json.Number:
		i64, err := n.Int64()
		if err != nil {
			return nil, false
		}
		i := int(i64)
		return &i, true
	}
	return nil, false
}

// dateValue reads a PartialDateInput argument.
func dateValue(v any) (*model.DateInput, bool) {
	if v == nil {
		return nil, true
	}
	var d model.DateInput
	if d.UnmarshalGQL(v) != nil {
		return nil, false
	}
	return &d, true
}

// prefetchPlans returns the relationship plans of the entities that the current
// root field returns, of kinds (nil: any), selected at path below the field
// (e.g. edges, node for a list).
func prefetchPlans(ctx context.Context, kinds []model.Kind, path ...string) []*relPlan {
	oc := graphql.GetOperationContext(ctx)
	fc := graphql.GetFieldContext(ctx)
	if oc == nil || fc == nil {
		return nil
	}
	sels := selectionsAt(oc, fc.Field.Selections, path...)
	var plans []*relPlan
	for _, s := range sels {
		plans = append(plans, relPlansOf(oc, opNamesOnly(ctx), s, kinds, 1)...)
	}
	return plans
}

// queries returns the queries of plans.
func queries(plans []*relPlan) []RelationshipQuery {
	out := make([]RelationshipQuery, len(plans))
	for i, p := range plans {
		out[i] = p.fullQuery()
	}
	return out
}

// prime leaves the pages that answer plans in the request's prefetched pages,
// and records their fields as read ahead by the current root field.
func prime(ctx context.Context, plans []*relPlan, answers []RelationshipPages) {
	l, err := loadersFrom(ctx)
	if err != nil {
		return
	}
	root := rootField(ctx)
	l.prefetched.mu.Lock()
	defer l.prefetched.mu.Unlock()
	var walk func(p *relPlan, a RelationshipPages)
	walk = func(p *relPlan, a RelationshipPages) {
		for id, conn := range a.Pages {
			l.prefetched.pages[relKey{id: id, args: p.args}] = conn
		}
		if root != nil && p.field != nil {
			if l.prefetched.planned == nil {
				l.prefetched.planned = map[*ast.Field]map[*ast.Field]bool{}
			}
			if l.prefetched.planned[root] == nil {
				l.prefetched.planned[root] = map[*ast.Field]bool{}
			}
			l.prefetched.planned[root][p.field] = true
		}
		for i, np := range p.nested {
			if i < len(a.Nested) {
				walk(np, a.Nested[i])
			}
		}
	}
	for i, p := range plans {
		if i < len(answers) {
			walk(p, answers[i])
		}
	}
}

// rootField returns the root field of the operation that ctx resolves under:
// the one of its root field context, which the generated _Query sets for each
// root field (the outermost field context is the Query object's, without a field).
func rootField(ctx context.Context) *ast.Field {
	if rc := graphql.GetRootFieldContext(ctx); rc != nil {
		return rc.Field.Field
	}
	return nil
}
