/**
 * OTLP/JSON written from OTLP protobuf (the otlp plugin's `encoding: json`):
 * read back by distlogd's own OTLP/JSON reader, it is the same records, every
 * field of the sample variety included (ids hex, int64 as strings, bytes,
 * nested maps and arrays, doubles that JSON cannot spell).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeOtlp } from '../../src/protocol/otlp-codec.js';
import { decodeOtlp } from '../../src/protocol/otlp-decode.js';
import { otlpLogsToJson } from '../../src/protocol/otlp-to-json.js';
import { otlpJsonToProtobuf } from '../../src/collector/otlp-json.js';
import { TASK, variety } from './sample.js';

const plain = (x: unknown) => JSON.parse(JSON.stringify(x)) as unknown;

test('protobuf → OTLP/JSON → protobuf keeps every record field for field', () => {
  const entries = variety();
  const bytes = encodeOtlp(entries);
  const text = otlpLogsToJson(bytes);
  const json = JSON.parse(text) as { resourceLogs: { scopeLogs: { logRecords: Record<string, unknown>[] }[] }[] };
  const first = json.resourceLogs[0]!.scopeLogs[0]!.logRecords[0]!;
  assert.equal(first.traceId, TASK, 'trace ids are hex, not base64');
  assert.equal(typeof first.timeUnixNano, 'string', 'fixed64 times are decimal strings');
  const defaults = { system: 'P', kind: 'L' } as const;
  const back = decodeOtlp(otlpJsonToProtobuf(json), defaults);
  const direct = decodeOtlp(bytes, defaults);
  assert.deepEqual(back.errors, []);
  assert.equal(back.entries.length, entries.length);
  assert.deepEqual(plain(back.entries), plain(direct.entries));
});

test('values JSON cannot hold as numbers travel as the protobuf JSON mapping spells them', () => {
  const [e] = variety();
  const bytes = encodeOtlp([{ ...e!, attributes: { big: { $int: '-9223372036854775808' }, inf: Infinity, raw: { $bytes: 'AAEC' } } } as never]);
  const text = otlpLogsToJson(bytes);
  assert.match(text, /"intValue":"-9223372036854775808"/);
  assert.match(text, /"bytesValue":"AAEC"/);
  assert.doesNotMatch(text, /Infinity[^"]/);
  // and distlogd's OTLP/JSON reader takes them back exactly (also "" as a string value)
  const [back] = decodeOtlp(otlpJsonToProtobuf(JSON.parse(text)), { system: 'P', kind: 'L' }).entries;
  assert.deepEqual(plain(back!.attributes.big), { $int: '-9223372036854775808' });
  assert.equal(back!.attributes.inf, Infinity);
  assert.deepEqual(plain(back!.attributes.raw), { $bytes: 'AAEC' });
});

test('bytes that are not protobuf are refused with an error naming the offset', () => {
  assert.throws(() => otlpLogsToJson(Buffer.from([0x0a, 0x05, 0x01])), /length 5 runs past the end/);
});
