package graph

import (
	"context"
	"crypto/subtle"
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
	c.Query.Search = func(child int, _ string, _ []model.EntityKind, first *int) int { return list(child, first, 10) }
	c.Query.Timeline = func(child int, _ string, _, _ *model.DateInput, first *int) int { return list(child, first, 50) }
	c.Query.Neighborhood = func(child int, _ string, depth *int, _ []model.RelType, limit *int, _ *model.DateInput, _ *model.DateRange) int {
		// Each level multiplies the frontier by the per-type cap (a few types per node).
		d, l := page(depth, 1), page(limit, 10)
		nodes := 1
		for i := 0; i < d; i++ {
			nodes *= 1 + l
		}
		return 10 + min(nodes, 10000) + child
	}
	c.Query.Paths = func(child int, _, _ string, maxLength *int, _ []model.RelType, _ []string, first *int, _ *model.DateInput, _ *model.DateRange) int {
		return 10 + page(maxLength, 4)*page(first, 3)*4 + page(first, 3)*child
	}
	rels := func(child int, _ []model.RelType, _ *model.Direction, first *int, _ *string, _ *model.DateInput, _ *model.DateRange) int {
		return list(child, first, 20)
	}
	mentions := func(child int, first *int) int { return list(child, first, 20) }
	c.Actor.Relationships, c.Actor.Mentions = rels, mentions
	c.Meeting.Relationships, c.Meeting.Mentions = rels, mentions
	c.Commodity.Relationships, c.Commodity.Mentions = rels, mentions
	c.Policy.Relationships, c.Policy.Mentions = rels, mentions
}

// Limits is the handler's budget of shape: nesting depth and aliases.
type Limits struct {
	MaxDepth   int
	MaxAliases int
}

// ExtensionName implements graphql.HandlerExtension.
func (Limits) ExtensionName() string { return "Limits" }

// Validate implements graphql.HandlerExtension.
func (Limits) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext refuses operations that nest deeper or alias more than the
// limits allow. It runs after parsing and validation (which rejects fragment
// cycles) and before any resolver, so a refused request costs no database work.
func (l Limits) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	aliases := 0
	var depthOf func(ss ast.SelectionSet, seen map[string]bool) int
	depthOf = func(ss ast.SelectionSet, seen map[string]bool) int {
		deepest := 0
		for _, sel := range ss {
			var d int
			switch s := sel.(type) {
			case *ast.Field:
				if s.Alias != "" && s.Alias != s.Name {
					aliases++
				}
				d = 1 + depthOf(s.SelectionSet, seen)
			case *ast.InlineFragment:
				d = depthOf(s.SelectionSet, seen)
			case *ast.FragmentSpread:
				if seen[s.Name] || s.Definition == nil {
					continue // a cycle, already refused by validation
				}
				seen[s.Name] = true
				d = depthOf(s.Definition.SelectionSet, seen)
				delete(seen, s.Name)
			}
			deepest = max(deepest, d)
		}
		return deepest
	}
	depth := depthOf(oc.Operation.SelectionSet, map[string]bool{})
	if l.MaxDepth > 0 && depth > l.MaxDepth {
		return budgetError(fmt.Sprintf("operation is nested %d deep; the limit is %d", depth, l.MaxDepth))
	}
	if l.MaxAliases > 0 && aliases > l.MaxAliases {
		return budgetError(fmt.Sprintf("operation uses %d aliases; the limit is %d", aliases, l.MaxAliases))
	}
	return nil
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

// requiresToken is the @requiresToken directive: mutations are disabled unless the
// server has a token, and then need it as the bearer token (compared in constant time).
func requiresToken(serverToken string) func(ctx context.Context, obj any, next graphql.Resolver) (any, error) {
	return func(ctx context.Context, obj any, next graphql.Resolver) (any, error) {
		if serverToken == "" {
			return nil, Errorf(EFORBIDDEN, "mutations are disabled on this server (no API token is configured)")
		}
		got, _ := ctx.Value(tokenKey{}).(string)
		if got == "" {
			return nil, Errorf(EUNAUTH, "this mutation needs an Authorization: Bearer token")
		}
		if subtle.ConstantTimeCompare([]byte(got), []byte(serverToken)) != 1 {
			return nil, Errorf(EUNAUTH, "the bearer token is not valid")
		}
		return next(ctx)
	}
}
