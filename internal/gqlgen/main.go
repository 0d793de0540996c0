// Command gqlgen generates the GraphQL code (graph/generated.go, graph/model/
// models_gen.go) exactly as `go tool gqlgen generate` does, then makes one change to
// graph/generated.go and writes one more file, graph/concurrent_fields.go:
//
// gqlgen marshals every element of a list of objects in a goroutine of its own, so
// that the resolvers of those elements that load data (an entity's relationships, an
// evidence's document) ask their batch loaders together and share one query. Most
// lists select no such field (a path's hops, a neighbourhood's edges), and there the
// goroutines only cost: one start, a stack grown several times and a wake-up per
// element (without them a path request's Go side went from 231-262 to 212-228 µs
// and its overhead over the driver from 14-16% to 11-12%, docs/benchmarks.md). So
// generated.go calls graph.marshalList instead of graphql.MarshalSliceConcurrently;
// marshalList keeps gqlgen's goroutines when the list's selection reaches a field
// gqlgen resolves concurrently (those fields' names are in concurrent_fields.go,
// taken from gqlgen's own analysis) and otherwise marshals the elements in order.
//
// The same rewrite routes gqlgen's concurrent field resolution and field-set
// dispatch through graph/batch.go, which counts the goroutines working on an
// operation so that the batch loaders run when every resolver has asked, not after
// a timer, and makes each object's @defer group only when it defers a field.
//
// And every leaf field that is a plain struct field of a non-null ID, String,
// Boolean, Int or enum type (no resolver, arguments or directives) is marshalled
// straight from the struct: gqlgen resolves it like any field, with a field
// context, a context holding it, five closures and the value boxed twice (about
// eight allocations a field, a third of a list page's), for a value that can
// neither fail nor be null. Nothing sees the difference: the server installs no
// field middleware (graph.NewHandler refuses one), and such a value has no error
// whose path would need the field's context.
//
// It runs from the repository root: go generate ./... (see generate.go).
package main

import (
	"bytes"
	"fmt"
	"go/format"
	"log"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/99designs/gqlgen/api"
	"github.com/99designs/gqlgen/codegen"
	"github.com/99designs/gqlgen/codegen/config"
	"github.com/99designs/gqlgen/plugin"
	"github.com/vektah/gqlparser/v2/ast"
)

const (
	generic = "graphql.MarshalSliceConcurrently("
	ours    = "marshalList("
)

// counted are the calls that hand out or wait for concurrent work, and the
// functions of graph/batch.go that count that work for the batch loaders.
var counted = [][2]string{
	{"out.ResolveConcurrently(ec.OperationContext,", "resolveConcurrently(ctx, out, field, ec.OperationContext,"},
	{"out.ResolveRootConcurrently(innerCtx,", "resolveRootConcurrently(out, innerCtx,"},
	{"out.Dispatch(ctx)", "dispatchFields(ctx, out)"},
	// gqlgen makes every object's @defer group up front: its path (an allocation per
	// level above the object), a field set and a map, about a seventh of a list
	// page's allocations, for a directive few requests use. newDeferredGroup makes
	// them when the object's first deferred field is scheduled (graph/batch.go).
	{"graphql.NewDeferredGroup(ctx)", "newDeferredGroup(ctx)"},
}

// fieldArgsCall is how a field's context parses the field's arguments.
var fieldArgsCall = regexp.MustCompile(`ec\.field_(\w+)_args\(ctx, field\.ArgumentMap\(ec\.Variables\)\)`)

func main() {
	log.SetFlags(0)
	cfg, err := config.LoadConfig("gqlgen.yml")
	if err != nil {
		log.Fatalf("gqlgen: %v", err)
	}
	fields := &concurrentFields{path: filepath.Join(filepath.Dir(cfg.Exec.Filename), "concurrent_fields.go"), pkg: cfg.Exec.Package, leaves: map[string]leaf{}}
	if err := api.Generate(cfg, api.AddPlugin(fields)); err != nil {
		log.Fatalf("gqlgen: %v", err)
	}
	exec := cfg.Exec.Filename
	src, err := os.ReadFile(exec)
	if err != nil {
		log.Fatalf("gqlgen: %v", err)
	}
	if !bytes.Contains(src, []byte(generic)) {
		log.Fatalf("gqlgen: %s no longer calls %s: update internal/gqlgen and graph/lists.go", exec, generic)
	}
	src = bytes.ReplaceAll(src, []byte(generic), []byte(ours))
	for _, r := range counted {
		if !bytes.Contains(src, []byte(r[0])) {
			log.Fatalf("gqlgen: %s no longer calls %s: update internal/gqlgen and graph/batch.go", exec, r[0])
		}
		src = bytes.ReplaceAll(src, []byte(r[0]), []byte(r[1]))
	}
	// A field's arguments are parsed once per operation (X
	// argsOnce), not once per element of every list the field is in.
	if !fieldArgsCall.Match(src) {
		log.Fatalf("gqlgen: %s no longer parses field arguments as %s: update internal/gqlgen and graph/batch.go", exec, fieldArgsCall)
	}
	src = fieldArgsCall.ReplaceAll(src, []byte(`argsOnce(ctx, "${1}", field, ec.Variables, ec.field_${1}_args)`))
	if src, err = plainLeaves(src, fields.leaves); err != nil {
		log.Fatalf("gqlgen: %s: %v: update internal/gqlgen", exec, err)
	}
	if err := os.WriteFile(exec, src, 0o644); err != nil {
		log.Fatalf("gqlgen: %v", err)
	}
}

// concurrentFields is a gqlgen plugin that writes the names of the fields, root
// operations' aside, that gqlgen resolves concurrently (resolvers and methods taking
// a context). Plugins run before gqlgen writes and compiles the package, which needs
// the file.
type concurrentFields struct {
	path, pkg string
	// leaves are the plain leaf fields (see the package comment) by the name of
	// the function that resolves them in generated.go.
	leaves map[string]leaf
}

// leaf is a plain leaf field: the struct field it reads and the function that
// marshals its value.
type leaf struct{ goField, marshal string }

var _ plugin.CodeGenerator = (*concurrentFields)(nil)

func (*concurrentFields) Name() string { return "concurrentfields" }

func (c *concurrentFields) GenerateCode(data *codegen.Data) error {
	var names []string
	for _, o := range data.Objects {
		if o.Root {
			continue
		}
		for _, f := range o.Fields {
			if f.IsConcurrent() && !slices.Contains(names, f.Name) {
				names = append(names, f.Name)
			}
			if plainLeaf(f) {
				c.leaves["_"+o.Name+"_"+f.Name] = leaf{goField: f.GoFieldName, marshal: f.TypeReference.MarshalFunc()}
			}
		}
	}
	slices.Sort(names)
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by internal/gqlgen. DO NOT EDIT.\n\npackage %s\n\n", c.pkg)
	b.WriteString("// concurrentFields names the fields that gqlgen resolves concurrently (resolvers\n")
	b.WriteString("// and methods taking a context): a list whose selection reaches one of them keeps a\n")
	b.WriteString("// goroutine per element (see marshalList).\n")
	b.WriteString("var concurrentFields = map[string]bool{\n")
	for _, n := range names {
		fmt.Fprintf(&b, "\t%q: true,\n", n)
	}
	b.WriteString("}\n")
	out, err := format.Source(b.Bytes())
	if err != nil {
		return err
	}
	return os.WriteFile(c.path, out, 0o644)
}

// plainLeaf reports whether f is read straight from a struct field and marshalled
// by a function that can neither fail nor find a null: a non-null ID, String,
// Boolean or Int held by value (Float is not: gqlgen reports NaN and infinities as
// errors), or an enum.
func plainLeaf(f *codegen.Field) bool {
	t := f.TypeReference
	if f.IsResolver || !f.IsVariable() || len(f.Args) > 0 || len(f.Directives) > 0 ||
		t == nil || !t.GQL.NonNull || t.IsPtr() || t.IsSlice() || t.IsContext {
		return false
	}
	switch t.Definition.Kind {
	case ast.Enum:
		return true
	case ast.Scalar:
		return slices.Contains([]string{"ID", "String", "Boolean", "Int"}, t.Definition.Name)
	}
	return false
}

// plainLeaves rewrites the resolving function of every leaf in leaves to marshal
// the struct field straight away. Each function must be as gqlgen writes a plain
// field's, reading that field and marshalling with that function, or nothing is
// rewritten.
func plainLeaves(src []byte, leaves map[string]leaf) ([]byte, error) {
	if len(leaves) == 0 {
		return nil, fmt.Errorf("no plain leaf fields found")
	}
	names := slices.Sorted(maps.Keys(leaves))
	for _, name := range names {
		l := leaves[name]
		fn := regexp.MustCompile(`(?s)(func \(ec \*executionContext\) ` + regexp.QuoteMeta(name) +
			`\(ctx context\.Context, field graphql\.CollectedField, obj \*[\w.]+\) \(ret graphql\.Marshaler\) \{\n)` +
			`(\treturn graphql\.ResolveField\(.*?\n\t\)\n)\}\n`)
		m := fn.FindSubmatchIndex(src)
		if m == nil {
			return nil, fmt.Errorf("%s is not written as gqlgen wrote a field's resolving function", name)
		}
		body := src[m[4]:m[5]]
		for _, want := range []string{"return obj." + l.goField + ", nil\n", "return ec." + l.marshal + "(ctx, selections, v)\n"} {
			if !bytes.Contains(body, []byte(want)) {
				return nil, fmt.Errorf("%s does not %q", name, strings.TrimSpace(want))
			}
		}
		plain := fmt.Sprintf("\t// A plain leaf (internal/gqlgen): no field context, nothing that can fail.\n\treturn ec.%s(ctx, field.Selections, obj.%s)\n", l.marshal, l.goField)
		src = slices.Concat(src[:m[4]], []byte(plain), src[m[5]:])
	}
	return src, nil
}
