package app

// Tests of reviewing drafted facts through the API (issue 20, item 8): draft a
// pasted article against the seed graph, check a reviewed dataset, and write it
// with an editor's token through the loaders' validation and writer.

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"tradegraph/graph/neo4jstore"
	"tradegraph/internal/neo4jtest"
	"tradegraph/internal/seedtest"
	"tradegraph/loaders"
)

// reviewArticle is a short article the built-in patterns draft: two ministers
// (members of their countries), a pact mistaken for a commodity, and the graph's
// own rare earth minerals. The dash before the first name is two UTF-16 units
// away from its UTF-8 width, so mention offsets must be converted.
const reviewArticle = "Australia and Japan sign critical minerals pact\n\n" +
	"In Tokyo — on 3 March 2026 — Australian Trade Minister Don Farrell met Japanese Trade Minister Yoji Muto. " +
	"Farrell said Australia would supply lithium and rare earth minerals to Japan under a new agreement. " +
	"The agreement eases export licensing for rare earth minerals, the ministers said.\n"

const reviewTitle = "Australia and Japan sign critical minerals pact"

// reviewTokens writes a tokens file with an editor and a reader and returns the
// server environment that uses it.
func reviewTokens(t *testing.T) map[string]string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "tokens.txt")
	lines := "ann-editor editor sha256:" + sha256Hex("editor-secret") + "\nann-reader reader sha256:" + sha256Hex("reader-secret") + "\n"
	if err := os.WriteFile(path, []byte(lines), 0o600); err != nil {
		t.Fatal(err)
	}
	return map[string]string{"TRADEGRAPH_TOKENS_FILE": path}
}

type gqlAnswer struct {
	Data   json.RawMessage
	Errors []struct {
		Message    string
		Extensions map[string]any
	}
}

func (a gqlAnswer) code() string {
	if len(a.Errors) == 0 {
		return ""
	}
	c, _ := a.Errors[0].Extensions["code"].(string)
	return c
}

// gql posts an operation with variables, as the console does.
func gql(t *testing.T, base, token, query string, vars map[string]any) gqlAnswer {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, base+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var a gqlAnswer
	if err := json.Unmarshal(raw, &a); err != nil {
		t.Fatalf("%d %s: %v", resp.StatusCode, raw, err)
	}
	return a
}

const draftOp = `query($in: ArticleInput!) { draftArticle(input: $in) {
  document { id title text sentences }
  entities { id kind type name role status description known }
  relationships { type from to confidence note evidence { sentence quote } }
  mentions { sentence start end entityId adjectival } ambiguous alreadyKnown } }`

type reviewDraft struct {
	DraftArticle struct {
		Document struct {
			ID, Title, Text string
			Sentences       []string
		}
		Entities []struct {
			ID, Kind, Type, Name string
			Role, Status         *string
			Description          *string
			Known                bool
		}
		Relationships []struct {
			Type, From, To string
			Confidence     *float64
			Note           *string
			Evidence       []struct {
				Sentence int
				Quote    string
			}
		}
		Mentions []struct {
			Sentence, Start, End int
			EntityID             string
		}
	}
}

// reviewedDataset is what the review page sends: the document, the new entities
// and the relationships kept, in the curated format as JSON.
func reviewedDataset(t *testing.T, d reviewDraft, keepEntity func(id string) bool, keepRel func(typ, from, to string) bool, edit func(m map[string]any)) string {
	t.Helper()
	doc := d.DraftArticle.Document
	ds := map[string]any{
		"documents": []map[string]any{{"id": doc.ID, "type": "ARTICLE", "title": doc.Title, "text": doc.Text}},
	}
	var ents, rels []map[string]any
	for _, e := range d.DraftArticle.Entities {
		if e.Known || !keepEntity(e.ID) {
			continue
		}
		m := map[string]any{"id": e.ID, "kind": e.Kind, "type": e.Type, "name": e.Name}
		if e.Role != nil {
			m["role"] = *e.Role
		}
		if e.Status != nil {
			m["status"] = *e.Status
		}
		ents = append(ents, m)
	}
	for _, r := range d.DraftArticle.Relationships {
		if !keepRel(r.Type, r.From, r.To) {
			continue
		}
		var ev []map[string]any
		for _, e := range r.Evidence {
			ev = append(ev, map[string]any{"doc": doc.ID, "sentence": e.Sentence, "quote": e.Quote})
		}
		rels = append(rels, map[string]any{"type": r.Type, "from": r.From, "to": r.To, "confidence": *r.Confidence, "evidence": ev})
	}
	ds["entities"], ds["relationships"] = ents, rels
	if edit != nil {
		edit(ds)
	}
	b, err := json.MarshalIndent(ds, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestReviewDraftAPI(t *testing.T) {
	if testing.Short() {
		t.Skip("needs Neo4j (run without -short)")
	}
	seedtest.Graph(t)
	base := startServer(t, reviewTokens(t))
	editor, reader := "editor-secret", "reader-secret"

	start := time.Now()
	a := gql(t, base, "", draftOp, map[string]any{"in": map[string]any{"text": reviewArticle, "title": reviewTitle}})
	if len(a.Errors) > 0 {
		t.Fatalf("draftArticle: %+v", a.Errors)
	}
	t.Logf("draftArticle answered in %v", time.Since(start))
	var d reviewDraft
	if err := json.Unmarshal(a.Data, &d); err != nil {
		t.Fatal(err)
	}
	dr := d.DraftArticle
	if dr.Document.ID != "doc:australia-and-japan-sign-critical-minerals-pact" {
		t.Errorf("document id %q", dr.Document.ID)
	}
	ents := map[string]bool{}
	for _, e := range dr.Entities {
		ents[e.ID] = e.Known
	}
	for id, known := range map[string]bool{"actor:don-farrell": false, "actor:yoji-muto": false, "actor:australia": false, "commodity:rare-earth-minerals": true} {
		if k, ok := ents[id]; !ok || k != known {
			t.Errorf("entity %s: present %v known %v, want known %v (entities %v)", id, ok, k, known, ents)
		}
	}
	t.Run("mentions point at the names", func(t *testing.T) {
		found := 0
		for _, m := range dr.Mentions {
			s := utf16.Encode([]rune(dr.Document.Sentences[m.Sentence-1]))
			got := string(utf16.Decode(s[m.Start:m.End]))
			if m.EntityID == "actor:don-farrell" && m.Sentence == 2 {
				found++
				// The name with the title drafting read it with.
				if got != "Australian Trade Minister Don Farrell" {
					t.Errorf("mention of actor:don-farrell in sentence 2 covers %q, want Australian Trade Minister Don Farrell", got)
				}
			}
			if m.EntityID == "commodity:rare-earth-minerals" && got != "rare earth minerals" {
				t.Errorf("mention of rare earth minerals covers %q", got)
			}
		}
		if found != 1 {
			t.Errorf("%d mentions of Don Farrell in sentence 2, want 1: %+v", found, dr.Mentions)
		}
	})

	member := func(typ, from, to string) bool { return typ == "MEMBER_OF" }
	persons := func(id string) bool {
		return id == "actor:don-farrell" || id == "actor:yoji-muto" || id == "actor:australia" || id == "actor:japan"
	}
	good := reviewedDataset(t, d, persons, member, func(m map[string]any) {
		m["source"], m["priority"] = "data/seed/us-china-rare-earth-deal.yaml", 99 // a request does not choose its source
	})

	t.Run("check a reviewed dataset", func(t *testing.T) {
		a := gql(t, base, "", `query($d: String!) { checkDataset(dataset: $d) { valid problems { line field message } yaml report } }`, map[string]any{"d": good})
		var c struct {
			CheckDataset struct {
				Valid    bool
				Problems []struct{ Message string }
				YAML     *string `json:"yaml"`
			}
		}
		if err := json.Unmarshal(a.Data, &c); err != nil || len(a.Errors) > 0 {
			t.Fatalf("%v %+v", err, a.Errors)
		}
		if !c.CheckDataset.Valid || c.CheckDataset.YAML == nil {
			t.Fatalf("the reviewed dataset does not check: %+v", c.CheckDataset.Problems)
		}
		// The YAML it offers for download loads as `tradegraph load --dry-run` would load it.
		path := filepath.Join(t.TempDir(), "reviewed.yaml")
		if err := os.WriteFile(path, []byte(*c.CheckDataset.YAML), 0o644); err != nil {
			t.Fatal(err)
		}
		store := neo4jstore.New(neo4jtest.Driver(t), neo4jtest.Database, nil)
		var out strings.Builder
		if _, err := loaders.Load(context.Background(), loaders.Options{Graph: store, DryRun: true, Out: &out}, []string{path}); err != nil {
			t.Fatalf("the downloaded YAML does not load: %v\n%s", err, out.String())
		}
		if !strings.Contains(*c.CheckDataset.YAML, "name: Don Farrell") {
			t.Errorf("the YAML lacks Don Farrell:\n%s", *c.CheckDataset.YAML)
		}
	})

	bad := reviewedDataset(t, d, persons, member, func(m map[string]any) {
		rels := m["relationships"].([]map[string]any)
		rels[0]["evidence"].([]map[string]any)[0]["quote"] = "words the sentence does not hold"
		m["entities"] = append(m["entities"].([]map[string]any), map[string]any{"id": "actor:nobody-real", "kind": "Actor", "type": "PERSON", "name": "Nobody Real"})
	})
	t.Run("a problem is located and nothing is written", func(t *testing.T) {
		a := gql(t, base, "", `query($d: String!) { checkDataset(dataset: $d) { valid problems { line field message } yaml } }`, map[string]any{"d": bad})
		var c struct {
			CheckDataset struct {
				Valid    bool
				Problems []struct {
					Line    *int
					Field   *string
					Message string
				}
				YAML *string `json:"yaml"`
			}
		}
		if err := json.Unmarshal(a.Data, &c); err != nil || len(a.Errors) > 0 {
			t.Fatalf("%v %+v", err, a.Errors)
		}
		cd := c.CheckDataset
		if cd.Valid || cd.YAML != nil || len(cd.Problems) != 1 || cd.Problems[0].Field == nil || *cd.Problems[0].Field != "relationships[0].evidence[0].quote" || cd.Problems[0].Line == nil {
			t.Fatalf("check of a wrong quote: %+v", cd)
		}
		w := gql(t, base, editor, `mutation($d: String!) { writeDataset(dataset: $d) { created } }`, map[string]any{"d": bad})
		if w.code() != "BAD_USER_INPUT" || !strings.Contains(w.Errors[0].Message, "review:") || !strings.Contains(w.Errors[0].Message, "relationships[0].evidence[0].quote") {
			t.Fatalf("write of a wrong quote: %s %+v", w.code(), w.Errors)
		}
		e := gql(t, base, "", `{ entity(id: "actor:nobody-real") { id } }`, nil)
		if !strings.Contains(string(e.Data), `"entity":null`) {
			t.Errorf("a refused dataset wrote its entity: %s %+v", e.Data, e.Errors)
		}
	})

	t.Run("textFile is refused", func(t *testing.T) {
		ds := `{"documents": [{"id": "doc:x", "type": "ARTICLE", "title": "X", "textFile": "../../go.mod"}]}`
		a := gql(t, base, "", `query($d: String!) { checkDataset(dataset: $d) { valid problems { field message } } }`, map[string]any{"d": ds})
		if !strings.Contains(string(a.Data), `"field":"documents[0].textFile"`) || strings.Contains(string(a.Data), `"valid":true`) {
			t.Errorf("a textFile was not refused: %s %+v", a.Data, a.Errors)
		}
	})

	t.Run("too long", func(t *testing.T) {
		a := gql(t, base, "", draftOp, map[string]any{"in": map[string]any{"text": strings.Repeat("Trade talks went on. ", 2500), "title": "Long"}})
		if a.code() != "BAD_USER_INPUT" || !strings.Contains(a.Errors[0].Message, "over the limit of 49152") {
			t.Errorf("a 52,500-byte article: %s %+v", a.code(), a.Errors)
		}
		a = gql(t, base, "", draftOp, map[string]any{"in": map[string]any{"text": "   ", "title": "Empty"}})
		if a.code() != "BAD_USER_INPUT" || !strings.Contains(a.Errors[0].Message, "empty") {
			t.Errorf("an empty article: %s %+v", a.code(), a.Errors)
		}
	})

	t.Run("writing needs an editor", func(t *testing.T) {
		for _, tt := range []struct{ token, code string }{{"", "UNAUTHENTICATED"}, {reader, "FORBIDDEN"}} {
			w := gql(t, base, tt.token, `mutation($d: String!) { writeDataset(dataset: $d) { created } }`, map[string]any{"d": good})
			if w.code() != tt.code {
				t.Errorf("token %q: got %q, want %s", tt.token, w.code(), tt.code)
			}
		}
	})

	t.Run("write, then read through the API with its evidence", func(t *testing.T) {
		w := writeRetrying(t, base, editor, good)
		var res struct {
			WriteDataset struct {
				Source             string
				Created, Unchanged int
			}
		}
		if err := json.Unmarshal(w.Data, &res); err != nil || len(w.Errors) > 0 {
			t.Fatalf("%v %+v", err, w.Errors)
		}
		// After a TIMEOUT the write went on in the background: a second one finds it done.
		if res.WriteDataset.Source != "api:ann-editor" || res.WriteDataset.Created+res.WriteDataset.Unchanged == 0 {
			t.Errorf("write: %+v", res.WriteDataset)
		}
		a := gqlRetrying(t, base, `{ entity(id: "actor:don-farrell") { name provenance { source by }
		  relationships(direction: OUT) { edges { node { type to { id } evidence { sentence quote document { id } } provenance { source } } } } } }`, nil)
		var got struct {
			Entity struct {
				Name          string
				Provenance    []struct{ Source, By string }
				Relationships struct {
					Edges []struct {
						Node struct {
							Type     string
							To       struct{ ID string }
							Evidence []struct {
								Sentence int
								Quote    string
								Document struct{ ID string }
							}
							Provenance []struct{ Source string }
						}
					}
				}
			}
		}
		if err := json.Unmarshal(a.Data, &got); err != nil || len(a.Errors) > 0 {
			t.Fatalf("%v %+v", err, a.Errors)
		}
		en := got.Entity
		if en.Name != "Don Farrell" || len(en.Provenance) != 1 || en.Provenance[0].Source != "api:ann-editor" || en.Provenance[0].By != "ann-editor" {
			t.Errorf("entity: %+v", en)
		}
		if len(en.Relationships.Edges) != 1 {
			t.Fatalf("relationships of Don Farrell: %+v", en.Relationships.Edges)
		}
		n := en.Relationships.Edges[0].Node
		if n.Type != "MEMBER_OF" || n.To.ID != "actor:australia" || len(n.Evidence) != 1 || n.Evidence[0].Quote != "Australian Trade Minister Don Farrell" ||
			n.Evidence[0].Sentence != 2 || n.Evidence[0].Document.ID != dr.Document.ID || len(n.Provenance) != 1 || n.Provenance[0].Source != "api:ann-editor" {
			t.Errorf("relationship: %+v", n)
		}
	})
}

// writeRetrying writes dataset, trying again after a TIMEOUT: the first write on a
// fresh Neo4j plans the write statements, which took 31 s on a loaded machine
// against the server's 10 s budget; the write is idempotent (MERGE, then SET).
func writeRetrying(t *testing.T, base, token, dataset string) gqlAnswer {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		start := time.Now()
		w := gql(t, base, token, `mutation($d: String!) { writeDataset(dataset: $d) { source created updated unchanged report } }`, map[string]any{"d": dataset})
		t.Logf("writeDataset answered in %v (%s)", time.Since(start).Round(time.Millisecond), w.code())
		if w.code() != "TIMEOUT" || time.Now().After(deadline) {
			return w
		}
	}
}

// gqlRetrying asks a read again after a TIMEOUT: on a fresh Neo4j of a loaded
// machine the first read of a shape waits for its plan past the 10 s budget.
func gqlRetrying(t *testing.T, base, query string, vars map[string]any) gqlAnswer {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		a := gql(t, base, "", query, vars)
		if a.code() != "TIMEOUT" || time.Now().After(deadline) {
			return a
		}
		t.Logf("read answered TIMEOUT: trying again")
	}
}
