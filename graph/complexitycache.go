package graph

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"

	gqlcomplexity "github.com/99designs/gqlgen/complexity"
	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// complexityLimit is extension.FixedComplexityLimit that remembers each
// operation's cost. The cost is a pure function of the query text, the operation
// name and the variables (the cost functions of budget.go read only arguments),
// and walking it is not free: for a field of an interface type gqlgen walks the
// selection once per implementing type. The same request asked again (what
// clients do) costs a map look-up; the answer, the error and its code are
// extension.ComplexityLimit's.
type complexityLimit struct {
	limit int
	es    graphql.ExecutableSchema
	costs *lru.LRU[int]
}

var _ interface {
	graphql.OperationContextMutator
	graphql.HandlerExtension
} = &complexityLimit{}

func newComplexityLimit(limit int) *complexityLimit {
	return &complexityLimit{limit: limit, costs: lru.New[int](1000)}
}

// ExtensionName is extension.ComplexityLimit's, so that
// extension.GetComplexityStats finds the stats.
func (c *complexityLimit) ExtensionName() string { return "ComplexityLimit" }

func (c *complexityLimit) Validate(es graphql.ExecutableSchema) error {
	c.es = es
	return nil
}

func (c *complexityLimit) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	key, keyed := costKey(oc)
	cost, ok := 0, false
	if keyed {
		cost, ok = c.costs.Get(ctx, key)
	}
	if !ok {
		cost = gqlcomplexity.Calculate(ctx, c.es, oc.Doc.Operations.ForName(oc.OperationName), oc.Variables)
		if keyed {
			c.costs.Add(ctx, key, cost)
		}
	}
	oc.Stats.SetExtension("ComplexityLimit", &extension.ComplexityStats{Complexity: cost, ComplexityLimit: c.limit})
	if cost > c.limit {
		err := gqlerror.Errorf("operation has complexity %d, which exceeds the limit of %d", cost, c.limit)
		errcode.Set(err, "COMPLEXITY_LIMIT_EXCEEDED")
		return err
	}
	return nil
}

// costKey is the SHA-256 of what an operation's cost depends on: its text, its
// name and its variables as JSON (object keys sorted, so equal variables give
// equal keys); a digest, so that a thousand large queries do not stay in memory.
// Variables that do not encode give no key: the cost is then walked each time.
func costKey(oc *graphql.OperationContext) (string, bool) {
	vars, err := json.Marshal(oc.Variables)
	if err != nil {
		return "", false
	}
	h := sha256.New()
	for _, part := range [][]byte{[]byte(oc.RawQuery), []byte(oc.OperationName), vars} {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(part)))
		h.Write(n[:])
		h.Write(part)
	}
	return string(h.Sum(nil)), true
}
