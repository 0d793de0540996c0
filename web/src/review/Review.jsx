// The review page (/review): paste or upload an article, see what drafting
// proposes highlighted in its sentences, accept, edit or reject each proposal,
// then check, download as YAML, or write the accepted facts with an editor's
// token. The server validates every write as `tradegraph load` does; the page
// never shows text as HTML (React text nodes only).
import { useEffect, useMemo, useState } from 'react';
import { gql, errorText, GraphQLError, DRAFT, VOCABULARY, CHECK, WRITE } from './api.js';
import { segments, initialReview, blockers, dataset, placeProblems, problemText } from './review.js';

/** MAX_TEXT is the server's cap on an article (graph.MaxDraftText). */
const MAX_TEXT = 48 << 10;

const KIND_CLASS = { ACTOR: 'k-actor', MEETING: 'k-meeting', COMMODITY: 'k-commodity', POLICY: 'k-policy' };
const kindClass = (kind) => KIND_CLASS[String(kind).toUpperCase()] || 'k-other';

export function Review() {
  const [article, setArticle] = useState({ text: '', title: '', date: '', markdown: false });
  const [draft, setDraft] = useState(null);
  const [review, setReview] = useState(null);
  const [busy, setBusy] = useState('');
  const [draftError, setDraftError] = useState('');
  const [activeRel, setActiveRel] = useState(-1);
  const [verbs, setVerbs] = useState([]);
  const [outcome, setOutcome] = useState(null); // {kind: 'checked'|'written'|'error', ...}
  const [problems, setProblems] = useState({});
  const [token, setToken] = useState('');

  useEffect(() => {
    gql(VOCABULARY, {})
      .then((d) => setVerbs(d.vocabulary.map((v) => v.type)))
      .catch(() => setVerbs([])); // the type box then takes any text; the server checks it
  }, []);

  const bytes = useMemo(() => new TextEncoder().encode(article.text).length, [article.text]);

  async function runDraft(ev) {
    ev.preventDefault();
    setDraftError('');
    if (!article.text.trim()) {
      setDraftError('Paste an article or choose a file first.');
      return;
    }
    if (bytes > MAX_TEXT) {
      setDraftError(`The article is ${bytes.toLocaleString('en')} bytes; the limit is ${MAX_TEXT.toLocaleString('en')}. Draft it in parts, or with \`tradegraph draft\`.`);
      return;
    }
    setBusy('draft');
    try {
      const input = { text: article.text, markdown: article.markdown };
      if (article.title.trim()) input.title = article.title.trim();
      if (article.date.trim()) input.date = article.date.trim();
      const d = await gql(DRAFT, { in: input });
      setDraft(d.draftArticle);
      setReview(initialReview(d.draftArticle));
      setOutcome(null);
      setProblems({});
    } catch (e) {
      setDraftError(errorText(e));
    } finally {
      setBusy('');
    }
  }

  async function chooseFile(ev) {
    const f = ev.target.files?.[0];
    if (!f) return;
    const text = await f.text();
    setArticle((a) => ({ ...a, text, markdown: /\.(md|markdown)$/i.test(f.name) }));
  }

  const setEntity = (id, patch) => setReview((r) => ({ ...r, entities: { ...r.entities, [id]: { ...r.entities[id], ...patch } } }));
  const setRel = (i, patch) => setReview((r) => ({ ...r, relationships: r.relationships.map((x, k) => (k === i ? { ...x, ...patch } : x)) }));
  function decideAll(state) {
    setReview((r) => ({
      entities: Object.fromEntries(Object.entries(r.entities).map(([id, v]) => [id, { ...v, state }])),
      relationships: r.relationships.map((x) => ({ ...x, state })),
    }));
  }

  // check asks the server whether the accepted facts load; it places each problem on its item.
  async function check() {
    const ds = dataset(draft, review);
    const d = await gql(CHECK, { d: ds.json });
    const c = d.checkDataset;
    setProblems(placeProblems(c.problems, ds));
    return { ds, c };
  }

  async function runCheck(then) {
    setOutcome(null);
    setBusy(then);
    try {
      const { ds, c } = await check();
      if (!c.valid) {
        setOutcome({ kind: 'invalid', problems: c.problems });
        return;
      }
      if (then === 'download') {
        const url = URL.createObjectURL(new Blob([c.yaml], { type: 'application/yaml' }));
        const a = document.createElement('a');
        a.href = url;
        a.download = `${draft.document.id.replace(/^doc:/, '')}.yaml`;
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 1000);
        setOutcome({ kind: 'checked', counts: ds.counts, downloaded: a.download });
        return;
      }
      if (then === 'write') {
        if (!token.trim()) {
          setOutcome({ kind: 'error', message: 'Give an editor token to write (Authorization: Bearer …); the check passed.' });
          return;
        }
        const w = (await gql(WRITE, { d: ds.json }, { token: token.trim() })).writeDataset;
        setOutcome({ kind: 'written', counts: ds.counts, write: w, ids: ds.entityIds });
        return;
      }
      setOutcome({ kind: 'checked', counts: ds.counts });
    } catch (e) {
      const hint = e instanceof GraphQLError && e.code === 'TIMEOUT' ? ' Write again in a moment.' : '';
      setOutcome({ kind: 'error', message: errorText(e) + hint, code: e.code || '' });
    } finally {
      setBusy('');
    }
  }

  const names = useMemo(() => {
    const m = {};
    for (const e of draft?.entities || []) m[e.id] = review?.entities[e.id]?.name || e.name;
    return m;
  }, [draft, review]);
  const ds = draft && review ? dataset(draft, review) : null;

  return (
    <div className="review">
      <a className="skip" href="#proposals">Skip to the proposals</a>
      <header className="top">
        <h1 className="brand">
          tradegraph <span>review drafted facts</span>
        </h1>
        <nav className="nav" aria-label="Console">
          <a href="./">Explorer</a> <a href="playground">GraphQL playground</a>
        </nav>
      </header>
      <main className="review-main">
        <form className="panel article-form" onSubmit={runDraft} aria-label="Article" data-testid="article-form">
          <h2>1. The article</h2>
          <p className="muted small">
            Paste a news article (plain text or Markdown) or choose a file. Drafting proposes its entities and relationships with the same
            patterns as <code>tradegraph draft</code>; nothing is written until you accept facts and write them.
          </p>
          <div className="row">
            <label>
              Title <input value={article.title} onChange={(e) => setArticle({ ...article, title: e.target.value })} data-testid="title" placeholder="required unless a Markdown heading gives it" />
            </label>
            <label>
              Date <input value={article.date} onChange={(e) => setArticle({ ...article, date: e.target.value })} data-testid="date" placeholder="YYYY-MM-DD" size={11} />
            </label>
          </div>
          <label className="block">
            Text
            <textarea rows={9} value={article.text} onChange={(e) => setArticle({ ...article, text: e.target.value })} data-testid="text" spellCheck={false} />
          </label>
          <div className="row">
            <label>
              Or a file <input type="file" accept=".txt,.md,.markdown,text/plain,text/markdown" onChange={chooseFile} data-testid="file" />
            </label>
            <label className="check">
              <input type="checkbox" checked={article.markdown} onChange={(e) => setArticle({ ...article, markdown: e.target.checked })} /> Markdown
            </label>
            <span className={bytes > MAX_TEXT ? 'error small' : 'muted small'}>
              {bytes.toLocaleString('en')} / {MAX_TEXT.toLocaleString('en')} bytes
            </span>
            <button type="submit" disabled={busy === 'draft'} data-testid="draft">
              {busy === 'draft' ? 'Drafting…' : 'Draft'}
            </button>
          </div>
          {draftError && (
            <p className="msg msg-error" role="alert" data-testid="draft-error">
              {draftError}
            </p>
          )}
        </form>

        {draft && review && (
          <>
            <section className="panel" aria-labelledby="text-h">
              <h2 id="text-h">2. {draft.document.title}</h2>
              <p className="muted small">
                {draft.document.id} · {draft.document.sentences.length} sentences · names are marked by kind; focus a relationship to see its
                evidence.
              </p>
              <Legend />
              <ArticleText draft={draft} review={review} activeRel={activeRel} names={names} />
              {draft.ambiguous.length > 0 && <p className="small">Not linked, ambiguous: {draft.ambiguous.join('; ')}</p>}
              {draft.alreadyKnown.length > 0 && <p className="small">Left out, already in the graph: {draft.alreadyKnown.join('; ')}</p>}
            </section>

            <section className="panel" id="proposals" aria-labelledby="prop-h" data-testid="proposals">
              <h2 id="prop-h">3. Proposals</h2>
              <div className="row">
                <button type="button" onClick={() => decideAll('accepted')}>
                  Accept all
                </button>
                <button type="button" onClick={() => decideAll('rejected')}>
                  Reject all
                </button>
                <span className="muted small">Only accepted proposals are written; a relationship needs its new entities accepted.</span>
              </div>
              <h3>Entities</h3>
              <ul className="items" data-testid="entities">
                {draft.entities.map((e) => (
                  <EntityItem key={e.id} e={e} v={review.entities[e.id]} onChange={(p) => setEntity(e.id, p)} problems={problems[`entity:${e.id}`]} />
                ))}
              </ul>
              <h3>Relationships</h3>
              {draft.relationships.length === 0 && <p className="muted">Drafting proposed no relationship in this article.</p>}
              <ul className="items" data-testid="relationships">
                {draft.relationships.map((r, i) => (
                  <RelItem
                    key={i}
                    i={i}
                    r={r}
                    v={review.relationships[i]}
                    names={names}
                    sentences={draft.document.sentences}
                    blocked={blockers(draft, review, i)}
                    verbs={verbs}
                    active={activeRel === i}
                    onActive={() => setActiveRel(i)}
                    onChange={(p) => setRel(i, p)}
                    problems={problems[`rel:${i}`]}
                  />
                ))}
              </ul>
            </section>

            <section className="panel" aria-labelledby="write-h" data-testid="write-panel">
              <h2 id="write-h">4. Check and write</h2>
              <p data-testid="counts">
                Accepted: {ds.counts.entities} new entit{ds.counts.entities === 1 ? 'y' : 'ies'} and {ds.counts.relationships} relationship
                {ds.counts.relationships === 1 ? '' : 's'}, with the article as their evidence document.
              </p>
              <div className="row">
                <button type="button" onClick={() => runCheck('check')} disabled={!!busy} data-testid="check">
                  {busy === 'check' ? 'Checking…' : 'Check'}
                </button>
                <button type="button" onClick={() => runCheck('download')} disabled={!!busy} data-testid="download">
                  Download YAML
                </button>
                <label>
                  Editor token{' '}
                  <input type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} data-testid="token" size={24} />
                </label>
                <button type="button" className="primary" onClick={() => runCheck('write')} disabled={!!busy} data-testid="write">
                  {busy === 'write' ? 'Writing…' : 'Write to the graph'}
                </button>
              </div>
              <Outcome outcome={outcome} problems={problems} names={names} />
            </section>
          </>
        )}
      </main>
    </div>
  );
}

function Legend() {
  return (
    <p className="legend small" aria-label="Legend">
      <mark className="ent k-actor">actor</mark> <mark className="ent k-meeting">meeting</mark> <mark className="ent k-commodity">commodity</mark>{' '}
      <mark className="ent k-policy">policy</mark> <span className="ent-rejected">rejected</span> <span className="quote-active">evidence</span>
    </p>
  );
}

/** ArticleText shows every sentence with its names marked, and the focused relationship's evidence. */
function ArticleText({ draft, review, activeRel, names }) {
  const kinds = useMemo(() => Object.fromEntries(draft.entities.map((e) => [e.id, e])), [draft]);
  const rel = activeRel >= 0 ? draft.relationships[activeRel] : null;
  const quote = rel ? review.relationships[activeRel].quote : '';
  return (
    <ol className="sentences" data-testid="article">
      {draft.document.sentences.map((s, i) => {
        const n = i + 1;
        const ms = draft.mentions.filter((m) => m.sentence === n);
        const ev = rel && rel.evidence[0]?.sentence === n ? s.indexOf(quote) : -1;
        if (ev >= 0 && quote) ms.push({ start: ev, end: ev + quote.length, entityId: '\u0000quote' });
        return (
          <li key={n} value={n} data-sentence={n}>
            {segments(s, ms).map((seg, k) => {
              const ents = seg.ids.filter((id) => id !== '\u0000quote');
              const inQuote = seg.ids.length !== ents.length;
              if (!ents.length && !inQuote) return seg.text;
              const e = kinds[ents[0]];
              const rejected = ents.length > 0 && ents.every((id) => review.entities[id]?.state === 'rejected');
              const cls = [ents.length ? `ent ${kindClass(e?.kind)}` : '', rejected ? 'ent-rejected' : '', inQuote ? 'quote-active' : ''].join(' ').trim();
              const title = ents.map((id) => `${names[id] || id}${kinds[id]?.known ? ' (in the graph)' : ''}`).join('; ');
              return (
                <mark key={k} className={cls} title={title || 'evidence'} data-entities={ents.join(' ')}>
                  {seg.text}
                </mark>
              );
            })}
          </li>
        );
      })}
    </ol>
  );
}

function Decision({ state, onChange, label, editing, onEdit }) {
  return (
    <div className="decision" role="group" aria-label={`Decision on ${label}`}>
      <button type="button" aria-pressed={state === 'accepted'} className={state === 'accepted' ? 'on-accept' : ''} onClick={() => onChange({ state: 'accepted' })}>
        Accept
      </button>
      <button type="button" aria-pressed={editing} onClick={onEdit}>
        {editing ? 'Done' : 'Edit'}
      </button>
      <button type="button" aria-pressed={state === 'rejected'} className={state === 'rejected' ? 'on-reject' : ''} onClick={() => onChange({ state: 'rejected' })}>
        Reject
      </button>
    </div>
  );
}

function Problems({ list }) {
  if (!list?.length) return null;
  return (
    <ul className="problems" role="alert">
      {list.map((p, k) => (
        <li key={k}>{problemText(p)}</li>
      ))}
    </ul>
  );
}

function EntityItem({ e, v, onChange, problems }) {
  const [editing, setEditing] = useState(false);
  if (e.known) {
    return (
      <li className="item known" data-id={e.id}>
        <mark className={`ent ${kindClass(e.kind)}`}>{e.name}</mark> <span className="muted small">{e.id} · already in the graph: linked, not written</span>
      </li>
    );
  }
  const actor = String(e.kind).toUpperCase() === 'ACTOR';
  const policy = String(e.kind).toUpperCase() === 'POLICY';
  return (
    <li className={`item state-${v.state}`} data-id={e.id} data-testid={`entity-${e.id}`}>
      <div className="item-head">
        <div>
          <mark className={`ent ${kindClass(e.kind)}`}>{v.name}</mark> <span className="small">{`${e.kind} · ${v.type}${v.role ? ` · ${v.role}` : ''}${v.status ? ` · ${v.status}` : ''}`}</span>
          <div className="muted small">
            {e.id} · <StateText state={v.state} />
          </div>
        </div>
        <Decision state={v.state} label={v.name} editing={editing} onEdit={() => setEditing(!editing)} onChange={onChange} />
      </div>
      {editing && (
        <div className="edit row">
          <label>
            Name <input value={v.name} onChange={(x) => onChange({ name: x.target.value })} data-field="name" />
          </label>
          <label>
            Type <input value={v.type} onChange={(x) => onChange({ type: x.target.value.toUpperCase() })} data-field="type" size={12} />
          </label>
          {actor && (
            <label>
              Role <input value={v.role} onChange={(x) => onChange({ role: x.target.value })} data-field="role" />
            </label>
          )}
          {policy && (
            <label>
              Status <input value={v.status} onChange={(x) => onChange({ status: x.target.value.toUpperCase() })} data-field="status" size={12} />
            </label>
          )}
        </div>
      )}
      <Problems list={problems} />
    </li>
  );
}

function StateText({ state }) {
  if (state === 'accepted') return <strong className="ok">accepted</strong>;
  if (state === 'rejected') return <strong className="error">rejected</strong>;
  return <span>not decided</span>;
}

function RelItem({ i, r, v, names, sentences, blocked, verbs, active, onActive, onChange, problems }) {
  const [editing, setEditing] = useState(false);
  const ev = r.evidence[0];
  const label = `${names[r.from] || r.from} ${v.type} ${names[r.to] || r.to}`;
  return (
    <li className={`item state-${v.state}${active ? ' active' : ''}`} onFocus={onActive} onMouseEnter={onActive} data-testid={`rel-${i}`}>
      <div className="item-head">
        <div>
          <strong>{names[r.from] || r.from}</strong> <code>{v.type}</code> <strong>{names[r.to] || r.to}</strong>{' '}
          <span className="small">confidence {v.confidence}</span>
          <div className="small">
            “{v.quote}” <span className="muted">(sentence {ev?.sentence}{r.evidence.length > 1 ? ` and ${r.evidence.length - 1} more` : ''})</span>
          </div>
          <div className="muted small">
            {v.note || 'no note'} · <StateText state={v.state} />
            {v.state === 'accepted' && blocked.length > 0 && (
              <span className="error"> · not written until {blocked.map((id) => names[id] || id).join(' and ')} {blocked.length > 1 ? 'are' : 'is'} accepted</span>
            )}
          </div>
        </div>
        <Decision state={v.state} label={label} editing={editing} onEdit={() => setEditing(!editing)} onChange={onChange} />
      </div>
      {editing && (
        <div className="edit row">
          <label>
            Type{' '}
            {verbs.length ? (
              <select value={v.type} onChange={(x) => onChange({ type: x.target.value })} data-field="type">
                {(verbs.includes(v.type) ? verbs : [v.type, ...verbs]).map((t) => (
                  <option key={t}>{t}</option>
                ))}
              </select>
            ) : (
              <input value={v.type} onChange={(x) => onChange({ type: x.target.value.toUpperCase() })} data-field="type" />
            )}
          </label>
          <label>
            Confidence <input type="number" min="0" max="1" step="0.05" value={v.confidence} onChange={(x) => onChange({ confidence: x.target.value })} data-field="confidence" />
          </label>
          <label className="grow">
            Quote (verbatim from sentence {ev?.sentence}) <input value={v.quote} onChange={(x) => onChange({ quote: x.target.value })} data-field="quote" />
          </label>
          <label className="grow">
            Note <input value={v.note} onChange={(x) => onChange({ note: x.target.value })} data-field="note" />
          </label>
          <p className="muted small">Sentence {ev?.sentence}: {sentences[(ev?.sentence || 1) - 1]}</p>
        </div>
      )}
      <Problems list={problems} />
    </li>
  );
}

function Outcome({ outcome, problems, names }) {
  if (!outcome) return <p role="status" className="visually-hidden" />;
  if (outcome.kind === 'error') {
    return (
      <p className="msg msg-error" role="alert" data-testid="outcome">
        {outcome.message}
      </p>
    );
  }
  if (outcome.kind === 'invalid') {
    return (
      <div className="msg msg-error" role="alert" data-testid="outcome">
        <p>
          The loader refuses these facts: nothing was written. {outcome.problems.length} problem{outcome.problems.length === 1 ? '' : 's'}, each also shown on its
          item:
        </p>
        <ul>
          {outcome.problems.map((p, k) => (
            <li key={k}>{problemText(p)}</li>
          ))}
        </ul>
        <Problems list={problems.document} />
      </div>
    );
  }
  if (outcome.kind === 'checked') {
    return (
      <p className="msg msg-ok" role="status" data-testid="outcome">
        Valid: the loader would write {outcome.counts.entities} entities and {outcome.counts.relationships} relationships.
        {outcome.downloaded ? ` Downloaded ${outcome.downloaded}: load it with tradegraph load --dry-run, then tradegraph load.` : ''}
      </p>
    );
  }
  const w = outcome.write;
  return (
    <div className="msg msg-ok" role="status" data-testid="outcome">
      <p>
        Written as <code>{w.source}</code>: {w.created} created, {w.updated} updated, {w.unchanged} unchanged (records, mentions included).
      </p>
      {outcome.ids.length > 0 && (
        <p>
          Open in the explorer:{' '}
          {outcome.ids.map((id, k) => (
            <span key={id}>
              {k > 0 && ', '}
              <a href={`./?entity=${encodeURIComponent(id)}&expand=${encodeURIComponent(id)}`}>{names[id] || id}</a>
            </span>
          ))}
        </p>
      )}
    </div>
  );
}
