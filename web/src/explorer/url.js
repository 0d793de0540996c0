// The view in the URL, so it can be shared and reloaded:
//   ?entity=ID            the entity whose card is open
//   &expand=ID,ID         the entities whose neighbours are drawn, in order
//   &more=ID,ID           those expanded with the larger hub cap
//   &from=ID&to=ID        the endpoints of the "how are they linked" finder
//   &since=DATE&until=DATE  the date filter, valid time (2025, 2025-05 or 2025-05-12)
//   &known=DATE           the date filter, knowledge time: as known on that date
//   &edge=ID              the relationship whose panel is open
//   &path=N               the path (by rank) highlighted in the graph
//   &conf=X&attr=hide     the claim filter: minimum confidence, attributed claims hidden
//   &pos=ID~X~Y,…         entities moved by hand, and where to (the layout places the rest)

/** @typedef {{entity: string, expand: string[], more: string[], from: string, to: string, since: string, until: string, known: string, edge: string, path: number, conf: number, attr: boolean}} ViewState */

import { parseConfidence } from './caveats.js';

/** parsePlaces reads pos=ID~X~Y,… ; malformed items are dropped. */
function parsePlaces(s) {
  const out = [];
  for (const item of list(s)) {
    const m = /^(.+)~(-?\d+(?:\.\d+)?)~(-?\d+(?:\.\d+)?)$/.exec(item);
    if (m && !out.some((p) => p.id === m[1])) out.push({ id: m[1], x: Number(m[2]), y: Number(m[3]) });
  }
  return out;
}

/** samePlaces says whether two lists of hand-placed entities are the same. */
export function samePlaces(a, b) {
  return a.length === b.length && a.every((p, i) => p.id === b[i].id && p.x === b[i].x && p.y === b[i].y);
}

const list = (s) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : []);

/** parseView reads a view from a query string. */
export function parseView(search) {
  const p = new URLSearchParams(search);
  return {
    entity: p.get('entity') || '',
    expand: [...new Set(list(p.get('expand')))],
    more: [...new Set(list(p.get('more')))],
    from: p.get('from') || '',
    to: p.get('to') || '',
    since: p.get('since') || '',
    until: p.get('until') || '',
    known: p.get('known') || '',
    edge: p.get('edge') || '',
    path: Math.max(0, parseInt(p.get('path') || '0', 10) || 0),
    conf: parseConfidence(p.get('conf')),
    attr: p.get('attr') === 'hide',
    pos: parsePlaces(p.get('pos')),
  };
}

/** formatView writes a view as a query string ('' when empty), keys in a fixed order. */
export function formatView(v) {
  const p = new URLSearchParams();
  if (v.entity) p.set('entity', v.entity);
  if (v.expand?.length) p.set('expand', v.expand.join(','));
  if (v.more?.length) p.set('more', v.more.join(','));
  if (v.from) p.set('from', v.from);
  if (v.to) p.set('to', v.to);
  if (v.since) p.set('since', v.since);
  if (v.until) p.set('until', v.until);
  if (v.known) p.set('known', v.known);
  if (v.edge) p.set('edge', v.edge);
  if (v.path) p.set('path', String(v.path));
  if (v.conf) p.set('conf', String(v.conf));
  if (v.attr) p.set('attr', 'hide');
  if (v.pos?.length) p.set('pos', v.pos.map((q) => `${q.id}~${Math.round(q.x)}~${Math.round(q.y)}`).join(','));
  const s = p.toString().replaceAll('%3A', ':').replaceAll('%2C', ',').replaceAll('%7E', '~');
  return s ? `?${s}` : '';
}
