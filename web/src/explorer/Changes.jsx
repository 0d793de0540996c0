// "What changed between A and B" for the entity in view (Query.changes): the
// relationships that started or ended, the facts first reported, and the policies'
// milestones and status changes, each relationship with its evidence.
import { useEffect, useState } from 'react';
import { CHANGES, CHANGES_FIRST, errorText, gql } from './api.js';
import { humanType } from './bits.jsx';
import { effectiveDates, isPartialDate } from './dates.js';

const LISTS = [
  ['started', 'Started'],
  ['ended', 'Ended'],
  ['reported', 'First reported'],
];

function Change({ r, onOpen, onEdge, onDocument }) {
  const ev = r.evidence[0];
  return (
    <li data-id={r.id}>
      <button type="button" className="link" onClick={() => onOpen(r.from.id)}>
        {r.from.name}
      </button>{' '}
      <span className="verb">{r.verb}</span>{' '}
      <button type="button" className="link" onClick={() => onOpen(r.to.id)}>
        {r.to.name}
      </button>{' '}
      <span className="muted small">{effectiveDates(r).text}</span>{' '}
      <button type="button" className="link small" onClick={() => onEdge(r.id)} aria-label={`Details of: ${r.from.name} ${r.verb} ${r.to.name}`}>
        details
      </button>
      {ev && (
        <div className="small">
          <button type="button" className="link small" onClick={() => onDocument(ev.document.id, ev.sentence, ev.quote)}>
            {ev.document.title}
            {ev.document.date?.text ? ` (${ev.document.date.text})` : ''}, sentence {ev.sentence}
          </button>
          {r.evidence.length > 1 && <span className="muted"> and {r.evidence.length - 1} more</span>}
        </div>
      )}
    </li>
  );
}

/** Changes asks what changed around entity id between two dates, the date window's by default. */
export function Changes({ id, name, since, until, onOpen, onEdge, onDocument }) {
  const [a, setA] = useState(since);
  const [b, setB] = useState(until);
  const [asked, setAsked] = useState(null); // {from, to}
  const [state, setState] = useState(null); // {loading} | {error} | {changes}
  useEffect(() => {
    setA(since);
    setB(until);
  }, [since, until]);
  useEffect(() => {
    setAsked(null);
    setState(null);
  }, [id]);
  useEffect(() => {
    if (!asked) return undefined;
    let live = true;
    setState({ loading: true });
    gql(CHANGES, { id, from: asked.from, to: asked.to })
      .then((d) => live && setState({ changes: d.changes }))
      .catch((e) => live && setState({ error: errorText(e) }));
    return () => {
      live = false;
    };
  }, [id, asked]);
  const submit = (e) => {
    e.preventDefault();
    const from = a.trim();
    const to = b.trim();
    for (const v of [from, to]) {
      if (!isPartialDate(v)) {
        setState({ error: `"${v}" is not a date: write 2025, 2025-05 or 2025-05-12, in both boxes.` });
        return;
      }
    }
    if (from > to && !from.startsWith(to) && !to.startsWith(from)) {
      setState({ error: 'The period ends before it starts.' });
      return;
    }
    setAsked({ from, to });
  };
  const c = state?.changes;
  const empty = c && !c.started.length && !c.ended.length && !c.reported.length && !c.policies.length;
  return (
    <section aria-labelledby="changes-title" className="changes" data-testid="changes">
      <h3 id="changes-title">What changed</h3>
      <form onSubmit={submit} className="changes-form" aria-label="What changed between two dates">
        <label>
          between <input name="from" value={a} onChange={(e) => setA(e.target.value)} placeholder="2025-05" size="10" />
        </label>{' '}
        <label>
          and <input name="to" value={b} onChange={(e) => setB(e.target.value)} placeholder="2025-12" size="10" />
        </label>{' '}
        <button type="submit" data-testid="changes-go">
          Show
        </button>
      </form>
      {state?.loading && <p className="muted small">Looking for changes…</p>}
      {state?.error && (
        <p role="alert" className="error small">
          {state.error}
        </p>
      )}
      {c && (
        <div data-testid="changes-result" data-from={asked.from} data-to={asked.to}>
          <p className="small">
            Around {name}, between {asked.from} and {asked.to}:
          </p>
          {[c.started, c.ended, c.reported, c.policies].some((l) => l.length >= CHANGES_FIRST) && (
            <p className="muted small">Each list shows at most {CHANGES_FIRST}; the playground&apos;s changes query pages further.</p>
          )}
          {empty && <p className="notice small" data-testid="changes-empty">Nothing changed in that period: no relationship started, ended or was first reported, and no policy changed.</p>}
          {LISTS.map(
            ([k, label]) =>
              c[k].length > 0 && (
                <div key={k} data-list={k}>
                  <h4>
                    {label} <span className="count">{c[k].length}</span>
                  </h4>
                  <ul className="change-list">
                    {c[k].map((r) => (
                      <Change key={r.id} r={r} onOpen={onOpen} onEdge={onEdge} onDocument={onDocument} />
                    ))}
                  </ul>
                </div>
              ),
          )}
          {c.policies.length > 0 && (
            <div data-list="policies">
              <h4>
                Policies <span className="count">{c.policies.length}</span>
              </h4>
              <ul className="change-list">
                {c.policies.map((p, i) => (
                  <li key={i}>
                    {p.date.text}:{' '}
                    <button type="button" className="link" onClick={() => onOpen(p.policy.id)}>
                      {p.policy.name}
                    </button>{' '}
                    {p.what === 'STATUS' ? `status ${humanType(p.status || '')}` : humanType(p.what)}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
