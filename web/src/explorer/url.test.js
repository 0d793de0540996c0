import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatView, parseView } from './url.js';

test('a view survives the URL', () => {
  const v = {
    entity: 'actor:howard-lutnick',
    expand: ['actor:howard-lutnick', 'actor:united-states'],
    more: ['actor:united-states'],
    from: 'actor:howard-lutnick',
    to: 'commodity:rare-earth-minerals',
    since: '2025-05',
    until: '2025',
  };
  const q = formatView(v);
  assert.equal(
    q,
    '?entity=actor:howard-lutnick&expand=actor:howard-lutnick,actor:united-states&more=actor:united-states' +
      '&from=actor:howard-lutnick&to=commodity:rare-earth-minerals&since=2025-05&until=2025',
  );
  assert.deepEqual(parseView(q), v);
});

test('empty and odd URLs', () => {
  assert.equal(formatView(parseView('')), '');
  assert.deepEqual(parseView('?expand=a,,b,a&entity=').expand, ['a', 'b']);
  const odd = { ...parseView(''), entity: 'actor:a&b=c' };
  assert.deepEqual(parseView(formatView(odd)), odd);
});
