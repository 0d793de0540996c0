package graph

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"tradegraph/graph/model"
)

// The request budget: limits every operation must fit before any resolver runs.
// Complexity counts each field as 1, and each list or traversal as its size
// argument times the cost of what it returns, so `first: 100` nested three deep
// costs what it would cost the database.

// complexity sets a cost function on every list and traversal field.
func complexity(c *ComplexityRoot) {
	page := func(first *int, def int) int {
		if first != nil && *first > 0 {
			return *first
		}
		return def
	}
	list := func(child int, first *int, def int) int { return 1 + page(first, def)*child }
	c.Query.Actors = func(child int, _ *model.ActorFilter, first *int, _ *string) int { return list(child, first, 20) }
	c.Query.Meetings = func(child int, _ *model.MeetingFilter, first *int, _ *string) int { return list(child, first, 20) }
	c.Query.Commodities = func(child int, _ *model.CommodityFilter, first *int, _ *string) int { return list(child, first, 20) }
	c.Query.Policies = func(child int, _ *model.PolicyFilter, first *int, _ *string) int { return list(child, first, 20) }
	c.Query.Documents = func(child int, first *int, _ *string) int { return list(child, first, 20) }
	c.Query.AuditLog = func(child int, first *int, _ *string, _ *bool) int { return list(child, first, 20) }
	// Drafting reads every entity of the graph to link names: cost it like a page
	// of a thousand, so that an operation cannot ask for many.
	c.Query.DraftArticle = func(child int, _ model.ArticleInput) int { return 1000 + child }
	c.Query.Search = func(child int, _ string, _ []model.EntityKind, first *int) int { return list(child, first, 10) }
	c.Query.Timeline = func(child int, _ string, _, _ *model.DateInput, first *int, _ *model.DateInput) int {
		return list(child, first, 50)
	}
	c.Query.Neighborhood = func(child int, _ string, depth *int, _ []model.RelType, limit, maxNodes *int, _ *model.DateInput, _ *model.DateRange, _ *model.DateInput) int {
		// Each level multiplies the frontier by the per-type cap (a few types per
		// node), up to the node cap; the loop stops there, so that a huge depth
		// cannot overflow into a small or negative cost.
		d, l, n := page(depth, 1), page(limit, DefaultLimitPerType), page(maxNodes, DefaultMaxNodes)
		nodes := 1
		for i := 0; i < d && nodes < n; i++ {
			nodes *= 1 + l
		}
		return 10 + min(nodes, n) + child
	}
	c.Query.Changes = func(child int, _ string, _, _ model.DateInput, _, first *int) int {
		// Four lists of at most first items each, whatever the depth.
		return 10 + 4*page(first, 20)*child
	}
	c.Query.Paths = func(child int, _, _ string, maxLength *int, _ []model.RelType, _ []string, first *int, _ *model.DateInput, _ *model.DateRange, _ *model.DateInput) int {
		return 10 + page(maxLength, DefaultPathLength)*PathCandidates(page(first, DefaultPaths)) + page(first, DefaultPaths)*child
	}
	rels := func(child int, _ []model.RelType, _ *model.Direction, first *int, _ *string, _ *model.DateInput, _ *model.DateRange, _ *model.DateInput) int {
		return list(child, first, 20)
	}
	mentions := func(child int, first *int) int { return list(child, first, 20) }
	c.Actor.Relationships, c.Actor.Mentions = rels, mentions
	c.Meeting.Relationships, c.Meeting.Mentions = rels, mentions
	c.Commodity.Relationships, c.Commodity.Mentions = rels, mentions
	c.Policy.Relationships, c.Policy.Mentions = rels, mentions
}

// Limits is the handler's budget of shape: nesting depth, aliases and fields.
type Limits struct {
	MaxDepth   int
	MaxAliases int
	// MaxFields caps the fields of the operation with every fragment spread expanded
	// (0: DefaultMaxFields). Without it, fragments that each spread the previous one
	// twice make a 1 KB document of a billion fields, and the complexity count that
	// follows would walk them all.
	MaxFields int
}

// DefaultMaxFields is the expanded field count allowed when Limits.MaxFields is 0;
// the console's largest query has about 60.
const DefaultMaxFields = 2000

// ExtensionName implements graphql.HandlerExtension.
func (Limits) ExtensionName() string { return "Limits" }

// Validate implements graphql.HandlerExtension.
func (Limits) Validate(graphql.ExecutableSchema) error { return nil }

// shape is what a selection set costs once expanded: its depth, and how many fields
// and aliases it holds. Counts saturate instead of overflowing.
type shape struct{ depth, fields, aliases int }

const saturated = 1 << 40

func (a *shape) add(b shape) {
	a.depth = max(a.depth, b.depth)
	a.fields = min(a.fields+b.fields, saturated)
	a.aliases = min(a.aliases+b.aliases, saturated)
}

// MutateOperationContext refuses operations that nest deeper, alias more or expand
// to more fields than the limits allow. It runs after parsing and validation (which
// rejects fragment cycles), before the complexity limit and any resolver, so a
// refused request costs no database work. Each fragment is measured once, so the
// check takes time linear in the document, whatever the expansion.
func (l Limits) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	memo := map[string]shape{}
	inProgress := map[string]bool{}
	var measure func(ss ast.SelectionSet) shape
	measure = func(ss ast.SelectionSet) shape {
		var total shape
		for _, sel := range ss {
			switch s := sel.(type) {
			case *ast.Field:
				f := measure(s.SelectionSet)
				f.depth++
				f.fields = min(f.fields+1, saturated)
				if s.Alias != "" && s.Alias != s.Name {
					f.aliases = min(f.aliases+1, saturated)
				}
				total.add(f)
			case *ast.InlineFragment:
				total.add(measure(s.SelectionSet))
			case *ast.FragmentSpread:
				if s.Definition == nil || inProgress[s.Name] {
					continue // a cycle, already refused by validation
				}
				m, ok := memo[s.Name]
				if !ok {
					inProgress[s.Name] = true
					m = measure(s.Definition.SelectionSet)
					delete(inProgress, s.Name)
					memo[s.Name] = m
				}
				total.add(m)
			}
		}
		return total
	}
	op := measure(oc.Operation.SelectionSet)
	maxFields := l.MaxFields
	if maxFields <= 0 {
		maxFields = DefaultMaxFields
	}
	if op.fields > maxFields {
		return budgetError(fmt.Sprintf("operation expands to %s fields; the limit is %d", count(op.fields), maxFields))
	}
	if l.MaxDepth > 0 && op.depth > l.MaxDepth {
		return budgetError(fmt.Sprintf("operation is nested %d deep; the limit is %d", op.depth, l.MaxDepth))
	}
	if l.MaxAliases > 0 && op.aliases > l.MaxAliases {
		return budgetError(fmt.Sprintf("operation uses %s aliases; the limit is %d", count(op.aliases), l.MaxAliases))
	}
	return nil
}

func count(n int) string {
	if n >= saturated {
		return "over a trillion"
	}
	return fmt.Sprint(n)
}

func budgetError(msg string) *gqlerror.Error {
	return &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": EBUDGET}}
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = Limits{}

type tokenKey struct{}

// WithBearer returns ctx carrying the bearer token the request presented.
func WithBearer(ctx context.Context, token string) context.Context {
	return context.WithValue(ctx, tokenKey{}, token)
}

// requiresToken is the @requiresToken directive: mutations need a token of the
// editor role (or TRADEGRAPH_API_TOKEN's); without any configured token they are
// disabled. Tokens.Lookup compares in constant time.
func requiresToken(tokens *Tokens) func(ctx context.Context, obj any, next graphql.Resolver) (any, error) {
	return func(ctx context.Context, obj any, next graphql.Resolver) (any, error) {
		if err := requireRole(ctx, tokens, RoleEditor, "mutations"); err != nil {
			return nil, err
		}
		return next(ctx)
	}
}

// requiresRole is the @requiresRole directive: the field needs a token of at least
// the given role.
func requiresRole(tokens *Tokens) func(ctx context.Context, obj any, next graphql.Resolver, role model.Role) (any, error) {
	return func(ctx context.Context, obj any, next graphql.Resolver, role model.Role) (any, error) {
		want, what := RoleAdmin, "admin operations"
		switch role {
		case model.RoleReader:
			want, what = RoleReader, "reads"
		case model.RoleEditor:
			want, what = RoleEditor, "mutations"
		}
		if err := requireRole(ctx, tokens, want, what); err != nil {
			return nil, err
		}
		return next(ctx)
	}
}
