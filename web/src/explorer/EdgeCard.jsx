// The relationship panel, opened by clicking an edge: what is claimed, by whom, how
// sure, when and where those dates come from, who asserted it, and each evidence
// sentence highlighted in its document.
import { useEffect, useState } from 'react';
import { RELATIONSHIP, errorText, gql, relationshipSources } from './api.js';
import { Caveats, Provenance, humanType, validity } from './bits.jsx';
import { DATE_SOURCES, effectiveDates, publishedAfter } from './dates.js';
import { InContext } from './Paths.jsx';

function Name({ e, onOpen }) {
  return (
    <button type="button" className="link" onClick={() => onOpen(e.id)} title={`Open ${e.name}`}>
      {e.name}
    </button>
  );
}

/**
 * EdgeCard loads relationship id and shows it; onOpen(entityId) opens a card. With
 * known (the "as known on" date) it marks the evidence published after that date.
 */
export function EdgeCard({ id, known, onOpen, onDocument }) {
  const [state, setState] = useState({ loading: true });
  const [sources, setSources] = useState({ loading: true }); // its provenance, asked apart (see api.js)
  useEffect(() => {
    let live = true;
    setSources({ loading: true });
    const { query, variables } = relationshipSources([id]);
    gql(query, variables)
      .then((d) => live && setSources({ list: d.r0?.provenance || [] }))
      .catch((e) => live && setSources({ error: errorText(e) }));
    return () => {
      live = false;
    };
  }, [id]);
  useEffect(() => {
    let live = true;
    setState({ loading: true });
    gql(RELATIONSHIP, { id })
      .then((d) => live && setState(d.relationship ? { r: d.relationship } : { error: `No relationship has the id ${id}.` }))
      .catch((e) => live && setState({ error: errorText(e) }));
    return () => {
      live = false;
    };
  }, [id]);
  if (state.loading) return <p className="muted">Loading the relationship…</p>;
  if (state.error)
    return (
      <p role="alert" className="error notice">
        {state.error}
      </p>
    );
  const r = state.r;
  const stated = validity(r);
  const d = effectiveDates(r);
  return (
    <article className="card edge-card" aria-labelledby="edge-title" data-testid="edge-card" data-id={r.id}>
      <header>
        <span className="kind-badge" style={{ '--kind': '#334155' }}>
          Relationship
        </span>
      </header>
      <h2 id="edge-title" className="edge-title">
        <Name e={r.from} onOpen={onOpen} /> <span className="verb">{r.verb}</span> <Name e={r.to} onOpen={onOpen} />
      </h2>
      <Caveats r={r} />
      <dl className="props">
        <div>
          <dt>Type</dt>
          <dd>{humanType(r.type)}</dd>
        </div>
        <div>
          <dt>Holds</dt>
          <dd data-testid="edge-dates">{d.text}</dd>
        </div>
        <div>
          <dt>Dates from</dt>
          <dd data-testid="edge-date-source" data-source={d.source}>
            {DATE_SOURCES[d.source]}
            {d.source !== 'STATED' && (stated ? ` (the source states ${stated})` : '; the source states no date')}
          </dd>
        </div>
        <div>
          <dt>First reported</dt>
          <dd data-testid="edge-known-from">{r.dates?.knownFrom?.text || 'no evidence document is dated'}</dd>
        </div>
        <div>
          <dt>Confidence</dt>
          <dd data-testid="edge-confidence">{r.confidence.toFixed(2)}</dd>
        </div>
        <div>
          <dt>Claimed by</dt>
          <dd data-testid="edge-attribution">
            {r.attributedTo ? <Name e={r.attributedTo} onOpen={onOpen} /> : 'nobody in particular: the source states it'}
          </dd>
        </div>
        {r.note && (
          <div>
            <dt>Note</dt>
            <dd data-testid="edge-note">{r.note}</dd>
          </div>
        )}
        <div>
          <dt>Id</dt>
          <dd>
            <code>{r.id}</code>
          </dd>
        </div>
      </dl>
      <section aria-labelledby="edge-evidence-title">
        <h3 id="edge-evidence-title">Evidence ({r.evidence.length})</h3>
        {r.evidence.map((ev, i) => (
          <div key={i} className="edge-evidence" data-testid="edge-evidence">
            <InContext ev={ev} onDocument={onDocument} />
            <p className="muted small">{[ev.document.publisher, ev.document.date?.text].filter(Boolean).join(', ')}</p>
            {known && publishedAfter(ev.document.date?.text, known) && (
              <p className="notice small" data-testid="evidence-later">
                Published after {known}: not part of what was known on that date.
              </p>
            )}
          </div>
        ))}
      </section>
      <section aria-labelledby="edge-sources-title">
        <h3 id="edge-sources-title">Asserted by{sources.list ? ` (${sources.list.length})` : ''}</h3>
        {sources.loading && <p className="muted small">Loading the sources…</p>}
        {sources.error && (
          <p role="alert" className="error small" data-testid="sources-error">
            Could not load the sources: {sources.error}
          </p>
        )}
        {sources.list && <Provenance list={sources.list} />}
      </section>
    </article>
  );
}
