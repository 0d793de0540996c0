package loaders_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"tradegraph/graph/neo4jstore"
	"tradegraph/internal/neo4jtest"
	"tradegraph/loaders"
)

const (
	seedDataset = "../data/seed/us-china-rare-earth-deal.yaml"
	seedArticle = "../data/seed/us-china-rare-earth-deal.txt"
)

// emptyGraph returns a driver to the test Neo4j, emptied and with the schema that
// `tradegraph load` puts in place before writing (the MERGEs rely on its constraints).
func emptyGraph(t *testing.T) neo4j.DriverWithContext {
	t.Helper()
	d := neo4jtest.Driver(t)
	neo4jtest.Reset(t, d)
	if err := neo4jstore.Migrate(context.Background(), d, neo4jtest.Database); err != nil {
		t.Fatal(err)
	}
	return d
}

// storeOf returns the store over the test Neo4j that the loaders read and write through.
func storeOf(d neo4j.DriverWithContext) *neo4jstore.Store {
	return neo4jstore.New(d, neo4jtest.Database, nil)
}

// load runs loaders.Load and returns its summary and printed output.
func load(t *testing.T, o loaders.Options, paths ...string) (loaders.Summary, string, error) {
	t.Helper()
	var out bytes.Buffer
	o.Out = &out
	sum, err := loaders.Load(context.Background(), o, paths)
	return sum, out.String(), err
}

// mustLoad is load that fails the test on an error.
func mustLoad(t *testing.T, d neo4j.DriverWithContext, o loaders.Options, paths ...string) (loaders.Summary, string) {
	t.Helper()
	o.Graph = storeOf(d)
	sum, out, err := load(t, o, paths...)
	if err != nil {
		t.Fatalf("load %v: %v\n%s", paths, err, out)
	}
	return sum, out
}

// query runs a read and returns its records.
func query(t *testing.T, d neo4j.DriverWithContext, cypher string, params map[string]any) []*neo4j.Record {
	t.Helper()
	res, err := neo4j.ExecuteQuery(context.Background(), d, cypher, params,
		neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(neo4jtest.Database))
	if err != nil {
		t.Fatalf("%s: %v", cypher, err)
	}
	return res.Records
}

// get returns column key of rec as T, failing the test when it is missing or null.
func get[T neo4j.RecordValue](t *testing.T, rec *neo4j.Record, key string) T {
	t.Helper()
	v, isNil, err := neo4j.GetRecordValue[T](rec, key)
	if err != nil || isNil {
		t.Fatalf("column %s of %v: null=%v err=%v", key, rec.AsMap(), isNil, err)
	}
	return v
}

// graphState describes everything in the graph: counts by label and relationship
// type, and a digest of every node's and relationship's id and content hash. Two
// equal states mean nothing was created, deleted or rewritten with new content.
func graphState(t *testing.T, d neo4j.DriverWithContext) string {
	t.Helper()
	var lines []string
	for _, rec := range query(t, d, `MATCH (n) RETURN labels(n) AS labels, coalesce(n.id, '') AS id, coalesce(n._hash, '') AS hash`, nil) {
		labels := get[[]any](t, rec, "labels")
		ls := make([]string, len(labels))
		for i, l := range labels {
			ls[i] = l.(string)
		}
		sort.Strings(ls)
		lines = append(lines, fmt.Sprintf("node %s %s %s", strings.Join(ls, ":"), get[string](t, rec, "id"), get[string](t, rec, "hash")))
	}
	for _, rec := range query(t, d, `MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b, coalesce(r._hash, '') AS hash`, nil) {
		lines = append(lines, fmt.Sprintf("rel %s %s %s %s", get[string](t, rec, "a"), get[string](t, rec, "t"), get[string](t, rec, "b"), get[string](t, rec, "hash")))
	}
	sort.Strings(lines)
	counts := map[string]int{}
	for _, l := range lines {
		f := strings.Fields(l)
		counts[f[0]+" "+f[1]]++
	}
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%d ", k, counts[k])
	}
	sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	fmt.Fprintf(&b, "digest=%s", hex.EncodeToString(sum[:8]))
	return b.String()
}

// wantInvalid checks that err says the input was invalid and nothing written.
func wantInvalid(t *testing.T, err error) {
	t.Helper()
	if !errors.Is(err, loaders.ErrInvalid) {
		t.Fatalf("got error %v, want %v", err, loaders.ErrInvalid)
	}
}
