import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_MAX_ENTRIES, ProtocolError, decodeMessage, encodeBatch, formatTopic, type DecodeLimits } from '../../src/protocol/index.js';
import { Writer } from '../../src/protocol/proto-wire.js';
import { entry } from './sample.js';
import { plain } from './plain.js';

const PLJ = Buffer.from('PLJ');
const good = Buffer.from(encodeBatch([entry()], 'J'));

function rejects(frames: Uint8Array[], code: string, message: string, topic?: string, limits?: DecodeLimits): void {
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

// ---------------------------------------------------------------- hostile OTLP and JSON

const PLO = formatTopic({ system: 'P', kind: 'L', encoding: 'O' });

/** Length-delimited protobuf field: tag byte(s), varint length, content. */
function field(tag: number, content: Buffer): Buffer {
  const w = new Writer(16);
  w.uvarint(tag);
  w.uvarint(content.length);
  return Buffer.concat([w.finish(), content]);
}

/** An ExportLogsServiceRequest of one ResourceLogs / ScopeLogs holding the given LogRecord bodies. */
function request(records: Buffer[], resourceAttrs: Buffer[] = []): Buffer {
  const scopeLogs = field(0x12, Buffer.concat(records.map((r) => field(0x12, r))));
  const resource = field(0x0a, Buffer.concat(resourceAttrs.map((a) => field(0x0a, a))));
  return field(0x0a, Buffer.concat([resource, scopeLogs]));
}

/** KeyValue{key, value}. */
function keyValue(key: string, anyValue: Buffer): Buffer {
  return Buffer.concat([field(0x0a, Buffer.from(key)), field(0x12, anyValue)]);
}
const stringValue = (s: string): Buffer => field(0x0a, Buffer.from(s));
const kvlistValue = (...kvs: Buffer[]): Buffer => field(0x32, Buffer.concat(kvs.map((k) => field(0x0a, k))));
/** A LogRecord with a body and attributes. */
const logRecord = (body: string, ...attrs: Buffer[]): Buffer => Buffer.concat([field(0x2a, stringValue(body)), ...attrs.map((a) => field(0x32, a))]);

test('OTLP: a __proto__ key is data in a map without Object.prototype, never a prototype (attributes, body, resource)', () => {
  const evil = kvlistValue(keyValue('polluted', stringValue('yes')));
  const rec = logRecord('m', keyValue('__proto__', evil), keyValue('constructor', stringValue('c')));
  const withMapBody = Buffer.concat([field(0x2a, kvlistValue(keyValue('__proto__', evil))), field(0x32, keyValue('toString', stringValue('t')))]);
  const d = decodeMessage([PLO, request([rec, withMapBody], [keyValue('__proto__', evil)])]);
  assert.deepEqual(d.errors, []);
  const [a, b] = d.entries;
  for (const map of [a!.attributes, a!.resource, b!.body as Record<string, unknown>, b!.attributes]) {
    assert.equal(Object.prototype.isPrototypeOf(map), false, 'nothing inherited from Object.prototype');
    assert.equal('hasOwnProperty' in map, false);
    assert.equal((map as { polluted?: unknown }).polluted, undefined);
  }
  assert.deepEqual(Object.keys(a!.attributes), ['__proto__', 'constructor']);
  assert.equal(Object.prototype.isPrototypeOf(a!.attributes['__proto__'] as object), false);
  assert.equal((a!.attributes['__proto__'] as Record<string, unknown>).polluted, 'yes');
  assert.equal(a!.attributes.constructor, 'c');
  assert.equal(b!.attributes.toString, 't');
  assert.equal(({} as { polluted?: unknown }).polluted, undefined, 'Object.prototype untouched');
  // Stored as JSON, the key is an ordinary field.
  assert.equal(JSON.stringify(a!.attributes), '{"__proto__":{"polluted":"yes"},"constructor":"c"}');
});

/** A map nested `levels` deep ({"a":{"a":...}}) around a string, as an AnyValue. */
function nestedMaps(levels: number): Buffer {
  let v = stringValue('x');
  for (let i = 0; i < levels; i++) v = kvlistValue(keyValue('a', v));
  return v;
}

test('OTLP: values nested deeper than 32 levels cost their record alone, and the error names the path', () => {
  const ok = logRecord('fine', keyValue('deep', nestedMaps(31))); // the string sits at level 32
  const tooDeep = logRecord('too deep', keyValue('deep', nestedMaps(32)));
  const deepBody = Buffer.concat([field(0x2a, field(0x2a, field(0x0a, nestedMaps(40))))]); // body: [ {a:{a:...}} ]
  const d = decodeMessage([PLO, request([ok, tooDeep, deepBody, logRecord('after')])]);
  assert.deepEqual(d.entries.map((e) => e.message), ['fine', 'after']);
  assert.deepEqual(d.errors, [
    { index: 1, path: `entries[1].attributes["deep"]${'["a"]'.repeat(32)}`, message: 'nested deeper than 32 levels' },
    { index: 2, path: `entries[2].body[0]${'["a"]'.repeat(31)}`, message: 'nested deeper than 32 levels' },
  ]);
  // The bound is a limit of its own.
  assert.equal(decodeMessage([PLO, request([ok])], { maxDepth: 8 }).errors.length, 1);
});

test('OTLP: an attribute nested 10,000 deep is refused alone, without overflowing the stack', () => {
  let v = stringValue('x');
  for (let i = 0; i < 10_000; i++) v = field(0x2a, field(0x0a, v)); // arrays in arrays
  const d = decodeMessage([PLO, request([logRecord('before'), logRecord('poison', keyValue('deep', v)), logRecord('after')])]);
  assert.deepEqual(d.entries.map((e) => e.message), ['before', 'after']);
  assert.equal(d.errors.length, 1);
  assert.match(d.errors[0]!.path, /^entries\[1\]\.attributes\["deep"\](\[0\]){32}$/);
});

test('OTLP: too deep a resource or scope attribute refuses the records that would carry it, each named', () => {
  const deep = keyValue('deep', nestedMaps(40));
  const d = decodeMessage([PLO, Buffer.concat([
    request([logRecord('r1'), logRecord('r2')], [deep]),
    request([logRecord('ok')]),
  ])]);
  assert.deepEqual(d.entries.map((e) => e.message), ['ok']);
  const path = `resource["deep"]${'["a"]'.repeat(32)}`;
  assert.deepEqual(d.errors, [
    { index: 0, path: `entries[0].${path}`, message: 'nested deeper than 32 levels' },
    { index: 1, path: `entries[1].${path}`, message: 'nested deeper than 32 levels' },
  ]);
  const scope = field(0x0a, Buffer.concat([field(0x0a, Buffer.from('lib')), field(0x1a, deep)]));
  const scoped = field(0x0a, Buffer.concat([field(0x12, Buffer.concat([scope, field(0x12, logRecord('s1'))]))]));
  const s = decodeMessage([PLO, Buffer.concat([scoped, request([logRecord('ok')])])]);
  assert.deepEqual(s.entries.map((e) => e.message), ['ok']);
  assert.deepEqual(s.errors, [{ index: 0, path: `entries[0].loggerAttributes["deep"]${'["a"]'.repeat(32)}`, message: 'nested deeper than 32 levels' }]);
});

test('more records than maxEntries: the whole message is refused with code entry_count (OTLP and JSON)', () => {
  const four = [entry(), entry(), entry(), entry()];
  rejects([PLO, Buffer.from(encodeBatch(four, 'O'))], 'entry_count', 'topic "PLO": 4 records in one message exceed the limit of 3 (maxEntries)', 'PLO', { maxEntries: 3 });
  // JSON is refused by a byte scan before parsing, which stops counting at the limit
  rejects([PLJ, Buffer.from(encodeBatch(four, 'J'))], 'entry_count', 'topic "PLJ": more than 3 records in one message (maxEntries)', 'PLJ', { maxEntries: 3 });
  assert.equal(decodeMessage([PLO, Buffer.from(encodeBatch(four, 'O'))], { maxEntries: 4 }).entries.length, 4);
  // Bad records count too: the bound is on what the message makes the collector build.
  const bad = JSON.stringify({ v: 1, entries: Array.from({ length: DEFAULT_MAX_ENTRIES + 1 }, () => ({})) });
  rejects([PLJ, Buffer.from(bad)], 'entry_count', `topic "PLJ": more than ${DEFAULT_MAX_ENTRIES} records in one message (maxEntries)`, 'PLJ');
});

test('OTLP: 16 MB of empty log records (8 million) is refused from its framing, before any record is built', () => {
  const n = 8_000_000;
  const records = Buffer.alloc(2 * n);
  for (let i = 0; i < records.length; i += 2) records[i] = 0x12; // LogRecord, length 0
  const payload = field(0x0a, field(0x12, records));
  const heapBefore = process.memoryUsage().heapUsed;
  rejects([PLO, payload], 'entry_count', `topic "PLO": ${n} records in one message exceed the limit of ${DEFAULT_MAX_ENTRIES} (maxEntries)`, 'PLO');
  // 8M LogEntry objects would take gigabytes; counting takes none.
  assert.ok(process.memoryUsage().heapUsed - heapBefore < 64 * 1024 * 1024, 'no per-record allocation');
});

test('JSON: the LogEntry v2 fields are checked like the others, each named', () => {
  const e = entry();
  const bad: [Record<string, unknown>, string, string][] = [
    [{ ...e, traceFlags: '01' }, 'traceFlags', 'expected an integer 0..4294967295, got string "01"'],
    [{ ...e, droppedAttributesCount: -1 }, 'droppedAttributesCount', 'expected an integer 0..4294967295, got number -1'],
    [{ ...e, resourceDroppedAttributesCount: 2 ** 32 }, 'resourceDroppedAttributesCount', 'expected an integer 0..4294967295, got number 4294967296'],
    [{ ...e, levelFromSeverity: 'yes' }, 'levelFromSeverity', 'expected true or absent, got string "yes"'],
    [{ ...e, loggerAttributes: [] }, 'loggerAttributes', 'expected an object, got an array'],
    [{ ...e, eventName: 5 }, 'eventName', 'expected a string, got number 5'],
    [{ ...e, loggerVersion: false }, 'loggerVersion', 'expected a string, got boolean false'],
    [{ ...e, exception: { type: 7, message: 'm' } }, 'exception.type', 'expected a string, got number 7'],
  ];
  const good = { ...e, traceFlags: 1, eventName: 'x', loggerVersion: '1', levelFromSeverity: true, exception: { message: 'no type' } };
  const d = decodeMessage([PLJ, Buffer.from(JSON.stringify({ v: 1, entries: [...bad.map((b) => b[0]), good] }))]);
  assert.deepEqual(d.errors, bad.map(([, field, message], index) => ({ index, path: `entries[${index}].${field}`, message })));
  assert.deepEqual(d.entries, [good]);
});

test('OTLP before 0.19: records under instrumentation_library_logs (field 1000) are read, not silently skipped', () => {
  const library = field(0x0a, Buffer.concat([field(0x0a, Buffer.from('old.lib')), field(0x12, Buffer.from('0.9'))]));
  const legacy = field(1000 * 8 + 2, Buffer.concat([library, field(0x12, logRecord('from 2021'))]));
  const payload = field(0x0a, Buffer.concat([field(0x0a, Buffer.alloc(0)), legacy]));
  const d = decodeMessage([PLO, payload], { maxEntries: 1 });
  assert.deepEqual(d.errors, []);
  assert.deepEqual(d.entries.map((e) => [e.logger, e.loggerVersion, e.message]), [['old.lib', '0.9', 'from 2021']]);
  rejects([PLO, Buffer.concat([payload, payload])], 'entry_count', 'topic "PLO": 2 records in one message exceed the limit of 1 (maxEntries)', 'PLO', { maxEntries: 1 });
});
