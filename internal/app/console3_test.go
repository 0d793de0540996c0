package app

// Browser tests of the console's truth of each claim (issues 14.7, 16.1, 20.2,
// 21.2): the time window on both axes goes to the API, undated facts say when
// they were first reported, a window that holds nothing says so, what changed
// between two dates, provenance on the card, on each hop and in the relationship
// panel, and the fields where sources disagree. They use the helpers of
// console_test.go and console2_test.go, on the seed plus a later article
// (internal/app/testdata/console-later-article.yaml) loaded as a second source.

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"tradegraph/graph/neo4jstore"
	"tradegraph/internal/neo4jtest"
	"tradegraph/loaders"
)

const (
	laterArticle = "testdata/console-later-article.yaml"
	laterSource  = "console:later-article"
	seedSource   = "seed:us-china-rare-earth-deal"
	laterPolicy  = "policy:china-october-2025-rare-earth-controls"
	laterDoc     = "doc:console-october-controls"
	undatedNote  = "testdata/console-undated-note.yaml"
)

// loadLaterArticle loads the later article beside the seed, as the analyst's load.
func loadLaterArticle(t *testing.T) {
	t.Helper()
	var out strings.Builder
	store := neo4jstore.New(neo4jtest.Driver(t), neo4jtest.Database, nil)
	if _, err := loaders.Load(context.Background(), loaders.Options{Graph: store, Out: &out, By: "analyst"}, []string{laterArticle}); err != nil {
		t.Fatalf("load %s: %v\n%s", laterArticle, err, out.String())
	}
	// The load reports the conflict it keeps (issue 21): the card must show the same.
	if !strings.Contains(out.String(), "entities[1].role: conflict on actor:donald-trump") {
		t.Fatalf("the load of %s reported no conflict on Donald Trump's role:\n%s", laterArticle, out.String())
	}
}

// applyWindow sets the explorer's date filter as a person would: Clear, type the
// dates, Apply; then waits until the graph was redrawn under the window.
func (e *consoleEnv) applyWindow(t *testing.T, since, until, known, wantStatus string) {
	t.Helper()
	clear := `//form[@data-testid="date-filter"]//button[text()="Clear"]`
	if evalJS[bool](t, e, `location.search.includes('since=') || location.search.includes('until=') || location.search.includes('known=')`) {
		e.do(t, "clear the dates", chromedp.Click(clear))
		e.waitText(t, `[data-testid=status]`, "Date filter off.")
	}
	for name, v := range map[string]string{"since": since, "until": until, "known": known} {
		if v != "" {
			e.typeInto(t, fmt.Sprintf(`[data-testid=date-filter] input[name=%s]`, name), v)
		}
	}
	e.do(t, "apply the dates", chromedp.Click(chromedp.CSS(`[data-testid=date-filter] button[type=submit]`)))
	e.waitText(t, `[data-testid=status]`, wantStatus)
}

// windowRel is a relationship with its effective dates, as the API gives them.
type windowRel struct {
	ID       string
	From, To struct{ ID string }
	Dates    struct {
		From   *struct{ First string }
		To     *struct{ Last string }
		Source string
	}
}

// holdsIn applies the documented rule (schema: RelationshipDates, PartialDateInput)
// on the API's effective dates: a relationship is in [first, last] when some of its
// days are; one with no date at all is in no window.
func (r windowRel) holdsIn(first, last string) bool {
	if r.Dates.Source == "UNKNOWN" {
		return false
	}
	if r.Dates.From != nil && r.Dates.From.First > last {
		return false
	}
	if r.Dates.To != nil && r.Dates.To.Last < first {
		return false
	}
	return true
}

func TestConsoleTimeAndSources(t *testing.T) {
	e := newConsoleEnv(t, nil)
	loadLaterArticle(t)
	const chinaURL = "/?entity=actor:china&expand=actor:china"

	t.Run("valid between: no entity that only appears through facts outside the window", func(t *testing.T) {
		e.do(t, "open China", chromedp.Navigate(e.base+chinaURL),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid=entity-card][data-id="actor:china"]`)))
		// Without a window the later article's policy is drawn: the data is there.
		e.waitNodes(t, laterPolicy, "actor:xi-jinping")

		// China's relationships and their effective dates, unfiltered, from the API.
		var all struct {
			Data struct {
				Neighborhood struct{ Edges []windowRel }
			}
		}
		postGraphQL(t, e.base, `{ neighborhood(id: "actor:china", limitPerType: 10, maxNodes: 2000) {
			edges { id from { id } to { id } dates { from { first } to { last } source } } } }`, &all)
		in, out := map[string]bool{}, map[string]bool{}
		var inRels []string
		for _, r := range all.Data.Neighborhood.Edges {
			other := r.From.ID
			if other == "actor:china" {
				other = r.To.ID
			}
			if r.holdsIn("2025-05-01", "2025-05-31") {
				in[other] = true
				inRels = append(inRels, r.ID)
			} else {
				out[other] = true
			}
		}
		var outsideOnly []string
		for id := range out {
			if !in[id] {
				outsideOnly = append(outsideOnly, id)
			}
		}
		slices.Sort(outsideOnly)
		slices.Sort(inRels)
		// Undated facts are drawn dotted: those the API dates from their evidence, or not at all.
		var undated []string
		for _, r := range all.Data.Neighborhood.Edges {
			if r.Dates.Source == "EVIDENCE" || r.Dates.Source == "UNKNOWN" {
				undated = append(undated, r.ID)
			}
		}
		slices.Sort(undated)
		if got := evalJS[[]string](t, e, `window.tradegraphExplorer.cy.edges('.undated').map(e => e.id()).sort()`); len(undated) == 0 || !slices.Equal(got, undated) {
			t.Errorf("relationships drawn as undated: %v, want those the API dates from evidence or not at all: %v", got, undated)
		}
		if !slices.Contains(outsideOnly, laterPolicy) || !slices.Contains(outsideOnly, "actor:xi-jinping") || len(in) == 0 {
			t.Fatalf("the data does not test the window: inside %v, only outside %v", in, outsideOnly)
		}

		e.applyWindow(t, "2025-05", "2025-05", "", "Date filter on (valid in 2025-05)")
		if loc := evalJS[string](t, e, `location.search`); !strings.Contains(loc, "since=2025-05&until=2025-05") {
			t.Errorf("URL %q does not keep the window", loc)
		}
		drawn := e.graphNodes(t)
		for _, id := range outsideOnly {
			if slices.Contains(drawn, id) {
				t.Errorf("%s is drawn, though every fact linking it to China lies outside May 2025", id)
			}
		}
		for id := range in {
			if !slices.Contains(drawn, id) {
				t.Errorf("%s is not drawn, though a fact linking it to China holds in May 2025", id)
			}
		}
		edges := evalJS[[]string](t, e, `window.tradegraphExplorer.cy.edges().not('.more').map(e => e.id()).sort()`)
		if !slices.Equal(edges, inRels) {
			t.Errorf("relationships drawn in May 2025:\n%v\nwant those whose effective dates reach into May 2025:\n%v", edges, inRels)
		}
		// The card asks the API for the same window and says which.
		e.waitText(t, `[data-testid=entity-card] #rels-title`, fmt.Sprintf("Relationships (%d valid in 2025-05)", len(inRels)))
		e.settle(t)
		e.docShot(t, "console-date-window")
	})

	t.Run("a window that holds nothing says so", func(t *testing.T) {
		e.applyWindow(t, "2024", "2024", "", "Nothing in this window: no relationship drawn here is valid in 2024")
		if n := evalJS[int](t, e, `window.tradegraphExplorer.cy.edges().not('.more').length`); n != 0 {
			t.Errorf("%d relationships drawn in 2024; the seed and the later article date nothing before 2025", n)
		}
		msg := e.waitText(t, `[data-testid=entity-card] [data-testid=window-empty]`, "Nothing in this window: no relationship of China is valid in 2024")
		if !strings.Contains(msg, "Clear the dates") {
			t.Errorf("the empty window gives no way on: %q", msg)
		}
		e.waitText(t, `[data-testid=counts]`, "0 relationships, valid in 2024")
	})

	t.Run("as known on leaves out a later article's facts", func(t *testing.T) {
		e.applyWindow(t, "", "", "2025-07-01", "Date filter on (as known on 2025-07-01)")
		e.waitText(t, `[data-testid=entity-card] #rels-title`, "as known on 2025-07-01")
		drawn := e.graphNodes(t)
		if slices.Contains(drawn, laterPolicy) {
			t.Errorf("%s is drawn as known on 2025-07-01; the article that reports it was published on 2025-11-12", laterPolicy)
		}
		if !slices.Contains(drawn, "actor:xi-jinping") {
			t.Errorf("as known on 2025-07-01 the seed's facts (published 2025-06-11) should stay: drawn %v", drawn)
		}
		docs := evalJS[[]string](t, e, `[...new Set(window.tradegraphExplorer.cy.edges().not('.more').map(e => e.data('rel').evidence.map(ev => ev.document.id)).flat())]`)
		if slices.Contains(docs, laterDoc) {
			t.Errorf("evidence from %s (published 2025-11-12) drawn as known on 2025-07-01: %v", laterDoc, docs)
		}
		card := e.waitText(t, `[data-testid=entity-card]`, "Relationships (")
		if strings.Contains(card, "October 2025 rare earth export controls") {
			t.Error("China's card lists the October controls as known on 2025-07-01")
		}
		// Undated facts say when they were first reported.
		if !strings.Contains(card, "undated: first reported 2025-06-11") {
			t.Errorf("China's card does not mark its undated facts with their first report:\n%s", card)
		}
		e.settle(t)
		e.docShot(t, "console-as-known-on")

		// A later day of knowledge brings the article's facts in.
		e.applyWindow(t, "", "", "2025-12", "Date filter on (as known on 2025-12)")
		e.waitNodes(t, laterPolicy)
	})

	t.Run("what changed between two dates", func(t *testing.T) {
		e.do(t, "open China without a window", chromedp.Navigate(e.base+chinaURL),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid=entity-card][data-id="actor:china"]`)))
		e.typeInto(t, `[data-testid=changes] input[name=from]`, "2025-10")
		e.typeInto(t, `[data-testid=changes] input[name=to]`, "2025-11")
		e.do(t, "ask what changed", chromedp.Click(chromedp.CSS(`[data-testid=changes-go]`)))
		text := e.waitText(t, `[data-testid=changes-result]`, "Around China, between 2025-10 and 2025-11")

		var want struct {
			Data struct {
				Changes struct {
					Started, Ended, Reported []struct{ ID string }
					Policies                 []struct {
						Policy struct{ Name string }
						What   string
					}
				}
			}
		}
		postGraphQL(t, e.base, `{ changes(id: "actor:china", from: "2025-10", to: "2025-11", first: 50) {
			started { id } ended { id } reported { id } policies { policy { name } what } } }`, &want)
		c := want.Data.Changes
		if len(c.Started) == 0 || len(c.Policies) == 0 {
			t.Fatalf("the API reports no change around China in October 2025: %+v", c)
		}
		for list, rels := range map[string][]struct{ ID string }{"started": c.Started, "ended": c.Ended, "reported": c.Reported} {
			var ids []string
			for _, r := range rels {
				ids = append(ids, r.ID)
			}
			shown := evalJS[[]string](t, e, fmt.Sprintf(`[...document.querySelectorAll('[data-testid=changes-result] [data-list=%s] li')].map(li => li.dataset.id)`, list))
			if !slices.Equal(shown, ids) {
				t.Errorf("%s: shown %v, the API says %v", list, shown, ids)
			}
		}
		for _, p := range c.Policies {
			if !strings.Contains(text, p.Policy.Name) || !strings.Contains(text, strings.ToLower(p.What)) {
				t.Errorf("the policy change %s %s is not shown:\n%s", p.Policy.Name, p.What, text)
			}
		}
		if !strings.Contains(text, "China widens rare earth export controls (2025-11-12), sentence 1") {
			t.Errorf("a change does not cite its evidence:\n%s", text)
		}
		e.do(t, "show the changes", chromedp.ScrollIntoView(chromedp.CSS(`[data-testid=changes]`)))
		e.docShot(t, "console-changes")
		// A period with nothing in it says so.
		e.typeInto(t, `[data-testid=changes] input[name=from]`, "2023")
		e.typeInto(t, `[data-testid=changes] input[name=to]`, "2023")
		e.do(t, "ask again", chromedp.Click(chromedp.CSS(`[data-testid=changes-go]`)))
		e.waitText(t, `[data-testid=changes-empty]`, "Nothing changed in that period")
	})

	t.Run("a policy's status on the window's last date", func(t *testing.T) {
		for _, c := range []struct{ until, want string }{
			{"2025-09", "none: it did not exist yet"},
			{"2025-10", "in force"},
			{"2025-11", "suspended"},
		} {
			e.do(t, "open the policy until "+c.until, chromedp.Navigate(e.base+"/?entity="+laterPolicy+"&until="+c.until),
				chromedp.WaitVisible(chromedp.CSS(`[data-testid=entity-card] [data-testid=status-on]`)))
			e.waitText(t, `[data-testid=entity-card] .props`, "Status on "+c.until)
			e.waitText(t, `[data-testid=status-on]`, c.want)
		}
		props := e.waitText(t, `[data-testid=entity-card] .props`, "Status history")
		for _, want := range []string{"2025-10-09 in force → 2025-11-10 suspended", "Announced 2025-10-09", "Suspended 2025-11-10"} {
			if !strings.Contains(strings.Join(strings.Fields(props), " "), want) {
				t.Errorf("the policy's card lacks %q:\n%s", want, props)
			}
		}
	})

	t.Run("as known on: the relationship panel marks later evidence", func(t *testing.T) {
		var r struct {
			Data struct {
				Entity struct {
					Relationships struct {
						Edges []struct{ Node struct{ ID string } }
					}
				}
			}
		}
		postGraphQL(t, e.base, `{ entity(id: "`+laterPolicy+`") { relationships(types: [IMPOSES]) { edges { node { id } } } } }`, &r)
		if len(r.Data.Entity.Relationships.Edges) != 1 {
			t.Fatalf("IMPOSES of %s: %+v", laterPolicy, r)
		}
		id := r.Data.Entity.Relationships.Edges[0].Node.ID
		// A shared link may open a relationship the window leaves out: its evidence says so.
		e.do(t, "open the later IMPOSES as known on 2025-07-01", chromedp.Navigate(e.base+"/?known=2025-07-01&edge="+id),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid=edge-card] [data-testid=edge-evidence]`)))
		e.waitText(t, `[data-testid=edge-card] [data-testid=evidence-later]`, "Published after 2025-07-01: not part of what was known on that date.")
		// The seed's evidence (2025-06-11) was known then.
		e.do(t, "open a seed relationship as known on 2025-07-01", chromedp.Navigate(e.base+"/?known=2025-07-01&edge="+benefitsRel),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid=edge-card] [data-testid=edge-evidence]`)))
		if n := evalJS[int](t, e, `document.querySelectorAll('[data-testid=evidence-later]').length`); n != 0 {
			t.Errorf("%d of the seed's evidence marked as published after 2025-07-01", n)
		}
	})

	t.Run("a conflict and the provenance on a card", func(t *testing.T) {
		e.do(t, "open Donald Trump", chromedp.Navigate(e.base+"/?entity=actor:donald-trump&expand=actor:donald-trump"),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid=entity-card][data-id="actor:donald-trump"] [data-testid=conflicts]`)))
		conflict := e.waitText(t, `[data-testid=conflicts] [data-field=role]`, "Role")
		type value struct{ Value, Sources string }
		values := evalJS[[]value](t, e, `[...document.querySelectorAll('[data-testid=conflicts] [data-field=role] li')].map(li =>
			({Value: li.dataset.value, Sources: [...li.querySelectorAll('code')].map(c => c.textContent).join(',')}))`)
		var got []string
		for _, v := range values {
			got = append(got, v.Value+" <- "+v.Sources)
		}
		slices.Sort(got)
		want := []string{"President <- " + seedSource, "President of the United States <- " + laterSource}
		if !slices.Equal(got, want) {
			t.Errorf("role conflict shows %v, want %v\n%s", got, want, conflict)
		}
		// Only the role is disputed: the name both give alike is no conflict.
		if fields := evalJS[[]string](t, e, `[...document.querySelectorAll('[data-testid=conflicts] [data-field]')].map(d => d.dataset.field)`); !slices.Equal(fields, []string{"role"}) {
			t.Errorf("conflicting fields shown: %v, want [role]", fields)
		}
		type prov struct{ Source, Text string }
		provs := evalJS[[]prov](t, e, `[...document.querySelectorAll('[data-testid=entity-card] [data-testid=provenance] li')].map(li => ({Source: li.dataset.source, Text: li.innerText}))`)
		bySource := map[string]string{}
		for _, p := range provs {
			bySource[p.Source] = p.Text
		}
		if len(provs) != 2 || bySource[seedSource] == "" || !strings.Contains(bySource[laterSource], "by analyst") {
			t.Errorf("provenance on Trump's card: %+v, want the seed and %s (by analyst)", provs, laterSource)
		}
		for _, p := range provs {
			if !strings.Contains(p.Text, "first seen 20") || !strings.Contains(p.Text, "last seen 20") {
				t.Errorf("provenance %q lacks when it was first and last seen", p.Text)
			}
		}
		e.do(t, "show the conflict", chromedp.ScrollIntoView(chromedp.CSS(`[data-testid=conflicts]`)))
		e.docShot(t, "console-conflict")
	})

	t.Run("provenance on each hop of a path", func(t *testing.T) {
		e.do(t, "open the paths view", chromedp.Navigate(e.base+pathsURL), chromedp.WaitVisible(chromedp.CSS(`[data-testid=paths] .path`)))
		e.waitText(t, `[data-testid=paths] .hop [data-testid=provenance]`, "Source")
		hops := evalJS[int](t, e, `document.querySelectorAll('[data-testid=paths] .hop').length`)
		withSource := evalJS[[]string](t, e, `[...document.querySelectorAll('[data-testid=paths] .hop')].map(h => [...h.querySelectorAll('[data-testid=provenance] [data-source]')].map(s => s.dataset.source).join(','))`)
		if hops == 0 || len(withSource) != hops {
			t.Fatalf("%d hops, %d with provenance", hops, len(withSource))
		}
		for i, s := range withSource {
			if !strings.Contains(s, seedSource) {
				t.Errorf("hop %d: provenance %q, want %s", i+1, s, seedSource)
			}
		}
		// When it was first asserted (and by whom, when the load was named: the
		// seed's test load is not).
		e.waitText(t, `[data-testid=paths] .hop [data-testid=provenance]`, "(first seen 20")
		e.do(t, "show path 1", chromedp.ScrollIntoView(chromedp.CSS(`[data-testid=paths] .path[data-rank="1"] [data-testid=provenance]`)))
		e.docShot(t, "console-hop-provenance")
	})

	t.Run("an edge's dates, where they come from, and its provenance", func(t *testing.T) {
		var rels struct {
			Data struct {
				Entity struct {
					Relationships struct {
						Edges []struct {
							Node struct {
								ID    string
								Type  string
								To    struct{ ID string }
								Dates struct{ Source string }
							}
						}
					}
				}
			}
		}
		postGraphQL(t, e.base, `{ entity(id: "actor:china") { relationships(first: 100) { edges { node { id type to { id } dates { source } } } } } }`, &rels)
		var imposes, endpoint, evidence string
		for _, ed := range rels.Data.Entity.Relationships.Edges {
			n := ed.Node
			if n.Type == "IMPOSES" && n.To.ID == laterPolicy {
				imposes = n.ID
			}
			if n.Dates.Source == "ENDPOINT" && endpoint == "" {
				endpoint = n.ID
			}
			if n.Dates.Source == "EVIDENCE" && evidence == "" {
				evidence = n.ID
			}
		}
		if imposes == "" || endpoint == "" || evidence == "" {
			t.Fatalf("China lacks the IMPOSES of the later policy (%q), an endpoint-dated (%q) or an evidence-dated relationship (%q)", imposes, endpoint, evidence)
		}
		for _, c := range []struct {
			id, holds, source, reported, prov string
		}{
			{imposes, "from 2025-10-09", "STATED", "2025-11-12", laterSource},
			{evidence, "undated: first reported 2025-06-11", "EVIDENCE", "2025-06-11", seedSource},
			{endpoint, "(an endpoint's dates)", "ENDPOINT", "2025-06-11", seedSource},
		} {
			e.do(t, "open "+c.id, chromedp.Navigate(e.base+chinaURL+"&edge="+c.id),
				chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`[data-testid=edge-card][data-id=%q]`, c.id))))
			e.waitText(t, `[data-testid=edge-dates]`, c.holds)
			if src := evalJS[string](t, e, `document.querySelector('[data-testid=edge-date-source]').dataset.source`); src != c.source {
				t.Errorf("%s: dates from %s, want %s", c.id, src, c.source)
			}
			e.waitText(t, `[data-testid=edge-known-from]`, c.reported)
			e.waitText(t, `[data-testid=edge-card] [data-testid=provenance]`, c.prov)
		}
		// The later article's fact: stated dates, the analyst's load.
		e.do(t, "open the IMPOSES", chromedp.Navigate(e.base+chinaURL+"&edge="+imposes),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid=edge-card] [data-testid=provenance]`)))
		e.waitText(t, `[data-testid=edge-card] [data-testid=provenance]`, "by analyst")
		e.docShot(t, "console-edge-dates")
	})

	// Last: the note adds a fact to China that the subtests above do not expect.
	t.Run("a window counts the undated facts it leaves out", func(t *testing.T) {
		store := neo4jstore.New(neo4jtest.Driver(t), neo4jtest.Database, nil)
		if _, err := loaders.Load(context.Background(), loaders.Options{Graph: store, Out: io.Discard}, []string{undatedNote}); err != nil {
			t.Fatalf("load %s: %v", undatedNote, err)
		}
		e.do(t, "open China", chromedp.Navigate(e.base+chinaURL), chromedp.WaitVisible(chromedp.CSS(`[data-testid=entity-card] #rels-title`)))
		e.applyWindow(t, "2025", "2025", "", "Date filter on (valid in 2025)")
		e.waitText(t, `[data-testid=entity-card] [data-testid=undated-hidden]`, "1 undated fact not shown")
		e.applyWindow(t, "", "", "2025-12-31", "Date filter on (as known on 2025-12-31)")
		e.waitText(t, `[data-testid=entity-card] [data-testid=undated-hidden]`, "1 undated fact not shown")
	})
}
