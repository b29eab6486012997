import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatKey, parseKey } from '../../src/protocol/index.js';

const TASK = '5b5e8d3dcdce4011899ae77a68171c0d';

test('parseKey reads seq, task and path', () => {
  assert.deepEqual(parseKey(`3@${TASK}/1/2`), { seq: 3, task: TASK, path: '1/2' });
  assert.deepEqual(parseKey(`0@${TASK}`), { seq: 0, task: TASK, path: '' });
  assert.deepEqual(parseKey('12@5b5e8d3d-cdce-4011-899a-e77a68171c0d/1'), { seq: 12, task: '5b5e8d3d-cdce-4011-899a-e77a68171c0d', path: '1' });
  assert.deepEqual(parseKey('7@t/10/0/3'), { seq: 7, task: 't', path: '10/0/3' });
});

test('parseKey returns undefined for keys that do not parse', () => {
  for (const k of [
    '', '@t', 'x@t', '3', '3@', '3@/1', `3@${TASK}/`, `3@${TASK}//1`, `3@${TASK}/1/`, `3@${TASK}/a`,
    '0@<built-in function id>', '1@<built-in function id>/1', '-1@t', '3@t x', '1234567890123456@t',
  ]) {
    assert.equal(parseKey(k), undefined, k);
  }
});

test('formatKey is the inverse of parseKey', () => {
  assert.equal(formatKey(3, TASK, '1/2'), `3@${TASK}/1/2`);
  assert.equal(formatKey(0, TASK, ''), `0@${TASK}`);
  for (const [seq, task, path] of [[0, TASK, ''], [5, 'abc', '1'], [99, 'u-u-i-d', '4/4/4']] as const) {
    assert.deepEqual(parseKey(formatKey(seq, task, path)), { seq, task, path });
  }
});
