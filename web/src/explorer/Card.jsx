// The entity card: kind, aliases, description, kind-specific properties, the
// relationships grouped by type with their evidence, the documents that mention it,
// where sources disagree on its fields, who asserted it, and what changed around it.
import { Caveats, Highlighted, KindBadge, Provenance, humanType } from './bits.jsx';
import { passes } from './caveats.js';
import { effectiveDates } from './dates.js';
import { Changes } from './Changes.jsx';

const FIELD_NAMES = { name: 'Name', type: 'Type', description: 'Description', role: 'Role', start: 'Start', end: 'End', place: 'Place',
  category: 'Category', status: 'Status', rate: 'Rate', unit: 'Unit', aliases: 'Aliases', uses: 'Uses' };

const fieldName = (f) => FIELD_NAMES[f] || f;

/**
 * FieldSources shows, per field, which source gave which value: the fields where
 * sources disagree first and in view, the rest folded away.
 */
function FieldSources({ fields }) {
  const conflicts = fields.filter((f) => f.conflict);
  const values = (f) => (
    <ul>
      {f.values.map((v, i) => (
        <li key={i} data-value={v.value}>
          <q>{v.value}</q> <span className="muted">from</span>{' '}
          {v.sources.map((src, j) => (
            <span key={src}>
              {j > 0 && ', '}
              <code>{src}</code>
            </span>
          ))}
          {i === 0 && f.conflict && <span className="muted"> (shown)</span>}
        </li>
      ))}
    </ul>
  );
  return (
    <>
      {conflicts.length > 0 && (
        <section className="conflicts notice" aria-labelledby="conflicts-title" data-testid="conflicts">
          <h3 id="conflicts-title">Sources disagree ({conflicts.length})</h3>
          {conflicts.map((f) => (
            <div key={f.field} className="conflict" data-field={f.field}>
              <strong>{fieldName(f.field)}</strong>
              {values(f)}
            </div>
          ))}
        </section>
      )}
      {fields.length > 0 && (
        <details className="field-sources" data-testid="field-sources">
          <summary>Which source gave what ({fields.length} fields)</summary>
          {fields.map((f) => (
            <div key={f.field} data-field={f.field}>
              <strong>{fieldName(f.field)}</strong>
              {f.conflict && <span className="caveat"> sources disagree</span>}
              {values(f)}
            </div>
          ))}
        </details>
      )}
    </>
  );
}

/** Properties lists an entity's fields; statusOn is the date of a policy's statusOn (the window's end). */
function Properties({ e, statusOn }) {
  const rows = [['Type', humanType(e.type)]];
  if (e.role) rows.push(['Role', e.role]);
  if (e.start) rows.push(['Start', e.start.text]);
  if (e.end) rows.push(['End', e.end.text]);
  if (e.place) rows.push(['Place', e.place]);
  if (e.category) rows.push(['Category', e.category]);
  if (e.uses?.length) rows.push(['Uses', e.uses.join(', ')]);
  if (e.status) rows.push(['Status', humanType(e.status)]);
  if (statusOn && e.kind === 'POLICY')
    rows.push([
      `Status on ${statusOn}`,
      <span key="on" data-testid="status-on">
        {e.statusOn ? humanType(e.statusOn) : 'none: it did not exist yet, or no dated status says'}
      </span>,
    ]);
  for (const [k, label] of [['announced', 'Announced'], ['inForce', 'In force'], ['suspended', 'Suspended'], ['ended', 'Ended']]) {
    if (e[k]) rows.push([label, e[k].text]);
  }
  if (e.statusHistory?.length)
    rows.push(['Status history', e.statusHistory.map((h) => `${h.date.text} ${humanType(h.status)}`).join(' → ')]);
  if (e.rate != null) rows.push(['Rate', `${e.rate}${e.unit ? ` ${e.unit}` : ''}`]);
  rows.push(['Id', <code key="id">{e.id}</code>]);
  return (
    <dl className="props">
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

function EntityLink({ entity, self, onOpen }) {
  if (entity.id === self) return <strong>{entity.name}</strong>;
  return (
    <button type="button" className="link" onClick={() => onOpen(entity.id)} title={`Open ${entity.name}`}>
      {entity.name}
    </button>
  );
}

/** Evidence lists a relationship's sentences with the quotes highlighted. */
export function EvidenceList({ evidence, onDocument }) {
  return (
    <ul className="evidence">
      {evidence.map((ev, i) => (
        <li key={i}>
          <blockquote>
            <Highlighted sentence={ev.sentenceText} quote={ev.quote} />
          </blockquote>
          <button type="button" className="link small" onClick={() => onDocument(ev.document.id, ev.sentence, ev.quote)}>
            {ev.document.title}, sentence {ev.sentence}
          </button>
        </li>
      ))}
    </ul>
  );
}

function Relationship({ r, self, onOpen, onDocument, onEdge }) {
  const d = effectiveDates(r);
  const dates = d.undated ? '' : d.text; // an undated fact says so among its caveats
  return (
    <li className="rel">
      <div className="rel-line">
        <EntityLink entity={r.from} self={self} onOpen={onOpen} /> <span className="verb">{r.verb}</span>{' '}
        <EntityLink entity={r.to} self={self} onOpen={onOpen} />{' '}
        <button type="button" className="link small" onClick={() => onEdge(r.id)} aria-label={`Details of: ${r.from.name} ${r.verb} ${r.to.name}`}>
          details
        </button>
      </div>
      <div className="rel-meta">{dates && <span>{dates}</span>}</div>
      <Caveats r={r} />
      <details>
        <summary>Evidence ({r.evidence.length})</summary>
        <EvidenceList evidence={r.evidence} onDocument={onDocument} />
      </details>
    </li>
  );
}

/**
 * Card shows one entity. truncated lists the hub-cap gaps of its last expansion;
 * onExpand(more) draws its neighbours, with the larger cap when more is true.
 * sources is which sources assert it and what each gave: {entity} | {error}.
 */
export function Card({ entity: e, sources, truncated, expanded, more, onOpen, onEdge, onExpand, onDocument, onFindFrom, window: w, statusOn, since, until, caveatFilter }) {
  const groups = new Map();
  let hidden = 0;
  for (const { node } of e.relationships.edges) {
    if (!passes(node, caveatFilter)) {
      hidden++;
      continue;
    }
    if (!groups.has(node.type)) groups.set(node.type, []);
    groups.get(node.type).push(node);
  }
  const omitted = (truncated || []).reduce((s, t) => s + t.omitted, 0);
  return (
    <article className="card" aria-labelledby="card-title" data-testid="entity-card" data-id={e.id}>
      <header>
        <KindBadge kind={e.kind} />
        <h2 id="card-title">{e.name}</h2>
      </header>
      {e.aliases.length > 0 && (
        <p className="aliases">
          <span className="muted">Also known as </span>
          {e.aliases.join(', ')}
        </p>
      )}
      {e.description && <p className="description">{e.description}</p>}
      <Properties e={e} statusOn={statusOn} />
      {/* The actions stay where the card's first lines leave them: what sources gave
          (a list whose length varies) comes after them. */}
      <div className="card-actions">
        <button type="button" onClick={() => onExpand(false)} data-testid="expand" disabled={expanded}>
          {expanded ? 'Neighbours shown' : 'Expand neighbours'}
        </button>
        {expanded && omitted > 0 && !more && (
          <button type="button" onClick={() => onExpand(true)} data-testid="expand-more">
            Show up to 50 per type (+{omitted} more)
          </button>
        )}
        <button type="button" onClick={() => onFindFrom(e)}>
          Find links from here
        </button>
      </div>
      {expanded && omitted > 0 && (
        <p className="muted small" data-testid="truncated">
          Left out by the hub cap:{' '}
          {truncated.filter((t) => t.omitted).map((t) => `${humanType(t.type)} +${t.omitted}`).join(', ')}.
        </p>
      )}
      {sources.entity && <FieldSources fields={sources.entity.fieldSources} />}
      <section aria-labelledby="rels-title">
        <h3 id="rels-title">
          Relationships ({e.relationships.totalCount}
          {w ? ` ${w}` : ''})
        </h3>
        {w && e.relationships.totalCount === 0 && (
          <p className="notice" data-testid="window-empty">
            Nothing in this window: no relationship of {e.name} is {w}. Clear the dates to see them all.
          </p>
        )}
        {w && e.relationships.undatedCount > 0 && (
          <p className="muted small" data-testid="undated-hidden">
            {e.relationships.undatedCount === 1
              ? '1 undated fact not shown: nothing dates it on this axis.'
              : `${e.relationships.undatedCount} undated facts not shown: nothing dates them on this axis.`}
          </p>
        )}
        {e.relationships.totalCount > e.relationships.edges.length && (
          <p className="muted small">Showing the first {e.relationships.edges.length}; the playground pages through the rest.</p>
        )}
        {hidden > 0 && (
          <p className="muted small" data-testid="caveat-hidden">
            {hidden} hidden by the claim filter.
          </p>
        )}
        {[...groups].map(([type, rels]) => (
          <section key={type} className="rel-group" data-type={type}>
            <h4>
              {humanType(type)} <span className="count">{rels.length}</span>
            </h4>
            <ul>
              {rels.map((r) => (
                <Relationship key={r.id} r={r} self={e.id} onOpen={onOpen} onDocument={onDocument} onEdge={onEdge} />
              ))}
            </ul>
          </section>
        ))}
      </section>
      <Changes id={e.id} name={e.name} since={since} until={until} onOpen={onOpen} onEdge={onEdge} onDocument={onDocument} />
      <section aria-labelledby="sources-title">
        <h3 id="sources-title">Asserted by{sources.entity ? ` (${sources.entity.provenance.length})` : ''}</h3>
        {sources.error && (
          <p role="alert" className="error small" data-testid="sources-error">
            Could not load the sources: {sources.error}
          </p>
        )}
        {sources.entity && <Provenance list={sources.entity.provenance} />}
      </section>
      <section aria-labelledby="docs-title">
        <h3 id="docs-title">Mentioned in ({e.mentions.length})</h3>
        <ul className="mentions">
          {e.mentions.map((m) => (
            <li key={m.document.id}>
              <button type="button" className="link" onClick={() => onDocument(m.document.id, m.sentences, null)}>
                {m.document.title}
              </button>{' '}
              <span className="muted small">
                sentence{m.sentences.length === 1 ? '' : 's'} {m.sentences.join(', ')}
              </span>
            </li>
          ))}
        </ul>
      </section>
    </article>
  );
}
