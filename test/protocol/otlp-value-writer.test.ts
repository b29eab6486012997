/**
 * The shared OTLP value writer (src/protocol/otlp-value-writer.ts) against
 * protobuf built field by field (pb.ts): its fast paths (small integers, short
 * strings, booleans, doubles, written with their lengths known up front) give
 * the same bytes as the general path, at every key length up to and past the
 * one-byte length boundary.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OtlpValueWriter } from '../../src/protocol/otlp-value-writer.js';
import { Writer } from '../../src/protocol/proto-wire.js';
import { any, keyValue, ld } from './pb.js';

const VALUES: [unknown, Buffer][] = [
  [true, any.b(true)], [false, any.b(false)],
  [1.5, any.d(1.5)], [-2.25, any.d(-2.25)], [0.1, any.d(0.1)], [1e300, any.d(1e300)],
  [NaN, any.d(NaN)], [Infinity, any.d(Infinity)], [-Infinity, any.d(-Infinity)], [-0, any.d(-0)],
  [0, any.i(0)], [127, any.i(127)], [300, any.i(300)], [-5, any.i(-5)], [2 ** 40, any.i(2 ** 40)],
  ['x', any.s('x')], ['', any.s('')], ['zürich', any.s('zürich')],
];

test('each attribute is KeyValue{key, AnyValue} exactly as built field by field, for key lengths around the 1-byte length limit', () => {
  for (const keyLength of [1, 8, 100, 112, 113, 114, 115, 116, 117, 118, 119, 120, 125, 126, 127, 200]) {
    const key = 'k'.repeat(keyLength);
    for (const [value, anyValue] of VALUES) {
      const writer = new OtlpValueWriter({ taggedValues: false, maxDepth: 8 });
      const w = new Writer(16);
      writer.attributes(w, 0x32, { [key]: value });
      const expected = ld(6, keyValue(key, anyValue));
      assert.deepEqual(w.finish(), expected, `key of ${keyLength} characters, value ${String(value)}`);
    }
  }
});
