package graph_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"tradegraph/graph"
)

// TestTimeLists checks both time axes on the lists with filters, on the dataset of
// issue 14 (testdata/time.yaml). An entity is known from the earliest of the
// knownFrom of its relationships and the publication dates of the documents that
// mention it: China, the United States, gallium and the London talks from
// 2025-06-11 (the June report), Japan from 2025-07-02 (a note that mentions it,
// its only trace), both policies from 2025-10-20 (the October
// report), germanium never (its one fact and its one mention are undated). A
// policy's asOf reads its lifetime and status history: the truce from 2025-05-12
// (TENTATIVE, IN_FORCE from 05-14, SUSPENDED from 11-10), the October controls
// from 2025-10-01 (IN_FORCE, no history).
func TestTimeLists(t *testing.T) {
	url := timeServerWith(t, graph.Options{APIToken: timeToken, Explain: true})
	for _, c := range []struct {
		name, list, filter string
		want               []string
	}{
		{"actors, everything", "actors", ``, []string{"actor:china", "actor:japan", "actor:united-states"}},
		{"actors known the day before the first report", "actors", `knownAsOf: "2025-06-10"`, nil},
		{"actors known on the day of the first report", "actors", `knownAsOf: "2025-06-11"`, []string{"actor:china", "actor:united-states"}},
		{"actors known once a note mentions Japan", "actors", `knownAsOf: "2025-07"`, []string{"actor:china", "actor:japan", "actor:united-states"}},
		{"commodities, everything", "commodities", ``, []string{"commodity:gallium", "commodity:germanium"}},
		{"commodities known in the future: the undated one stays out", "commodities", `knownAsOf: "2999"`, []string{"commodity:gallium"}},
		{"meetings known before their report", "meetings", `knownAsOf: "2025-06-10"`, nil},
		{"meetings known in June", "meetings", `knownAsOf: "2025-06"`, []string{"meeting:london-talks"}},
		{"meetings under way on their last day", "meetings", `asOf: "2025-06-10"`, []string{"meeting:london-talks"}},
		{"meetings under way the day after", "meetings", `asOf: "2025-06-11"`, nil},
		{"meetings under way, as known before their report", "meetings", `asOf: "2025-06", knownAsOf: "2025-06-10"`, nil},
		{"policies known before the October report", "policies", `knownAsOf: "2025-10-19"`, nil},
		{"policies known after it", "policies", `knownAsOf: "2025-10-20"`, []string{"policy:october-controls", "policy:truce"}},
		{"policies in force now", "policies", `statuses: ["IN_FORCE"]`, []string{"policy:october-controls"}},
		{"policies existing before any", "policies", `asOf: "2025-05-11"`, nil},
		{"policies existing in September", "policies", `asOf: "2025-09"`, []string{"policy:truce"}},
		{"tentative on 13 May", "policies", `asOf: "2025-05-13", statuses: ["TENTATIVE"]`, []string{"policy:truce"}},
		{"in force on 13 May", "policies", `asOf: "2025-05-13", statuses: ["IN_FORCE"]`, nil},
		{"in force in June: the truce, whose current status is SUSPENDED", "policies", `asOf: "2025-06", statuses: ["IN_FORCE"]`, []string{"policy:truce"}},
		{"in force in December", "policies", `asOf: "2025-12", statuses: ["IN_FORCE"]`, []string{"policy:october-controls"}},
		{"suspended in December", "policies", `asOf: "2025-12", statuses: ["SUSPENDED"]`, []string{"policy:truce"}},
		{"in force in June, as known in June", "policies", `asOf: "2025-06", statuses: ["IN_FORCE"], knownAsOf: "2025-06-30"`, nil},
		{"in force in June, as known in October", "policies", `asOf: "2025-06", statuses: ["IN_FORCE"], knownAsOf: "2025-10"`, []string{"policy:truce"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			filter := ""
			if c.filter != "" {
				filter = "filter: {" + c.filter + "}, "
			}
			// Each entity's relationships come too: the list reads them ahead in
			// its one statement, filter or not.
			r := post(t, url, fmt.Sprintf(`{ l: %s(%sfirst: 1) { totalCount edges { node { id relationships(first: 1) { totalCount } } } }
				all: %s(%sfirst: 100) { edges { node { id } } } }`, c.list, filter, c.list, filter), nil, nil)
			var data struct {
				L struct {
					TotalCount int
					Edges      []struct{ Node struct{ ID string } }
				}
				All struct {
					Edges []struct{ Node struct{ ID string } }
				}
			}
			if err := json.Unmarshal(r.Data, &data); err != nil || len(r.Errors) > 0 {
				t.Fatalf("%s %v", r.raw, err)
			}
			var got []string
			for _, e := range data.All.Edges {
				got = append(got, e.Node.ID)
			}
			slices.Sort(got)
			if !slices.Equal(got, c.want) {
				t.Errorf("got %q, want %q", got, c.want)
			}
			if data.L.TotalCount != len(c.want) {
				t.Errorf("totalCount %d, want %d", data.L.TotalCount, len(c.want))
			}
			if n := len(r.Extensions["cypher"].([]any)); n != 2 {
				t.Errorf("%d statements, want one per list", n)
			}
		})
	}
}

// TestTimeListsBadInput: a date that is not one, or both of asOf and during, is
// BAD_USER_INPUT, on every list.
func TestTimeListsBadInput(t *testing.T) {
	url := timeServer(t)
	for _, q := range []string{
		`{ actors(filter: {knownAsOf: "2025-13"}) { totalCount } }`,
		`{ commodities(filter: {knownAsOf: "June"}) { totalCount } }`,
		`{ meetings(filter: {asOf: "2025-02-30"}) { totalCount } }`,
		`{ meetings(filter: {asOf: "2025-06", during: {from: "2025-01"}}) { totalCount } }`,
		`{ policies(filter: {asOf: "25-06"}) { totalCount } }`,
		`query($d: PartialDateInput) { policies(filter: {knownAsOf: $d}) { totalCount } }`,
	} {
		vars := map[string]any{}
		if strings.Contains(q, "$d") {
			vars["d"] = "2025-6-1"
		}
		if r := post(t, url, q, vars, nil); r.code() != "BAD_USER_INPUT" {
			t.Errorf("%s: got %s, want BAD_USER_INPUT", q, r.raw)
		}
	}
}

// TestUndatedCount: a relationships page (and a neighbourhood) says how many relationships the time
// window left out because they carry no date on its axis, whether the page is
// read ahead (entity) or through the batch loaders (node). China has one fact
// with no date at all (CONTROLS germanium, evidenced by an undated note) and one
// whose evidence is dated but that holds only from October (IMPOSES); its four
// relationships are IMPOSES the October controls (from 2025-10-09), CONTROLS
// gallium (reported 2025-06-11), CONTROLS germanium (undated) and the truce's
// TARGETS (from 2025-05-12, reported 2025-10-20).
func TestUndatedCount(t *testing.T) {
	url := timeServerWith(t, graph.Options{APIToken: timeToken, Explain: true})
	for _, c := range []struct {
		name, args       string
		total, undatedNo int
	}{
		{"no window", ``, 4, 0},
		{"valid time", `asOf: "2025-06"`, 2, 1},
		{"during", `during: {from: "2025-01", to: "2025-12"}`, 3, 1},
		{"knowledge time", `knownAsOf: "2025-06-30"`, 1, 1},
		{"knowledge time in the future", `knownAsOf: "2999"`, 3, 1},
		{"both", `asOf: "2025-06", knownAsOf: "2025-06-30"`, 1, 1},
		{"a type the undated fact is not", `types: [IMPOSES], asOf: "2025-06"`, 0, 0},
		{"incoming only", `direction: IN, asOf: "2025-06"`, 1, 0},
	} {
		for _, root := range []string{"entity", "node"} {
			t.Run(c.name+" "+root, func(t *testing.T) {
				args := ""
				if c.args != "" {
					args = "(" + c.args + ")"
				}
				r := post(t, url, fmt.Sprintf(`{ x: %s(id: "actor:china") { ... on Actor { relationships%s { totalCount undatedCount } } } }`, root, args), nil, nil)
				var data struct {
					X struct {
						Relationships struct{ TotalCount, UndatedCount int }
					}
				}
				if err := json.Unmarshal(r.Data, &data); err != nil || len(r.Errors) > 0 {
					t.Fatalf("%s %v", r.raw, err)
				}
				if got := data.X.Relationships; got.TotalCount != c.total || got.UndatedCount != c.undatedNo {
					t.Errorf("totalCount %d undatedCount %d, want %d and %d", got.TotalCount, got.UndatedCount, c.total, c.undatedNo)
				}
			})
		}
	}
	// A neighbourhood counts the undated relationships of the entities it
	// expanded, each once (at depth 2 the centre's undated fact is reached from
	// no other entity, and germanium is not expanded: its only fact is undated).
	for _, c := range []struct {
		args    string
		undated int
	}{
		{`depth: 1`, 0},
		{`depth: 1, asOf: "2025-06"`, 1},
		{`depth: 2, knownAsOf: "2999"`, 1},
		{`depth: 2, types: [IMPOSES, TARGETS], during: {from: "2025"}`, 0},
	} {
		r := post(t, url, `{ neighborhood(id: "actor:china", `+c.args+`) { undatedCount edges { id } } }`, nil, nil)
		var data struct{ Neighborhood struct{ UndatedCount int } }
		if err := json.Unmarshal(r.Data, &data); err != nil || len(r.Errors) > 0 {
			t.Fatalf("%s %v", r.raw, err)
		}
		if data.Neighborhood.UndatedCount != c.undated {
			t.Errorf("neighborhood(%s): undatedCount %d, want %d", c.args, data.Neighborhood.UndatedCount, c.undated)
		}
	}
	// Counted only when selected: the statements count undated facts (the only
	// place the reads test knownFrom IS NULL) exactly when the request asks.
	for _, sel := range []bool{true, false} {
		count := ""
		if sel {
			count = "undatedCount"
		}
		for _, q := range []string{
			`{ entity(id: "actor:china") { relationships(asOf: "2025-06") { totalCount ` + count + ` } } }`,
			`{ neighborhood(id: "actor:china", asOf: "2025-06") { edges { id } ` + count + ` } }`,
		} {
			r := post(t, url, q, nil, nil)
			if len(r.Errors) > 0 {
				t.Fatal(string(r.raw))
			}
			if got := strings.Contains(fmt.Sprint(r.Extensions["cypher"]), "knownFrom IS NULL"); got != sel {
				t.Errorf("%s: the statement counts undated facts: %v, want %v", q, got, sel)
			}
		}
	}
}
