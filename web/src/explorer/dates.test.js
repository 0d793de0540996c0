import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstDay, inRange, isPartialDate, lastDay, rangeVariable } from './dates.js';

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

test('inRange keeps what is valid at some time in the range', () => {
  const may = { first: '2025-05-01', last: '2025-05-31' };
  const june = { first: '2025-06-01', last: '2025-06-30' };
  const cases = [
    // validFrom, validTo, from, to, want
    [null, null, '2030', '2031', true], // undated: always valid
    [may, null, '', '2024', false], // starts after the range
    [may, null, '', '2025-05', true],
    [may, null, '2030', '', true], // still valid
    [null, may, '2025-06', '', false], // ended before the range
    [null, may, '2025-05-31', '', true],
    [may, june, '2025-06-15', '2025-06-15', true],
    [may, june, '2025-07', '2025-08', false],
    [may, june, '', '', true],
  ];
  for (const [vf, vt, from, to, want] of cases) {
    assert.equal(inRange(vf, vt, from, to), want, JSON.stringify({ vf, vt, from, to }));
  }
});

test('rangeVariable', () => {
  assert.equal(rangeVariable('', ''), null);
  assert.deepEqual(rangeVariable('2025', ''), { from: '2025' });
  assert.deepEqual(rangeVariable('', '2025-06'), { to: '2025-06' });
});
