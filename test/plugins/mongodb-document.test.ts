/**
 * Values as the mongodb plugin stores them: keys MongoDB servers refuse or
 * misread (`$x`, `a.b`) are escaped at every depth, in the maps the OTLP
 * decoder builds (a prototype of their own) as in plain objects, and read back
 * unchanged.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromStored, toStored } from '../../src/plugins/mongodb/document.js';
import { newMap } from '../../src/protocol/otlp-values.js';

test('nested decoder maps are escaped like plain objects and come back the same', () => {
  const inner = newMap();
  inner['a.b'] = 1;
  inner.$where = 'x';
  const outer = newMap();
  outer['http.request'] = inner;
  outer.list = [newMap(), { 'c.d': NaN }];
  const stored = JSON.stringify(toStored(outer));
  assert.equal(/"[^"]*\.[^"]*":/.test(stored.replace(/"\$distlog[^"]*":/g, '')), false, `no dotted key stored: ${stored}`);
  assert.equal(stored.includes('"$where"'), false, stored);
  const back = fromStored(JSON.parse(stored)) as Record<string, unknown>;
  assert.deepEqual(back, { 'http.request': { 'a.b': 1, $where: 'x' }, list: [{}, { 'c.d': NaN }] });
});
