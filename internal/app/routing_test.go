package app

import (
	"fmt"
	"strings"
	"testing"

	"tradegraph/internal/neo4jtest"
)

// TestRoutingMutationThenRead serves through neo4j://, the routing scheme of
// clusters and Aura (Neo4j Community answers it with a one-server routing table):
// the driver routes reads to readers and mutations to the writer, and a read made
// right after a mutation sees it, because the driver's bookmarks carry the write
// to the next read. Each round writes a new entity and reads it back at once.
func TestRoutingMutationThenRead(t *testing.T) {
	uri := neo4jtest.URI(t)
	_, hostPort, ok := strings.Cut(uri, "://")
	if !ok {
		t.Fatalf("test URI %q has no scheme", uri)
	}
	neo4jtest.Reset(t, neo4jtest.Driver(t))
	srv := serveAt(t, "neo4j://"+hostPort, "--api-token", "route-token")
	if !strings.Contains(srv.logs.String(), `"neo4j":"neo4j://`+hostPort) {
		t.Fatalf("the server does not say it uses neo4j://%s:\n%s", hostPort, srv.logs.String())
	}
	for i := range 20 {
		id := fmt.Sprintf("actor:routed-%d", i)
		m := postJSON(t, srv.base, fmt.Sprintf(`mutation { upsertEntity(input: {id: %q, kind: ACTOR, type: "PERSON", name: "Routed %d"}) { id } }`, id, i),
			"Authorization", "Bearer route-token")
		if m.status != 200 || len(m.Errors) > 0 {
			t.Fatalf("mutation %d: %d %s", i, m.status, m.body)
		}
		r := postJSON(t, srv.base, fmt.Sprintf(`{ entity(id: %q) { id name } }`, id))
		if r.status != 200 || len(r.Errors) > 0 || !strings.Contains(string(r.Data), fmt.Sprintf(`"name":"Routed %d"`, i)) {
			t.Fatalf("read right after mutation %d: %d %s, want the entity just written", i, r.status, r.body)
		}
	}
}
