package graph

import (
	"context"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// marshalList marshals the elements of a list of objects; generated.go calls it
// where gqlgen would call graphql.MarshalSliceConcurrently (internal/gqlgen says
// why). When the list's selection reaches a field that gqlgen resolves concurrently
// (one that may load data, such as an entity's relationships), every element keeps
// its goroutine, so that those fields' batch loaders gather the keys of all elements
// into one query. Otherwise the elements are marshalled in order on the caller's
// goroutine, each with its own field context as gqlgen gives it, and a panic in
// one of them nulls that element with an error, as gqlgen does.
func marshalList(ctx context.Context, n int, workerLimit int64, omitPanicHandler bool, marshal func(ctx context.Context, i int) graphql.Marshaler) graphql.Array {
	fc := graphql.GetFieldContext(ctx)
	if n > 1 && fc != nil && reachesConcurrent(fc.Field.Selections, plannedFields(ctx)) {
		if s := schedulerFrom(ctx); s != nil {
			return marshalCounted(ctx, s, n, marshal)
		}
		return graphql.MarshalSliceConcurrently(ctx, n, workerLimit, omitPanicHandler, marshal)
	}
	ret := make(graphql.Array, n)
	for i := range n {
		elem := graphql.WithFieldContext(ctx, &graphql.FieldContext{Index: &i})
		func() {
			defer func() {
				if r := recover(); r != nil {
					graphql.AddError(elem, graphql.Recover(elem, r))
					ret[i] = graphql.Null
				}
			}()
			ret[i] = marshal(elem, i)
		}()
	}
	return ret
}

// reachesConcurrent reports whether a selection set, fragments included, selects a
// field named in concurrentFields at any depth, other than the relationships
// fields in read (read ahead by the root field above: their resolvers find their
// pages without a loader, so that the elements need no goroutines of their own to
// make one batch; lookahead.go).
func reachesConcurrent(sel ast.SelectionSet, read map[*ast.Field]bool) bool {
	for _, s := range sel {
		switch s := s.(type) {
		case *ast.Field:
			if (concurrentFields[s.Name] && !read[s]) || reachesConcurrent(s.SelectionSet, read) {
				return true
			}
		case *ast.InlineFragment:
			if reachesConcurrent(s.SelectionSet, read) {
				return true
			}
		case *ast.FragmentSpread:
			if s.Definition != nil && reachesConcurrent(s.Definition.SelectionSet, read) {
				return true
			}
		}
	}
	return false
}

// plannedFields returns the relationships fields that the root field of ctx read
// ahead (nil when none).
func plannedFields(ctx context.Context) map[*ast.Field]bool {
	l, err := loadersFrom(ctx)
	if err != nil {
		return nil
	}
	if root := rootField(ctx); root != nil {
		return l.prefetched.plannedUnder(root)
	}
	return nil
}

// marshalCounted marshals the elements of a list in goroutines of their own, each
// counted by the operation's scheduler from before it starts (batch.go), while the
// caller waits for them uncounted.
func marshalCounted(ctx context.Context, s *scheduler, n int, marshal func(ctx context.Context, i int) graphql.Marshaler) graphql.Array {
	ret := make(graphql.Array, n)
	s.add(n)
	waitOn(ctx, func() {
		var wg sync.WaitGroup
		wg.Add(n)
		for i := range n {
			elem := asCounted(graphql.WithFieldContext(ctx, &graphql.FieldContext{Index: &i}), s)
			go func() {
				defer wg.Done()
				defer s.idle()
				defer func() {
					if r := recover(); r != nil {
						graphql.AddError(elem, graphql.Recover(elem, r))
						ret[i] = graphql.Null
					}
				}()
				ret[i] = marshal(elem, i)
			}()
		}
		wg.Wait()
	})
	return ret
}
