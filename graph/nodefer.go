package graph

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// noDefer refuses operations that defer a fragment. gqlgen accepts @defer (its
// prelude declares it), but the transports here send one JSON response, so a
// deferred field would come back null with no error: a silent wrong answer. A
// fragment whose @defer has `if: false` is not deferred and passes.
type noDefer struct{}

// ExtensionName implements graphql.HandlerExtension.
func (noDefer) ExtensionName() string { return "NoDefer" }

// Validate implements graphql.HandlerExtension.
func (noDefer) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext implements graphql.OperationContextMutator.
func (noDefer) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	// A cheap test first: GraphQL allows "@ defer" (ignored tokens between the two).
	if !strings.Contains(oc.RawQuery, "defer") {
		return nil
	}
	seen := map[string]bool{}
	var walk func(ss ast.SelectionSet) *ast.Directive
	walk = func(ss ast.SelectionSet) *ast.Directive {
		for _, sel := range ss {
			var dirs ast.DirectiveList
			var inner ast.SelectionSet
			switch s := sel.(type) {
			case *ast.Field:
				inner = s.SelectionSet
			case *ast.InlineFragment:
				dirs, inner = s.Directives, s.SelectionSet
			case *ast.FragmentSpread:
				dirs = s.Directives
				if s.Definition != nil && !seen[s.Name] {
					seen[s.Name] = true
					inner = s.Definition.SelectionSet
				}
			}
			if d := dirs.ForName("defer"); d != nil && deferred(d, oc.Variables) {
				return d
			}
			if d := walk(inner); d != nil {
				return d
			}
		}
		return nil
	}
	d := walk(oc.Operation.SelectionSet)
	if d == nil {
		return nil
	}
	return &gqlerror.Error{
		Message:    "@defer is not supported: this server sends every field in one response; ask again without @defer",
		Locations:  []gqlerror.Location{{Line: d.Position.Line, Column: d.Position.Column}},
		Extensions: map[string]any{"code": EINVALID},
	}
}

// deferred reports whether a @defer directive defers: unless its `if` is false.
func deferred(d *ast.Directive, vars map[string]any) bool {
	arg := d.Arguments.ForName("if")
	if arg == nil {
		return true
	}
	v, err := arg.Value.Value(vars)
	if err != nil {
		return true
	}
	b, ok := v.(bool)
	return !ok || b
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = noDefer{}
