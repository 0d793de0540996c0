import { test } from 'node:test';
import assert from 'node:assert/strict';
import { effectiveDates, firstDay, publishedAfter, instant, isPartialDate, lastDay, rangeVariable, windowActive, windowText } from './dates.js';

test('partial dates', () => {
  for (const s of ['2025', '2025-05', '2025-05-12', '2024-02-29']) assert.ok(isPartialDate(s), s);
  for (const s of ['', '25', '2025-13', '2025-5', '2025-05-32', 'May 2025', '2025-05-12T00:00']) assert.ok(!isPartialDate(s), s);
  assert.equal(firstDay('2025'), '2025-01-01');
  assert.equal(firstDay('2025-05'), '2025-05-01');
  assert.equal(lastDay('2025'), '2025-12-31');
  assert.equal(lastDay('2024-02'), '2024-02-29');
  assert.equal(lastDay('2025-02'), '2025-02-28');
  assert.equal(lastDay('2025-05-12'), '2025-05-12');
});

test('rangeVariable', () => {
  assert.equal(rangeVariable('', ''), null);
  assert.deepEqual(rangeVariable('2025', ''), { from: '2025' });
  assert.deepEqual(rangeVariable('', '2025-06'), { to: '2025-06' });
});

test('windowText says both axes in words', () => {
  assert.equal(windowText('', '', ''), '');
  assert.equal(windowText('2024', '2024', ''), 'valid in 2024');
  assert.equal(windowText('2025-05', '2025-06', ''), 'valid between 2025-05 and 2025-06');
  assert.equal(windowText('2025', '', ''), 'valid from 2025 on');
  assert.equal(windowText('', '2025', '2025-07-01'), 'valid until 2025, as known on 2025-07-01');
  assert.equal(windowText('', '', '2025-07-01'), 'as known on 2025-07-01');
  assert.ok(!windowActive('', '', ''));
  assert.ok(windowActive('', '', '2025'));
});

test('effectiveDates reads the API\'s dates and their source', () => {
  const d = (from, to, source, knownFrom) => ({
    dates: { from: from && { text: from }, to: to && { text: to }, source, knownFrom: knownFrom && { text: knownFrom } },
  });
  assert.deepEqual(effectiveDates(d('2025-10-09', null, 'STATED', '2025-10-20')), { text: 'from 2025-10-09', source: 'STATED', undated: false });
  assert.deepEqual(effectiveDates(d('2025-06-09', '2025-06-10', 'ENDPOINT', '2025-06-11')), {
    text: "2025-06-09 – 2025-06-10 (an endpoint's dates)", source: 'ENDPOINT', undated: false,
  });
  assert.deepEqual(effectiveDates(d('2025-06-11', null, 'EVIDENCE', '2025-06-11')), {
    text: 'undated: first reported 2025-06-11', source: 'EVIDENCE', undated: true,
  });
  assert.deepEqual(effectiveDates(d(null, null, 'UNKNOWN', null)), { text: 'undated: no source dates it', source: 'UNKNOWN', undated: true });
  // Without the API's dates (an old export): the stated ones.
  assert.equal(effectiveDates({ validFrom: { text: '2025-05' }, validTo: null }).text, 'from 2025-05');
  assert.ok(effectiveDates({ validFrom: null, validTo: null }).undated);
});

test('instant', () => {
  assert.equal(instant('2026-12-01T18:30:12.123Z'), '2026-12-01 18:30 UTC');
  assert.equal(instant(''), '');
});

test('publishedAfter reads knownAsOf to the last day of its period', () => {
  assert.ok(publishedAfter('2025-10-30', '2025-07-01'));
  assert.ok(!publishedAfter('2025-06-11', '2025-07-01'));
  assert.ok(!publishedAfter('2025-07-31', '2025-07'));
  assert.ok(publishedAfter('2025-08', '2025-07'));
  assert.ok(!publishedAfter('', '2025-07')); // an undated document is not known to be later
});
