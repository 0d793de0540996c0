import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Citations, briefHTML, briefMarkdown, dateWindow, escapeHTML, marked } from './brief.js';

const doc = { id: 'doc:deal', title: 'Deal <reached>' };
const hop1 = {
  id: 'rel:1', type: 'MEMBER_OF', verb: 'is part of', confidence: 1, validFrom: null, validTo: null,
  from: { id: 'actor:a', name: 'Howard Lutnick' }, to: { id: 'actor:us', name: 'United States' },
  evidence: [{ document: doc, sentence: 3, quote: 'Commerce Secretary', sentenceText: 'The Commerce Secretary confirmed it.' }],
};
const hop2 = {
  id: 'rel:2', type: 'BENEFITS', verb: 'benefits', confidence: 0.7, note: 'inferred from context',
  attributedTo: { id: 'actor:a', name: 'Howard Lutnick' }, validFrom: null, validTo: null,
  from: { id: 'actor:us', name: 'United States' }, to: { id: 'c:ree', name: '<img src=x onerror=alert(1)>' },
  evidence: [
    { document: doc, sentence: 3, quote: 'confirmed', sentenceText: 'The Commerce Secretary confirmed it.' },
    { document: doc, sentence: 5, quote: 'minerals', sentenceText: 'Rare earth minerals matter.' },
  ],
};
const input = {
  title: 'How Howard Lutnick is linked to <b>minerals</b>',
  url: 'http://127.0.0.1:8080/?from=actor:a',
  generated: '2026-12-01',
  since: '2025',
  until: '',
  claims: { minConfidence: 0, hideAttributed: false },
  png: 'data:image/png;base64,iVBORw0KGgo=',
  kinds: { ACTOR: { label: 'Actor', color: '#1d4ed8' } },
  paths: [{ rank: 1, explanation: 'Howard Lutnick is part of United States, which benefits minerals', confidence: 0.7, hops: [{ relationship: hop1 }, { relationship: hop2 }] }],
  relationships: [hop1, { ...hop1, id: 'rel:3', verb: 'met', to: { id: 'actor:cn' } }],
  names: new Map([['actor:cn', 'China']]),
};

test('citations number sentences once, in order of first use', () => {
  const c = new Citations();
  assert.deepEqual(c.cite(hop1.evidence), [1]);
  assert.deepEqual(c.cite(hop2.evidence), [1, 2]);
  assert.deepEqual(c.list[0].quotes, ['Commerce Secretary', 'confirmed']);
});

test('marked marks every quote, overlapping ones merged', () => {
  assert.deepEqual(marked('The Commerce Secretary confirmed it.', ['Commerce Secretary', 'Secretary confirmed']), [
    { text: 'The ', mark: false },
    { text: 'Commerce Secretary confirmed', mark: true },
    { text: ' it.', mark: false },
  ]);
  assert.deepEqual(marked('abc', ['zz']), [{ text: 'abc', mark: false }]);
});

test('the HTML brief is self-contained, cited and escaped', () => {
  const h = briefHTML(input);
  assert.match(h, /^<!doctype html>/);
  assert.ok(!/<script/i.test(h), 'no script');
  assert.ok(!h.includes('<img src=x'), 'hostile name escaped');
  assert.ok(h.includes('&lt;img src=x onerror=alert(1)&gt;'));
  // Every src and stylesheet is inline: the only src is the data: URL.
  const srcs = [...h.matchAll(/\ssrc="([^"]*)"/g)].map((m) => m[1]);
  assert.deepEqual(srcs, ['data:image/png;base64,iVBORw0KGgo=']);
  assert.ok(!/<link\b/i.test(h));
  assert.ok(h.includes('Howard Lutnick is part of United States<sup><a href="#c1">[1]</a></sup>'));
  assert.ok(h.includes('(according to Howard Lutnick; confidence 0.70; inferred from context; undated)'));
  assert.ok(h.includes('<li id="c2">“Rare earth <mark>minerals</mark> matter.”'));
  assert.ok(h.includes('The <mark>Commerce Secretary</mark> <mark>confirmed</mark> it.'), 'apart quotes, apart marks');
  assert.ok(h.includes('Deal &lt;reached&gt;, sentence 3'));
  assert.ok(h.includes('valid from 2025 on'));
  // A relationship on a path is not listed again; the others are, with names.
  assert.ok(h.includes('<h2>Other relationships in view</h2>'));
  assert.ok(h.includes('Howard Lutnick met China'));
  assert.equal(h.split('Howard Lutnick is part of United States<sup>').length, 2);
});

test('the Markdown brief cites the same sentences', () => {
  const m = briefMarkdown(input);
  assert.ok(m.startsWith('# How Howard Lutnick is linked to \\<b\\>minerals\\</b\\>'));
  assert.ok(m.includes('![Graph: '));
  assert.ok(m.includes('   - Howard Lutnick is part of United States [1]'));
  assert.ok(m.includes('2. “Rare earth **minerals** matter.” — Deal \\<reached\\>, sentence 5'));
  assert.ok(!m.includes('<img src=x'));
});

test('escapeHTML and dateWindow', () => {
  assert.equal(escapeHTML(`<a href="x" title='y'>&`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;');
  assert.equal(dateWindow('', ''), 'all dates');
  assert.equal(dateWindow('', '', '2025-07-01'), 'as known on 2025-07-01');
  assert.equal(dateWindow('2025-05', '2025-06', '2025-07-01'), 'valid between 2025-05 and 2025-06, as known on 2025-07-01');
  assert.equal(dateWindow('2025', '2025-12'), 'valid between 2025 and 2025-12');
  assert.equal(dateWindow('', '2024'), 'valid until 2024');
});
