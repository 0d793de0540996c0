// The review page's pure logic: highlighting mentions in sentences, the reviewed
// dataset (the curated format of docs/loading.md, as JSON) and where each of the
// loader's problems belongs. No DOM here, so node --test covers it.

/**
 * segments splits a sentence at every mention's edges (mentions may overlap:
 * "Australian Trade Minister Don Farrell" names the minister and, by its
 * adjective, Australia) and returns [{text, ids}] in order, ids being the
 * entities that name each piece ([] for plain text). Offsets are string indexes.
 */
export function segments(sentence, mentions) {
  const cuts = new Set([0, sentence.length]);
  for (const m of mentions) {
    if (m.start >= 0 && m.end <= sentence.length && m.start < m.end) {
      cuts.add(m.start);
      cuts.add(m.end);
    }
  }
  const at = [...cuts].sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i + 1 < at.length; i++) {
    const [a, b] = [at[i], at[i + 1]];
    const ids = [];
    for (const m of mentions) {
      if (m.start <= a && m.end >= b && !ids.includes(m.entityId)) ids.push(m.entityId);
    }
    out.push({ text: sentence.slice(a, b), ids });
  }
  return out;
}

/** quoteRange returns [start, end) of quote in sentence, or null when it is not there. */
export function quoteRange(sentence, quote) {
  if (!quote) return null;
  const i = sentence.indexOf(quote);
  return i < 0 ? null : [i, i + quote.length];
}

/**
 * initialReview returns the decisions of a fresh draft: every proposal waits
 * for a decision ('pending'); the known entities are links, not proposals.
 */
export function initialReview(draft) {
  const entities = {};
  for (const e of draft.entities) {
    if (!e.known) {
      entities[e.id] = { state: 'pending', name: e.name, type: e.type, role: e.role || '', status: e.status || '' };
    }
  }
  const relationships = draft.relationships.map((r) => ({
    state: 'pending',
    type: r.type,
    confidence: r.confidence ?? 1,
    note: r.note || '',
    quote: r.evidence[0]?.quote || '',
  }));
  return { entities, relationships };
}

/**
 * blockers returns why relationship i cannot be written: the ids of its
 * endpoints that are new entities not accepted ([] when none).
 */
export function blockers(draft, review, i) {
  const r = draft.relationships[i];
  return [r.from, r.to].filter((id) => review.entities[id] && review.entities[id].state !== 'accepted');
}

/**
 * dataset returns the reviewed dataset, as pretty JSON (so the loader's line
 * numbers point somewhere), and where each of its items came from: entities[k]
 * is draft entity entityIds[k], relationships[k] draft relationship relIndex[k].
 */
export function dataset(draft, review) {
  const d = draft.document;
  const doc = { id: d.id, type: d.type || 'ARTICLE', title: d.title, text: d.text };
  for (const f of ['date', 'url', 'publisher']) if (d[f]) doc[f] = d[f];
  const entities = [];
  const entityIds = [];
  for (const e of draft.entities) {
    const v = review.entities[e.id];
    if (e.known || v?.state !== 'accepted') continue;
    const rec = { id: e.id, kind: e.kind, type: v.type.trim(), name: v.name.trim() };
    if (e.description) rec.description = e.description;
    if (v.role.trim()) rec.role = v.role.trim();
    if (v.status.trim()) rec.status = v.status.trim();
    entities.push(rec);
    entityIds.push(e.id);
  }
  const relationships = [];
  const relIndex = [];
  draft.relationships.forEach((r, i) => {
    const v = review.relationships[i];
    if (v.state !== 'accepted' || blockers(draft, review, i).length) return;
    const evidence = r.evidence.map((ev, k) => ({ doc: d.id, sentence: ev.sentence, quote: k === 0 ? v.quote : ev.quote }));
    const rec = { type: v.type.trim(), from: r.from, to: r.to, confidence: Number(v.confidence), evidence };
    if (v.note.trim()) rec.note = v.note.trim();
    relationships.push(rec);
    relIndex.push(i);
  });
  const json = JSON.stringify({ documents: [doc], entities, relationships }, null, 2);
  return { json, entityIds, relIndex, counts: { entities: entities.length, relationships: relationships.length } };
}

/**
 * placeProblems sorts the loader's problems by the item they concern: the key
 * 'entity:<id>', 'rel:<draft index>', or 'document' (anything else).
 */
export function placeProblems(problems, ds) {
  const out = {};
  for (const p of problems) {
    let key = 'document';
    const m = /^(entities|relationships)\[(\d+)\]/.exec(p.field || '');
    if (m && m[1] === 'entities' && ds.entityIds[+m[2]] !== undefined) key = `entity:${ds.entityIds[+m[2]]}`;
    if (m && m[1] === 'relationships' && ds.relIndex[+m[2]] !== undefined) key = `rel:${ds.relIndex[+m[2]]}`;
    (out[key] ||= []).push(p);
  }
  return out;
}

/** problemText writes a problem as the loader prints it: review:LINE: FIELD: message. */
export function problemText(p) {
  let s = 'review';
  if (p.line) s += `:${p.line}`;
  if (p.field) s += `: ${p.field}`;
  return `${s}: ${p.message}`;
}
