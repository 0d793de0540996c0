import { test } from 'node:test';
import assert from 'node:assert/strict';
import { segments, initialReview, blockers, dataset, placeProblems, problemText, quoteRange } from './review.js';

const draft = {
  document: { id: 'doc:a', type: 'ARTICLE', title: 'A', text: 'Australian Trade Minister Don Farrell met Yoji Muto.', sentences: ['Australian Trade Minister Don Farrell met Yoji Muto.'] },
  entities: [
    { id: 'actor:don-farrell', kind: 'Actor', type: 'PERSON', name: 'Don Farrell', role: 'Trade Minister', known: false },
    { id: 'actor:australia', kind: 'Actor', type: 'COUNTRY', name: 'Australia', known: false },
    { id: 'actor:china', kind: 'ACTOR', type: 'COUNTRY', name: 'China', known: true },
  ],
  relationships: [
    { type: 'MEMBER_OF', from: 'actor:don-farrell', to: 'actor:australia', confidence: 0.8, note: 'draft: x', evidence: [{ sentence: 1, quote: 'Australian Trade Minister Don Farrell' }] },
    { type: 'MET_WITH', from: 'actor:don-farrell', to: 'actor:china', confidence: 0.7, evidence: [{ sentence: 1, quote: 'met' }] },
  ],
};

test('segments cut overlapping mentions into pieces that know every entity', () => {
  const s = 'Australian Trade Minister Don Farrell met';
  const got = segments(s, [
    { start: 0, end: 37, entityId: 'actor:don-farrell' },
    { start: 0, end: 10, entityId: 'actor:australia' },
  ]);
  assert.deepEqual(got, [
    { text: 'Australian', ids: ['actor:don-farrell', 'actor:australia'] },
    { text: ' Trade Minister Don Farrell', ids: ['actor:don-farrell'] },
    { text: ' met', ids: [] },
  ]);
  assert.equal(got.map((x) => x.text).join(''), s);
  // A mention outside the sentence is ignored, not thrown on.
  assert.deepEqual(segments('ab', [{ start: 1, end: 9, entityId: 'x' }]), [{ text: 'ab', ids: [] }]);
});

test('quoteRange finds the quote or says it is not there', () => {
  assert.deepEqual(quoteRange('a big deal', 'big'), [2, 5]);
  assert.equal(quoteRange('a big deal', 'small'), null);
});

test('only accepted proposals are written, and a relationship needs its new entities accepted', () => {
  const review = initialReview(draft);
  assert.deepEqual(Object.keys(review.entities), ['actor:don-farrell', 'actor:australia']);
  review.relationships[0].state = 'accepted';
  review.relationships[1].state = 'accepted';
  review.entities['actor:don-farrell'].state = 'accepted';
  assert.deepEqual(blockers(draft, review, 0), ['actor:australia']);
  assert.deepEqual(blockers(draft, review, 1), []); // China is the graph's
  let ds = dataset(draft, review);
  assert.deepEqual(ds.counts, { entities: 1, relationships: 1 });
  assert.deepEqual(ds.relIndex, [1]);
  review.entities['actor:australia'] = { ...review.entities['actor:australia'], state: 'accepted', name: ' Commonwealth of Australia ' };
  review.relationships[0].confidence = '0.9';
  ds = dataset(draft, review);
  const parsed = JSON.parse(ds.json);
  assert.equal(parsed.entities[1].name, 'Commonwealth of Australia');
  assert.equal(parsed.relationships[0].confidence, 0.9);
  assert.equal(parsed.relationships[0].evidence[0].doc, 'doc:a');
  assert.equal(parsed.documents[0].text, draft.document.text);
  review.entities['actor:australia'].state = 'rejected';
  assert.deepEqual(dataset(draft, review).relIndex, [1]);
});

test('problems land on the item they concern', () => {
  const review = initialReview(draft);
  review.entities['actor:don-farrell'].state = 'accepted';
  review.entities['actor:australia'].state = 'accepted';
  review.relationships[1].state = 'accepted';
  const ds = dataset(draft, review);
  const placed = placeProblems([
    { line: 9, field: 'entities[1].name', message: 'is required' },
    { line: 20, field: 'relationships[0].evidence[0].quote', message: 'not in sentence 1' },
    { line: 3, field: 'documents[0].id', message: 'bad' },
  ], ds);
  assert.deepEqual(Object.keys(placed).sort(), ['document', 'entity:actor:australia', 'rel:1']);
  assert.equal(problemText(placed['rel:1'][0]), 'review:20: relationships[0].evidence[0].quote: not in sentence 1');
});
