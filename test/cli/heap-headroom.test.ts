/**
 * distlogd's heap headroom (src/cli/heap-headroom.ts): the growth percentage
 * it asks V8 for leaves HEADROOM_BYTES above the heap in use, within V8's own
 * range, and gives the choice back to V8 for a heap that is large already.
 * What it buys (fewer full collections under load) is measured by bench/e2e,
 * not here: V8's heuristics depend on timing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HEADROOM_BYTES, growingPercentFor } from '../../src/cli/heap-headroom.js';

const MB = 1024 * 1024;

test('the next limit (heap in use × (1 + percent/100)) is at least HEADROOM_BYTES above it, up to V8\'s largest factor (4)', () => {
  for (const used of [12 * MB, 16 * MB, 20 * MB, 24 * MB, 31 * MB]) {
    const percent = growingPercentFor(used);
    assert.ok(percent > 0 && percent <= 300, `${used / MB} MB: ${percent} %`);
    assert.ok(used * (1 + percent / 100) - used >= HEADROOM_BYTES, `${used / MB} MB in use: limit ${((used * (1 + percent / 100)) / MB).toFixed(1)} MB`);
  }
  assert.equal(growingPercentFor(4 * MB), 300, 'a tiny heap gets V8\'s largest factor, not more');
  assert.equal(growingPercentFor(HEADROOM_BYTES), 0, 'from HEADROOM_BYTES on, V8 chooses');
  assert.equal(growingPercentFor(500 * MB), 0);
});
