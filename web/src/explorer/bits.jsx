// Small pieces shared by the card, the path finder and the document viewer.
import { KINDS } from './graph.js';
import { caveats } from './caveats.js';
import { instant } from './dates.js';

/** KindBadge shows an entity's kind in its graph colour. */
export function KindBadge({ kind }) {
  const k = KINDS[kind];
  return (
    <span className="kind-badge" style={{ '--kind': k?.color || '#475569' }}>
      {k?.label || kind}
    </span>
  );
}

/** Highlighted shows a sentence with the quote marked; the quote is verbatim in it. */
export function Highlighted({ sentence, quote }) {
  let i = quote ? sentence.indexOf(quote) : -1;
  if (i < 0 && quote) i = sentence.toLowerCase().indexOf(quote.toLowerCase());
  if (i < 0) return <>{sentence}</>;
  return (
    <>
      {sentence.slice(0, i)}
      <mark>{sentence.slice(i, i + quote.length)}</mark>
      {sentence.slice(i + quote.length)}
    </>
  );
}

/** validity writes a relationship's dates, or '' when it has none. */
export function validity(r) {
  const f = r.validFrom?.text;
  const t = r.validTo?.text;
  if (f && t) return f === t ? f : `${f} – ${t}`;
  if (f) return `from ${f}`;
  if (t) return `until ${t}`;
  return '';
}

/** humanType turns PARTICIPATED_IN into "participated in". */
export function humanType(t) {
  return t.toLowerCase().replaceAll('_', ' ');
}

/** Caveats marks what to know before relying on a relationship (see caveats.js). */
export function Caveats({ r }) {
  const cs = caveats(r);
  if (!cs.length) return null;
  return (
    <ul className="caveats" aria-label="Caveats" data-testid="caveats">
      {cs.map((c) => (
        <li key={c.kind} className={`caveat ${c.kind}`} data-caveat={c.kind}>
          {c.text}
        </li>
      ))}
    </ul>
  );
}

/**
 * Provenance lists who asserted a fact: each source with when it first and last
 * asserted it and who ran that write (Provenance in the schema).
 */
export function Provenance({ list, compact = false }) {
  if (!list?.length) return <p className="muted small" data-testid="provenance">No source recorded.</p>;
  if (compact)
    return (
      <p className="provenance small" data-testid="provenance">
        <span className="muted">Source{list.length === 1 ? '' : 's'}: </span>
        {list.map((p, i) => (
          <span key={p.source} data-source={p.source}>
            {i > 0 && '; '}
            <code>{p.source}</code> ({p.by ? `by ${p.by}, ` : ''}first seen {instant(p.firstSeen)})
          </span>
        ))}
      </p>
    );
  return (
    <ul className="provenance small" data-testid="provenance">
      {list.map((p) => (
        <li key={p.source} data-source={p.source}>
          <code>{p.source}</code>
          {p.by && (
            <>
              {' '}
              <span className="muted">by</span> {p.by}
            </>
          )}
          <span className="muted">, first seen</span> {instant(p.firstSeen)}
          <span className="muted">, last seen</span> {instant(p.lastSeen)}
        </li>
      ))}
    </ul>
  );
}
