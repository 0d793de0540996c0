// The explorer at /: search, entity and relationship panels, the graph, the link
// finder, the date and claim filters, exports and briefs, with the view kept in the
// URL (see url.js): each step of an analysis is a browser history entry, so Back and
// Forward walk through it, and a shared URL restores it.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ENTITY, ENTITY_SOURCES, NEIGHBORHOOD, PATHS, errorText, gql } from './api.js';
import { isPartialDate, knownVariable, rangeVariable, windowActive, windowText } from './dates.js';
import { GraphView, KINDS } from './graph.js';
import { formatView, parseView, samePlaces } from './url.js';
import { filterActive } from './caveats.js';
import { briefHTML, briefMarkdown } from './brief.js';
import { EntitySearch } from './Search.jsx';
import { Card } from './Card.jsx';
import { EdgeCard } from './EdgeCard.jsx';
import { PathList } from './Paths.jsx';
import { DocumentDialog } from './DocumentDialog.jsx';

// On a phone, focusing the search at load would pop the keyboard over the page.
const narrowQuery = window.matchMedia?.('(max-width: 900px)');
const narrow = narrowQuery?.matches;

const CAP = 10; // limitPerType of a first expansion
const MORE_CAP = 50; // the API's largest limitPerType
const CONFIDENCES = [0, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

function blobToDataURL(blob) {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(r.result);
    r.onerror = () => reject(r.error);
    r.readAsDataURL(blob);
  });
}

function Legend() {
  return (
    <ul className="legend" aria-label="Legend">
      {Object.entries(KINDS).map(([k, v]) => (
        <li key={k}>
          <span className={`swatch ${v.shape}`} style={{ '--kind': v.color }} aria-hidden="true" />
          {v.label}
        </li>
      ))}
      <li>
        <span className="swatch more" aria-hidden="true" />
        hub cap
      </li>
      <li title="Nothing dates the fact: it counts from its first report">
        <span className="swatch undated" aria-hidden="true" />
        undated
      </li>
    </ul>
  );
}

/**
 * DateFilter sets the time window on both axes: "valid between" (what held then:
 * the API's during, read on each relationship's effective dates) and "as known on"
 * (what the sources had published by then: knownAsOf). Both go to the API.
 */
function DateFilter({ since, until, known, onApply }) {
  const [s, setS] = useState(since);
  const [u, setU] = useState(until);
  const [k, setK] = useState(known);
  const [err, setErr] = useState('');
  useEffect(() => {
    setS(since);
    setU(until);
    setK(known);
  }, [since, until, known]);
  const submit = (e) => {
    e.preventDefault();
    const a = s.trim();
    const b = u.trim();
    const c = k.trim();
    for (const v of [a, b, c]) {
      if (v && !isPartialDate(v)) {
        setErr(`"${v}" is not a date: write 2025, 2025-05 or 2025-05-12.`);
        return;
      }
    }
    if (a && b && a > b && !b.startsWith(a) && !a.startsWith(b)) {
      setErr('The range ends before it starts.');
      return;
    }
    setErr('');
    onApply(a, b, c);
  };
  return (
    <form className="dates" onSubmit={submit} aria-label="Date filter" data-testid="date-filter">
      <fieldset>
        <legend>Valid between</legend>
        <label>
          <span className="visually-hidden">Valid from date</span>
          <input name="since" value={s} onChange={(e) => setS(e.target.value)} placeholder="2025" size="8" inputMode="numeric" />
        </label>
        <span aria-hidden="true">–</span>
        <label>
          <span className="visually-hidden">Valid to date</span>
          <input name="until" value={u} onChange={(e) => setU(e.target.value)} placeholder="2025-12" size="8" inputMode="numeric" />
        </label>
      </fieldset>
      <fieldset>
        <legend>As known on</legend>
        <label title="Only what the sources had published by this date, with only that evidence">
          <span className="visually-hidden">As known on date</span>
          <input name="known" value={k} onChange={(e) => setK(e.target.value)} placeholder="2025-07-01" size="10" inputMode="numeric" />
        </label>
        <button type="submit">Apply</button>
        {(since || until || known) && (
          <button type="button" onClick={() => onApply('', '', '')}>
            Clear
          </button>
        )}
      </fieldset>
      {err && (
        <p role="alert" className="error small">
          {err}
        </p>
      )}
    </form>
  );
}

/** ClaimFilter hides claims below a confidence, or attributed to someone. */
function ClaimFilter({ conf, attr, onChange }) {
  return (
    <fieldset className="claims" data-testid="claim-filter">
      <legend>Claims</legend>
      <label>
        at least{' '}
        <select value={String(conf)} onChange={(e) => onChange(Number(e.target.value), attr)} name="conf" aria-label="Minimum confidence">
          {CONFIDENCES.map((c) => (
            <option key={c} value={String(c)}>
              {c ? `confidence ${c.toFixed(1)}` : 'any confidence'}
            </option>
          ))}
        </select>
      </label>
      <label className="check">
        <input type="checkbox" name="attr" checked={attr} onChange={(e) => onChange(conf, e.target.checked)} /> hide attributed
      </label>
    </fieldset>
  );
}

export function App() {
  const [view, setView] = useState(() => parseView(location.search));
  const [card, setCard] = useState(null); // {entity} | {error} | {loading}
  const [paths, setPaths] = useState(null); // {result} | {error} | {loading}
  const [panel, setPanel] = useState(() => {
    const v = parseView(location.search);
    return v.edge ? 'edge' : v.from ? 'paths' : 'entity';
  });
  const [finder, setFinder] = useState({ from: null, to: null });
  const [doc, setDoc] = useState(null);
  const [status, setStatusState] = useState({ text: '', kind: 'info' });
  const [counts, setCounts] = useState({ nodes: 0, edges: 0, hidden: 0 });
  const [busy, setBusy] = useState(0);
  const [touchGraph, setTouchGraph] = useState(!narrow);
  const [, setTick] = useState(0); // re-render when the graph's truncation changes
  const cyRef = useRef(null);
  const graph = useRef(null);
  const viewRef = useRef(view);
  viewRef.current = view;
  // The view a step leaves, as it was when the step was taken (pending updates
  // included): the URL effect writes it into the current entry before pushing.
  const stepFrom = useRef(null);
  const loaded = useRef(''); // the expansions drawn, as a key (see expansionsKey)
  const drawGen = useRef(0); // counts redraws
  const lastPaths = useRef(null); // the last paths answer, redrawn with the view
  const cardEntity = useRef(null); // the entity of the open card

  const during = rangeVariable(view.since, view.until);
  const known = knownVariable(view.known);
  const duringKey = `${view.since}|${view.until}|${view.known}`;
  const windowWords = windowText(view.since, view.until, view.known);
  const claims = { minConfidence: view.conf, hideAttributed: view.attr };
  const claimsKey = `${view.conf}|${view.attr}`;

  const say = (text, kind = 'info') => setStatusState({ text, kind });
  const refreshCounts = () => setCounts(graph.current.visibleCount());

  /** step changes the view as a new step of the analysis: one history entry. */
  // A flag "the next render is a step" is not enough: an update that lands
  // just before a click (an expansion's answer) is rendered together with the
  // step, so the entry left behind would miss it. The updater sees every
  // pending update, so the view it is given is the one the step leaves.
  const step = useCallback((fn) => {
    setView((w) => {
      if (!stepFrom.current) stepFrom.current = w;
      return fn(w);
    });
  }, []);

  // The URL follows the view: a step pushes a history entry, anything else (the
  // expansions a step fetched, a dragged node) amends the current one.
  useEffect(() => {
    const q = formatView(view);
    const from = stepFrom.current;
    stepFrom.current = null;
    if (from) {
      const left = formatView(from);
      if (left !== location.search) history.replaceState(null, '', left || location.pathname);
    }
    if (q === location.search) return;
    if (from) history.pushState(null, '', q || location.pathname);
    else history.replaceState(null, '', q || location.pathname);
  }, [view]);

  const pinned = () => new Map(viewRef.current.pos.map((p) => [p.id, { x: p.x, y: p.y }]));

  // v is the view whose time window applies: the current one unless a redraw passes its own.
  // asStep: the expansion is a step of its own (the card's or a node's "more").
  const expand = useCallback(async (id, more = false, v = viewRef.current, asStep = false) => {
    const gen = drawGen.current; // a redraw (Back, Forward) since the request drops its answer
    setBusy((b) => b + 1);
    say(`Loading the neighbours of ${graph.current.nodeName(id) || id}…`);
    try {
      const data = await gql(NEIGHBORHOOD, {
        id,
        limit: more ? MORE_CAP : CAP,
        during: rangeVariable(v.since, v.until),
        known: knownVariable(v.known),
      });
      const sub = data.neighborhood;
      if (graph.current.cy.destroyed() || gen !== drawGen.current) return;
      graph.current.addNeighborhood(sub);
      graph.current.layout(true, pinned());
      graph.current.setCurrent(viewRef.current.entity);
      (asStep ? step : setView)((w) => ({
        ...w,
        expand: w.expand.includes(id) ? w.expand : [...w.expand, id],
        more: more && !w.more.includes(id) ? [...w.more, id] : w.more,
      }));
      const omitted = sub.truncated.reduce((s, t) => s + t.omitted, 0);
      const w = windowText(v.since, v.until, v.known);
      if (w && sub.edges.length === 0)
        say(`Nothing in this window: no relationship of ${graph.current.nodeName(id)} is ${w}.`, 'warn');
      else
        say(
        `${graph.current.nodeName(id)}: ${sub.nodes.length - 1} neighbours, ${sub.edges.length} relationships` +
            (omitted ? `, ${omitted} more left out by the hub cap` : '') +
            (w ? `, ${w}` : '') +
            '.',
        );
      setTick((t) => t + 1);
      refreshCounts();
    } catch (e) {
      say(`Could not draw the neighbours of ${id}: ${errorText(e)}`, 'error');
    } finally {
      setBusy((b) => b - 1);
    }
  }, [step]);

  /** draw replays a view's expansions on a cleared graph (a shared URL, Back, Forward). */
  const draw = useCallback(
    async (v) => {
      const g = graph.current;
      const gen = ++drawGen.current;
      g.clear();
      g.setClaims({ minConfidence: v.conf, hideAttributed: v.attr });
      loaded.current = expansionsKey(v);
      for (const id of v.expand) {
        await expand(id, v.more.includes(id), v);
        if (gen !== drawGen.current) return;
      }
      const open = cardEntity.current;
      if (open && open.id === v.entity && g.cy.getElementById(open.id).empty()) {
        g.addNode(open);
        g.layout(true, pinned());
      }
      if (v.from && v.to && lastPaths.current) {
        g.setPaths(lastPaths.current.paths);
        g.layout(true, pinned());
      }
      refreshCounts();
    },
    [expand],
  );

  const select = useCallback(
    (id) => {
      step((w) => ({ ...w, entity: id, edge: '' }));
      setPanel('entity');
      graph.current?.setCurrent(id);
      graph.current?.setChosen('');
    },
    [step],
  );

  const chooseEdge = useCallback(
    (id) => {
      step((w) => ({ ...w, edge: id }));
      setPanel('edge');
      graph.current?.setChosen(id);
    },
    [step],
  );

  // The graph, once; then the view in the URL is drawn.
  useEffect(() => {
    const g = new GraphView(cyRef.current, {
      // A click on a node opens its card and draws its neighbours.
      onSelect: (id) => {
        select(id);
        if (!viewRef.current.expand.includes(id)) expand(id);
      },
      onMore: (id) => expand(id, true, viewRef.current, true),
      onEdge: (id) => chooseEdge(id),
      onMoved: (id) => {
        const n = g.cy.getElementById(id);
        const p = { id, x: Math.round(n.position('x')), y: Math.round(n.position('y')) };
        setView((w) => ({ ...w, pos: [...w.pos.filter((q) => q.id !== id), p] }));
      },
    });
    graph.current = g;
    // For the browser tests and the curious: the Cytoscape instance behind the view.
    window.tradegraphExplorer = { cy: g.cy, view: g };
    draw(viewRef.current);
    // Back and Forward: the view of that entry, redrawn when its expansions differ.
    const onPop = () => {
      const v = parseView(location.search);
      stepFrom.current = null;
      setView(v);
      setPanel(v.edge ? 'edge' : v.from && !v.entity ? 'paths' : 'entity');
      if (expansionsKey(v) !== loaded.current || !samePlaces(v.pos, viewRef.current.pos)) draw(v);
      else {
        g.setClaims({ minConfidence: v.conf, hideAttributed: v.attr });
      }
      say('');
    };
    window.addEventListener('popstate', onPop);
    return () => {
      window.removeEventListener('popstate', onPop);
      g.destroy();
    };
  }, [expand, select, chooseEdge, draw]);

  // The graph's marks follow the view.
  useEffect(() => {
    const g = graph.current;
    g.setCurrent(view.entity);
    g.setChosen(view.edge);
    loaded.current = expansionsKey(view);
  }, [view]);
  useEffect(() => {
    graph.current.setClaims(claims);
    refreshCounts();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [claimsKey]);

  // The card follows the selected entity and the date range.
  useEffect(() => {
    if (!view.entity) {
      setCard(null);
      return;
    }
    let live = true;
    setCard((c) => (c?.entity?.id === view.entity ? c : { loading: true }));
    const asked = windowWords; // the card says the window of its answer, not of the request under way
    const statusOn = view.until || null;
    // Which sources gave what is asked beside the entity and the card is drawn once
    // with both: a part arriving later would move the card's buttons under a click
    // already aimed. A failure of the sources' request leaves the card drawn.
    const id = view.entity;
    const sources = gql(ENTITY_SOURCES, { id }).then(
      (d) => (d.entity ? { entity: d.entity } : { error: `no entity has the id ${id}` }),
      (err) => ({ error: errorText(err) }),
    );
    gql(ENTITY, { id, during, known, statusOn })
      .then(async (d) => {
        if (!live) return;
        if (!d.entity) {
          setCard({ error: `No entity has the id ${id}.` });
          return;
        }
        const src = await sources;
        if (!live) return;
        setCard({ entity: d.entity, sources: src, window: asked, statusOn: statusOn || '' });
        cardEntity.current = d.entity;
        const g = graph.current;
        if (g.cy.getElementById(d.entity.id).empty()) {
          g.addNode(d.entity);
          g.layout(true, pinned());
          refreshCounts();
        }
        g.setCurrent(d.entity.id);
      })
      .catch((e) => {
        if (!live) return;
        setCard({ error: errorText(e) });
        say(`Could not open ${view.entity}: ${errorText(e)}`, 'error');
      });
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [view.entity, duringKey]);

  // The link finder follows its endpoints and the date range.
  useEffect(() => {
    if (!view.from || !view.to) {
      setPaths(null);
      lastPaths.current = null;
      graph.current?.setPaths([]);
      return;
    }
    let live = true;
    setPaths({ loading: true });
    say('Looking for links…');
    gql(PATHS, { from: view.from, to: view.to, during, known })
      .then((d) => {
        if (!live) return;
        const r = d.paths;
        setPaths({ result: r });
        lastPaths.current = r;
        setFinder({ from: r.from, to: r.to });
        graph.current.setPaths(r.paths);
        // The open relationship may be a hop that only the paths draw: mark it now.
        graph.current.setChosen(viewRef.current.edge);
        graph.current.layout(true, pinned());
        refreshCounts();
        if (!r.from || !r.to) say(`${!r.from ? 'The start' : 'The end'} of the link finder matches no entity.`, 'error');
        else if (r.paths.length) say(`${r.paths.length} paths found${windowWords ? `, ${windowWords}` : ''}.`);
        else if (windowWords) say(`Nothing in this window: no path of at most 4 hops from ${r.from.name} to ${r.to.name} is ${windowWords}.`, 'warn');
        else say(`No path of at most 4 hops from ${r.from.name} to ${r.to.name}.`, 'warn');
      })
      .catch((e) => {
        if (!live) return;
        setPaths({ error: errorText(e) });
        say(`Could not look for links: ${errorText(e)}`, 'error');
      });
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [view.from, view.to, duringKey]);

  // The highlighted path follows the view (and the paths, once they come).
  useEffect(() => {
    const r = paths?.result;
    const p = r && view.path ? r.paths.find((x) => x.rank === view.path) : null;
    graph.current.focusPath(p || null);
  }, [paths, view.path]);

  const chooseFromSearch = (entity) => {
    select(entity.id);
    graph.current.addNode(entity);
    expand(entity.id);
  };

  const findLinks = (e) => {
    e.preventDefault();
    if (!finder.from || !finder.to) {
      say('Choose both ends from the suggestions first.', 'warn');
      return;
    }
    step((w) => ({ ...w, from: finder.from.id, to: finder.to.id, path: 0 }));
    setPanel('paths');
  };

  // A new time window redraws the graph from the API under it: what is drawn is
  // what holds (and was known) then, by the API's effective dates.
  const applyRange = async (since, until, known) => {
    const v = { ...viewRef.current, since, until, known };
    step(() => v);
    await draw(v);
    if (drawGen.current && viewRef.current.since === since && viewRef.current.until === until && viewRef.current.known === known) {
      const c = graph.current.visibleCount();
      const w = windowText(since, until, known);
      if (!w) say('Date filter off.');
      else if (v.expand.length && c.edges === 0) say(`Nothing in this window: no relationship drawn here is ${w}.`, 'warn');
      else say(`Date filter on (${w}): ${c.nodes} entities, ${c.edges} relationships.`);
    }
  };

  const applyClaims = (conf, attr) => {
    step((w) => ({ ...w, conf, attr }));
    graph.current.setClaims({ minConfidence: conf, hideAttributed: attr });
    const c = graph.current.visibleCount();
    say(conf || attr ? `Claim filter on: ${c.hidden} relationships hidden.` : 'Claim filter off.');
    refreshCounts();
  };

  const clearAll = () => {
    graph.current.clear();
    step(() => ({ ...parseView(''), since: view.since, until: view.until, known: view.known, conf: view.conf, attr: view.attr }));
    setFinder({ from: null, to: null });
    refreshCounts();
    say('View cleared.');
  };

  const exportPNG = async () => {
    if (graph.current.cy.nodes().empty()) {
      say('Nothing to export yet: search for an entity first.', 'warn');
      return;
    }
    const blob = await graph.current.png();
    saveBlob(blob, 'tradegraph.png');
    say(`Exported the view as tradegraph.png (${Math.round(blob.size / 1024)} KiB).`);
  };

  const exportJSON = () => {
    const data = {
      view: { url: location.href, ...view },
      ...graph.current.data(),
      paths: paths?.result ?? null,
    };
    saveBlob(new Blob([JSON.stringify(data, null, 2) + '\n'], { type: 'application/json' }), 'tradegraph.json');
    say('Exported the view as tradegraph.json.');
  };

  const exportBrief = async (format) => {
    const g = graph.current;
    if (g.cy.nodes().empty()) {
      say('Nothing to put in a brief yet: search for an entity first.', 'warn');
      return;
    }
    const png = format === 'html' || format === 'md' ? await blobToDataURL(await g.png()) : '';
    const input = {
      title: briefTitle(view, card?.entity, paths?.result, g),
      url: location.href,
      generated: new Date().toISOString().slice(0, 10),
      since: view.since,
      until: view.until,
      known: view.known,
      claims,
      png,
      kinds: KINDS,
      paths: paths?.result?.paths || [],
      relationships: g.data().relationships.filter((r) => !r.hidden),
      names: new Map(g.cy.nodes().map((n) => [n.id(), n.data('name')])),
    };
    if (format === 'md') {
      saveBlob(new Blob([briefMarkdown(input)], { type: 'text/markdown' }), 'tradegraph-brief.md');
      say('Exported the brief as tradegraph-brief.md.');
    } else {
      saveBlob(new Blob([briefHTML(input)], { type: 'text/html' }), 'tradegraph-brief.html');
      say('Exported the brief as tradegraph-brief.html: it opens in any browser, offline.');
    }
  };

  const openDocument = (id, sentences, quote) => {
    setDoc({ id, sentences: Array.isArray(sentences) ? sentences : [sentences], quote });
  };

  const focusPath = (p, toggle) => {
    if (toggle) {
      step((w) => ({ ...w, path: w.path === p.rank ? 0 : p.rank }));
      return;
    }
    if (viewRef.current.path) return; // a clicked path stays highlighted
    graph.current.focusPath(p);
  };

  const focusSearch = (testid) => document.querySelector(`[data-testid=${testid}] input`)?.focus();

  const entity = card?.entity;
  const g = graph.current;
  const filtered = windowActive(view.since, view.until, view.known);
  const tabs = [card && ['entity', 'Entity'], view.edge && ['edge', 'Relationship'], paths && ['paths', 'Links']].filter(Boolean);
  const shown = tabs.some(([k]) => k === panel) ? panel : tabs[0]?.[0];
  return (
    <div className="app">
      <a className="skip" href="#panel">
        Skip to the details
      </a>
      <header className="top">
        <h1 className="brand">
          tradegraph <span>explorer</span>
        </h1>
        <EntitySearch label="Search" placeholder="Search people, meetings, commodities, policies…" onChoose={chooseFromSearch} testid="search" autoFocus={!narrow} />
        <nav className="nav" aria-label="Console">
          <a href="playground">GraphQL playground</a> · <a href="review">Review drafts</a>
        </nav>
      </header>
      <div className="tools">
        <form className="finder" onSubmit={findLinks} aria-label="How are they linked" data-testid="finder">
          <EntitySearch label="From" placeholder="e.g. Howard Lutnick" value={finder.from?.name || ''} onChoose={(x) => setFinder((f) => ({ ...f, from: x }))} testid="finder-from" />
          <EntitySearch label="To" placeholder="e.g. rare earth minerals" value={finder.to?.name || ''} onChoose={(x) => setFinder((f) => ({ ...f, to: x }))} testid="finder-to" />
          <button type="submit" data-testid="find-links">
            Find links
          </button>
        </form>
        <DateFilter since={view.since} until={view.until} known={view.known} onApply={applyRange} />
        <ClaimFilter conf={view.conf} attr={view.attr} onChange={applyClaims} />
      </div>
      <p className={`status ${status.kind}${busy ? ' busy' : ''}`} role="status" aria-live="polite" data-testid="status">
        {status.text}
      </p>
      <main className="body">
        <section className="graph-pane" aria-label="Graph view">
          <div className="cy-wrap">
            <div ref={cyRef} className="cy" data-testid="graph" role="img" aria-label={`Graph of ${counts.nodes} entities and ${counts.edges} relationships`} />
            {!touchGraph && counts.nodes > 0 && (
              <div className="touch-shield" data-testid="touch-shield">
                <button type="button" onClick={() => setTouchGraph(true)} data-testid="use-graph">
                  Use the graph
                </button>
                <span className="muted small">Swipe here to scroll the page.</span>
              </div>
            )}
            <div className="zoom" role="group" aria-label="Zoom">
              <button type="button" onClick={() => g?.zoomBy(1.5)} aria-label="Zoom in" title="Zoom in" data-testid="zoom-in">
                +
              </button>
              <button type="button" onClick={() => g?.zoomBy(1 / 1.5)} aria-label="Zoom out" title="Zoom out" data-testid="zoom-out">
                −
              </button>
              <button type="button" onClick={() => g?.fit()} aria-label="Fit the graph in view" title="Fit" data-testid="zoom-fit">
                Fit
              </button>
              {narrow && touchGraph && (
                <button type="button" onClick={() => setTouchGraph(false)} data-testid="release-graph">
                  Done
                </button>
              )}
            </div>
            {counts.nodes === 0 && !busy && (
              <div className="empty" data-testid="empty">
                <h2>Nothing drawn yet</h2>
                <p>Search for a person, country, meeting, commodity or policy, or ask how two of them are linked.</p>
                <p className="empty-actions">
                  <button type="button" onClick={() => focusSearch('search')}>
                    Search
                  </button>
                  <button type="button" onClick={() => focusSearch('finder-from')}>
                    Find links
                  </button>
                </p>
                <p className="muted small">Then click a node for its card and neighbours, or a line for its evidence.</p>
              </div>
            )}
          </div>
          <div className="graph-foot">
            <Legend />
            <span className="muted small" data-testid="counts">
              {counts.nodes} entities, {counts.edges} relationships
              {filtered ? `, ${windowWords}` : ''}
              {counts.hidden ? `, ${counts.hidden} hidden by the claim filter` : ''}
            </span>
            <div className="export" role="group" aria-label="Export">
              <button type="button" className="small-btn" onClick={exportPNG} data-testid="export-png">
                Export PNG
              </button>
              <button type="button" className="small-btn" onClick={exportJSON} data-testid="export-json">
                Export JSON
              </button>
              <button type="button" className="small-btn" onClick={() => exportBrief('html')} data-testid="export-brief">
                Brief (HTML)
              </button>
              <button type="button" className="small-btn" onClick={() => exportBrief('md')} data-testid="export-brief-md">
                Brief (Markdown)
              </button>
              <button type="button" className="small-btn" onClick={clearAll}>
                Clear
              </button>
            </div>
          </div>
        </section>
        <aside className="panel" id="panel" tabIndex={-1} aria-label="Details">
          {tabs.length > 1 && (
            <div className="panel-tabs" role="tablist" aria-label="Panels">
              {tabs.map(([k, label]) => (
                <button key={k} type="button" role="tab" aria-selected={shown === k} onClick={() => setPanel(k)} data-testid={`tab-${k}`}>
                  {label}
                </button>
              ))}
            </div>
          )}
          {shown === 'entity' && card && (
            <div role={tabs.length > 1 ? 'tabpanel' : undefined}>
              {card.loading && <p className="muted">Loading…</p>}
              {card.error && (
                <p role="alert" className="error notice">
                  {card.error}
                </p>
              )}
              {entity && (
                <Card
                  entity={entity}
                  sources={card.sources}
                  truncated={g?.truncated.get(entity.id)}
                  expanded={view.expand.includes(entity.id)}
                  more={view.more.includes(entity.id)}
                  window={card.window}
                  statusOn={card.statusOn}
                  since={view.since}
                  until={view.until}
                  caveatFilter={filterActive(claims) ? claims : null}
                  onOpen={(id) => select(id)}
                  onEdge={chooseEdge}
                  onExpand={(more) => expand(entity.id, more, viewRef.current, true)}
                  onDocument={openDocument}
                  onFindFrom={(x) => setFinder((f) => ({ ...f, from: x }))}
                />
              )}
            </div>
          )}
          {shown === 'edge' && view.edge && (
            <div role={tabs.length > 1 ? 'tabpanel' : undefined}>
              <EdgeCard id={view.edge} known={view.known} onOpen={select} onDocument={openDocument} />
            </div>
          )}
          {shown === 'paths' && paths && (
            <div role={tabs.length > 1 ? 'tabpanel' : undefined}>
              {paths.loading && <p className="muted">Looking for links…</p>}
              {paths.error && (
                <p role="alert" className="error notice">
                  {paths.error}
                </p>
              )}
              {paths.result && (
                <PathList
                  result={paths.result}
                  onOpen={select}
                  onEdge={chooseEdge}
                  onDocument={openDocument}
                  onFocus={focusPath}
                  focused={view.path}
                  window={windowWords}
                  caveatFilter={filterActive(claims) ? claims : null}
                />
              )}
            </div>
          )}
          {!tabs.length && (
            <div className="intro">
              <h2>Explore who is linked to what</h2>
              <p>Every link in this graph comes with the sentence of the source document that states it.</p>
              <ul>
                <li>Search for a person, country, meeting, commodity or policy.</li>
                <li>Ask how two of them are linked, e.g. Howard Lutnick and rare earth minerals.</li>
                <li>Limit the links to what held in a period (valid between), or to what the sources had said by a date (as known on), or to firmer claims with the claim filter.</li>
                <li>Back and Forward walk through your steps; the address shares the view.</li>
              </ul>
            </div>
          )}
        </aside>
      </main>
      <DocumentDialog open={doc} onClose={() => setDoc(null)} />
    </div>
  );
}

/** expansionsKey identifies what a view draws: its expansions and their caps. */
function expansionsKey(v) {
  return `${v.expand.join(',')}|${v.more.join(',')}|${v.since}|${v.until}|${v.known}`;
}

/** briefTitle names a brief after what is on screen. */
function briefTitle(view, entity, paths, g) {
  if (paths?.from && paths?.to) return `How ${paths.from.name} is linked to ${paths.to.name}`;
  if (entity) return `${entity.name} and its links`;
  const first = view.expand[0] && g.nodeName(view.expand[0]);
  return first ? `${first} and its links` : 'A view of the trade graph';
}
