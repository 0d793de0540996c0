package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"tradegraph/graph"
	"tradegraph/graph/model"
	"tradegraph/graph/neo4jstore"
	"tradegraph/internal/neo4jtest"
	"tradegraph/internal/seedtest"
	"tradegraph/loaders"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// apiServer serves /graphql over the given store with the given options.
func apiServer(t testing.TB, o graph.Options) *httptest.Server {
	t.Helper()
	h := graph.NewHandler(o)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			r = r.WithContext(graph.WithBearer(r.Context(), tok))
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

type gqlResponse struct {
	Data       json.RawMessage `json:"data"`
	Errors     []gqlError      `json:"errors"`
	Extensions map[string]any  `json:"extensions"`
	raw        []byte
}

type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

func (r gqlResponse) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

func post(t testing.TB, url, query string, vars map[string]any, header http.Header) gqlResponse {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST: %v", err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out gqlResponse
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
	out.raw = raw
	return out
}

// goldenQueries are the API's queries on the seed graph, one per feature.
var goldenQueries = []struct{ name, query string }{
	{"node_document", `{ node(id: "doc:us-china-rare-earth-deal") { id ... on Document { title date { text precision } sentences { number text } } } }`},
	{"entity_lutnick", `{ entity(id: "actor:howard-lutnick") { id kind type name aliases description ... on Actor { role }
		relationships { totalCount edges { node { id type verb from { id } to { id name } confidence note attributedTo { id }
			validFrom { text precision first last } evidence { sentence quote sentenceText document { id } } } } }
		mentions { document { id } sentences } } }`},
	{"entity_absent", `{ entity(id: "actor:nobody") { id } }`},
	{"actors_people", `{ actors(filter: {types: ["PERSON"]}, first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name role } } } }`},
	{"meetings_may_2025", `{ meetings(filter: {during: {from: "2025-05", to: "2025-05"}}) { totalCount edges { node { id name start { text } place } } } }`},
	{"commodities_contains", `{ commodities(filter: {nameContains: "RARE"}) { totalCount edges { node { id name type category uses } } } }`},
	{"policies_in_force_tariffs", `{ policies(filter: {types: ["TARIFF"], statuses: ["IN_FORCE"]}) { totalCount edges { node { id name status rate unit } } } }`},
	{"search_partial_word", `{ search(text: "lutn", first: 3) { entity { id name } } }`},
	{"search_alias_typo", `{ search(text: "Bejing", kinds: [ACTOR], first: 1) { entity { id name } } }`},
	{"relationships_out_confirmed", `{ entity(id: "actor:howard-lutnick") { relationships(direction: OUT, types: [CONFIRMED]) { totalCount edges { node { type to { id } evidence { sentence quote } } } } } }`},
	{"neighborhood_china_capped", `{ neighborhood(id: "actor:china", depth: 1, limitPerType: 1) { center { id } nodes { id kind } edges { id type from { id } to { id } } truncated { nodeId type omitted } } }`},
	{"neighborhood_china_node_cap", `{ neighborhood(id: "actor:china", depth: 2, limitPerType: 2, maxNodes: 6) { nodes { id } edges { id type confidence } truncated { nodeId type omitted } nodeCapReached } }`},
	{"neighborhood_lutnick_depth2", `{ neighborhood(id: "actor:howard-lutnick", depth: 2, limitPerType: 2, types: [CONFIRMED, EASES, RESTRICTS, MEMBER_OF]) { nodes { id } edges { type from { id } to { id } } truncated { nodeId type omitted } } }`},
	{"paths_lutnick_rare_earths", `{ paths(from: "Howard Lutnick", to: "rare earth minerals", first: 3) { from { id } to { id } paths { rank length confidence explanation
		hops { forward relationship { type from { id } to { id } evidence { sentence quote sentenceText } } } } } }`},
	{"paths_xi_semiconductors", `{ paths(from: "actor:xi-jinping", to: "commodity:semiconductors", first: 3) { paths { rank length explanation
		hops { forward relationship { type evidence { sentence quote } } } } } }`},
	{"paths_may_2025", `{ paths(from: "actor:united-states", to: "actor:china", maxLength: 2, types: [IMPOSES, TARGETS, CONCERNED_ABOUT, CONTROLS], asOf: "2025-05-20", first: 3) { paths { length explanation hops { relationship { type validFrom { text } dates { from { text } to { text } source knownFrom { text } } } } } } }`},
	{"timeline_china", `{ timeline(entity: "actor:china") { date { text precision first last } summary relationship { type } meeting { id } } }`},
	{"vocabulary_first", `{ vocabulary { type from to verb } }`},
}

func TestGoldenResponses(t *testing.T) {
	driver := seedtest.Graph(t)
	srv := apiServer(t, graph.Options{Store: neo4jstore.New(driver, neo4jtest.Database, nil), Introspection: true})
	for _, tt := range goldenQueries {
		t.Run(tt.name, func(t *testing.T) {
			resp := post(t, srv.URL, tt.query, nil, nil)
			if len(resp.Errors) > 0 {
				t.Fatalf("errors: %s", resp.raw)
			}
			var pretty bytes.Buffer
			if err := json.Indent(&pretty, resp.Data, "", "  "); err != nil {
				t.Fatal(err)
			}
			pretty.WriteByte('\n')
			path := filepath.Join("testdata", "golden", tt.name+".json")
			if *update {
				if err := os.WriteFile(path, pretty.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("read golden (run with -update to create it): %v", err)
			}
			if got := pretty.String(); got != string(want) {
				t.Errorf("response differs from %s (run with -update after checking it):\ngot:\n%s", path, got)
			}
		})
	}
}

// TestPathsCarryEvidence checks the two paths analysts ask first, independently of
// the golden files: each hop's quote is in its sentence, and the explanation is
// built from the hops' verbs.
func TestPathsCarryEvidence(t *testing.T) {
	driver := seedtest.Graph(t)
	srv := apiServer(t, graph.Options{Store: neo4jstore.New(driver, neo4jtest.Database, nil)})
	resp := post(t, srv.URL, `{ paths(from: "Howard Lutnick", to: "rare earth minerals", first: 5) { paths { explanation
		nodes { id } hops { forward relationship { type verb evidence { quote sentenceText } } } } } }`, nil, nil)
	var data struct {
		Paths struct {
			Paths []struct {
				Explanation string
				Nodes       []struct{ ID string }
				Hops        []struct {
					Forward      bool
					Relationship struct {
						Type, Verb string
						Evidence   []struct{ Quote, SentenceText string }
					}
				}
			}
		}
	}
	if err := json.Unmarshal(resp.Data, &data); err != nil || len(resp.Errors) > 0 {
		t.Fatalf("%s %v", resp.raw, err)
	}
	want := []string{"actor:howard-lutnick", "policy:us-china-rare-earth-framework", "policy:china-rare-earth-export-restrictions", "commodity:rare-earth-minerals"}
	found := false
	for _, p := range data.Paths.Paths {
		var ids []string
		for _, n := range p.Nodes {
			ids = append(ids, n.ID)
		}
		if strings.Join(ids, ",") == strings.Join(want, ",") {
			found = true
		}
		for _, h := range p.Hops {
			if len(h.Relationship.Evidence) == 0 {
				t.Errorf("hop %s has no evidence", h.Relationship.Type)
			}
			for _, ev := range h.Relationship.Evidence {
				if !strings.Contains(ev.SentenceText, ev.Quote) {
					t.Errorf("quote %q not in sentence %q", ev.Quote, ev.SentenceText)
				}
			}
			if !strings.Contains(p.Explanation, h.Relationship.Verb) {
				t.Errorf("explanation %q lacks verb %q", p.Explanation, h.Relationship.Verb)
			}
		}
	}
	if !found {
		t.Errorf("no path %v among %+v", want, data.Paths.Paths)
	}
}

// TestOneQueryPerField counts the Cypher statements of nested requests: the count
// depends on the number of data fields in the request, not on the rows returned.
func TestOneQueryPerField(t *testing.T) {
	driver := seedtest.Graph(t)
	// No batch window: the loaders run when every resolver of a level has asked.
	srv := apiServer(t, graph.Options{Store: neo4jstore.New(driver, neo4jtest.Database, nil), Explain: true})
	tests := []struct {
		name, query string
		want        int
	}{
		// actors with their relationships and the relationships of the policies
		// these reach, sentenceText included (1), evidence.document (1), mentions of
		// each actor (1).
		{"nested lists", `{ actors(first: 10) { edges { node { id
			relationships(first: 5) { edges { node { type to { ... on Policy { relationships(first: 3) { edges { node { evidence { document { title } sentenceText } } } } } } } } }
			mentions { document { id } } } } } }`, 3},
		// endpoints (1), paths (1), evidence.document (1).
		{"paths with evidence documents", `{ paths(from: "actor:howard-lutnick", to: "commodity:rare-earth-minerals", first: 3) { paths { hops { relationship { evidence { document { title } } } } } } }`, 3},
		{"neighbourhood", `{ neighborhood(id: "actor:china", depth: 2) { nodes { id } edges { id } } }`, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := post(t, srv.URL, tt.query, nil, nil)
			if len(resp.Errors) > 0 {
				t.Fatalf("errors: %s", resp.raw)
			}
			queries, _ := resp.Extensions["cypher"].([]any)
			if len(queries) != tt.want {
				var texts []string
				for _, q := range queries {
					texts = append(texts, q.(map[string]any)["cypher"].(string))
				}
				t.Errorf("got %d queries, want %d:\n%s", len(queries), tt.want, strings.Join(texts, "\n----\n"))
			}
		})
	}
}

func TestMutationsNeedToken(t *testing.T) {
	driver := seedtest.Graph(t)
	store := neo4jstore.New(driver, neo4jtest.Database, nil)
	upsert := `mutation { upsertRelationship(input: {type: CONFIRMED, from: "actor:xi-jinping", to: "policy:us-china-rare-earth-framework",
		evidence: [{doc: "doc:us-china-rare-earth-deal", sentence: 2, quote: "President Xi Jinping"}], confidence: 0.5}) { id type from { id } } }`
	bearer := func(tok string) http.Header { return http.Header{"Authorization": {"Bearer " + tok}} }
	count := func() int64 {
		return neo4jtest.Count(t, driver, "MATCH (:Entity {id: 'actor:xi-jinping'})-[r:CONFIRMED]->() RETURN count(r) AS c", nil)
	}

	disabled := apiServer(t, graph.Options{Store: store})
	if got := post(t, disabled.URL, upsert, nil, bearer("anything")); got.code() != graph.EFORBIDDEN {
		t.Errorf("no server token: got %s, want %s", got.raw, graph.EFORBIDDEN)
	}
	enabled := apiServer(t, graph.Options{Store: store, APIToken: "s3cret-token"})
	for name, h := range map[string]http.Header{"no token": nil, "wrong token": bearer("s3cret-tokeX")} {
		if got := post(t, enabled.URL, upsert, nil, h); got.code() != graph.EUNAUTH {
			t.Errorf("%s: got %s, want %s", name, got.raw, graph.EUNAUTH)
		}
	}
	if c := count(); c != 0 {
		t.Fatalf("refused mutations wrote %d relationships", c)
	}
	got := post(t, enabled.URL, upsert, nil, bearer("s3cret-token"))
	if len(got.Errors) > 0 || count() != 1 {
		t.Fatalf("with token: got %s, count %d", got.raw, count())
	}
	var created struct{ UpsertRelationship struct{ ID string } }
	_ = json.Unmarshal(got.Data, &created)

	// The same rules as the loader: a quote not in its sentence is refused.
	bad := strings.Replace(upsert, `quote: "President Xi Jinping"`, `quote: "President Xi agreed"`, 1)
	if r := post(t, enabled.URL, bad, nil, bearer("s3cret-token")); r.code() != graph.EINVALID || !strings.Contains(r.Errors[0].Message, "not verbatim") {
		t.Errorf("bad quote: got %s", r.raw)
	}
	badKind := `mutation { upsertEntity(input: {id: "actor:x-corp", kind: ACTOR, type: "CORPORATION", name: "X"}) { id } }`
	if r := post(t, enabled.URL, badKind, nil, bearer("s3cret-token")); r.code() != graph.EINVALID {
		t.Errorf("bad subtype: got %s", r.raw)
	}
	okEntity := `mutation { upsertEntity(input: {id: "actor:x-corp", kind: ACTOR, type: "COMPANY", name: "X Corp", aliases: ["X"]}) { id name } }`
	if r := post(t, enabled.URL, okEntity, nil, bearer("s3cret-token")); len(r.Errors) > 0 {
		t.Errorf("entity: got %s", r.raw)
	}
	del := `mutation($id: ID!) { deleteRelationship(id: $id) }`
	if r := post(t, enabled.URL, del, map[string]any{"id": created.UpsertRelationship.ID}, bearer("s3cret-token")); string(r.Data) != `{"deleteRelationship":true}` || count() != 0 {
		t.Errorf("delete: got %s, count %d", r.raw, count())
	}
	if r := post(t, enabled.URL, del, map[string]any{"id": created.UpsertRelationship.ID}, bearer("s3cret-token")); string(r.Data) != `{"deleteRelationship":false}` {
		t.Errorf("second delete: got %s", r.raw)
	}
}

func TestTimeoutIsReported(t *testing.T) {
	driver := seedtest.Graph(t)
	srv := apiServer(t, graph.Options{Store: neo4jstore.New(driver, neo4jtest.Database, nil), Timeout: time.Millisecond})
	r := post(t, srv.URL, `{ neighborhood(id: "actor:china", depth: 3) { nodes { id } } }`, nil, nil)
	if r.code() != graph.ETIMEOUT {
		t.Errorf("got %s, want code %s", r.raw, graph.ETIMEOUT)
	}
}

func TestAsOfHonoursPrecision(t *testing.T) {
	driver := seedtest.Graph(t)
	srv := apiServer(t, graph.Options{Store: neo4jstore.New(driver, neo4jtest.Database, nil)})
	// China imposes its 10% tariff from "2025-05" (month precision).
	q := `query($asOf: PartialDateInput) { entity(id: "actor:china") { relationships(types: [IMPOSES], direction: OUT, asOf: $asOf) { edges { node { to { id } validFrom { text } } } } } }`
	tests := []struct {
		asOf string
		want bool
	}{
		{"2025-05-20", true}, // a day inside the month
		{"2025-05", true},
		{"2025", true},        // the year overlaps the month
		{"2025-04-30", false}, // the day before
		{"2024", false},
	}
	for _, tt := range tests {
		t.Run(tt.asOf, func(t *testing.T) {
			r := post(t, srv.URL, q, map[string]any{"asOf": tt.asOf}, nil)
			if len(r.Errors) > 0 {
				t.Fatal(string(r.raw))
			}
			got := strings.Contains(string(r.Data), "policy:china-10-percent-tariff-on-american-goods")
			if got != tt.want {
				t.Errorf("asOf %s: tariff present = %v, want %v (%s)", tt.asOf, got, tt.want, r.Data)
			}
		})
	}
}

func TestSchemaVocabularyMatchesModel(t *testing.T) {
	src, err := os.ReadFile("../schema/scalars.graphqls")
	if err != nil {
		t.Fatal(err)
	}
	body := string(src)[strings.Index(string(src), "enum RelType {"):]
	body = body[:strings.Index(body, "}")]
	var got []string
	for _, line := range strings.Split(body, "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "\"") && !strings.HasPrefix(line, "enum") {
			got = append(got, line)
		}
	}
	slices.Sort(got)
	if want := model.RelTypeNames(); !slices.Equal(got, want) {
		t.Errorf("schema RelType enum %v, want the model's vocabulary %v", got, want)
	}
}

// BenchmarkPathQuery compares a paths request through GraphQL with the same Cypher
// statements run straight through the driver; docs/benchmarks.md records the ratios.
// Two ways through GraphQL: "interleaved" is the whole stack over loopback HTTP
// (client, server, parse, validate, resolve, serialise); "in-process" calls the
// /graphql handler directly, as the driver's caller calls the driver, so that the
// ratio is that of the GraphQL layer alone, without the HTTP round trip.
func BenchmarkPathQuery(b *testing.B) {
	driver := seedtest.Graph(b)
	ctx := context.Background()
	query := pathBenchQuery
	store := neo4jstore.New(driver, neo4jtest.Database, nil)
	explain := apiServer(b, graph.Options{Store: store, Explain: true})
	r := post(b, explain.URL, query, nil, nil)
	var statements []graph.TracedQuery
	raw, _ := json.Marshal(r.Extensions["cypher"])
	if err := json.Unmarshal(raw, &statements); err != nil || len(statements) == 0 {
		b.Fatalf("no traced statements: %s", r.raw)
	}
	timed := &timedStore{Store: store}
	// The request budget as tradegraph serve sets it: a deadline on every request,
	// sent to Neo4j as the transaction timeout.
	opts := graph.Options{Store: timed, Timeout: 10 * time.Second}
	srv := apiServer(b, opts)
	handler := graph.NewHandler(opts)
	body, _ := json.Marshal(map[string]any{"query": query})

	graphqlOnce := func(b *testing.B) {
		if r := post(b, srv.URL, query, nil, nil); len(r.Errors) > 0 {
			b.Fatal(string(r.raw))
		}
	}
	inProcessOnce := func(b *testing.B) {
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		handler.ServeHTTP(w, req)
		var r gqlResponse
		if err := json.Unmarshal(w.Body.Bytes(), &r); err != nil || w.Code != http.StatusOK || len(r.Errors) > 0 {
			b.Fatalf("%d %s", w.Code, w.Body)
		}
	}
	// The statements as the store runs them: auto-commit reads (Store.run), so
	// that the ratio is the API's own overhead, not a difference of transactions.
	driverOnce := func(b *testing.B) {
		for _, s := range statements {
			sess := driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: neo4jtest.Database, AccessMode: neo4j.AccessModeRead})
			res, err := sess.Run(ctx, s.Cypher, driverParams(s.Params))
			if err == nil {
				_, err = res.Collect(ctx)
			}
			sess.Close(ctx)
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("graphql", func(b *testing.B) {
		for b.Loop() {
			graphqlOnce(b)
		}
	})
	b.Run("driver", func(b *testing.B) {
		for b.Loop() {
			driverOnce(b)
		}
	})
	// Both, alternating request by request, so that whatever else the machine is
	// doing weighs on both alike; reports each one's time and their ratio, and the
	// part of the GraphQL time spent inside the store's calls (the driver's round
	// trips plus turning records into the API's values).
	interleave := func(graphqlOnce func(*testing.B)) func(*testing.B) {
		return func(b *testing.B) {
			var gq, dr time.Duration
			timed.ns.Store(0)
			for b.Loop() {
				t0 := time.Now()
				graphqlOnce(b)
				t1 := time.Now()
				driverOnce(b)
				gq, dr = gq+t1.Sub(t0), dr+time.Since(t1)
			}
			b.ReportMetric(float64(gq.Microseconds())/float64(b.N), "graphql-µs/op")
			b.ReportMetric(float64(dr.Microseconds())/float64(b.N), "driver-µs/op")
			b.ReportMetric(float64(timed.ns.Load()/1000)/float64(b.N), "store-µs/op")
			b.ReportMetric(float64(gq)/float64(dr), "ratio")
		}
	}
	b.Run("interleaved", interleave(graphqlOnce))
	b.Run("in-process", interleave(inProcessOnce))
}

// pathBenchQuery is the request of BenchmarkPathQuery and BenchmarkPathQueryStack.
const pathBenchQuery = `{ paths(from: "actor:howard-lutnick", to: "commodity:rare-earth-minerals", first: 3) { paths { explanation
	hops { relationship { type evidence { quote sentenceText } } } } } }`

// driverParams restores parameter types that JSON flattened: lists and the
// window dates, which are null in this query.
func driverParams(p map[string]any) map[string]any {
	out := make(map[string]any, len(p))
	for k, v := range p {
		if f, ok := v.(float64); ok {
			out[k] = int64(f)
			continue
		}
		out[k] = v
	}
	return out
}

// TestPathsDoNotDependOnStorageOrder loads the seed twice, the second time with its
// entities and relationships in reverse order, and asks a question with more tied
// shortest paths than the candidates a request takes (4 × first): both graphs must
// give the same answer. Which tied paths the database enumerates first depends on
// the order things were written in; the answer must not.
func TestPathsDoNotDependOnStorageOrder(t *testing.T) {
	const query = `{ paths(from: "actor:united-states", to: "actor:china", maxLength: 2, asOf: "2025-05-20", first: 3) { paths { explanation } } }`
	ask := func(d neo4j.DriverWithContext) string {
		srv := apiServer(t, graph.Options{Store: neo4jstore.New(d, neo4jtest.Database, nil)})
		r := post(t, srv.URL, query, nil, nil)
		if len(r.Errors) > 0 || !bytes.Contains(r.Data, []byte("explanation")) {
			t.Fatalf("paths: %s", r.raw)
		}
		return string(r.Data)
	}
	d := seedtest.Graph(t)
	// The shortest paths the API walks: between entities, valid on that day.
	tied := neo4jtest.Count(t, d, `MATCH p = ALL SHORTEST (:Entity {id: 'actor:united-states'})
		((:Entity)-[r WHERE (r.validToDate IS NULL OR r.validToDate >= date('2025-05-20'))
			AND (r.validFromDate IS NULL OR r.validFromDate <= date('2025-05-20'))]-(:Entity)){1,2} (:Entity {id: 'actor:china'})
		RETURN count(p) AS c`, nil)
	if tied <= 12 {
		t.Fatalf("only %d shortest paths: the question does not test ties beyond the 12 candidates", tied)
	}
	want := ask(d)
	loadReversedSeed(t, d)
	if got := ask(d); got != want {
		t.Errorf("the same graph written in another order answers differently:\n%s\nwant:\n%s", got, want)
	}
}

// loadReversedSeed empties the database and loads the seed with its entities and
// relationships in reverse order, so that the database enumerates ties otherwise.
func loadReversedSeed(t *testing.T, d neo4j.DriverWithContext) {
	t.Helper()
	parsed, probs := loaders.ParseCurated(seedtest.File)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	data := parsed.Data
	slices.Reverse(data.Entities)
	slices.Reverse(data.Relationships)
	for i := range data.Documents {
		data.Documents[i].TextFile = "" // parsing read it into Text
	}
	raw, err := json.Marshal(data)
	if err != nil {
		t.Fatal(err)
	}
	reversed := filepath.Join(t.TempDir(), "reversed.json")
	if err := os.WriteFile(reversed, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	neo4jtest.Reset(t, d)
	var out strings.Builder
	if _, err := loaders.Load(context.Background(), loaders.Options{Graph: neo4jstore.New(d, neo4jtest.Database, nil), Out: &out}, []string{reversed}); err != nil {
		t.Fatalf("load the reversed seed: %v\n%s", err, out.String())
	}
}

// workloadQueries are the shapes of the peer benchmark (bench/peer/workloads.mjs),
// each with the statements it must cost: a-e of the performance issue, f and g of
// our own.
var workloadQueries = []struct {
	key, query string
	vars       map[string]any
	want       int
}{
	{"a entity by id", `query BenchA($id: ID!) { entity(id: $id) { id name kind type } }`, map[string]any{"id": "actor:china"}, 1},
	{"b outgoing relationships with quotes", `query BenchB($id: ID!) { entity(id: $id) { id name
		relationships(direction: OUT) { edges { node { type to { id name } evidence { quote } } } } } }`, map[string]any{"id": "actor:china"}, 1},
	{"c policies with the commodities they restrict", `query BenchC { policies(first: 20) { edges { node { id name
		relationships(types: [RESTRICTS], direction: OUT) { edges { node { to { id name } } } } } } } }`, nil, 1},
	{"d actor, meetings, other participants", `query BenchD($id: ID!) { entity(id: $id) { id name
		relationships(types: [PARTICIPATED_IN], direction: OUT) { edges { node { to { id name
		... on Meeting { relationships(types: [PARTICIPATED_IN], direction: IN) { edges { node { from { id name } } } } } } } } } } }`, map[string]any{"id": "actor:donald-trump"}, 1},
	{"e name search", `query BenchE($text: String!) { search(text: $text) { entity { id name kind } } }`, map[string]any{"text": "lutnick"}, 1},
	{"e name search with a title", `{ search(text: "Commerce Secretary Howard Lutnick's") { entity { id } } }`, nil, 1},
	{"f documents page", `query BenchF { documents(first: 20) { edges { node { id title date { text } } } } }`, nil, 1},
	{"g incoming with confidence", `query BenchG($id: ID!) { entity(id: $id) { id name
		relationships(types: [RESTRICTS], direction: IN) { edges { node { from { id name } confidence evidence { quote } } } } } }`, map[string]any{"id": "commodity:rare-earth-minerals"}, 1},
}

// TestWorkloadStatements pins the statements of each benchmark shape, as explain
// mode reports them (extensions.statements, the length of extensions.cypher).
func TestWorkloadStatements(t *testing.T) {
	driver := seedtest.Graph(t)
	srv := apiServer(t, graph.Options{Store: neo4jstore.New(driver, neo4jtest.Database, nil), Explain: true})
	for _, w := range workloadQueries {
		t.Run(w.key, func(t *testing.T) {
			resp := post(t, srv.URL, w.query, w.vars, nil)
			if len(resp.Errors) > 0 || len(resp.Data) < 20 {
				t.Fatalf("errors or no data: %s", resp.raw)
			}
			queries, _ := resp.Extensions["cypher"].([]any)
			n, _ := resp.Extensions["statements"].(float64)
			if int(n) != len(queries) {
				t.Errorf("extensions.statements %v, but %d in extensions.cypher", resp.Extensions["statements"], len(queries))
			}
			if len(queries) != w.want {
				t.Errorf("got %d statements, want %d: %s", len(queries), w.want, resp.raw)
			}
		})
	}
}

// TestReadAheadAnswersAsLoaders asks nested shapes twice: as they come (the root
// field reads the relationships ahead, one statement) and behind a field that
// reads nothing ahead (node(id), so every level goes through the batch loaders),
// with cursors, totals, windows and evidence texts; the answers must be the same.
// Both paths write a page with the same Cypher (neo4jstore/nested.go), which the
// golden answers pin; this test checks that the nesting, the kinds and the priming
// give each level the page its resolver would have loaded.
func TestReadAheadAnswersAsLoaders(t *testing.T) {
	driver := seedtest.Graph(t)
	srv := apiServer(t, graph.Options{Store: neo4jstore.New(driver, neo4jtest.Database, nil), Explain: true})
	shapes := []struct{ name, id, sel string }{
		{"two levels with totals and texts", "actor:china", `relationships(first: 3) { totalCount pageInfo { hasNextPage endCursor }
			edges { cursor node { id type confidence attributedTo { id } evidence { quote sentenceText } from { id }
				to { id ... on Policy { relationships(direction: OUT, first: 2) { totalCount edges { node { id to { id } } } } } } } } }`},
		{"second page", "actor:china", `relationships(first: 2, after: "` + "%CURSOR%" + `") { edges { cursor node { id } } pageInfo { hasNextPage } }`},
		{"windows", "actor:united-states", `a: relationships(asOf: "2025-05") { totalCount undatedCount edges { node { id dates { from { text } } } } }
			k: relationships(knownAsOf: "2025-06-30") { totalCount undatedCount edges { node { id evidence { quote } } } }
			d: relationships(during: {from: "2025-01", to: "2025-04"}) { totalCount edges { node { id } } }`},
		{"three levels", "actor:donald-trump", `relationships(types: [PARTICIPATED_IN], direction: OUT, first: 5) { edges { node { to { id
			... on Meeting { relationships(types: [PARTICIPATED_IN], direction: IN, first: 10) { edges { node { from { id
				... on Actor { relationships(first: 3, direction: OUT) { totalCount edges { node { id type } } } } } } } } } } } } }`},
	}
	// The cursor of the second page comes from a first page.
	first := post(t, srv.URL, `{ entity(id: "actor:china") { relationships(first: 2) { pageInfo { endCursor } } } }`, nil, nil)
	var page struct {
		Entity struct {
			Relationships struct{ PageInfo struct{ EndCursor string } }
		}
	}
	if err := json.Unmarshal(first.Data, &page); err != nil || page.Entity.Relationships.PageInfo.EndCursor == "" {
		t.Fatalf("first page: %s", first.raw)
	}
	for _, s := range shapes {
		t.Run(s.name, func(t *testing.T) {
			sel := strings.ReplaceAll(s.sel, "%CURSOR%", page.Entity.Relationships.PageInfo.EndCursor)
			ahead := post(t, srv.URL, `{ x: entity(id: "`+s.id+`") { id ... on Actor { `+sel+` } } }`, nil, nil)
			loaded := post(t, srv.URL, `{ x: node(id: "`+s.id+`") { id ... on Actor { `+sel+` } } }`, nil, nil)
			if len(ahead.Errors) > 0 || len(loaded.Errors) > 0 {
				t.Fatalf("errors: %s / %s", ahead.raw, loaded.raw)
			}
			if !bytes.Equal(ahead.Data, loaded.Data) {
				t.Errorf("read ahead:\n%s\nthrough the loaders:\n%s", ahead.Data, loaded.Data)
			}
			if n := len(ahead.Extensions["cypher"].([]any)); n != 1 {
				t.Errorf("read ahead: %d statements, want 1", n)
			}
			if n := len(loaded.Extensions["cypher"].([]any)); n < 2 {
				t.Errorf("through the loaders: %d statements, want one per level", n)
			}
		})
	}
}

// TestReadAheadAbsentEntity: an id that names nothing is null, relationships
// selected or not.
func TestReadAheadAbsentEntity(t *testing.T) {
	driver := seedtest.Graph(t)
	srv := apiServer(t, graph.Options{Store: neo4jstore.New(driver, neo4jtest.Database, nil)})
	resp := post(t, srv.URL, `{ entity(id: "actor:nobody") { id relationships { totalCount edges { node { id } } } } }`, nil, nil)
	if len(resp.Errors) > 0 || string(resp.Data) != `{"entity":null}` {
		t.Errorf("got %s, want entity null", resp.raw)
	}
}

// TestFieldArgsFollowTheSelection asks for the same relationships field on
// endpoints of several kinds, with totalCount selected on one kind only (a
// fragment), for each kind in turn: that kind's collected field has a selection of
// its own, so the key arguments derived for another kind's (no total) must not be
// reused for it. Each total is checked against the same question asked alone.
func TestFieldArgsFollowTheSelection(t *testing.T) {
	driver := seedtest.Graph(t)
	srv := apiServer(t, graph.Options{Store: neo4jstore.New(driver, neo4jtest.Database, nil)})
	kinds := map[string]int{}
	for _, typ := range []string{"Actor", "Meeting", "Commodity", "Policy"} {
		resp := post(t, srv.URL, `{ entity(id: "actor:china") { relationships(direction: OUT) { edges { node { to { id kind
			relationships(first: 1) { edges { node { id } } }
			... on `+typ+` { relationships(first: 1) { totalCount } } } } } } } }`, nil, nil)
		if len(resp.Errors) > 0 {
			t.Fatalf("errors: %s", resp.raw)
		}
		var got struct {
			Entity struct {
				Relationships struct {
					Edges []struct {
						Node struct {
							To struct {
								ID, Kind      string
								Relationships struct {
									TotalCount *int
								}
							}
						}
					}
				}
			}
		}
		if err := json.Unmarshal(resp.Data, &got); err != nil {
			t.Fatal(err)
		}
		for _, e := range got.Entity.Relationships.Edges {
			to := e.Node.To
			kinds[to.Kind]++
			if !strings.EqualFold(to.Kind, typ) {
				if to.Relationships.TotalCount != nil {
					t.Errorf("%s: totalCount %d, not selected for a %s", to.ID, *to.Relationships.TotalCount, to.Kind)
				}
				continue
			}
			alone := post(t, srv.URL, `query($id: ID!) { entity(id: $id) { relationships(first: 1) { totalCount } } }`, map[string]any{"id": to.ID}, nil)
			var want struct {
				Entity struct{ Relationships struct{ TotalCount int } }
			}
			if err := json.Unmarshal(alone.Data, &want); err != nil {
				t.Fatal(err)
			}
			if to.Relationships.TotalCount == nil {
				t.Errorf("%s (fragment on %s): no totalCount, want %d", to.ID, typ, want.Entity.Relationships.TotalCount)
			} else if *to.Relationships.TotalCount != want.Entity.Relationships.TotalCount {
				t.Errorf("%s (fragment on %s): totalCount %d, want %d", to.ID, typ, *to.Relationships.TotalCount, want.Entity.Relationships.TotalCount)
			}
		}
	}
	if len(kinds) < 2 {
		t.Fatalf("want endpoints of several kinds, got %v", kinds)
	}
}

// TestDeferIfFalseAnswers: a fragment whose @defer is turned off (literally or by
// a variable) is not deferred, so it is answered in full; turned on by a variable,
// it is refused like a literal @defer (budget_test.go), with its location.
func TestDeferIfFalseAnswers(t *testing.T) {
	driver := seedtest.Graph(t)
	srv := apiServer(t, graph.Options{Store: neo4jstore.New(driver, neo4jtest.Database, nil)})
	q := `query ($d: Boolean!) { entity(id: "actor:howard-lutnick") { id ... @defer(if: $d) { relationships(direction: OUT, types: [CONFIRMED]) { totalCount } } } }`
	for _, literal := range []string{
		`{ entity(id: "actor:howard-lutnick") { id ... @defer(if: false) { relationships(direction: OUT, types: [CONFIRMED]) { totalCount } } } }`,
		q,
	} {
		resp := post(t, srv.URL, literal, map[string]any{"d": false}, nil)
		var got struct {
			Entity struct{ Relationships *struct{ TotalCount int } }
		}
		if err := json.Unmarshal(resp.Data, &got); err != nil || len(resp.Errors) > 0 {
			t.Fatalf("%s: %v %s", literal, err, resp.raw)
		}
		if got.Entity.Relationships == nil || got.Entity.Relationships.TotalCount == 0 {
			t.Errorf("%s: relationships %+v, want Lutnick's confirmations", literal, got.Entity.Relationships)
		}
	}
	resp := post(t, srv.URL, q, map[string]any{"d": true}, nil)
	if resp.code() != graph.EINVALID || !strings.Contains(string(resp.raw), `"locations":[{"line":1,"column":69}]`) {
		t.Errorf("deferred by a variable: %s", resp.raw)
	}
}

// TestSearchReadsWhatIsSelected: a search whose operation selects only names of
// entities reads its hits as names (id, kind, name, type); one that selects more
// reads them whole, and answers it.
func TestSearchReadsWhatIsSelected(t *testing.T) {
	driver := seedtest.Graph(t)
	srv := apiServer(t, graph.Options{Store: neo4jstore.New(driver, neo4jtest.Database, nil), Explain: true})
	statement := func(query string) (string, gqlResponse) {
		r := post(t, srv.URL, query, nil, nil)
		entries, _ := r.Extensions["cypher"].([]any)
		if len(r.Errors) > 0 || len(entries) != 1 {
			t.Fatalf("%s: %s", query, r.raw)
		}
		return entries[0].(map[string]any)["cypher"].(string), r
	}
	names, r := statement(`{ search(text: "lutnick") { score entity { id name kind } } }`)
	if !strings.Contains(names, "{n: {id: node.id, kind: node.kind, name: node.name, type: node.type}") || strings.Contains(names, "properties(node)") {
		t.Errorf("names only: the hits are read as\n%s", names)
	}
	if !strings.Contains(string(r.Data), `"id":"actor:howard-lutnick","name":"Howard Lutnick","kind":"ACTOR"`) {
		t.Errorf("names only: %s", r.Data)
	}
	whole, r := statement(`{ search(text: "lutnick") { entity { id description } } }`)
	if !strings.Contains(whole, "{n: properties(node)") {
		t.Errorf("description selected: the hits are read as\n%s", whole)
	}
	var got struct {
		Search []struct {
			Entity struct{ ID, Description string }
		}
	}
	if err := json.Unmarshal(r.Data, &got); err != nil || len(got.Search) == 0 || got.Search[0].Entity.Description == "" {
		t.Errorf("description selected: %v %s", err, r.Data)
	}
}
