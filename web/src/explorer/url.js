// The view in the URL, so it can be shared and reloaded:
//   ?entity=ID            the entity whose card is open
//   &expand=ID,ID         the entities whose neighbours are drawn, in order
//   &more=ID,ID           those expanded with the larger hub cap
//   &from=ID&to=ID        the endpoints of the "how are they linked" finder
//   &since=DATE&until=DATE  the date filter (2025, 2025-05 or 2025-05-12)

/** @typedef {{entity: string, expand: string[], more: string[], from: string, to: string, since: string, until: string}} ViewState */

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
  const s = p.toString().replaceAll('%3A', ':').replaceAll('%2C', ',');
  return s ? `?${s}` : '';
}
