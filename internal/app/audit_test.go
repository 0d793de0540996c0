package app

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"slices"
	"testing"

	"tradegraph/graph"
	"tradegraph/graph/neo4jstore"
	"tradegraph/internal/neo4jtest"
	"tradegraph/internal/seedtest"
)

// TestAuditLogListsTheWritesInOrder: over the seed in a real Neo4j, an editor
// writes, cannot merge and cannot read the audit log; an admin merges, and pages
// through the audit log, which ends with exactly those writes, in order, with who
// made them.
func TestAuditLogListsTheWritesInOrder(t *testing.T) {
	driver := seedtest.Graph(t)
	store := neo4jstore.New(driver, neo4jtest.Database, nil)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := httptest.NewServer(newServer(serverDeps{log: logger, store: store, maxBody: 64 << 10,
		graphql: graph.NewHandler(graph.Options{Store: store, Logger: logger, Tokens: rolesFile(t)})}))
	t.Cleanup(srv.Close)
	editor := []string{"Authorization", "Bearer editor-secret"}
	admin := []string{"Authorization", "Bearer admin-secret"}
	must := func(r *reply) *reply {
		t.Helper()
		if len(r.Errors) > 0 {
			t.Fatalf("%s", r.body)
		}
		return r
	}

	for _, id := range []string{"actor:jane-doe", "actor:jane-doe-2"} {
		must(postJSON(t, srv.URL, fmt.Sprintf(`mutation { upsertEntity(input: {id: %q, kind: ACTOR, type: "PERSON", name: "Jane Doe"}) { id } }`, id), editor...))
	}
	const merge = `mutation { mergeEntities(from: "actor:jane-doe-2", into: "actor:jane-doe") { from into { id name } aliasesAdded auditSeq } }`
	const log = `query($after: String) { auditLog(first: 3, after: $after) { records { seq by action source ids counts { key count } } pageInfo { hasNextPage endCursor } } }`
	for _, tt := range []struct {
		name, op string
		auth     []string
		code     string
	}{
		{"an editor cannot merge", merge, editor, graph.EFORBIDDEN},
		{"an editor cannot read the audit log", log, editor, graph.EFORBIDDEN},
		{"no token cannot read the audit log", log, nil, graph.EUNAUTH},
	} {
		if r := postJSON(t, srv.URL, tt.op, tt.auth...); r.code() != tt.code {
			t.Errorf("%s: got %q, want %q: %s", tt.name, r.code(), tt.code, r.body)
		}
	}
	if n := neo4jtest.Count(t, driver, `MATCH (e:Entity {id: 'actor:jane-doe-2'}) RETURN count(e) AS c`, nil); n != 1 {
		t.Fatalf("the refused merge changed the graph")
	}

	must(postJSON(t, srv.URL, merge, admin...))
	r := must(postJSON(t, srv.URL, `{ entity(id: "actor:jane-doe-2") { id } }`))
	if string(r.Data) != `{"entity":{"id":"actor:jane-doe"}}` {
		t.Errorf("the merged id answers %s, want the survivor", r.Data)
	}

	type record struct {
		Seq    int
		By     string
		Action string
		Source string
		IDs    []string `json:"ids"`
	}
	var all []record
	after := any(nil)
	for page := 0; ; page++ {
		if page > 100 {
			t.Fatal("the audit log does not end")
		}
		r := must(postVars(t, srv.URL, log, map[string]any{"after": after}, admin...))
		var data struct {
			AuditLog struct {
				Records  []record
				PageInfo struct {
					HasNextPage bool
					EndCursor   *string
				}
			}
		}
		if err := json.Unmarshal(r.Data, &data); err != nil {
			t.Fatal(err)
		}
		all = append(all, data.AuditLog.Records...)
		if !data.AuditLog.PageInfo.HasNextPage {
			break
		}
		after = *data.AuditLog.PageInfo.EndCursor
	}
	if !slices.IsSortedFunc(all, func(a, b record) int { return a.Seq - b.Seq }) || len(all) < 3 {
		t.Fatalf("audit log not in order or too short: %+v", all)
	}
	for i := 1; i < len(all); i++ {
		if all[i].Seq != all[i-1].Seq+1 {
			t.Errorf("seq %d follows %d: a record is missing or repeated", all[i].Seq, all[i-1].Seq)
		}
	}
	got := all[len(all)-3:]
	want := []record{
		{By: "ann-editor", Action: "mutation", Source: "api:ann-editor", IDs: []string{"actor:jane-doe"}},
		{By: "ann-editor", Action: "mutation", Source: "api:ann-editor", IDs: []string{"actor:jane-doe-2"}},
		{By: "ann-admin", Action: "merge", Source: "api:ann-admin", IDs: []string{"actor:jane-doe-2", "actor:jane-doe"}},
	}
	for i := range want {
		want[i].Seq = got[i].Seq
		if fmt.Sprint(got[i]) != fmt.Sprint(want[i]) {
			t.Errorf("audit record %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
	// The seed load before them is in the log too, as load records.
	if all[0].Action != "load" {
		t.Errorf("first record %+v, want the seed load", all[0])
	}
}
