// The "how is A linked to B" finder's answer: ranked paths, each hop with its
// evidence sentence highlighted within its document (the sentences around it shown).
import { useEffect, useState } from 'react';
import { errorText, gql, relationshipSources } from './api.js';
import { Caveats, Highlighted, Provenance, humanType } from './bits.jsx';
import { pathPasses } from './caveats.js';
import { effectiveDates } from './dates.js';

/** InContext shows an evidence sentence between its neighbours in the document. */
export function InContext({ ev, onDocument }) {
  const sentences = ev.document.sentences || [];
  const around = sentences.filter((s) => Math.abs(s.number - ev.sentence) <= 1);
  return (
    <figure className="in-context">
      <div className="doc-excerpt">
        {around.map((s) =>
          s.number === ev.sentence ? (
            <span key={s.number} className="evidence-sentence" data-testid="evidence-sentence">
              <Highlighted sentence={s.text} quote={ev.quote} />{' '}
            </span>
          ) : (
            <span key={s.number} className="context-sentence">
              {s.text}{' '}
            </span>
          ),
        )}
        {around.length === 0 && (
          <span className="evidence-sentence" data-testid="evidence-sentence">
            <Highlighted sentence={ev.sentenceText} quote={ev.quote} />
          </span>
        )}
      </div>
      <figcaption>
        <button type="button" className="link small" onClick={() => onDocument(ev.document.id, ev.sentence, ev.quote)}>
          {ev.document.title}, sentence {ev.sentence}
        </button>
      </figcaption>
    </figure>
  );
}

function Hop({ hop, sources, onOpen, onDocument, onEdge }) {
  const r = hop.relationship;
  const d = effectiveDates(r);
  const dates = d.undated ? '' : d.text; // an undated hop says so among its caveats
  return (
    <li className="hop">
      <div className="rel-line">
        <button type="button" className="link" onClick={() => onOpen(r.from.id)}>
          {r.from.name}
        </button>{' '}
        <span className="verb" title={r.type}>
          {r.verb}
        </span>{' '}
        <button type="button" className="link" onClick={() => onOpen(r.to.id)}>
          {r.to.name}
        </button>{' '}
        <button type="button" className="link small" onClick={() => onEdge(r.id)} aria-label={`Details of: ${r.from.name} ${r.verb} ${r.to.name}`}>
          details
        </button>
      </div>
      <div className="rel-meta">
        <span>{humanType(r.type)}</span>
        {!hop.forward && <span>walked against its direction</span>}
        {dates && <span>{dates}</span>}
      </div>
      <Caveats r={r} />
      {r.evidence.map((ev, i) => (
        <InContext key={i} ev={ev} onDocument={onDocument} />
      ))}
      {sources.error && (
        <p className="error small" data-testid="sources-error">
          Could not load the sources: {sources.error}
        </p>
      )}
      {sources.byId?.has(r.id) && <Provenance list={sources.byId.get(r.id)} compact />}
    </li>
  );
}

/** useHopSources loads the provenance of every hop of a paths answer: {} | {error} | {byId}. */
function useHopSources(result) {
  const [state, setState] = useState({});
  useEffect(() => {
    const ids = [...new Set((result.paths || []).flatMap((p) => p.hops.map((h) => h.relationship.id)))];
    if (!ids.length) {
      setState({});
      return undefined;
    }
    let live = true;
    setState({});
    const { query, variables } = relationshipSources(ids);
    gql(query, variables)
      .then((d) => live && setState({ byId: new Map(Object.values(d).filter(Boolean).map((r) => [r.id, r.provenance])) }))
      .catch((err) => live && setState({ error: errorText(err) }));
    return () => {
      live = false;
    };
  }, [result]);
  return state;
}

/** PathList shows a paths answer; onFocus(path|null) highlights one in the graph. */
export function PathList({ result, onOpen, onEdge, onDocument, onFocus, focused, window: w, caveatFilter }) {
  const sources = useHopSources(result); // a hook: before the early return below
  if (!result.from || !result.to) {
    return (
      <p role="alert" className="error">
        {!result.from ? 'The start' : 'The end'} matches no entity.
      </p>
    );
  }
  const shown = result.paths.filter((p) => pathPasses(p, caveatFilter));
  return (
    <section className="paths" aria-labelledby="paths-title" data-testid="paths">
      <h2 id="paths-title">
        How {result.from.name} is linked to {result.to.name}
      </h2>
      {result.paths.length === 0 && (
        <p data-testid="no-paths" className="notice">
          {w ? `Nothing in this window: no path of at most 4 hops is ${w}.` : 'No path of at most 4 hops.'}
        </p>
      )}
      {shown.length < result.paths.length && (
        <p data-testid="paths-hidden" className="notice">
          {result.paths.length - shown.length} of {result.paths.length} paths hidden by the claim filter: each has a hop below the
          minimum confidence or attributed to someone.
        </p>
      )}
      <ol className="path-list">
        {shown.map((p) => (
          <li
            key={p.rank}
            className={`path${focused === p.rank ? ' focused' : ''}`}
            data-rank={p.rank}
            onMouseEnter={() => onFocus(p)}
            onMouseLeave={() => onFocus(null)}
          >
            <h3>
              <button type="button" className="path-title" aria-pressed={focused === p.rank} onClick={() => onFocus(p, true)}>
                {p.rank}. {p.explanation}
              </button>
            </h3>
            <p className="rel-meta">
              <span>
                {p.length} hop{p.length === 1 ? '' : 's'}
              </span>
              <span>confidence {p.confidence.toFixed(2)}</span>
            </p>
            <ol className="hops">
              {p.hops.map((h, i) => (
                <Hop key={i} hop={h} sources={sources} onOpen={onOpen} onDocument={onDocument} onEdge={onEdge} />
              ))}
            </ol>
          </li>
        ))}
      </ol>
    </section>
  );
}
