import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProtocolError, decodeMessage, encodeBatch, formatTopic } from '../../src/protocol/index.js';
import { entry } from './sample.js';
import { plain } from './plain.js';

const PLJ = Buffer.from('PLJ');
const good = Buffer.from(encodeBatch([entry()], 'J'));

function rejects(frames: Uint8Array[], code: string, message: string, topic?: string, limits?: { maxMessageBytes?: number }): void {
  assert.throws(() => decodeMessage(frames, limits), (err: unknown) => {
    assert.ok(err instanceof ProtocolError, String(err));
    assert.equal(err.code, code);
    assert.equal(err.message, message);
    assert.equal(err.topic, topic);
    return true;
  });
}

test('1-frame and 3-frame messages', () => {
  rejects([PLJ], 'frames', 'message has 1 frame, expected 2 [topic, payload] (first frame "PLJ")', 'PLJ');
  rejects([PLJ, good, good], 'frames', 'message has 3 frames, expected 2 [topic, payload] (first frame "PLJ")', 'PLJ');
  rejects([], 'frames', 'message has 0 frames, expected 2 [topic, payload]');
  rejects([good], 'frames', 'message has 1 frame, expected 2 [topic, payload]');
});

test('unknown topics', () => {
  rejects([Buffer.from('XLJ'), good], 'topic', 'topic "XLJ": system byte "X" is not T, S or P', 'XLJ');
  rejects([Buffer.from('PQJ'), good], 'topic', 'topic "PQJ": kind byte "Q" is not L or P', 'PQJ');
  rejects([Buffer.from('hello'), good], 'topic', 'topic "hello" has 5 bytes, expected 3 (system T/S/P, kind L/P, encoding)', 'hello');
});

test('unknown encoding and pickle', () => {
  rejects([Buffer.from('PLX'), good], 'encoding', 'topic "PLX": unknown encoding "X"; this reader decodes J (JSON) and O (OTLP protobuf)', 'PLX');
  rejects([Buffer.from('TPP'), Buffer.from([0x80, 0x02])], 'pickle', 'topic "TPP": pickle payloads are refused (never unpickled); send JSON (J)', 'TPP');
});

test('oversize payloads, checked before parsing', () => {
  rejects([PLJ, Buffer.alloc(2000, 0x7b)], 'size', 'topic "PLJ": payload of 2000 bytes exceeds the limit of 1024 bytes (maxMessageBytes)', 'PLJ', { maxMessageBytes: 1024 });
  assert.equal(decodeMessage([PLJ, good], { maxMessageBytes: good.length }).entries.length, 1);
});

test('invalid JSON names the byte offset', () => {
  rejects([PLJ, Buffer.from('{"v":1,"entries":[}')], 'json', 'topic "PLJ": invalid JSON at byte 18: unexpected \'}\'', 'PLJ');
  rejects([PLJ, Buffer.from('{"v":1,"entries":[]')], 'json', "topic \"PLJ\": invalid JSON at byte 19: expected ',' or '}' in object, got end of input", 'PLJ');
  rejects([PLJ, Buffer.from('{"m":"ü",}')], 'json', "topic \"PLJ\": invalid JSON at byte 10: expected a property name in double quotes, got '}'", 'PLJ');
  rejects([PLJ, Buffer.from('')], 'json', 'topic "PLJ": invalid JSON at byte 0: unexpected end of input', 'PLJ');
  rejects([PLJ, Buffer.from('{"v":1} x')], 'json', "topic \"PLJ\": invalid JSON at byte 8: unexpected 'x' after the JSON value", 'PLJ');
  rejects([PLJ, Buffer.from([0x22, 0xff, 0x22])], 'json', 'topic "PLJ": invalid JSON: payload is not valid UTF-8', 'PLJ');
});

test('wrong envelope shapes', () => {
  const j = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));
  rejects([PLJ, j([entry()])], 'schema', 'topic "PLJ": expected an envelope object {"v":1,"entries":[...]}, got an array', 'PLJ');
  rejects([PLJ, j({ v: 2, entries: [] })], 'schema', 'topic "PLJ": envelope.v: expected 1, got number 2', 'PLJ');
  rejects([PLJ, j({ entries: [] })], 'schema', 'topic "PLJ": envelope.v: expected 1, got undefined', 'PLJ');
  rejects([PLJ, j({ v: 1, entries: {} })], 'schema', 'topic "PLJ": envelope.entries: expected an array, got an object', 'PLJ');
  rejects([PLJ, j({ v: 1, entries: [], producer: 7 })], 'schema', 'topic "PLJ": envelope.producer: expected a string, got number 7', 'PLJ');
  rejects([PLJ, j({ v: 1, entries: [], seq: -1 })], 'schema', 'topic "PLJ": envelope.seq: expected a non-negative integer, got number -1', 'PLJ');
  rejects([PLJ, j('hello')], 'schema', 'topic "PLJ": expected an envelope object {"v":1,"entries":[...]}, got string "hello"', 'PLJ');
});

test('wrong field types drop only their record, each named', () => {
  const e = entry();
  const bad: [Record<string, unknown>, string, string][] = [
    [{ ...e, severity: '9' }, 'entries[1].severity', 'expected an integer 0..24, got string "9"'],
    [{ ...e, severity: 25 }, 'entries[2].severity', 'expected an integer 0..24, got number 25'],
    [{ ...e, timeUnixNano: 1795568645885001234 }, 'entries[3].timeUnixNano', 'expected nanoseconds as a decimal digit string, got number 1795568645885001200'],
    [{ ...e, timeUnixNano: '-1' }, 'entries[4].timeUnixNano', 'expected nanoseconds as a decimal digit string, got string "-1"'],
    [{ ...e, level: 9 }, 'entries[5].level', 'expected a string, got number 9'],
    [{ ...e, logger: null }, 'entries[6].logger', 'expected a string, got null'],
    [{ ...e, message: ['a'] }, 'entries[7].message', 'expected a string, got an array'],
    [{ ...e, attributes: 'x' }, 'entries[8].attributes', 'expected an object, got string "x"'],
    [{ ...e, attributes: { 'distlog.key': 'k' } }, 'entries[9].attributes["distlog.key"]', 'the distlog. prefix is reserved; scope facts travel in their own fields'],
    [{ ...e, resource: [] }, 'entries[10].resource', 'expected an object, got an array'],
    [{ ...e, system: 'Q' }, 'entries[11].system', 'expected "T", "S" or "P", got string "Q"'],
    [{ ...e, kind: undefined }, 'entries[12].kind', 'expected "L" or "P", got undefined'],
    [{ ...e, seq: 1.5 }, 'entries[13].seq', 'expected a non-negative integer, got number 1.5'],
    [{ ...e, task: 5 }, 'entries[14].task', 'expected a string, got number 5'],
    [{ ...e, event: 'begin' }, 'entries[15].event', 'expected "enter", "exit" or "fail", got string "begin"'],
    [{ ...e, durationMs: -1 }, 'entries[16].durationMs', 'expected a non-negative number, got number -1'],
    [{ ...e, exception: { type: 'E' } }, 'entries[17].exception.message', 'expected a string, got undefined'],
    [{ ...e, v: 3 }, 'entries[18].v', 'unsupported record version number 3, this reader knows 1 and 2'],
    [{ ...e, observedTimeUnixNano: '01' }, 'entries[19].observedTimeUnixNano', 'expected nanoseconds as a decimal digit string, got string "01"'],
  ];
  const list: unknown[] = [e, ...bad.map((b) => b[0]), 'not a record', e];
  const d = decodeMessage([PLJ, Buffer.from(JSON.stringify({ v: 1, entries: list }))]);
  assert.deepEqual(d.entries, [entry(), entry()]);
  assert.deepEqual(d.errors, [
    ...bad.map(([, path, message]) => ({ index: Number(/\[(\d+)\]/.exec(path)![1]), path, message })),
    { index: 20, path: 'entries[20]', message: 'expected a record object, got string "not a record"' },
  ]);
});

test('OTLP: broken framing is a schema error; a broken record drops only itself', () => {
  const PLO = formatTopic({ system: 'P', kind: 'L', encoding: 'O' });
  const payload = Buffer.from(encodeBatch([entry(), entry({ seq: 7 })], 'O'));
  // ResourceLogs length is a 2-byte varint at offset 1; cut the payload short.
  const len = (payload[1]! & 0x7f) | (payload[2]! << 7);
  rejects([PLO, payload.subarray(0, payload.length - 5)], 'schema', `topic "PLO": malformed OTLP payload: length ${len} runs past the end of its message at byte 3`, 'PLO');
  rejects([PLO, Buffer.from([0x0f])], 'schema', 'topic "PLO": malformed OTLP payload: unsupported wire type 7 at byte 1', 'PLO');
  rejects([PLO, Buffer.from([0x0a, 0x80])], 'schema', 'topic "PLO": malformed OTLP payload: truncated varint at byte 2', 'PLO');
  // Severity 99 in the second record only.
  const bad = Buffer.from(encodeBatch([entry(), entry({ severity: 99 as number })], 'O'));
  const d = decodeMessage([PLO, bad]);
  assert.deepEqual(plain(d.entries), [entry()]);
  assert.deepEqual(d.errors, [{ index: 1, path: 'entries[1].severity', message: 'expected an integer 0..24, got 99' }]);
});

test('good messages decode after bad ones (no state carried between calls)', () => {
  for (const frames of [[PLJ], [Buffer.from('PLP'), good], [PLJ, Buffer.from('{')]]) assert.throws(() => decodeMessage(frames));
  assert.deepEqual(decodeMessage([PLJ, good]).entries, [entry()]);
});
