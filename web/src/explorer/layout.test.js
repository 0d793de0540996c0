import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SPACING, discRadius, neighbourhoodLayout, rings } from './layout.js';

test('rings hold every node, spaced along each ring', () => {
  for (const n of [1, 6, 7, 50, 300]) {
    const rs = rings(n);
    assert.equal(rs.reduce((s, r) => s + r.count, 0), n);
    for (const r of rs) assert.ok((2 * Math.PI * r.radius) / r.count >= SPACING * 0.99 || r.count <= 6, JSON.stringify(r));
  }
});

// A star of 150 around A, then B (one of A's neighbours) expanded with 150 more.
function twoHubs() {
  const nbA = Array.from({ length: 150 }, (_, i) => ({ id: `a${i}`, group: i % 3 ? 'MEMBER_OF' : 'PARTY_TO' }));
  const nbB = [{ id: 'A', group: 'X' }, ...Array.from({ length: 150 }, (_, i) => ({ id: `b${i}`, group: 'IMPOSES' })), { id: 'a1', group: 'X' }];
  nbA.push({ id: 'B', group: 'MEMBER_OF' });
  const ids = ['A', 'B', 'lonely', ...nbA.map((n) => n.id), ...nbB.map((n) => n.id)];
  return { ids: [...new Set(ids)], centres: ['A', 'B'], neighbours: (c) => (c === 'A' ? nbA : nbB) };
}

test('every node is placed, no two at the same spot', () => {
  const g = twoHubs();
  const { positions } = neighbourhoodLayout(g);
  assert.equal(positions.size, g.ids.length);
  const seen = new Set();
  for (const [id, p] of positions) {
    assert.ok(Number.isFinite(p.x) && Number.isFinite(p.y), id);
    const key = `${Math.round(p.x)},${Math.round(p.y)}`;
    assert.ok(!seen.has(key), `${id} shares ${key}`);
    seen.add(key);
  }
});

test('the neighbourhoods of two expansions do not overlap', () => {
  const g = twoHubs();
  const { positions, discs } = neighbourhoodLayout(g);
  assert.equal(discs.length, 2);
  const [a, b] = discs;
  assert.ok(Math.hypot(a.x - b.x, a.y - b.y) > a.r + b.r, 'discs overlap');
  // Each of B's own neighbours is nearer B than A; a1 stays with A, who brought it first.
  for (let i = 0; i < 150; i++) {
    const p = positions.get(`b${i}`);
    assert.ok(Math.hypot(p.x - b.x, p.y - b.y) < Math.hypot(p.x - a.x, p.y - a.y), `b${i}`);
  }
  const a1 = positions.get('a1');
  assert.ok(Math.hypot(a1.x - a.x, a1.y - a.y) <= a.r);
  assert.equal(discRadius(0), SPACING);
});

test('the same input gives the same layout', () => {
  const one = neighbourhoodLayout(twoHubs()).positions;
  const two = neighbourhoodLayout(twoHubs()).positions;
  assert.deepEqual([...one], [...two]);
});
