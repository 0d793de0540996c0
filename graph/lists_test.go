package graph

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/vektah/gqlparser/v2/ast"
)

// listContext is the context of a list field selecting sel, as gqlgen builds it.
func listContext(sel ast.SelectionSet) context.Context {
	ctx := graphql.WithResponseContext(context.Background(), graphql.DefaultErrorPresenter,
		func(_ context.Context, p any) error { return fmt.Errorf("panic: %v", p) })
	return graphql.WithFieldContext(ctx, &graphql.FieldContext{Field: graphql.CollectedField{Field: &ast.Field{Name: "items"}, Selections: sel}})
}

// TestMarshalListInOrder: a selection of plain fields is marshalled element by
// element on the caller's goroutine (the unguarded append would be a data race
// otherwise, which go test -race reports), each with its own index, and a panic
// nulls its element with an error and spares the others.
func TestMarshalListInOrder(t *testing.T) {
	ctx := listContext(ast.SelectionSet{&ast.Field{Name: "explanation"}, &ast.Field{Name: "hops", SelectionSet: ast.SelectionSet{&ast.Field{Name: "forward"}}}})
	var order []int
	out := marshalList(ctx, 4, 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		order = append(order, i)
		if idx := graphql.GetFieldContext(ctx).Index; idx == nil || *idx != i {
			t.Errorf("element %d has index %v", i, idx)
		}
		if i == 2 {
			panic("boom")
		}
		return graphql.MarshalInt(i)
	})
	if !slices.Equal(order, []int{0, 1, 2, 3}) {
		t.Errorf("marshalled in order %v", order)
	}
	if out[2] != graphql.Null || out[3] == graphql.Null || out[1] == graphql.Null {
		t.Errorf("elements %v: want only the third null", out)
	}
	if errs := graphql.GetErrors(ctx); len(errs) != 1 {
		t.Errorf("errors %v, want the one panic", errs)
	}
}

// TestMarshalListKeepsConcurrency: when the selection reaches a field gqlgen
// resolves concurrently (here through a fragment), all elements run at once, so
// that their batch loaders can gather every element's key: each element waits
// until all have started, which only concurrent elements can do.
func TestMarshalListKeepsConcurrency(t *testing.T) {
	frag := &ast.FragmentDefinition{Name: "rels", SelectionSet: ast.SelectionSet{&ast.Field{Name: "relationships"}}}
	ctx := listContext(ast.SelectionSet{&ast.Field{Name: "node", SelectionSet: ast.SelectionSet{&ast.FragmentSpread{Name: "rels", Definition: frag}}}})
	const n = 5
	var started sync.WaitGroup
	started.Add(n)
	all := make(chan struct{})
	go func() { started.Wait(); close(all) }()
	marshalList(ctx, n, 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		started.Done()
		select {
		case <-all:
		case <-time.After(5 * time.Second):
			t.Errorf("element %d: the others never started, so elements ran one by one", i)
		}
		return graphql.MarshalInt(i)
	})
}

// TestMarshalListInOrderWhenReadAhead: relationships fields that the root field
// read ahead (lookahead.go) find their pages without a loader, so a list whose
// selection reaches only those is marshalled in order on the caller's goroutine
// (no goroutine per element); one more concurrent field that was not read ahead,
// below the read-ahead one, brings the goroutines back.
func TestMarshalListInOrderWhenReadAhead(t *testing.T) {
	rels := &ast.Field{Name: "relationships"}
	mentions := &ast.Field{Name: "mentions"}
	root := &ast.Field{Name: "policies"}
	list := func(sel ast.SelectionSet) context.Context {
		l := newDataloaders(&countingStore{})
		l.prefetched.planned = map[*ast.Field]map[*ast.Field]bool{root: {rels: true}}
		ctx := graphql.WithResponseContext(context.Background(), graphql.DefaultErrorPresenter,
			func(_ context.Context, p any) error { return fmt.Errorf("panic: %v", p) })
		ctx = context.WithValue(withScheduler(ctx, l.sched), loadersKey{}, l)
		// As the generated _Query layers them: the Query object's field context,
		// the root field's root field context, then the fields' own.
		ctx = graphql.WithFieldContext(ctx, &graphql.FieldContext{Object: "Query"})
		ctx = graphql.WithRootFieldContext(ctx, &graphql.RootFieldContext{Object: root.Name, Field: graphql.CollectedField{Field: root}})
		ctx = graphql.WithFieldContext(ctx, &graphql.FieldContext{Field: graphql.CollectedField{Field: root}})
		return graphql.WithFieldContext(ctx, &graphql.FieldContext{Field: graphql.CollectedField{Field: &ast.Field{Name: "edges"}, Selections: sel}})
	}
	var order []int
	marshalList(list(ast.SelectionSet{&ast.Field{Name: "node", SelectionSet: ast.SelectionSet{rels}}}), 4, 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		order = append(order, i) // a data race, which go test -race reports, if elements ran at once
		return graphql.MarshalInt(i)
	})
	if !slices.Equal(order, []int{0, 1, 2, 3}) {
		t.Errorf("read-ahead relationships: marshalled in order %v, want 0 1 2 3", order)
	}

	rels.SelectionSet = ast.SelectionSet{&ast.Field{Name: "edges", SelectionSet: ast.SelectionSet{mentions}}}
	const n = 4
	var started sync.WaitGroup
	started.Add(n)
	all := make(chan struct{})
	go func() { started.Wait(); close(all) }()
	marshalList(list(ast.SelectionSet{&ast.Field{Name: "node", SelectionSet: ast.SelectionSet{rels}}}), n, 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		started.Done()
		select {
		case <-all:
		case <-time.After(5 * time.Second):
			t.Errorf("element %d: the others never started, so elements ran one by one under a field not read ahead", i)
		}
		return graphql.MarshalInt(i)
	})
}

// fieldSpy is a field interceptor: middleware that plain leaf fields would skip.
type fieldSpy struct{}

func (fieldSpy) ExtensionName() string                   { return "fieldSpy" }
func (fieldSpy) Validate(graphql.ExecutableSchema) error { return nil }
func (fieldSpy) InterceptField(ctx context.Context, next graphql.Resolver) (any, error) {
	return next(ctx)
}

// TestUseRefusesFieldInterceptors: the generated code marshals plain leaf fields
// without gqlgen's field resolution (internal/gqlgen), so the handler must never
// be given middleware that expects to see every field.
func TestUseRefusesFieldInterceptors(t *testing.T) {
	srv := handler.New(NewExecutableSchema(Config{Resolvers: &Resolver{}}))
	use(srv, noDefer{}) // an operation-level extension is fine
	defer func() {
		if recover() == nil {
			t.Error("use accepted a field interceptor")
		}
	}()
	use(srv, fieldSpy{})
}
