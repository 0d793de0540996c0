package graph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"tradegraph/graph"
	"tradegraph/graph/neo4jstore"
	"tradegraph/internal/neo4jtest"
	"tradegraph/loaders"
)

// timeServer loads testdata/time.yaml into an empty graph and serves the API on it.
func timeServer(t *testing.T) string {
	t.Helper()
	return timeServerWith(t, graph.Options{APIToken: timeToken})
}

// timeServerWith is timeServer with options o (its Store set here).
func timeServerWith(t *testing.T, o graph.Options) string {
	t.Helper()
	d := neo4jtest.Driver(t)
	ctx := context.Background()
	if err := neo4jstore.Migrate(ctx, d, neo4jtest.Database); err != nil {
		t.Fatal(err)
	}
	neo4jtest.Reset(t, d)
	store := neo4jstore.New(d, neo4jtest.Database, nil)
	if _, err := loaders.Load(ctx, loaders.Options{Graph: store, Out: io.Discard}, []string{"testdata/time.yaml"}); err != nil {
		t.Fatalf("load testdata/time.yaml: %v", err)
	}
	o.Store = store
	return apiServer(t, o).URL
}

const timeToken = "time-token"

// timeRel is a relationship as the time tests read it.
type timeRel struct {
	Type     string
	From, To struct{ ID string }
	Evidence []struct {
		Document struct{ ID string }
	}
	Dates struct {
		From, To, KnownFrom *struct{ Text string }
		Source              string
	}
}

const timeRelFields = `type from { id } to { id } evidence { document { id } } dates { from { text } to { text } source knownFrom { text } }`

func (r timeRel) key() string { return r.From.ID + " " + r.Type + " " + r.To.ID }

func (r timeRel) docs() []string {
	var out []string
	for _, ev := range r.Evidence {
		out = append(out, ev.Document.ID)
	}
	return out
}

// relsOf returns the relationships of entity id under the window args (GraphQL
// arguments, e.g. `asOf: "2025-06"`), by key.
func relsOf(t *testing.T, url, id, args string) map[string]timeRel {
	t.Helper()
	if args != "" {
		args = ", " + args
	}
	r := post(t, url, fmt.Sprintf(`query($id: ID!) { entity(id: $id) { relationships(first: 100%s) { edges { node { %s } } } } }`, args, timeRelFields),
		map[string]any{"id": id}, nil)
	var data struct {
		Entity struct {
			Relationships struct{ Edges []struct{ Node timeRel } }
		}
	}
	if err := json.Unmarshal(r.Data, &data); err != nil || len(r.Errors) > 0 {
		t.Fatalf("%s %v", r.raw, err)
	}
	out := map[string]timeRel{}
	for _, e := range data.Entity.Relationships.Edges {
		out[e.Node.key()] = e.Node
	}
	return out
}

func keys(m map[string]timeRel) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func text(d *struct{ Text string }) string {
	if d == nil {
		return ""
	}
	return d.Text
}

// TestTimeAxes checks both time axes on the dataset of issue 14: valid time (asOf,
// during) reads each relationship's effective dates, so nothing holds before the
// lifetime of its endpoint, and nothing undated holds in any window; knowledge
// time (knownAsOf) keeps what was published by then, with only that evidence.
func TestTimeAxes(t *testing.T) {
	url := timeServer(t)
	const (
		restricts = "policy:october-controls RESTRICTS commodity:gallium"
		imposes   = "actor:china IMPOSES policy:october-controls"
		gallium   = "actor:china CONTROLS commodity:gallium"
		germanium = "actor:china CONTROLS commodity:germanium"
		truce     = "policy:truce TARGETS actor:china"
		london    = "actor:united-states PARTICIPATED_IN meeting:london-talks"
	)

	t.Run("sources", func(t *testing.T) {
		all := relsOf(t, url, "actor:china", "")
		for key, want := range map[string][4]string{
			imposes:   {"2025-10-09", "", "STATED", "2025-10-20"},
			gallium:   {"2025-06-11", "", "EVIDENCE", "2025-06-11"},
			germanium: {"", "", "UNKNOWN", ""},
			truce:     {"2025-05-12", "", "ENDPOINT", "2025-10-20"},
		} {
			d := all[key].Dates
			if got := [4]string{text(d.From), text(d.To), d.Source, text(d.KnownFrom)}; got != want {
				t.Errorf("%s: dates (from, to, source, knownFrom) %q, want %q", key, got, want)
			}
		}
		d := relsOf(t, url, "meeting:london-talks", "")[london].Dates
		if got := [3]string{text(d.From), text(d.To), d.Source}; got != [3]string{"2025-06-09", "2025-06-10", "ENDPOINT"} {
			t.Errorf("%s: %q, want the meeting's days from ENDPOINT", london, got)
		}
		d = relsOf(t, url, "commodity:gallium", "")[restricts].Dates
		if got := [3]string{text(d.From), text(d.To), d.Source}; got != [3]string{"2025-10-01", "", "ENDPOINT"} {
			t.Errorf("%s: %q, want from the policy's announcement month", restricts, got)
		}
	})

	t.Run("valid time", func(t *testing.T) {
		for _, tc := range []struct {
			id, args string
			want     []string
		}{
			// Before the policy was announced none of its relationships holds, dated
			// or not; the undated germanium fact is in no window.
			{"actor:china", `asOf: "2025-09"`, []string{gallium, truce}},
			{"commodity:gallium", `asOf: "2025-09-30"`, []string{gallium}},
			{"commodity:gallium", `asOf: "2025-10"`, []string{gallium, restricts}},
			{"actor:china", `asOf: "2025-04"`, nil},
			{"actor:china", `during: {from: "2025-05-12", to: "2025-06-10"}`, []string{truce}},
			{"actor:china", `during: {from: "2025-01"}`, []string{gallium, imposes, truce}},
			{"meeting:london-talks", `asOf: "2025-06-08"`, nil},
			{"meeting:london-talks", `asOf: "2025-06-10"`, []string{london}},
			{"meeting:london-talks", `asOf: "2025-06-11"`, nil},
			// Without a window, everything, the undated fact included.
			{"actor:china", ``, []string{gallium, germanium, imposes, truce}},
		} {
			if got := keys(relsOf(t, url, tc.id, tc.args)); !slices.Equal(got, tc.want) {
				t.Errorf("%s (%s): %q, want %q", tc.id, tc.args, got, tc.want)
			}
		}
	})

	t.Run("known time", func(t *testing.T) {
		if got := keys(relsOf(t, url, "actor:china", `knownAsOf: "2025-06-10"`)); len(got) != 0 {
			t.Errorf("known on 2025-06-10, before any publication: %q, want none", got)
		}
		got := relsOf(t, url, "actor:china", `knownAsOf: "2025-07"`)
		if !slices.Equal(keys(got), []string{gallium}) {
			t.Errorf("known in July 2025: %q, want only %s", keys(got), gallium)
		}
		if docs := got[gallium].docs(); !slices.Equal(docs, []string{"doc:june-report"}) {
			t.Errorf("known in July 2025, %s shows evidence from %q, want only the June report", gallium, docs)
		}
		// A future date means everything known; the undated note is never "known".
		if got := keys(relsOf(t, url, "actor:china", `knownAsOf: "2999"`)); !slices.Equal(got, []string{gallium, imposes, truce}) {
			t.Errorf("known by 2999: %q", got)
		}
		if docs := relsOf(t, url, "actor:china", `knownAsOf: "2999"`)[gallium].docs(); len(docs) != 2 {
			t.Errorf("known by 2999, %s shows evidence from %q, want both reports", gallium, docs)
		}
		// Both axes: valid in September (the truce, gallium) as known on 1 July
		// (gallium only).
		if got := keys(relsOf(t, url, "actor:china", `asOf: "2025-09", knownAsOf: "2025-07-01"`)); !slices.Equal(got, []string{gallium}) {
			t.Errorf("valid in September as known on 1 July: %q, want only %s", got, gallium)
		}
	})

	t.Run("status asOf", func(t *testing.T) {
		for asOf, want := range map[string]any{
			"2025-05-11": nil, "2025-05-12": "TENTATIVE", "2025-05-13": "TENTATIVE", "2025-05-14": "IN_FORCE",
			"2025-10": "IN_FORCE", "2025-11-10": "SUSPENDED", "2026": "SUSPENDED",
			// A month is read on its last day.
			"2025-05": "IN_FORCE",
		} {
			r := post(t, url, `query($d: PartialDateInput) { entity(id: "policy:truce") { ... on Policy { status(asOf: $d) now: status } } }`,
				map[string]any{"d": asOf}, nil)
			var data struct{ Entity struct{ Status, Now any } }
			if err := json.Unmarshal(r.Data, &data); err != nil || len(r.Errors) > 0 {
				t.Fatalf("%s %v", r.raw, err)
			}
			if data.Entity.Status != want || data.Entity.Now != "SUSPENDED" {
				t.Errorf("status(asOf: %s) = %v (now %v), want %v (now SUSPENDED)", asOf, data.Entity.Status, data.Entity.Now, want)
			}
		}
	})

	t.Run("paths", func(t *testing.T) {
		// The United States is linked to China only through the October controls.
		pathsOf := func(args string) []string {
			r := post(t, url, `{ paths(from: "actor:china", to: "actor:united-states", `+args+`) { paths { hops { relationship { from { id } type to { id } } } } } }`, nil, nil)
			var data struct {
				Paths struct {
					Paths []struct {
						Hops []struct{ Relationship timeRel }
					}
				}
			}
			if err := json.Unmarshal(r.Data, &data); err != nil || len(r.Errors) > 0 {
				t.Fatalf("%s %v", r.raw, err)
			}
			var out []string
			for _, p := range data.Paths.Paths {
				var hops []string
				for _, h := range p.Hops {
					hops = append(hops, h.Relationship.key())
				}
				out = append(out, strings.Join(hops, ", "))
			}
			return out
		}
		for args, want := range map[string]bool{
			`asOf: "2025-09"`:                    false,
			`asOf: "2025-10-15"`:                 true,
			`during: {to: "2025-09-30"}`:         false,
			`knownAsOf: "2025-10-19"`:            false,
			`knownAsOf: "2025-10-20"`:            true,
			`asOf: "2025-11", knownAsOf: "2025"`: true,
		} {
			got := pathsOf(args)
			if (len(got) > 0) != want {
				t.Errorf("paths china -> united states (%s): %q, want some: %v", args, got, want)
			}
			for _, p := range got {
				if !strings.Contains(p, "policy:october-controls TARGETS actor:united-states") {
					t.Errorf("paths china -> united states (%s): %q does not pass through the October controls", args, p)
				}
			}
		}
	})

	t.Run("neighborhood", func(t *testing.T) {
		r := post(t, url, `{ neighborhood(id: "commodity:gallium", depth: 2, asOf: "2025-09") { nodes { id } edges { id } } }`, nil, nil)
		var data struct {
			Neighborhood struct{ Nodes []struct{ ID string } }
		}
		if err := json.Unmarshal(r.Data, &data); err != nil || len(r.Errors) > 0 {
			t.Fatalf("%s %v", r.raw, err)
		}
		var ids []string
		for _, n := range data.Neighborhood.Nodes {
			ids = append(ids, n.ID)
		}
		slices.Sort(ids)
		// China through the evidence-dated CONTROLS, and China's truce; never the
		// October controls.
		if want := []string{"actor:china", "commodity:gallium", "policy:truce"}; !slices.Equal(ids, want) {
			t.Errorf("neighbourhood of gallium in September 2025: %q, want %q", ids, want)
		}
	})

	t.Run("changes", func(t *testing.T) {
		changes := func(id, from, to string) (started, ended, reported, policies []string, evidence int) {
			r := post(t, url, `query($id: ID!, $from: PartialDateInput!, $to: PartialDateInput!) { changes(id: $id, from: $from, to: $to, depth: 2) {
				started { `+timeRelFields+` } ended { `+timeRelFields+` } reported { `+timeRelFields+` }
				policies { policy { id } date { text } what status } } }`, map[string]any{"id": id, "from": from, "to": to}, nil)
			var data struct {
				Changes struct {
					Started, Ended, Reported []timeRel
					Policies                 []struct {
						Policy struct{ ID string }
						Date   struct{ Text string }
						What   string
						Status *string
					}
				}
			}
			if err := json.Unmarshal(r.Data, &data); err != nil || len(r.Errors) > 0 {
				t.Fatalf("%s %v", r.raw, err)
			}
			c := data.Changes
			for _, list := range []struct {
				in  []timeRel
				out *[]string
			}{{c.Started, &started}, {c.Ended, &ended}, {c.Reported, &reported}} {
				for _, rel := range list.in {
					*list.out = append(*list.out, rel.key())
					evidence += len(rel.Evidence)
				}
			}
			for _, p := range c.Policies {
				s := p.Policy.ID + " " + p.Date.Text + " " + p.What
				if p.Status != nil {
					s += " " + *p.Status
				}
				policies = append(policies, s)
			}
			return
		}
		// Two hops from China: its October controls and what they touch, the truce;
		// the London talks are three hops away.
		started, ended, reported, policies, evidence := changes("actor:china", "2025-06", "2025-11")
		controls := []string{imposes, restricts, "policy:october-controls TARGETS actor:united-states"}
		for _, c := range []struct {
			name      string
			got, want []string
		}{
			{"started", started, controls},
			{"ended", ended, nil},
			{"reported", reported, append([]string{gallium, truce}, controls...)},
			{"policies", policies, []string{"policy:october-controls 2025-10 ANNOUNCED", "policy:truce 2025-11-10 STATUS SUSPENDED"}},
		} {
			sorted := slices.Sorted(slices.Values(c.got))
			if !slices.Equal(sorted, slices.Sorted(slices.Values(c.want))) {
				t.Errorf("changes around China, June to November 2025, %s: %q, want %q", c.name, c.got, c.want)
			}
		}
		if len(reported) > 0 && reported[0] != gallium {
			t.Errorf("reported %q: want the earliest report, %s, first", reported, gallium)
		}
		if len(started) > 0 && started[len(started)-1] != imposes {
			t.Errorf("started %q: want %s (9 October) after the policy's relationships (from 1 October)", started, imposes)
		}
		s, e, r, _, _ := changes("meeting:london-talks", "2025-06", "2025-06")
		if want := []string{london}; !slices.Equal(s, want) || !slices.Equal(e, want) || !slices.Equal(r, want) {
			t.Errorf("changes around the London talks in June 2025: started %q, ended %q, reported %q, want %s in each", s, e, r, london)
		}
		if evidence == 0 {
			t.Error("changes carry no evidence")
		}
		// Before anything happened, nothing changed.
		if s, e, r, p, _ := changes("actor:china", "2024", "2025-04"); len(s)+len(e)+len(r)+len(p) != 0 {
			t.Errorf("changes in 2024 to April 2025: %q %q %q %q, want none", s, e, r, p)
		}
	})

	t.Run("mutations", func(t *testing.T) {
		bearer := http.Header{"Authorization": {"Bearer " + timeToken}}
		upsert := func(note string) gqlResponse {
			return post(t, url, `mutation($note: String) { upsertRelationship(input: {type: TARGETS, from: "policy:october-controls", to: "actor:china",
				validTo: "2025-08", note: $note, evidence: [{doc: "doc:october-report", sentence: 1, quote: "China announced controls"}]}) { dates { to { text } source } } }`,
				map[string]any{"note": note}, bearer)
		}
		// Stated to end before the policy was announced (October 2025).
		r := upsert("")
		if r.code() != "BAD_USER_INPUT" || !strings.Contains(r.Errors[0].Message, "validTo: stated to hold ..2025-08-31, outside the lifetime of policy:october-controls (2025-10-01..)") {
			t.Errorf("a relationship outside its endpoint's lifetime: %s, want BAD_USER_INPUT naming validTo and the lifetime", r.raw)
		}
		// A note explains it: written, with its stated dates.
		r = upsert("Reported as planned before the controls were announced.")
		if len(r.Errors) > 0 || !strings.Contains(string(r.Data), `"to":{"text":"2025-08-31"},"source":"STATED"`) {
			t.Errorf("with a note: %s, want it written with its stated dates", r.raw)
		}
		// An entity's milestones and history through the API, validated like a file's.
		r = post(t, url, `mutation { upsertEntity(input: {id: "policy:new", kind: POLICY, type: "TARIFF", name: "New", status: "TENTATIVE",
			statusHistory: [{date: "2025-05-14", status: "IN_FORCE"}, {date: "2025-05-12", status: "TENTATIVE"}]}) { id } }`, nil, bearer)
		if r.code() != "BAD_USER_INPUT" || !strings.Contains(r.Errors[0].Message, "statusHistory[1].date") {
			t.Errorf("a status history out of order: %s, want BAD_USER_INPUT naming statusHistory[1].date", r.raw)
		}
	})
}

// TestDocumentsPages: documents come by id, a page at a time, with the total when
// it is selected; the second page starts after the first's cursor.
func TestDocumentsPages(t *testing.T) {
	url := timeServer(t)
	type page struct {
		Documents struct {
			TotalCount int
			PageInfo   struct {
				HasNextPage bool
				EndCursor   string
			}
			Edges []struct{ Node struct{ ID string } }
		}
	}
	ask := func(query string, vars map[string]any) (page, []string) {
		r := post(t, url, query, vars, nil)
		var p page
		if err := json.Unmarshal(r.Data, &p); err != nil || len(r.Errors) > 0 {
			t.Fatalf("%s: %v %s", query, err, r.raw)
		}
		var ids []string
		for _, e := range p.Documents.Edges {
			ids = append(ids, e.Node.ID)
		}
		return p, ids
	}
	first, ids := ask(`{ documents(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`, nil)
	if first.Documents.TotalCount != 4 || !first.Documents.PageInfo.HasNextPage || strings.Join(ids, ",") != "doc:july-note,doc:june-report" {
		t.Errorf("first page: %+v", first)
	}
	second, ids := ask(`query ($after: String) { documents(first: 2, after: $after) { pageInfo { hasNextPage } edges { node { id } } } }`,
		map[string]any{"after": first.Documents.PageInfo.EndCursor})
	if second.Documents.PageInfo.HasNextPage || strings.Join(ids, ",") != "doc:october-report,doc:undated-note" {
		t.Errorf("second page: %+v", second)
	}
}
