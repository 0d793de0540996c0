import { test } from 'node:test';
import assert from 'node:assert/strict';
import { caveats, filterActive, parseConfidence, passes, pathPasses } from './caveats.js';

const fact = { confidence: 1, validFrom: { text: '2025-05' }, validTo: null, attributedTo: null, note: null };
const claim = {
  confidence: 0.7,
  validFrom: null,
  validTo: null,
  attributedTo: { id: 'actor:howard-lutnick', name: 'Howard Lutnick' },
  note: 'inferred from context: no country named',
};

test('a dated fact of confidence 1 has no caveat', () => {
  assert.deepEqual(caveats(fact), []);
});

test('an attributed, inferred, undated claim below 1 has all four', () => {
  assert.deepEqual(caveats(claim), [
    { kind: 'attributed', text: 'according to Howard Lutnick' },
    { kind: 'confidence', text: 'confidence 0.70' },
    { kind: 'note', text: 'inferred from context: no country named' },
    { kind: 'undated', text: 'undated' },
  ]);
});

test('a note that is no inference is labelled as a note', () => {
  assert.deepEqual(caveats({ ...fact, note: 'a critical component' }), [{ kind: 'note', text: 'note: a critical component' }]);
});

test('an undated fact says when it was first reported, from the API\'s dates', () => {
  const dates = { from: { text: '2025-06-11' }, to: null, source: 'EVIDENCE', knownFrom: { text: '2025-06-11' } };
  assert.deepEqual(caveats({ ...fact, validFrom: null, dates }), [{ kind: 'undated', text: 'undated: first reported 2025-06-11' }]);
  // Dated by an endpoint (a meeting's days): no caveat, though it states no date itself.
  const meeting = { from: { text: '2025-06-09' }, to: { text: '2025-06-10' }, source: 'ENDPOINT', knownFrom: { text: '2025-06-11' } };
  assert.deepEqual(caveats({ ...fact, validFrom: null, dates: meeting }), []);
});

test('validTo alone dates a relationship', () => {
  assert.deepEqual(caveats({ ...fact, validFrom: null, validTo: { text: '2026' } }), []);
});

test('the filter hides by confidence and attribution', () => {
  const f = { minConfidence: 0.8, hideAttributed: false };
  assert.equal(passes(fact, f), true);
  assert.equal(passes(claim, f), false);
  assert.equal(passes({ ...claim, confidence: 0.8 }, f), true);
  assert.equal(passes({ ...claim, confidence: 0.9 }, { minConfidence: 0, hideAttributed: true }), false);
  assert.equal(passes(claim, { minConfidence: 0, hideAttributed: false }), true);
  assert.equal(filterActive({ minConfidence: 0, hideAttributed: false }), false);
  assert.equal(filterActive({ minConfidence: 0.5, hideAttributed: false }), true);
});

test('a path passes when every hop does', () => {
  const p = { hops: [{ relationship: fact }, { relationship: claim }] };
  assert.equal(pathPasses(p, { minConfidence: 0, hideAttributed: false }), true);
  assert.equal(pathPasses(p, { minConfidence: 0, hideAttributed: true }), false);
});

test('parseConfidence takes (0, 1] only', () => {
  assert.equal(parseConfidence('0.7'), 0.7);
  assert.equal(parseConfidence('1'), 1);
  for (const bad of ['', '0', '-1', '1.5', 'abc', null]) assert.equal(parseConfidence(bad), 0, String(bad));
});
