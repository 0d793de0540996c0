// The explorer at /: search, entity card, graph, link finder, date filter, exports,
// with the view kept in the URL (see url.js).
import { useCallback, useEffect, useRef, useState } from 'react';
import { ENTITY, NEIGHBORHOOD, PATHS, gql } from './api.js';
import { isPartialDate, rangeVariable } from './dates.js';
import { GraphView, KINDS } from './graph.js';
import { formatView, parseView } from './url.js';
import { EntitySearch } from './Search.jsx';
import { Card } from './Card.jsx';
import { PathList } from './Paths.jsx';
import { DocumentDialog } from './DocumentDialog.jsx';

// On a phone, focusing the search at load would pop the keyboard over the page.
const narrow = window.matchMedia?.('(max-width: 900px)').matches;

const CAP = 10; // limitPerType of a first expansion
const MORE_CAP = 50; // the API's largest limitPerType

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
    </ul>
  );
}

function DateFilter({ since, until, onApply }) {
  const [s, setS] = useState(since);
  const [u, setU] = useState(until);
  const [err, setErr] = useState('');
  useEffect(() => {
    setS(since);
    setU(until);
  }, [since, until]);
  const submit = (e) => {
    e.preventDefault();
    const a = s.trim();
    const b = u.trim();
    for (const v of [a, b]) {
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
    onApply(a, b);
  };
  return (
    <form className="dates" onSubmit={submit} aria-label="Date filter" data-testid="date-filter">
      <fieldset>
        <legend>Valid between</legend>
        <label>
          <span className="visually-hidden">From date</span>
          <input name="since" value={s} onChange={(e) => setS(e.target.value)} placeholder="2025" size="10" inputMode="numeric" />
        </label>
        <span aria-hidden="true">–</span>
        <label>
          <span className="visually-hidden">To date</span>
          <input name="until" value={u} onChange={(e) => setU(e.target.value)} placeholder="2025-12" size="10" inputMode="numeric" />
        </label>
        <button type="submit">Apply</button>
        {(since || until) && (
          <button type="button" onClick={() => onApply('', '')}>
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

export function App() {
  const [view, setView] = useState(() => parseView(location.search));
  const [card, setCard] = useState(null); // {entity} | {error} | {loading}
  const [paths, setPaths] = useState(null); // {result} | {error} | {loading}
  const [panel, setPanel] = useState(() => (parseView(location.search).from ? 'paths' : 'entity'));
  const [finder, setFinder] = useState({ from: null, to: null });
  const [doc, setDoc] = useState(null);
  const [status, setStatus] = useState('');
  const [counts, setCounts] = useState({ nodes: 0, edges: 0, hidden: 0 });
  const [focused, setFocused] = useState(null);
  const [, setTick] = useState(0); // re-render when the graph's truncation changes
  const cyRef = useRef(null);
  const graph = useRef(null);
  const viewRef = useRef(view);
  viewRef.current = view;

  const during = rangeVariable(view.since, view.until);
  const duringKey = `${view.since}|${view.until}`;

  const refreshCounts = () => setCounts(graph.current.visibleCount());

  // The URL follows the view.
  useEffect(() => {
    const q = formatView(view);
    if (q !== location.search) history.replaceState(null, '', q || location.pathname);
  }, [view]);

  const expand = useCallback(async (id, more = false) => {
    const v = viewRef.current;
    setStatus(`Loading the neighbours of ${graph.current.nodeName(id) || id}…`);
    try {
      const data = await gql(NEIGHBORHOOD, { id, limit: more ? MORE_CAP : CAP, during: rangeVariable(v.since, v.until) });
      const sub = data.neighborhood;
      graph.current.addNeighborhood(sub);
      graph.current.layout();
      graph.current.setCurrent(viewRef.current.entity);
      setView((w) => ({
        ...w,
        expand: w.expand.includes(id) ? w.expand : [...w.expand, id],
        more: more && !w.more.includes(id) ? [...w.more, id] : w.more,
      }));
      const omitted = sub.truncated.reduce((s, t) => s + t.omitted, 0);
      setStatus(
        `${graph.current.nodeName(id)}: ${sub.nodes.length - 1} neighbours, ${sub.edges.length} relationships` +
          (omitted ? `, ${omitted} more left out by the hub cap` : '') + '.',
      );
      setTick((t) => t + 1);
      refreshCounts();
    } catch (e) {
      setStatus(`Could not expand ${id}: ${e.message}`);
    }
  }, []);

  const select = useCallback((id) => {
    setView((w) => ({ ...w, entity: id }));
    setPanel('entity');
    graph.current?.setCurrent(id);
  }, []);

  // The graph, once; then the view in the URL is rebuilt.
  useEffect(() => {
    const g = new GraphView(cyRef.current, {
      // A click on a node opens its card and draws its neighbours.
      onSelect: (id) => {
        select(id);
        if (!viewRef.current.expand.includes(id)) expand(id);
      },
      onMore: (id) => expand(id, true),
    });
    graph.current = g;
    // For the browser tests and the curious: the Cytoscape instance behind the view.
    window.tradegraphExplorer = { cy: g.cy };
    const v = viewRef.current;
    g.setRange(v.since, v.until);
    (async () => {
      for (const id of v.expand) await expand(id, v.more.includes(id));
      refreshCounts();
    })();
    return () => g.destroy();
  }, [expand, select]);

  // The card follows the selected entity and the date range.
  useEffect(() => {
    if (!view.entity) {
      setCard(null);
      return;
    }
    let live = true;
    setCard((c) => (c?.entity?.id === view.entity ? c : { loading: true }));
    gql(ENTITY, { id: view.entity, during })
      .then((d) => {
        if (!live) return;
        if (!d.entity) {
          setCard({ error: `No entity has the id ${view.entity}.` });
          return;
        }
        setCard({ entity: d.entity });
        const g = graph.current;
        if (g.cy.getElementById(d.entity.id).empty()) {
          g.addNode(d.entity);
          g.layout();
          refreshCounts();
        }
        g.setCurrent(d.entity.id);
      })
      .catch((e) => live && setCard({ error: e.message }));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [view.entity, duringKey]);

  // The link finder follows its endpoints and the date range.
  useEffect(() => {
    if (!view.from || !view.to) {
      setPaths(null);
      graph.current?.setPaths([]);
      return;
    }
    let live = true;
    setPaths({ loading: true });
    setStatus('Looking for links…');
    gql(PATHS, { from: view.from, to: view.to, during })
      .then((d) => {
        if (!live) return;
        const r = d.paths;
        setPaths({ result: r });
        setFinder({ from: r.from, to: r.to });
        graph.current.setPaths(r.paths);
        graph.current.layout();
        refreshCounts();
        setStatus(r.paths.length ? `${r.paths.length} paths found.` : 'No path found.');
      })
      .catch((e) => {
        if (!live) return;
        setPaths({ error: e.message });
        setStatus(e.message);
      });
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [view.from, view.to, duringKey]);

  const chooseFromSearch = (entity) => {
    select(entity.id);
    graph.current.addNode(entity);
    expand(entity.id);
  };

  const findLinks = (e) => {
    e.preventDefault();
    if (!finder.from || !finder.to) {
      setStatus('Choose both ends from the suggestions first.');
      return;
    }
    setView((w) => ({ ...w, from: finder.from.id, to: finder.to.id }));
    setPanel('paths');
  };

  const applyRange = (since, until) => {
    graph.current.setRange(since, until);
    setView((w) => ({ ...w, since, until }));
    refreshCounts();
    const c = graph.current.visibleCount();
    setStatus(since || until ? `Date filter on: ${c.hidden} relationships hidden.` : 'Date filter off.');
  };

  const clearAll = () => {
    graph.current.clear();
    setView({ entity: '', expand: [], more: [], from: '', to: '', since: view.since, until: view.until });
    setFinder({ from: null, to: null });
    refreshCounts();
    setStatus('View cleared.');
  };

  const exportPNG = async () => {
    if (graph.current.cy.nodes().empty()) {
      setStatus('Nothing to export yet: search for an entity first.');
      return;
    }
    const blob = await graph.current.png();
    saveBlob(blob, 'tradegraph.png');
    setStatus(`Exported the view as tradegraph.png (${Math.round(blob.size / 1024)} KiB).`);
  };

  const exportJSON = () => {
    const data = {
      view: { url: location.href, ...view },
      ...graph.current.data(),
      paths: paths?.result ?? null,
    };
    saveBlob(new Blob([JSON.stringify(data, null, 2) + '\n'], { type: 'application/json' }), 'tradegraph.json');
    setStatus('Exported the view as tradegraph.json.');
  };

  const openDocument = (id, sentences, quote) => {
    setDoc({ id, sentences: Array.isArray(sentences) ? sentences : [sentences], quote });
  };

  const focusPath = (p, toggle) => {
    if (toggle) {
      const next = focused === p.rank ? null : p.rank;
      setFocused(next);
      graph.current.focusPath(next ? p : null);
      return;
    }
    if (focused) return; // a clicked path stays highlighted
    graph.current.focusPath(p);
  };

  const entity = card?.entity;
  const g = graph.current;
  const filtered = Boolean(view.since || view.until);
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
          <a href="playground">GraphQL playground</a>
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
        <DateFilter since={view.since} until={view.until} onApply={applyRange} />
      </div>
      <main className="body">
        <section className="graph-pane" aria-label="Graph view">
          <div ref={cyRef} className="cy" data-testid="graph" role="img" aria-label={`Graph of ${counts.nodes} entities and ${counts.edges} relationships`} />
          {counts.nodes === 0 && (
            <div className="empty">
              <p>Search for an entity to start, or ask how two entities are linked.</p>
              <p className="muted small">Click a node to open its card and draw its neighbours.</p>
            </div>
          )}
          <div className="graph-foot">
            <Legend />
            <span className="muted small" data-testid="counts">
              {counts.nodes} entities, {counts.edges} relationships
              {counts.hidden ? `, ${counts.hidden} hidden by the dates` : ''}
            </span>
            <div className="export" role="group" aria-label="View">
              <button type="button" className="small-btn" onClick={() => g?.cy.fit(undefined, 40)}>
                Fit
              </button>
              <button type="button" className="small-btn" onClick={exportPNG} data-testid="export-png">
                Export PNG
              </button>
              <button type="button" className="small-btn" onClick={exportJSON} data-testid="export-json">
                Export JSON
              </button>
              <button type="button" className="small-btn" onClick={clearAll}>
                Clear
              </button>
            </div>
          </div>
        </section>
        <aside className="panel" id="panel" tabIndex={-1} aria-label="Details">
          {card && paths && (
            <div className="panel-tabs" role="tablist" aria-label="Panels">
              <button type="button" role="tab" aria-selected={panel === 'entity'} onClick={() => setPanel('entity')}>
                Entity
              </button>
              <button type="button" role="tab" aria-selected={panel === 'paths'} onClick={() => setPanel('paths')}>
                Links
              </button>
            </div>
          )}
          {(panel === 'entity' || !paths) && card && (
            <div role={paths ? 'tabpanel' : undefined}>
              {card.loading && <p className="muted">Loading…</p>}
              {card.error && (
                <p role="alert" className="error">
                  {card.error}
                </p>
              )}
              {entity && (
                <Card
                  entity={entity}
                  truncated={g?.truncated.get(entity.id)}
                  expanded={view.expand.includes(entity.id)}
                  more={view.more.includes(entity.id)}
                  filtered={filtered}
                  onOpen={(id) => select(id)}
                  onExpand={(more) => expand(entity.id, more)}
                  onDocument={openDocument}
                  onFindFrom={(x) => setFinder((f) => ({ ...f, from: x }))}
                />
              )}
            </div>
          )}
          {(panel === 'paths' || !card) && paths && (
            <div role={card ? 'tabpanel' : undefined}>
              {paths.loading && <p className="muted">Looking for links…</p>}
              {paths.error && (
                <p role="alert" className="error">
                  {paths.error}
                </p>
              )}
              {paths.result && <PathList result={paths.result} onOpen={select} onDocument={openDocument} onFocus={focusPath} focused={focused} filtered={filtered} />}
            </div>
          )}
          {!card && !paths && (
            <div className="intro">
              <h2>Explore who is linked to what</h2>
              <p>Every link in this graph comes with the sentence of the source document that states it.</p>
              <ul>
                <li>Search for a person, country, meeting, commodity or policy.</li>
                <li>Ask how two of them are linked, e.g. Howard Lutnick and rare earth minerals.</li>
                <li>Limit the links to a period with the dates.</li>
              </ul>
            </div>
          )}
        </aside>
      </main>
      <p className="status" role="status" aria-live="polite" data-testid="status">
        {status}
      </p>
      <DocumentDialog open={doc} onClose={() => setDoc(null)} />
    </div>
  );
}
