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
    known: '2025-07-01',
    edge: 'rel:abc',
    path: 2,
    conf: 0.8,
    attr: true,
    pos: [{ id: 'actor:china', x: 120, y: -45 }],
  };
  const q = formatView(v);
  assert.equal(
    q,
    '?entity=actor:howard-lutnick&expand=actor:howard-lutnick,actor:united-states&more=actor:united-states' +
      '&from=actor:howard-lutnick&to=commodity:rare-earth-minerals&since=2025-05&until=2025&known=2025-07-01' +
      '&edge=rel:abc&path=2&conf=0.8&attr=hide&pos=actor:china~120~-45',
  );
  assert.deepEqual(parseView(q), v);
});

test('empty and odd URLs', () => {
  assert.equal(formatView(parseView('')), '');
  assert.deepEqual(parseView('?expand=a,,b,a&entity=').expand, ['a', 'b']);
  const odd = { ...parseView(''), entity: 'actor:a&b=c' };
  assert.deepEqual(parseView(formatView(odd)), odd);
});

test('odd claim filters and paths read as none', () => {
  const v = parseView('?conf=7&attr=yes&path=-3');
  assert.equal(v.conf, 0);
  assert.equal(v.attr, false);
  assert.equal(v.path, 0);
});

test('hand-placed entities: malformed items dropped, first of a kind kept', () => {
  assert.deepEqual(parseView('?pos=a~1~2,b~x~3,a~5~6,c~-7.5~8').pos, [
    { id: 'a', x: 1, y: 2 },
    { id: 'c', x: -7.5, y: 8 },
  ]);
});
