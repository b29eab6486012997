import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProtocolError, formatTopic, parseTopic } from '../../src/protocol/index.js';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');

test('parseTopic accepts every system x kind with any printable encoding letter', () => {
  for (const s of ['T', 'S', 'P'] as const) {
    for (const k of ['L', 'P'] as const) {
      for (const e of ['J', 'O', 'P', 'X']) {
        assert.deepEqual(parseTopic(b(s + k + e)), { system: s, kind: k, encoding: e });
      }
    }
  }
});

test('formatTopic writes the three ASCII bytes and round-trips', () => {
  const f = formatTopic({ system: 'S', kind: 'P', encoding: 'O' });
  assert.ok(Buffer.isBuffer(f));
  assert.equal(f.toString('latin1'), 'SPO');
  assert.deepEqual(parseTopic(f), { system: 'S', kind: 'P', encoding: 'O' });
  assert.notEqual(formatTopic({ system: 'S', kind: 'P', encoding: 'O' }), f, 'a fresh buffer each call');
});

const bad: [string, Uint8Array, string][] = [
  ['empty', b(''), 'topic "" has 0 bytes, expected 3 (system T/S/P, kind L/P, encoding)'],
  ['too short', b('PL'), 'topic "PL" has 2 bytes, expected 3 (system T/S/P, kind L/P, encoding)'],
  ['too long', b('PLJX'), 'topic "PLJX" has 4 bytes, expected 3 (system T/S/P, kind L/P, encoding)'],
  ['unknown system', b('XLJ'), 'topic "XLJ": system byte "X" is not T, S or P'],
  ['lower-case system', b('pLJ'), 'topic "pLJ": system byte "p" is not T, S or P'],
  ['unknown kind', b('PXJ'), 'topic "PXJ": kind byte "X" is not L or P'],
  ['binary system', Uint8Array.of(0, 0x4c, 0x4a), 'topic "\\x00LJ": system byte "\\x00" is not T, S or P'],
  ['non-printable encoding', Uint8Array.of(0x50, 0x4c, 0x0a), 'topic "PL\\x0a": encoding byte "\\x0a" is not a printable ASCII letter'],
  ['high-bit encoding', Uint8Array.of(0x50, 0x4c, 0xc3), 'topic "PL\\xc3": encoding byte "\\xc3" is not a printable ASCII letter'],
  ['a JSON payload sent as topic', b('{"v":1,"entries":[]}'), 'topic "{\\x22v\\x22:1,\\x22entries\\x22... (20 bytes)" has 20 bytes, expected 3 (system T/S/P, kind L/P, encoding)'],
];

for (const [name, frame, message] of bad) {
  test(`parseTopic rejects ${name}`, () => {
    assert.throws(() => parseTopic(frame), (err: unknown) => {
      assert.ok(err instanceof ProtocolError);
      assert.equal(err.code, 'topic');
      assert.equal(err.message, message);
      return true;
    });
  });
}

test('formatTopic refuses what it cannot write', () => {
  assert.throws(() => formatTopic({ system: 'X' as 'P', kind: 'L', encoding: 'J' }), { code: 'topic', message: 'cannot format topic: system "X" is not T, S or P' });
  assert.throws(() => formatTopic({ system: 'P', kind: 'Q' as 'L', encoding: 'J' }), { code: 'topic', message: 'cannot format topic: kind "Q" is not L or P' });
  assert.throws(() => formatTopic({ system: 'P', kind: 'L', encoding: 'P' as 'J' }), { code: 'encoding', message: 'cannot format topic: encoding "P" is not one of J, O' });
});
