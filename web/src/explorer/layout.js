// The neighbourhood layout for larger graphs: each expanded entity sits in the middle
// of its own disc, its neighbours on concentric rings around it grouped by
// relationship type, and the discs of different expansions kept apart, so that what
// one expansion brought stays together and distinct from the next. Pure: tested by
// layout.test.js.

/** SPACING is the distance between neighbours on a ring, and between rings. */
export const SPACING = 64;
const FIRST_RING = 110;
const MARGIN = 70;

/**
 * rings gives the radii and capacities of the rings that hold n nodes: a ring of
 * radius r takes floor(2πr / SPACING) nodes.
 */
export function rings(n) {
  const out = [];
  let r = FIRST_RING;
  while (n > 0) {
    const cap = Math.max(6, Math.floor((2 * Math.PI * r) / SPACING));
    const take = Math.min(cap, n);
    out.push({ radius: r, count: take });
    n -= take;
    r += SPACING;
  }
  return out;
}

/** discRadius is the radius of the disc that holds a centre and n neighbours. */
export function discRadius(n) {
  const rs = rings(n);
  return rs.length ? rs[rs.length - 1].radius + SPACING / 2 : SPACING;
}

/**
 * neighbourhoodLayout places nodes. centres: expanded ids in expansion order;
 * neighbours(id): [{id, group}] adjacent to a centre (group orders them round the
 * ring); ids: every node id. Each node goes to the first centre that has it as a
 * neighbour; nodes of no centre are placed in a row under the discs. Returns
 * {positions: Map id -> {x, y}, discs: [{id, x, y, r}]}.
 */
export function neighbourhoodLayout({ ids, centres, neighbours }) {
  const pos = new Map();
  const discs = [];
  const owner = new Map();
  const centreSet = new Set(centres);
  const owned = new Map();
  for (const c of centres) {
    const mine = [];
    for (const nb of neighbours(c)) {
      if (centreSet.has(nb.id) || owner.has(nb.id)) continue;
      owner.set(nb.id, c);
      mine.push(nb);
    }
    mine.sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    owned.set(c, mine);
  }
  const free = (x, y, r) => discs.every((d) => Math.hypot(d.x - x, d.y - y) >= d.r + r + MARGIN);
  for (const c of centres) {
    const r = discRadius(owned.get(c).length);
    let at = { x: 0, y: 0 };
    if (discs.length) {
      // Beside the disc of the centre that brought it (else the first), in the
      // direction it had there, turning until the disc is clear of the others.
      const parent = discs.find((d) => d.id === owner.get(c)) || discs[0];
      const p = pos.get(c);
      let angle = p ? Math.atan2(p.y - parent.y, p.x - parent.x) : 0;
      let dist = parent.r + r + MARGIN;
      for (let tries = 0; ; tries++) {
        const x = parent.x + dist * Math.cos(angle);
        const y = parent.y + dist * Math.sin(angle);
        if (free(x, y, r) || tries > 400) {
          at = { x, y };
          break;
        }
        angle += Math.PI / 12;
        if (tries % 24 === 23) dist += r + MARGIN;
      }
    }
    pos.set(c, at);
    discs.push({ id: c, x: at.x, y: at.y, r });
    let i = 0;
    for (const ring of rings(owned.get(c).length)) {
      for (let k = 0; k < ring.count; k++, i++) {
        const a = (2 * Math.PI * k) / ring.count - Math.PI / 2 + (ring.radius / SPACING) * 0.35;
        pos.set(owned.get(c)[i].id, { x: at.x + ring.radius * Math.cos(a), y: at.y + ring.radius * Math.sin(a) });
      }
    }
  }
  // The rest (e.g. path nodes of no expansion) in rows under everything.
  const rest = ids.filter((id) => !pos.has(id)).sort();
  if (rest.length) {
    const bottom = discs.length ? Math.max(...discs.map((d) => d.y + d.r)) + MARGIN : 0;
    const left = discs.length ? Math.min(...discs.map((d) => d.x - d.r)) : 0;
    const perRow = Math.max(4, Math.ceil(Math.sqrt(rest.length * 3)));
    rest.forEach((id, i) => pos.set(id, { x: left + (i % perRow) * SPACING * 2, y: bottom + Math.floor(i / perRow) * SPACING }));
  }
  return { positions: pos, discs };
}
