package app

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"tradegraph/graph"
	"tradegraph/internal/neo4jtest"
	"tradegraph/internal/seedtest"
)

// injections are strings that would change or reveal the graph if any of them
// reached Cypher or Lucene as code instead of as a parameter value.
var injections = []string{
	`' OR 1=1 //`,
	`"}) MATCH (n) DETACH DELETE n //`,
	`x'}) WITH 1 AS x MATCH (m) DETACH DELETE m RETURN count(*) //`,
	"`) MATCH (n) SET n.pwned = true //",
	`') CALL db.index.fulltext.drop('entity_search') //`,
	`actor:china' OR true RETURN n //`,
	`$rows`,
	`{id: 'x', pwned: true}`,
	`/* */ MATCH (n) SET n:Pwned RETURN n`,
	`\'; DROP CONSTRAINT entity_id; //`,
	`*:* OR name:*`,
	`name:(a OR b)^10 AND "x"~ [* TO *] \`,
	`AND OR NOT`,
	"x\x00y",
	`${jndi:ldap://127.0.0.1/x}`,
	strings.Repeat("lutnick china ", 600), // thousands of Lucene clauses
	strings.Repeat("'", 5000),
}

// graphFingerprint is what an injection must not change.
type graphFingerprint struct {
	Nodes, Rels, Labels, Indexes, Constraints, Pwned int64
}

func fingerprint(t *testing.T, d neo4j.DriverWithContext) graphFingerprint {
	t.Helper()
	return graphFingerprint{
		// The audit trail grows with every accepted write; the graph is the rest.
		Nodes:       neo4jtest.Count(t, d, "MATCH (n) WHERE NOT n:Audit AND NOT n:AuditSeq RETURN count(n) AS c", nil),
		Rels:        neo4jtest.Count(t, d, "MATCH ()-[r]->() RETURN count(r) AS c", nil),
		Labels:      neo4jtest.Count(t, d, "CALL db.labels() YIELD label RETURN count(label) AS c", nil),
		Indexes:     neo4jtest.Count(t, d, "SHOW INDEXES YIELD name RETURN count(name) AS c", nil),
		Constraints: neo4jtest.Count(t, d, "SHOW CONSTRAINTS YIELD name RETURN count(name) AS c", nil),
		Pwned:       neo4jtest.Count(t, d, "MATCH (n) WHERE n.pwned IS NOT NULL OR n:Pwned RETURN count(n) AS c", nil),
	}
}

// postVars posts query with variables and decodes the answer.
func postVars(t *testing.T, base, query string, vars map[string]any, headers ...string) *reply {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, base+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return do(t, req)
}

func TestCypherInjectionHasNoEffect(t *testing.T) {
	driver := seedtest.Graph(t)
	base := startServer(t, map[string]string{"TRADEGRAPH_API_TOKEN": "inject-token"})
	before := fingerprint(t, driver)
	if before.Nodes == 0 || before.Rels == 0 {
		t.Fatalf("the seed is empty: %+v", before)
	}

	// Every string argument of every query, each given every payload as a variable.
	reads := []string{
		`query($s: String!) { search(text: $s) { score entity { id } } }`,
		`query($s: ID!) { entity(id: $s) { id } }`,
		`query($s: ID!) { node(id: $s) { id } }`,
		`query($s: ID!) { document(id: $s) { id } }`,
		`query($s: ID!) { relationship(id: $s) { id } }`,
		`query($s: String!) { actors(filter: {nameContains: $s}) { totalCount edges { node { id } } } }`,
		`query($s: String!) { actors(filter: {types: [$s]}) { totalCount } }`,
		`query($s: String!) { meetings(filter: {nameContains: $s, types: [$s]}) { totalCount } }`,
		`query($s: String!) { commodities(filter: {nameContains: $s, types: [$s]}) { totalCount } }`,
		`query($s: String!) { policies(filter: {nameContains: $s, types: [$s], statuses: [$s]}) { totalCount } }`,
		`query($s: String) { actors(after: $s) { totalCount } }`,
		`query($s: String) { documents(after: $s) { totalCount } }`,
		`query($s: String) { entity(id: "actor:china") { relationships(after: $s) { totalCount } } }`,
		`query($s: ID!) { neighborhood(id: $s) { nodes { id } } }`,
		`query($s: String!) { paths(from: $s, to: "China") { paths { length } } }`,
		`query($s: String!) { paths(from: "United States", to: $s) { paths { length } } }`,
		`query($s: ID!) { paths(from: "United States", to: "China", avoid: [$s]) { paths { length } } }`,
		`query($s: ID!) { timeline(entity: $s) { summary } }`,
		`query($s: PartialDateInput) { neighborhood(id: "actor:china", asOf: $s) { nodes { id } } }`,
		`query($s: PartialDateInput) { meetings(filter: {during: {from: $s}}) { totalCount } }`,
		`query($s: PartialDateInput) { timeline(entity: "actor:china", from: $s, to: $s) { summary } }`,
	}
	payloads := append([]string{}, injections...)
	for _, p := range injections[:6] { // forged cursors that decode to the payloads
		payloads = append(payloads, base64.RawURLEncoding.EncodeToString([]byte(p+"\x00"+p)))
	}
	allowed := map[string]bool{"": true, graph.EINVALID: true, graph.ENOTFOUND: true}
	for _, q := range reads {
		for _, p := range payloads {
			r := postVars(t, base, q, map[string]any{"s": p})
			if r.status != 200 || !allowed[r.code()] {
				t.Errorf("%s with %.60q: got %d %s, want data, BAD_USER_INPUT or NOT_FOUND: %.300s", q, p, r.status, r.code(), r.body)
			}
			assertNoLeak(t, r.body, p)
		}
	}
	if after := fingerprint(t, driver); after != before {
		t.Fatalf("reads with injections changed the graph: before %+v, after %+v", before, after)
	}

	// Mutations: a payload as an id is refused; as a name or description it is
	// stored as the literal text it is.
	auth := []string{"Authorization", "Bearer inject-token"}
	for _, p := range payloads {
		r := postVars(t, base, `mutation($s: ID!) { upsertEntity(input: {id: $s, kind: ACTOR, type: "PERSON", name: "x"}) { id } }`, map[string]any{"s": p}, auth...)
		if r.code() != graph.EINVALID {
			t.Errorf("upsertEntity with id %.60q: got %s, want BAD_USER_INPUT: %.300s", p, r.code(), r.body)
		}
		assertNoLeak(t, r.body, p)
		r = postVars(t, base, `mutation($s: ID!, $q: String!) { upsertRelationship(input: {type: LEADS, from: $s, to: $s, evidence: [{doc: $s, sentence: 1, quote: $q}]}) { id } }`, map[string]any{"s": p, "q": p}, auth...)
		if r.code() != graph.EINVALID {
			t.Errorf("upsertRelationship with %.60q: got %s, want BAD_USER_INPUT: %.300s", p, r.code(), r.body)
		}
		assertNoLeak(t, r.body, p)
		r = postVars(t, base, `mutation($s: ID!) { deleteRelationship(id: $s) }`, map[string]any{"s": p}, auth...)
		if r.status != 200 || !allowed[r.code()] || (r.code() == "" && string(r.Data) != `{"deleteRelationship":false}`) {
			t.Errorf("deleteRelationship(%.60q): got %d %s: %.300s", p, r.status, r.code(), r.body)
		}
		assertNoLeak(t, r.body, p)
	}
	if after := fingerprint(t, driver); after != before {
		t.Fatalf("refused mutations changed the graph: before %+v, after %+v", before, after)
	}
	stored := 0
	for _, p := range injections {
		if strings.ContainsRune(p, 0) || len(p) > 1000 {
			continue // names are single-line text of sane length: refused, as the model says
		}
		r := postVars(t, base, `mutation($s: String!) { upsertEntity(input: {id: "actor:injected", kind: ACTOR, type: "PERSON", name: $s, description: $s, aliases: [$s]}) { name description aliases } }`, map[string]any{"s": p}, auth...)
		if r.code() == graph.EINVALID {
			continue
		}
		var got struct {
			UpsertEntity struct {
				Name, Description string
				Aliases           []string
			}
		}
		if err := json.Unmarshal(r.Data, &got); err != nil || len(r.Errors) > 0 {
			t.Errorf("upsertEntity with name %.60q: %s", p, r.body)
			continue
		}
		if e := got.UpsertEntity; e.Name != strings.TrimSpace(p) && e.Name != p {
			t.Errorf("name %.60q came back as %.60q", p, e.Name)
		}
		stored++
	}
	if stored == 0 {
		t.Error("no payload was stored as a name: the literal-text check checked nothing")
	}
	want := before
	want.Nodes++ // actor:injected, and nothing else
	if after := fingerprint(t, driver); after != want {
		t.Fatalf("mutations with injections: got %+v, want %+v", after, want)
	}
}
