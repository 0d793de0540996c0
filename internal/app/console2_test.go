package app

// Browser tests of the console's second pass (issue 20): visible states, a
// relationship's evidence on a click, caveats and the claim filter, readability at
// 300 nodes, history, cited briefs and phones. They use the helpers of
// console_test.go; with -update-console-screenshot they refresh the README's
// screenshots in docs/img.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"tradegraph/gen"
	"tradegraph/graph/neo4jstore"
	"tradegraph/internal/neo4jtest"
	"tradegraph/loaders/bulk"
)

// waitJS polls a JavaScript boolean expression until it is true, for up to 90s; an
// evaluation that times out (the page's thread busy drawing hundreds of entities
// on a loaded machine) counts as not yet.
func (e *consoleEnv) waitJS(t *testing.T, what, expr string) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(e.browser, 15*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		cancel()
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			e.shot(t, "failed-"+strings.ReplaceAll(t.Name(), "/", "-"))
			t.Fatalf("waited 90s for %s: %s (last error %v)", what, expr, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// settle waits until the level of detail has run and two frames are drawn, so that
// Cytoscape's label boxes (measured when drawn) are those of the current zoom.
func (e *consoleEnv) settle(t *testing.T) {
	t.Helper()
	e.waitJS(t, "labels settled", `!window.tradegraphExplorer.view.labelFrame`)
	evalJS[bool](t, e, `(() => { window.tgFrames = false; requestAnimationFrame(() => requestAnimationFrame(() => { window.tgFrames = true; })); return true; })()`)
	e.waitJS(t, "two frames drawn", `window.tgFrames === true`)
}

// docShot saves a screenshot as test-artifacts/console/NAME.png and, with
// -update-console-screenshot, as docs/img/NAME.png for the README.
func (e *consoleEnv) docShot(t *testing.T, name string) {
	t.Helper()
	png := e.shot(t, name)
	if !*updateConsoleScreenshot || png == nil {
		return
	}
	if err := os.MkdirAll(filepath.Join(repoRoot, "docs", "img"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(repoRoot, "docs", "img", name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// typeInto replaces the text of an input (React sees each key).
func (e *consoleEnv) typeInto(t *testing.T, sel, text string) {
	t.Helper()
	// A click, as a person would: focus alone (DOM.focus) did not always reach
	// the box's focus handling after another box had the focus.
	e.do(t, "click "+sel, chromedp.Click(chromedp.CSS(sel)))
	e.do(t, "focus "+sel, chromedp.Focus(chromedp.CSS(sel)))
	// Select what is there, and type over it.
	evalJS[bool](t, e, fmt.Sprintf(`(() => { const el = document.querySelector(%q); el.select(); return true; })()`, sel))
	e.do(t, "type into "+sel, chromedp.SendKeys(chromedp.CSS(sel), text))
}

func TestConsoleVisibleStates(t *testing.T) {
	e := newConsoleEnv(t, nil)
	search := `[data-testid=search] input`

	t.Run("empty state", func(t *testing.T) {
		e.do(t, "open the explorer", chromedp.Navigate(e.base+"/"), chromedp.WaitVisible(chromedp.CSS(`[data-testid=empty]`)))
		text := e.waitText(t, `[data-testid=empty]`, "Nothing drawn yet")
		if !strings.Contains(text, "Search for a person") {
			t.Errorf("empty state says %q", text)
		}
		// Its buttons lead somewhere: Find links puts the cursor in From.
		e.do(t, "click Find links", chromedp.Click(`//div[@data-testid="empty"]//button[text()="Find links"]`))
		e.waitJS(t, "focus in From", `document.activeElement === document.querySelector('[data-testid=finder-from] input')`)
		e.shot(t, "console-empty")
	})

	t.Run("no match", func(t *testing.T) {
		e.typeInto(t, search, "Zyxwvutsr")
		// The search may take a while on a loaded machine: wait for the answer first.
		e.waitJS(t, "the search answered", `document.querySelector('[data-testid=search] [role=status]').textContent !== ''`)
		msg := e.waitText(t, `[data-testid=search-msg]`, "No match for “Zyxwvutsr”")
		if !strings.Contains(msg, "Try another spelling") {
			t.Errorf("no-match message %q gives no way on", msg)
		}
		// Screen readers still hear it, from the live region.
		sr := evalJS[string](t, e, `document.querySelector('[data-testid=search] [role=status]').textContent`)
		if sr != "No match" {
			t.Errorf("screen-reader status %q, want No match", sr)
		}
		visible := evalJS[bool](t, e, `(() => { const r = document.querySelector('[data-testid=search-msg]').getBoundingClientRect();
			return r.width > 100 && r.height > 10 && r.top >= 0 && r.bottom <= innerHeight; })()`)
		if !visible {
			t.Error("the no-match message is not on screen")
		}
		e.docShot(t, "console-no-match")
	})

	t.Run("input too long", func(t *testing.T) {
		e.typeInto(t, search, strings.Repeat("tariff ", 30)) // 210 characters
		msg := e.waitText(t, `[data-testid=search-msg]`, "Too long: a search takes at most 200 characters")
		if !strings.Contains(msg, "this one has 209") {
			t.Errorf("too-long message %q does not give the length", msg)
		}
	})

	t.Run("server refusal with its request id", func(t *testing.T) {
		// 40 short words pass the console's length check; the API refuses them
		// (at most 32 words) and the message carries the request id it gave.
		var words []string
		for i := 0; i < 40; i++ {
			words = append(words, fmt.Sprintf("w%d", i))
		}
		e.typeInto(t, search, strings.Join(words, " "))
		e.waitJS(t, "the search answered", `document.querySelector('[data-testid=search] [role=status]').textContent.includes('request id')`)
		msg := e.waitText(t, `[data-testid=search-msg]`, "Search failed: search text: at most 32 words, got 40")
		if !regexp.MustCompile(`\(request id [0-9a-f]{8,}\)`).MatchString(msg) {
			t.Errorf("error message %q lacks the server's request id", msg)
		}
		sr := evalJS[string](t, e, `document.querySelector('[data-testid=search] [role=status]').textContent`)
		if !strings.Contains(sr, "request id") {
			t.Errorf("screen-reader status %q lacks the error", sr)
		}
		e.shot(t, "console-server-error")
	})

	t.Run("an entity that does not exist", func(t *testing.T) {
		e.do(t, "open a missing entity", chromedp.Navigate(e.base+"/?entity=actor:nobody-at-all"),
			chromedp.WaitVisible(chromedp.CSS(`.panel [role=alert]`)))
		e.waitText(t, `.panel [role=alert]`, "No entity has the id actor:nobody-at-all")
	})
}

// pathsURL is the seed's Lutnick-to-rare-earths view.
const pathsURL = "/?entity=actor:howard-lutnick&expand=actor:howard-lutnick,actor:united-states&from=actor:howard-lutnick&to=commodity:rare-earth-minerals"

// The seed's "agreement benefits rare earth minerals": confidence 0.70, claimed by
// Donald Trump, with a note, stating no date (the agreement's lifetime dates it).
const benefitsRel = "rel:82a8fc99bdabc24e28bb"

func TestConsoleEdgeEvidenceAndCaveats(t *testing.T) {
	e := newConsoleEnv(t, nil)
	e.do(t, "open the paths view", chromedp.Navigate(e.base+pathsURL), chromedp.WaitVisible(chromedp.CSS(`[data-testid=paths] .path`)))
	e.waitNodes(t, "actor:donald-trump", "commodity:rare-earth-minerals")

	t.Run("caveats on each hop of a path", func(t *testing.T) {
		hop := `[data-testid=paths] .path[data-rank="2"] .hop:nth-child(2)`
		text := e.waitText(t, hop, "according to Donald Trump")
		// Dated by the agreement's lifetime (an endpoint), so not undated.
		for _, want := range []string{"benefits", "confidence 0.70", "Trump's post says 'crucial minerals'", "from 2025-06-10 (an endpoint's dates)"} {
			if !strings.Contains(text, want) {
				t.Errorf("hop lacks %q:\n%s", want, text)
			}
		}
		kinds := evalJS[[]string](t, e, `[...document.querySelectorAll('`+hop+` [data-caveat]')].map(c => c.dataset.caveat)`)
		if strings.Join(kinds, ",") != "attributed,confidence,note" {
			t.Errorf("caveats of the hop: %v", kinds)
		}
		// The first hop of path 1 is a fact of confidence 0.80, inferred: no attribution.
		first := e.waitText(t, `[data-testid=paths] .path[data-rank="1"] .hop:nth-child(1)`, "confidence 0.80")
		if strings.Contains(first, "according to") {
			t.Errorf("an unattributed hop says %q", first)
		}
		e.do(t, "show path 2", chromedp.ScrollIntoView(chromedp.CSS(`[data-testid=paths] .path[data-rank="2"]`)))
		e.docShot(t, "console-path-caveat")
	})

	t.Run("click an edge: its evidence", func(t *testing.T) {
		type point struct{ X, Y float64 }
		e.do(t, "fit", chromedp.Click(chromedp.CSS(`[data-testid=zoom-fit]`)))
		pos := evalJS[point](t, e, fmt.Sprintf(`(() => {
			const cy = window.tradegraphExplorer.cy, ed = cy.getElementById(%q);
			const m = ed.renderedMidpoint(), r = cy.container().getBoundingClientRect();
			return {X: r.left + m.x, Y: r.top + m.y};
		})()`, benefitsRel))
		e.do(t, "click the edge", chromedp.MouseClickXY(pos.X, pos.Y),
			chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`[data-testid=edge-card][data-id=%q]`, benefitsRel))))
		card := e.waitText(t, `[data-testid=edge-card]`, "Evidence (")
		for _, want := range []string{"U.S.-China tentative rare earth agreement benefits Rare earth minerals", "according to Donald Trump",
			"Claimed by Donald Trump", "Confidence 0.70", "Holds from 2025-06-10 (an endpoint's dates)", "Trump's post says"} {
			if !strings.Contains(strings.Join(strings.Fields(card), " "), want) {
				t.Errorf("relationship panel lacks %q:\n%s", want, card)
			}
		}
		marks := evalJS[[]string](t, e, `[...document.querySelectorAll('[data-testid=edge-card] [data-testid=evidence-sentence] mark')].map(m => m.textContent)`)
		if len(marks) == 0 {
			t.Fatal("no quote highlighted in the relationship's evidence")
		}
		// The highlighted words are the API's quotes, verbatim.
		var want struct {
			Data struct {
				Relationship struct{ Evidence []struct{ Quote string } }
			}
		}
		postGraphQL(t, e.base, fmt.Sprintf(`{ relationship(id: %q) { evidence { quote } } }`, benefitsRel), &want)
		for _, ev := range want.Data.Relationship.Evidence {
			if !contains(marks, ev.Quote) {
				t.Errorf("quote %q not highlighted (marks %q)", ev.Quote, marks)
			}
		}
		if n := evalJS[int](t, e, `document.querySelectorAll('[data-testid=edge-card] .context-sentence').length`); n == 0 {
			t.Error("the evidence shows no sentence around it")
		}
		if got := evalJS[string](t, e, `window.tradegraphExplorer.cy.edges('.chosen').map(e => e.id()).join()`); got != benefitsRel {
			t.Errorf("edge marked chosen in the graph: %q", got)
		}
		if loc := evalJS[string](t, e, `location.search`); !strings.Contains(loc, "edge="+benefitsRel) {
			t.Errorf("URL %q does not keep the open relationship", loc)
		}
		e.docShot(t, "console-edge-evidence")
		// From the keyboard too: the card's "details" buttons open the same panel.
		e.do(t, "open Lutnick", chromedp.Click(chromedp.CSS(`[data-testid=tab-entity]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid=entity-card]`)))
	})

	t.Run("caveats in the card", func(t *testing.T) {
		e.do(t, "open Donald Trump", chromedp.Navigate(e.base+"/?entity=actor:donald-trump"),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid=entity-card][data-id="actor:donald-trump"]`)))
		card := e.waitText(t, `[data-testid=entity-card]`, "undated")
		if !strings.Contains(card, "confidence 0.") {
			t.Errorf("Trump's card shows no confidence below 1:\n%s", card)
		}
		e.do(t, "details of the first relationship", chromedp.Click(chromedp.CSS(`[data-testid=entity-card] .rel button[aria-label^="Details of"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid=edge-card]`)))
		e.waitText(t, `[data-testid=edge-card]`, "Evidence (")
	})

	t.Run("claim filter hides attributed and unsure claims", func(t *testing.T) {
		e.do(t, "reopen the paths view", chromedp.Navigate(e.base+pathsURL), chromedp.WaitVisible(chromedp.CSS(`[data-testid=paths] .path`)))
		e.waitNodes(t, "actor:donald-trump", "commodity:rare-earth-minerals")
		all := evalJS[int](t, e, `document.querySelectorAll('[data-testid=paths] .path').length`)
		e.do(t, "hide attributed claims", chromedp.Click(chromedp.CSS(`[data-testid=claim-filter] input[name=attr]`)))
		e.waitText(t, `[data-testid=paths-hidden]`, "paths hidden by the claim filter")
		if evalJS[int](t, e, `document.querySelectorAll('[data-testid=paths] .path[data-rank="2"]').length`) != 0 {
			t.Error("path 2, with Trump's claim, is still listed")
		}
		if !evalJS[bool](t, e, fmt.Sprintf(`window.tradegraphExplorer.cy.getElementById(%q).hasClass('filtered')`, benefitsRel)) {
			t.Error("Trump's claim is still drawn")
		}
		attributedDrawn := evalJS[int](t, e, `window.tradegraphExplorer.cy.edges().not('.more').not('.filtered').filter(e => e.data('rel').attributedTo).length`)
		if attributedDrawn != 0 {
			t.Errorf("%d attributed relationships still drawn", attributedDrawn)
		}
		// At least 0.9: every drawn relationship is that sure.
		e.do(t, "minimum confidence 0.9", chromedp.SetValue(chromedp.CSS(`[data-testid=claim-filter] select`), "0.9"))
		evalJS[bool](t, e, `(() => { const s = document.querySelector('[data-testid=claim-filter] select'); s.dispatchEvent(new Event('change', {bubbles: true})); return true; })()`)
		e.waitJS(t, "the URL to hold the filter", `location.search.includes('conf=0.9') && location.search.includes('attr=hide')`)
		low := evalJS[int](t, e, `window.tradegraphExplorer.cy.edges().not('.more').not('.filtered').filter(e => e.data('rel').confidence < 0.9).length`)
		if low != 0 {
			t.Errorf("%d relationships below 0.9 still drawn", low)
		}
		if n := evalJS[int](t, e, `document.querySelectorAll('[data-testid=paths] .path').length`); n >= all {
			t.Errorf("%d of %d paths listed under the filter", n, all)
		}
		e.waitText(t, `[data-testid=counts]`, "hidden by the claim filter")
		e.do(t, "show the card", chromedp.Click(chromedp.CSS(`[data-testid=tab-entity]`)))
		e.waitText(t, `[data-testid=entity-card] [data-testid=caveat-hidden]`, "hidden by the claim filter")
		e.shot(t, "console-claim-filter")
	})
}

// loadGenerated adds a generated graph (tradegraph gen, seed 5, 4000 relationships)
// to the test Neo4j beside the seed, with the bulk loader.
func loadGenerated(t *testing.T) {
	t.Helper()
	dir := t.TempDir()
	st, err := gen.Generate(gen.Config{Seed: 5, Relationships: 4000, Format: "csv", Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	res, err := bulk.Load(context.Background(), bulk.Options{
		Graph: neo4jstore.New(neo4jtest.Driver(t), neo4jtest.Database, nil), MaxRejects: 0,
		Rejects: filepath.Join(dir, "rejects.txt"), Checkpoint: filepath.Join(dir, "checkpoint.json"), Progress: "off", Out: &out,
	}, st.Files)
	if err != nil {
		t.Fatalf("load the generated graph: %v\n%s", err, out.String())
	}
	if res.Rejected != 0 {
		t.Fatalf("generated graph: %d rows rejected\n%s", res.Rejected, out.String())
	}
}

// The two largest hubs of the generated graph (seed 5, 4000 relationships).
const scaleURL = "/?expand=actor:united-states-1,policy:katorver-tariff-0-1&more=actor:united-states-1,policy:katorver-tariff-0-1"

// labelOverlapsJS lists the pairs of drawn labels whose boxes overlap on screen,
// and counts the labels drawn. A box is measured here from Cytoscape's own style
// of the node (font, size, weight, margin, maximum width) with the canvas, as
// Cytoscape measures labels when it draws them; its cached boxes can lag a zoom
// behind for labels that were hidden.
const labelOverlapsJS = `(() => {
	const cy = window.tradegraphExplorer.cy, ext = cy.extent(), z = cy.zoom();
	const c2d = document.createElement('canvas').getContext('2d');
	const inView = n => { const p = n.position(); return p.x >= ext.x1 && p.x <= ext.x2 && p.y >= ext.y1 && p.y <= ext.y2; };
	const shown = cy.nodes().filter(n => n.visible() && n.style('text-opacity') !== '0' && n.style('label') !== '').filter(inView);
	const box = n => {
		const fs = parseFloat(n.style('font-size'));
		c2d.font = n.style('font-style') + ' ' + n.style('font-weight') + ' ' + fs + 'px ' + n.style('font-family');
		const w = Math.min(c2d.measureText(n.data('name')).width, parseFloat(n.style('text-max-width')));
		const p = n.position();
		const top = n.style('text-valign') === 'bottom' ? p.y + n.height() / 2 + parseFloat(n.style('text-margin-y')) : p.y - fs / 2;
		return {x1: p.x - w / 2, x2: p.x + w / 2, y1: top, y2: top + fs};
	};
	const boxes = shown.map(n => [n.data('name'), box(n)]);
	const out = [];
	for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
		const [a, p] = boxes[i], [b, q] = boxes[j];
		const w = Math.min(p.x2, q.x2) - Math.max(p.x1, q.x1), h = Math.min(p.y2, q.y2) - Math.max(p.y1, q.y1);
		const r = (x) => [x.x1, x.y1, x.x2, x.y2].map(v => Math.round(v * z)).join(',');
		if (w * z > 0.5 && h * z > 0.5) out.push(a + ' [' + r(p) + '] / ' + b + ' [' + r(q) + ']');
	}
	const px = shown.map(n => parseFloat(n.style('font-size')) * z);
	return {Shown: shown.length, InView: cy.nodes().filter(inView).length, Overlaps: out.slice(0, 10), Count: out.length,
		MinPx: px.length ? Math.min(...px) : 0};
})()`

type labelReport struct {
	Shown, InView, Count int
	Overlaps             []string
	MinPx                float64
}

func TestConsoleAtScale(t *testing.T) {
	e := newConsoleEnv(t, nil)
	loadGenerated(t)
	cy := `window.tradegraphExplorer.cy`
	e.do(t, "open two hubs of the generated graph", chromedp.Navigate(e.base+scaleURL), chromedp.WaitVisible(chromedp.CSS(`[data-testid=graph]`)))
	e.waitJS(t, "both expansions drawn", cy+`.nodes('.expanded').length === 2 && !document.querySelector('[data-testid=status]').classList.contains('busy')`)
	n := evalJS[int](t, e, cy+`.nodes().not('.more').length`)
	t.Logf("%d entities, %d relationships drawn", n, evalJS[int](t, e, cy+`.edges().length`))
	if n < 250 || n > 400 {
		t.Fatalf("%d entities drawn, want about 300", n)
	}

	t.Run("fitted: labels that matter, none overlapping, readable", func(t *testing.T) {
		e.do(t, "fit", chromedp.Click(chromedp.CSS(`[data-testid=zoom-fit]`)))
		e.settle(t)
		r := evalJS[labelReport](t, e, labelOverlapsJS)
		t.Logf("fitted at zoom %.2f: %d of %d labels shown, smallest %.1f px; level of detail in %.0f ms",
			evalJS[float64](t, e, cy+`.zoom()`), r.Shown, r.InView, r.MinPx, evalJS[float64](t, e, `window.tradegraphExplorer.view.labelMs`))
		if r.Count > 0 {
			t.Errorf("%d overlapping labels, e.g. %q", r.Count, r.Overlaps)
		}
		if r.Shown < 15 || r.Shown >= r.InView {
			t.Errorf("%d of %d labels shown: want the important ones, not all or almost none", r.Shown, r.InView)
		}
		if r.MinPx < 11.9 {
			t.Errorf("smallest label %.1f px on screen, want 12 or more", r.MinPx)
		}
		hubs := evalJS[[]string](t, e, cy+`.nodes('.expanded').filter(n => n.style('text-opacity') !== '0').map(n => n.id())`)
		if len(hubs) != 2 {
			t.Errorf("labels of the expanded hubs shown: %v, want both", hubs)
		}
		// The two neighbourhoods are apart: each hub is nearer its own neighbours than the other hub is.
		apart := evalJS[bool](t, e, `(() => { const cy = window.tradegraphExplorer.cy;
			const a = cy.getElementById('actor:united-states-1').position(), b = cy.getElementById('policy:katorver-tariff-0-1').position();
			const only = (h, o) => h.neighborhood('node').not(o.neighborhood('node')).not(o).not('.more');
			const d = (p, q) => Math.hypot(p.x - q.x, p.y - q.y);
			const A = cy.getElementById('actor:united-states-1'), B = cy.getElementById('policy:katorver-tariff-0-1');
			return only(A, B).every(n => d(n.position(), a) < d(n.position(), b)) && only(B, A).every(n => d(n.position(), b) < d(n.position(), a)); })()`)
		if !apart {
			t.Error("the neighbourhoods of the two hubs are mixed")
		}
		e.docShot(t, "console-300-nodes")
	})

	t.Run("wheel zoom moves in useful steps", func(t *testing.T) {
		before := evalJS[float64](t, e, cy+`.zoom()`)
		type point struct{ X, Y float64 }
		c := evalJS[point](t, e, `(() => { const r = document.querySelector('[data-testid=graph]').getBoundingClientRect(); return {X: r.left + r.width / 2, Y: r.top + r.height / 2}; })()`)
		for i := 0; i < 5; i++ {
			e.do(t, "wheel notch", chromedp.MouseEvent(input.DispatchMouseEventTypeMouseWheel, c.X, c.Y, func(p *input.DispatchMouseEventParams) {
				p.DeltaY = -100
				p.DeltaX = 1e-9 // the protocol wants both deltas, and drops a zero one
			}))
		}
		e.waitJS(t, "zoom in by five notches", fmt.Sprintf(`%s.zoom() > %f`, cy, before*2.5))
		after := evalJS[float64](t, e, cy+`.zoom()`)
		t.Logf("five wheel notches: zoom %.2f -> %.2f", before, after)
		if after > before*3.2 {
			t.Errorf("five notches zoomed %.1fx, want about 1.25^5 = 3.05x", after/before)
		}
	})

	t.Run("zoomed in: every label in view, verbs on the edges", func(t *testing.T) {
		evalJS[bool](t, e, cy+`.center(`+cy+`.getElementById('actor:united-states-1')) && true`)
		for evalJS[float64](t, e, cy+`.zoom()`) < 1.8 {
			e.do(t, "zoom in", chromedp.Click(chromedp.CSS(`[data-testid=zoom-in]`)))
		}
		e.settle(t)
		r := evalJS[labelReport](t, e, labelOverlapsJS)
		t.Logf("zoom %.2f: %d of %d labels shown", evalJS[float64](t, e, cy+`.zoom()`), r.Shown, r.InView)
		if r.Count > 0 {
			t.Errorf("%d overlapping labels, e.g. %q", r.Count, r.Overlaps)
		}
		if r.InView == 0 || r.Shown < r.InView*9/10 {
			t.Errorf("zoomed in, %d of %d labels in view are shown, want (nearly) all", r.Shown, r.InView)
		}
		verbs := evalJS[int](t, e, cy+`.edges('.lod-edge').filter(e => e.style('text-opacity') === '1').length`)
		if verbs == 0 {
			t.Error("zoomed in, no relationship verb is drawn on an edge")
		}
		e.docShot(t, "console-300-zoomed")
		before := evalJS[float64](t, e, cy+`.zoom()`)
		e.do(t, "zoom out", chromedp.Click(chromedp.CSS(`[data-testid=zoom-out]`)))
		if z := evalJS[float64](t, e, cy+`.zoom()`); z < before/1.6 || z > before/1.4 {
			t.Errorf("zoom out: %.2f -> %.2f, want a step of 1.5", before, z)
		}
	})
}

func TestConsoleHistory(t *testing.T) {
	e := newConsoleEnv(t, nil)
	cy := `window.tradegraphExplorer.cy`
	card := func(id string) string { return fmt.Sprintf(`[data-testid=entity-card][data-id=%q]`, id) }

	t.Run("Back and Forward walk the steps", func(t *testing.T) {
		e.do(t, "open the explorer", chromedp.Navigate(e.base+"/"), chromedp.WaitVisible(chromedp.CSS(`[data-testid=search] input`)))
		start := evalJS[int](t, e, `history.length`)
		// Step 1: search Lutnick and choose him.
		e.do(t, "search Lutnick", chromedp.SendKeys(chromedp.CSS(`[data-testid=search] input`), "Lutnick"),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid=search] [role=option][data-id="actor:howard-lutnick"]`)),
			chromedp.Click(chromedp.CSS(`[data-testid=search] [role=option][data-id="actor:howard-lutnick"]`)),
			chromedp.WaitVisible(chromedp.CSS(card("actor:howard-lutnick"))))
		e.waitNodes(t, "actor:united-states")
		// Step 2: click the United States: its card, its neighbours.
		e.clickNode(t, "actor:united-states")
		e.do(t, "United States' card", chromedp.WaitVisible(chromedp.CSS(card("actor:united-states"))))
		e.waitNodes(t, "actor:donald-trump")
		e.waitJS(t, "the URL of step 2", `location.search === '?entity=actor:united-states&expand=actor:howard-lutnick,actor:united-states'`)
		if n := evalJS[int](t, e, `history.length`) - start; n != 2 {
			t.Errorf("two steps made %d history entries, want 2", n)
		}

		e.do(t, "Back", chromedp.NavigateBack(), chromedp.WaitVisible(chromedp.CSS(card("actor:howard-lutnick"))))
		e.waitJS(t, "the URL of step 1", `location.search === '?entity=actor:howard-lutnick&expand=actor:howard-lutnick'`)
		e.waitJS(t, "step 1's graph: Lutnick's neighbours only", cy+`.nodes('.expanded').map(n => n.id()).join() === 'actor:howard-lutnick' && `+cy+`.getElementById('actor:donald-trump').empty() && `+cy+`.getElementById('actor:united-states').nonempty()`)
		if p := evalJS[string](t, e, `location.pathname`); p != "/" {
			t.Errorf("Back left the explorer for %s", p)
		}
		e.docShot(t, "console-back")

		e.do(t, "Forward", chromedp.NavigateForward(), chromedp.WaitVisible(chromedp.CSS(card("actor:united-states"))))
		e.waitNodes(t, "actor:donald-trump")

		e.do(t, "Back twice", chromedp.NavigateBack(), chromedp.WaitVisible(chromedp.CSS(card("actor:howard-lutnick"))), chromedp.NavigateBack())
		e.waitJS(t, "the empty start", `location.search === '' && `+cy+`.nodes().length === 0`)
		e.do(t, "the empty state", chromedp.WaitVisible(chromedp.CSS(`[data-testid=empty]`)))
	})

	// A change that is not a step (here a dragged node; in CI once an expansion's
	// answer) and a step taken in the same task render together: the entry the
	// step leaves must still get the change, or Back loses it.
	t.Run("a change rendered with a step stays in the entry the step leaves", func(t *testing.T) {
		e.do(t, "open Lutnick's view", chromedp.Navigate(e.base+"/?entity=actor:howard-lutnick&expand=actor:howard-lutnick"),
			chromedp.WaitVisible(chromedp.CSS(card("actor:howard-lutnick"))))
		e.waitNodes(t, "actor:united-states")
		e.waitJS(t, "drawn", `location.search === '?entity=actor:howard-lutnick&expand=actor:howard-lutnick' && !document.querySelector('[data-testid=status]').classList.contains('busy')`)
		evalJS[bool](t, e, `(() => {
			const n = `+cy+`.getElementById('actor:united-states');
			n.position({x: n.position('x') + 40, y: n.position('y') + 30});
			n.emit('dragfree');
			n.emit('tap');
			return true;
		})()`)
		e.waitJS(t, "the step's URL", `location.search.startsWith('?entity=actor:united-states&')`)
		e.do(t, "Back", chromedp.NavigateBack(), chromedp.WaitVisible(chromedp.CSS(card("actor:howard-lutnick"))))
		e.waitJS(t, "the left entry with the moved node", `location.search.startsWith('?entity=actor:howard-lutnick&') && location.search.includes('pos=actor:united-states~')`)
	})

	t.Run("a shared URL restores layout, selection and the highlighted path", func(t *testing.T) {
		e.do(t, "open the paths view", chromedp.Navigate(e.base+pathsURL), chromedp.WaitVisible(chromedp.CSS(`[data-testid=paths] .path`)))
		e.waitNodes(t, "actor:donald-trump", "commodity:rare-earth-minerals")
		e.waitJS(t, "all drawn", `!document.querySelector('[data-testid=status]').classList.contains('busy') && `+cy+`.nodes('.expanded').length === 2`)
		// Highlight path 2 (a step), open a relationship (a step), drag a node.
		e.do(t, "highlight path 2", chromedp.Click(chromedp.CSS(`[data-testid=paths] .path[data-rank="2"] .path-title`)))
		e.waitJS(t, "path 2 in the URL", `location.search.includes('path=2')`)
		e.do(t, "details of a hop", chromedp.Click(chromedp.CSS(`[data-testid=paths] .path[data-rank="2"] .hop:nth-child(2) button[aria-label^="Details of"]`)),
			chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`[data-testid=edge-card][data-id=%q]`, benefitsRel))))
		type point struct{ X, Y float64 }
		node := "actor:china"
		from := evalJS[point](t, e, fmt.Sprintf(`(() => { const n = %s.getElementById(%q), p = n.renderedPosition(), r = %s.container().getBoundingClientRect();
			return {X: r.left + p.x, Y: r.top + p.y}; })()`, cy, node, cy))
		left := func(p *input.DispatchMouseEventParams) {
			p.Button = input.MouseButtonLeft
			p.Buttons = 1
			p.ClickCount = 1
		}
		e.do(t, "drag China", chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, from.X, from.Y, left),
			chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, from.X+20, from.Y+10, left),
			chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, from.X+60, from.Y+40, left),
			chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, from.X+80, from.Y+50, left),
			chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, from.X+80, from.Y+50, left))
		e.waitJS(t, "the moved node in the URL", `location.search.includes('pos=actor:china~')`)
		positions := `JSON.stringify(` + cy + `.nodes().not('.more').map(n => [n.id(), Math.round(n.position('x')), Math.round(n.position('y'))]).sort())`
		before := evalJS[string](t, e, positions)
		faded := `JSON.stringify(` + cy + `.elements('.faded').map(x => x.id()).sort())`
		fadedBefore := evalJS[string](t, e, faded)
		if fadedBefore == "[]" {
			t.Fatal("highlighting path 2 faded nothing")
		}
		href := evalJS[string](t, e, `location.href`)

		// A fresh page on that URL: the same places, the same relationship open, the same path.
		e.do(t, "open the shared URL", chromedp.Navigate(e.base+"/"), chromedp.WaitVisible(chromedp.CSS(`[data-testid=empty]`)),
			chromedp.Navigate(href), chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`[data-testid=edge-card][data-id=%q]`, benefitsRel))))
		e.waitJS(t, "all drawn", `!document.querySelector('[data-testid=status]').classList.contains('busy') && `+cy+`.nodes('.expanded').length === 2 && `+cy+`.nodes('.path').length > 0`)
		e.waitJS(t, "the path highlighted", faded+` === `+fmt.Sprintf("%q", fadedBefore))
		if after := evalJS[string](t, e, positions); after != before {
			t.Errorf("positions after reload differ:\n before %s\n after  %s", before, after)
		}
		if got := evalJS[string](t, e, cy+`.edges('.chosen').map(e => e.id()).join()`); got != benefitsRel {
			t.Errorf("chosen relationship after reload %q, want %s", got, benefitsRel)
		}
		if !evalJS[bool](t, e, `document.querySelector('[data-testid=paths] .path[data-rank="2"] .path-title')?.getAttribute('aria-pressed') === 'true' || document.querySelector('[data-testid=tab-paths]') !== null`) {
			t.Error("no Links tab after reload")
		}
	})
}

func TestConsoleBrief(t *testing.T) {
	e := newConsoleEnv(t, nil)
	cy := `window.tradegraphExplorer.cy`
	e.do(t, "open the paths view", chromedp.Navigate(e.base+pathsURL+"&until=2025-12"), chromedp.WaitVisible(chromedp.CSS(`[data-testid=paths] .path`)))
	e.waitNodes(t, "actor:donald-trump", "commodity:rare-earth-minerals")
	e.waitJS(t, "all drawn", `!document.querySelector('[data-testid=status]').classList.contains('busy') && `+cy+`.nodes('.expanded').length === 2`)

	e.do(t, "export the brief", chromedp.Click(chromedp.CSS(`[data-testid=export-brief]`)))
	raw := e.waitDownload(t, "tradegraph-brief.html")
	html := string(raw)
	p := filepath.Join(e.artifacts, "tradegraph-brief.html")
	if err := os.WriteFile(p, raw, 0o644); err != nil {
		t.Fatal(err)
	}

	t.Run("contents", func(t *testing.T) {
		for _, want := range []string{
			"<title>How Howard Lutnick is linked to Rare earth minerals</title>",
			`<img src="data:image/png;base64,`,
			`<strong data-brief="dates">valid until 2025-12</strong>`,
			"Howard Lutnick is part of United States, which is concerned about Rare earth minerals",
			"U.S.-China tentative rare earth agreement benefits Rare earth minerals",
			"according to Donald Trump; confidence 0.70",
			"<h2>Sources</h2>",
			`<li id="c1">`,
			"United States and China reach tentative deal to loosen rare earth restrictions, sentence 3",
			"Other relationships in view",
		} {
			if !strings.Contains(html, want) {
				t.Errorf("brief lacks %q", want)
			}
		}
		// Self-contained: no script, no stylesheet link, every src a data: URL,
		// every link within the page.
		if regexp.MustCompile(`(?i)<script|<link\b|@import|url\(`).MatchString(html) {
			t.Error("the brief has a script, a stylesheet link or a url() to fetch")
		}
		for _, m := range regexp.MustCompile(`\s(src|href)="([^"]*)"`).FindAllStringSubmatch(html, -1) {
			if !strings.HasPrefix(m[2], "data:image/png;base64,") && !strings.HasPrefix(m[2], "#c") {
				t.Errorf("the brief refers to %s=%q", m[1], m[2])
			}
		}
		// Each citation number cited is listed in the sources.
		for _, m := range regexp.MustCompile(`href="#c(\d+)"`).FindAllStringSubmatch(html, -1) {
			if !strings.Contains(html, `<li id="c`+m[1]+`">`) {
				t.Errorf("citation [%s] is not in the sources", m[1])
			}
		}
		// The quote of each hop of the ranked paths is highlighted in its sentence.
		var want struct {
			Data struct {
				Paths struct {
					Paths []struct {
						Hops []struct {
							Relationship struct{ Evidence []struct{ Quote string } }
						}
					}
				}
			}
		}
		postGraphQL(t, e.base, `{ paths(from: "actor:howard-lutnick", to: "commodity:rare-earth-minerals", maxLength: 4, first: 5, during: {to: "2025-12"}) {
			paths { hops { relationship { evidence { quote } } } } } }`, &want)
		n := 0
		for _, p := range want.Data.Paths.Paths {
			for _, h := range p.Hops {
				for _, ev := range h.Relationship.Evidence {
					n++
					if !markedIn(html, escapeHTMLText(ev.Quote)) {
						t.Errorf("quote %q is not highlighted in the brief", ev.Quote)
					}
				}
			}
		}
		if n == 0 {
			t.Fatal("the API gave no path evidence to check")
		}
	})

	t.Run("opens offline", func(t *testing.T) {
		abs, err := filepath.Abs(p)
		if err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		var asked []string
		tab, cancel := chromedp.NewContext(e.browser, chromedp.WithListener(func(ev any) {
			if r, ok := ev.(*network.EventRequestWillBeSent); ok {
				mu.Lock()
				asked = append(asked, r.Request.URL)
				mu.Unlock()
			}
		}))
		defer cancel()
		ctx, stop := context.WithTimeout(tab, 30*time.Second)
		defer stop()
		var size []int
		if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
			t.Fatalf("watch the tab's requests: %v", err)
		}
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(1000, 900),
			chromedp.Navigate("file://"+abs), chromedp.WaitVisible(chromedp.CSS(`img`))); err != nil {
			t.Fatalf("open the brief: %v", err)
		}
		deadline := time.Now().Add(20 * time.Second)
		for {
			size, err = chromedp.Run(ctx, chromedp.Evaluate[[]int](`(() => { const i = document.querySelector('img'); return [i.complete ? i.naturalWidth : 0, i.naturalHeight]; })()`))
			if err == nil && size[0] > 0 || time.Now().After(deadline) {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		if len(size) != 2 || size[0] < 200 || size[1] < 200 {
			t.Errorf("the brief's picture is %v (err %v), want a decoded PNG of 200x200 or more", size, err)
		}
		buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		name := "console-brief"
		if err := os.WriteFile(filepath.Join(e.artifacts, name+".png"), buf, 0o644); err != nil {
			t.Fatal(err)
		}
		if *updateConsoleScreenshot {
			if err := os.WriteFile(filepath.Join(repoRoot, "docs", "img", name+".png"), buf, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		mu.Lock()
		defer mu.Unlock()
		for _, u := range asked {
			if !strings.HasPrefix(u, "file://") && !strings.HasPrefix(u, "data:") {
				t.Errorf("the brief, opened from a file, requested %s", u)
			}
		}
		if len(asked) == 0 {
			t.Error("no request seen at all: the listener did not watch the tab")
		}
	})

	t.Run("markdown", func(t *testing.T) {
		e.do(t, "export the Markdown brief", chromedp.Click(chromedp.CSS(`[data-testid=export-brief-md]`)))
		md := string(e.waitDownload(t, "tradegraph-brief.md"))
		for _, want := range []string{"# How Howard Lutnick is linked to Rare earth minerals", "![Graph: ", "## Sources", "1. “",
			"**Commerce Secretary, Howard Lutnick, confirmed the deal yesterday**", "according to Donald Trump"} {
			if !strings.Contains(md, want) {
				t.Errorf("Markdown brief lacks %q", want)
			}
		}
	})
}

// markedIn says whether text lies within one <mark> of html.
func markedIn(html, text string) bool {
	for _, m := range regexp.MustCompile(`<mark>(.*?)</mark>`).FindAllStringSubmatch(html, -1) {
		if strings.Contains(m[1], text) {
			return true
		}
	}
	return false
}

// escapeHTMLText escapes text as the brief does.
func escapeHTMLText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;").Replace(s)
}

func TestConsolePhone(t *testing.T) {
	e := newConsoleEnv(t, nil)
	cy := `window.tradegraphExplorer.cy`
	e.do(t, "a 390x844 touch screen", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Navigate(e.base+"/?entity=actor:howard-lutnick&expand=actor:howard-lutnick,actor:united-states"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=entity-card]`)))
	e.waitJS(t, "both expansions drawn", cy+`.nodes('.expanded').length === 2 && !document.querySelector('[data-testid=status]').classList.contains('busy')`)
	// swipe moves one finger from y by dy (negative: upwards), as touch events;
	// Chromium scrolls the page from them as from a real finger (its synthesized
	// scroll gestures do not scroll a headless page).
	swipe := func(t *testing.T, x, y, dy float64) {
		t.Helper()
		ctx, cancel := context.WithTimeout(e.browser, 30*time.Second)
		defer cancel()
		at := func(y float64) []*input.TouchPoint { return []*input.TouchPoint{{X: x, Y: y}} }
		send := func(typ input.DispatchTouchEventType, pts []*input.TouchPoint) {
			if _, err := chromedp.Call(ctx, input.DispatchTouchEvent, input.DispatchTouchEventParams{Type: typ, TouchPoints: pts}); err != nil {
				t.Fatalf("swipe: %v", err)
			}
		}
		send(input.DispatchTouchEventTypeTouchStart, at(y))
		for i := 1; i <= 20; i++ {
			send(input.DispatchTouchEventTypeTouchMove, at(y+dy*float64(i)/20))
		}
		send(input.DispatchTouchEventTypeTouchEnd, []*input.TouchPoint{})
	}
	graphMiddle := func() float64 {
		return evalJS[float64](t, e, `(() => { const r = document.querySelector('[data-testid=graph]').getBoundingClientRect(); return r.top + r.height / 2; })()`)
	}

	t.Run("swiping over the graph scrolls the page", func(t *testing.T) {
		e.do(t, "the shield", chromedp.WaitVisible(chromedp.CSS(`[data-testid=touch-shield]`)))
		e.docShot(t, "console-phone")
		pan := evalJS[string](t, e, `JSON.stringify(`+cy+`.pan())`)
		swipe(t, 195, graphMiddle(), -300)
		e.waitJS(t, "the page to scroll", `scrollY > 100`)
		if got := evalJS[string](t, e, `JSON.stringify(`+cy+`.pan())`); got != pan {
			t.Errorf("the swipe also panned the graph: %s -> %s", pan, got)
		}
	})

	t.Run("the status stays in view", func(t *testing.T) {
		in := evalJS[bool](t, e, `(() => { const r = document.querySelector('[data-testid=status]').getBoundingClientRect();
			return r.top >= 0 && r.bottom <= innerHeight && r.height > 10; })()`)
		if !in {
			t.Error("scrolled down, the status line is off screen")
		}
		e.waitText(t, `[data-testid=status]`, "United States:")
		e.shot(t, "console-phone-scrolled")
	})

	t.Run("the graph on request", func(t *testing.T) {
		// Back to the top; the swipe's momentum may still be scrolling, so ask again
		// until the page stays there.
		e.waitJS(t, "the top", `(scrollTo({top: 0, behavior: 'instant'}), scrollY === 0)`)
		e.do(t, "use the graph", chromedp.Click(chromedp.CSS(`[data-testid=use-graph]`)),
			chromedp.WaitNotPresent(chromedp.CSS(`[data-testid=touch-shield]`)))
		pan := evalJS[float64](t, e, cy+`.pan().y`)
		// From an empty corner of the graph: from a node, the finger would drag it.
		corner := evalJS[float64](t, e, `document.querySelector('[data-testid=graph]').getBoundingClientRect().bottom - 15`)
		swipe(t, 12, corner, -150)
		e.waitJS(t, "the graph to pan", fmt.Sprintf(`Math.abs(%s.pan().y - %f) > 50`, cy, pan))
		e.do(t, "done with the graph", chromedp.Click(chromedp.CSS(`[data-testid=release-graph]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid=touch-shield]`)))
	})

	t.Run("the playground", func(t *testing.T) {
		e.do(t, "open the playground", chromedp.Navigate(e.base+"/playground"), chromedp.WaitVisible(chromedp.CSS(`.graphiql-container`)))
		e.waitText(t, `.graphiql-query-editor`, "query Search")
		e.do(t, "run", chromedp.Click(chromedp.CSS(`.graphiql-execute-button`)))
		e.waitText(t, `.result-window`, `"name": "Howard Lutnick"`)
		type box struct{ W, H float64 }
		for _, sel := range []string{".graphiql-query-editor", ".graphiql-response"} {
			b := evalJS[box](t, e, fmt.Sprintf(`(() => { const r = document.querySelector(%q).getBoundingClientRect(); return {W: r.width, H: r.height}; })()`, sel))
			if b.W < 300 || b.H < 150 {
				t.Errorf("%s is %.0fx%.0f at 390x844, want at least 300x150", sel, b.W, b.H)
			}
		}
		if overflow := evalJS[int](t, e, `document.documentElement.scrollWidth - innerWidth`); overflow > 0 {
			t.Errorf("the playground is %dpx wider than the screen", overflow)
		}
		e.do(t, "show the answer", chromedp.ScrollIntoView(chromedp.CSS(`.graphiql-response`)))
		e.docShot(t, "console-phone-playground")
	})
}

// hostile is a name and a note that would run script if written as HTML.
const hostile = `<img src=x onerror="window.tgXSS=1"><script>window.tgXSS=2</script>`

func TestConsoleHostileTextInNewViews(t *testing.T) {
	e := newConsoleEnv(t, map[string]string{"TRADEGRAPH_API_TOKEN": consoleToken})
	for _, q := range []string{
		fmt.Sprintf(`mutation { upsertEntity(input: {id: "actor:hostile", kind: ACTOR, type: "PERSON", name: %q}) { id } }`, hostile),
		fmt.Sprintf(`mutation { upsertRelationship(input: {type: MEMBER_OF, from: "actor:hostile", to: "actor:united-states", confidence: 0.5,
			attributedTo: "actor:hostile", note: %q, evidence: [{doc: "doc:us-china-rare-earth-deal", sentence: 3, quote: "Commerce Secretary"}]}) { id } }`, hostile),
	} {
		mutate(t, e.base, q)
	}
	var rel struct {
		Data struct {
			Entity struct {
				Relationships struct {
					Edges []struct{ Node struct{ ID string } }
				}
			}
		}
	}
	postGraphQL(t, e.base, `{ entity(id: "actor:hostile") { relationships { edges { node { id } } } } }`, &rel)
	if len(rel.Data.Entity.Relationships.Edges) != 1 {
		t.Fatalf("the hostile relationship was not written: %+v", rel)
	}
	id := rel.Data.Entity.Relationships.Edges[0].Node.ID
	e.do(t, "open the hostile relationship", chromedp.Navigate(e.base+"/?entity=actor:hostile&expand=actor:hostile&edge="+id),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=edge-card]`)))
	panel := e.waitText(t, `[data-testid=edge-card]`, "Evidence (")
	if !strings.Contains(panel, `according to <img src=x onerror="window.tgXSS=1">`) || !strings.Contains(panel, `window.tgXSS=2</script>`) {
		t.Errorf("the panel does not show the hostile text as text:\n%s", panel)
	}
	e.do(t, "the card", chromedp.Click(chromedp.CSS(`[data-testid=tab-entity]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid=entity-card] [data-caveat=attributed]`)))
	e.do(t, "export the brief", chromedp.Click(chromedp.CSS(`[data-testid=export-brief]`)))
	brief := string(e.waitDownload(t, "tradegraph-brief.html"))
	if strings.Contains(brief, "<img src=x") || strings.Contains(brief, "<script>window") {
		t.Error("the brief holds the hostile markup unescaped")
	}
	if !strings.Contains(brief, "&lt;img src=x onerror=&quot;window.tgXSS=1&quot;&gt;") {
		t.Error("the brief lacks the hostile name, escaped")
	}
	if got := evalJS[string](t, e, `String(window.tgXSS)`); got != "undefined" {
		t.Errorf("hostile text ran as script: window.tgXSS = %s", got)
	}
	if n := evalJS[int](t, e, `document.querySelectorAll('img[src=x], .panel script').length`); n != 0 {
		t.Errorf("%d hostile elements made it into the page", n)
	}
}

// mutate posts a mutation with the console tests' token and fails on any error.
func mutate(t *testing.T, base, q string) {
	t.Helper()
	// Set-up, not the subject: the first write on a fresh Neo4j plans the write
	// statements, which may outlast the request budget on a busy machine. The
	// upserts are idempotent, so a TIMEOUT or SERVICE_UNAVAILABLE is tried again.
	deadline := time.Now().Add(2 * time.Minute)
	for {
		body, _ := json.Marshal(map[string]string{"query": q})
		req, _ := http.NewRequest(http.MethodPost, base+"/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+consoleToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK && !strings.Contains(string(raw), `"errors"`) {
			return
		}
		transient := strings.Contains(string(raw), `"TIMEOUT"`) || strings.Contains(string(raw), `"SERVICE_UNAVAILABLE"`)
		if !transient || time.Now().After(deadline) {
			t.Fatalf("%s: %d %s", q, resp.StatusCode, raw)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
