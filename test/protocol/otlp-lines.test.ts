/**
 * The OTLP → JSON-lines transcoder (otlp-lines.ts, decode-lines.ts) against the
 * object path on hand-built payloads: every case the fast path hands to the
 * decoder's reader, and every case it must write exactly. Each payload goes
 * through both twins: otlpToJsonLines vs decodeOtlp, and decodeMessageLines vs
 * decodeMessage (topic PLO). See lines-compare.ts for what "the same" means.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { BATCH_META_FIELD } from '../../src/protocol/otlp-codec.js';
import { MAX_VALUE_DEPTH } from '../../src/protocol/validate.js';
import { compareMessage, compareOtlp } from './lines-compare.js';
import {
  any, attr, cat, double, fixed64, keyValue, ld, nestedArray, nestedMap, oneScope, plainRecord, rec, record, resAttr, resource,
  resourceLogs, scope, scopeAttr, scopeLogs, str, tag, varint, vi,
} from './pb.js';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const TRACE2 = '11111111111111112222222222222222';
const SPAN = 'b7ad6b7169203331';

/** Both twins on one payload; `bytes` where the lines must be byte-identical. Reports the divergences of both. */
function both(name: string, payload: Buffer, o: { bytes?: boolean; topic?: string; maxDepth?: number; maxEntries?: number } = {}): string[] {
  const failures: string[] = [];
  let lines: string[] = [];
  try {
    lines = compareOtlp(payload, { label: `${name} (otlpToJsonLines)`, bytes: o.bytes, options: o.maxDepth !== undefined ? { maxDepth: o.maxDepth } : undefined });
  } catch (err) {
    failures.push((err as Error).message);
  }
  try {
    compareMessage([Buffer.from(o.topic ?? 'PLO'), payload], {
      label: `${name} (decodeMessageLines)`,
      bytes: o.bytes,
      limits: { ...(o.maxDepth !== undefined ? { maxDepth: o.maxDepth } : {}), ...(o.maxEntries !== undefined ? { maxEntries: o.maxEntries } : {}) },
    });
  } catch (err) {
    failures.push((err as Error).message);
  }
  if (failures.length) assert.fail(`${failures.join('\n\n')}\npayload: ${payload.toString('hex')}`);
  return lines;
}

/** One `both` as a subtest: a divergence in one case does not hide the cases after it. */
function sub(t: TestContext, name: string, payload: Buffer, o: Parameters<typeof both>[2] = {}): Promise<void> {
  return t.test(name, () => {
    both(name, payload, o);
  });
}

const u = (s: string) => Buffer.from(s, 'utf8');
const INVALID_UTF8 = [Buffer.from([0xff]), Buffer.from([0xc3]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xe2, 0x82]), Buffer.from([0xf0, 0x9f, 0x98]), Buffer.from([0x61, 0xc0, 0xaf, 0x62])];

/** name → one record's extra fields (after time, severity 9, body "hello"). */
const RECORD_CASES: Record<string, Buffer[]> = {
  'plain': [],
  'repeated attribute key: first position, last value': [attr('a', any.i(1)), attr('b', any.s('x')), attr('a', any.s('last'))],
  'repeated attribute key, same value type': [attr('a', any.s('1')), attr('a', any.s('2'))],
  'non-ASCII keys and values': [attr('städte', any.s('Zürich')), attr('😀', any.s('日本語 😀')), attr('ключ', any.s('значение'))],
  'non-ASCII keys that decode to the same string (U+FFFD)': [attr(Buffer.from([0x6b, 0xff]), any.s('1')), attr(Buffer.from([0x6b, 0xfe]), any.s('2'))],
  ...Object.fromEntries(INVALID_UTF8.map((b, i) => [`invalid UTF-8 #${i} in key, value, message, level, event name`, [
    attr(Buffer.concat([u('k'), b]), any.s(Buffer.concat([u('v'), b]))), attr('plain', any.s(b)), rec.text(Buffer.concat([u('INFO'), b])),
    str(12, Buffer.concat([u('ev'), b])), attr('distlog.path', any.s(Buffer.concat([u('1/'), b]))),
  ]])),
  'strings to escape': [attr('q"uote', any.s('a"b\\c\nd\te\u0000f\u001fg\u007fh')), attr('slash\\', any.s('</script>')), rec.text('WA"RN')],
  'long strings to escape (past the short-copy length)': [attr('long', any.s(`${'x'.repeat(40)}"${'y'.repeat(40)}\\`)), attr('longu', any.s(`${'x'.repeat(40)}é`)), attr('ctl', any.s(`${'z'.repeat(33)}\u0001`))],
  'emoji and lone surrogates in strings': [attr('e', any.s('😀👍🏽')), attr('lone', any.s('\ud800x\udfff'))],
  'empty strings': [attr('', any.s('')), attr('empty', any.s('')), rec.text(''), rec.eventName('')],
  'empty key only': [attr('', any.i(1))],
  'attribute without value': [ld(6, str(1, 'novalue'))],
  'attribute with an empty AnyValue': [attr('nothing', any.empty())],
  'KeyValue with unknown fields': [ld(6, str(1, 'k'), vi(3, 7), ld(2, any.s('v')), double(4, 1))],
  'structured body (map) without distlog.message': [rec.body(any.map(keyValue('order', any.s('A-1')), keyValue('n', any.i(2))))],
  'structured body (array) with distlog.message': [rec.body(any.arr(any.i(1), any.s('two'))), attr('distlog.message', any.s('the message'))],
  'string body with distlog.message': [attr('distlog.message', any.s('msg')), rec.body(any.s('body text'))],
  'empty AnyValue body': [rec.body(any.empty())],
  'empty AnyValue body with distlog.message': [rec.body(any.empty()), attr('distlog.message', any.s('m'))],
  'body given twice (string, then int)': [rec.body(any.s('first')), rec.body(any.i(5))],
  'body given twice (int, then string)': [rec.body(any.i(5)), rec.body(any.s('second'))],
  'body given twice (string, then empty)': [rec.body(any.s('first')), rec.body(any.empty())],
  'body bool / double / bytes': [rec.body(any.b(true))],
  'body double': [rec.body(any.d(2.5))],
  'body bytes': [rec.body(any.bytes([1, 2, 255]))],
  'AnyValue with two fields': [attr('two', cat(any.s('a'), any.i(3)))],
  'distlog.task before trace_id': [attr('distlog.task', any.s('my-task')), rec.trace(TRACE)],
  'distlog.task after trace_id': [rec.trace(TRACE), attr('distlog.task', any.s('my-task'))],
  'distlog.span before span_id': [attr('distlog.span_id', any.s('s1')), rec.span(SPAN)],
  'distlog.span after span_id': [rec.span(SPAN), attr('distlog.span_id', any.s('s1'))],
  'empty trace_id after a non-empty one': [rec.trace(TRACE), ld(9), rec.span(SPAN), ld(10)],
  'two trace_ids': [rec.trace(TRACE), rec.trace(TRACE2)],
  'odd-length ids': [ld(9, Buffer.from([1, 2, 3])), ld(10, Buffer.from([0xab]))],
  'derived key: seq + path + trace': [rec.trace(TRACE), attr('distlog.seq', any.i(4)), attr('distlog.path', any.s('1/2'))],
  'derived key: empty path': [rec.trace(TRACE), attr('distlog.seq', any.i(0)), attr('distlog.path', any.s(''))],
  'derived key: path to escape': [rec.trace(TRACE), attr('distlog.seq', any.i(4)), attr('distlog.path', any.s('a"b/é'))],
  'derived key: trace after seq and path': [attr('distlog.seq', any.i(4)), attr('distlog.path', any.s('1')), rec.trace(TRACE)],
  'explicit key beside seq, path, trace': [rec.trace(TRACE), attr('distlog.seq', any.i(4)), attr('distlog.path', any.s('1')), attr('distlog.key', any.s('custom'))],
  'reserved fields in wire order unlike LogEntry order': [attr('distlog.duration_ms', any.d(1.5)), attr('distlog.event', any.s('exit')), attr('distlog.parent_span_id', any.s('p')), attr('distlog.path', any.s('1')), attr('distlog.seq', any.i(2)), attr('distlog.key', any.s('k'))],
  'exception.* strings': [attr('exception.stacktrace', any.s('at x')), attr('exception.type', any.s('TypeError')), attr('exception.message', any.s('boom'))],
  'exception.type only': [attr('exception.type', any.s('E'))],
  'exception.* with non-string values': [attr('exception.type', any.i(3)), attr('exception.message', any.b(false)), attr('exception.stacktrace', any.arr(any.s('a')))],
  'exception.type non-string then string': [attr('exception.type', any.i(3)), attr('exception.type', any.s('T'))],
  'exception.type string then non-string': [attr('exception.type', any.s('T')), attr('exception.type', any.i(3))],
  'exception.escaped and other exception.* names': [attr('exception.escaped', any.b(true)), attr('exception.message', any.s('m'))],
  'unknown distlog.* names': [attr('distlog.future', any.s('x')), attr('distlog.', any.i(1)), attr('distlog.system', any.s('T'))],
  'unknown distlog.* with a structured value': [attr('distlog.future', any.map(keyValue('a', any.i(1))))],
  'distlog-like user names': [attr('distlog', any.s('x')), attr('distlogx.y', any.s('y')), attr('Distlog.seq', any.i(1)), attr('exception', any.s('e'))],
  'distlog.seq as double 3.0': [attr('distlog.seq', any.d(3))],
  'distlog.seq as double 3.5': [attr('distlog.seq', any.d(3.5))],
  'distlog.seq negative': [attr('distlog.seq', any.i(-1))],
  'distlog.seq NaN': [attr('distlog.seq', any.d(NaN))],
  'distlog.seq 2^53': [attr('distlog.seq', any.i(2n ** 53n))],
  'distlog.seq 2^53 - 1': [attr('distlog.seq', any.i(2n ** 53n - 1n))],
  'distlog.seq as a string': [attr('distlog.seq', any.s('3'))],
  'distlog.seq twice (bad, then good)': [attr('distlog.seq', any.s('x')), attr('distlog.seq', any.i(1))],
  'distlog.event invalid': [attr('distlog.event', any.s('enterr'))],
  'distlog.event invalid and long (the error message is cut)': [attr('distlog.event', any.s(`x${'é'.repeat(600)}`))],
  'distlog.kind invalid and long': [attr('distlog.kind', any.s('P'.repeat(1000)))],
  'distlog.seq as double -0': [attr('distlog.seq', any.d(-0)), attr('distlog.path', any.s('1')), rec.trace(TRACE)],
  'distlog.event not a string': [attr('distlog.event', any.i(1))],
  'distlog.event enter / fail': [attr('distlog.event', any.s('enter')), attr('distlog.event', any.s('fail'))],
  'distlog.kind invalid': [attr('distlog.kind', any.s('X'))],
  'distlog.kind LP': [attr('distlog.kind', any.s('LP'))],
  'distlog.kind P': [attr('distlog.kind', any.s('P'))],
  'distlog.kind L': [attr('distlog.kind', any.s('L'))],
  'distlog.duration_ms int, NaN, -0, Infinity': [attr('distlog.duration_ms', any.i(7))],
  'distlog.duration_ms NaN': [attr('distlog.duration_ms', any.d(NaN))],
  'distlog.duration_ms -0': [attr('distlog.duration_ms', any.d(-0))],
  'distlog.duration_ms -Infinity': [attr('distlog.duration_ms', any.d(-Infinity))],
  'distlog.duration_ms string': [attr('distlog.duration_ms', any.s('7'))],
  'distlog.duration_ms big int': [attr('distlog.duration_ms', any.i(2n ** 60n))],
  'distlog.message not a string': [attr('distlog.message', any.i(1))],
  'distlog.message without value': [ld(6, str(1, 'distlog.message'))],
  'severity 24': [rec.severity(24)],
  'severity 25': [rec.severity(25)],
  'severity 2^40': [rec.severity(2 ** 40)],
  'severity 2^60': [rec.severity(2n ** 60n)],
  'severity text empty after present': [rec.text('CUSTOM'), rec.text('')],
  'severity text present after empty': [rec.text(''), rec.text('CUSTOM')],
  'severity text repeated': [rec.text('A'), rec.text('B')],
  'severity twice': [rec.severity(17), rec.text('X'), rec.severity(5)],
  'int64 values: negative, > 2^53, edges': [attr('neg', any.i(-5)), attr('min', any.i(-(2n ** 63n))), attr('big', any.i(2n ** 53n + 1n)), attr('max', any.i(2n ** 63n - 1n)), attr('safe', any.i(2n ** 53n - 1n)), attr('u64', any.i(2n ** 64n - 1n)), attr('b56', any.i(2n ** 56n - 1n)), attr('b55', any.i(2n ** 55n))],
  'int64 non-minimal varint': [attr('nm', cat(tag(3, 0), [0x80, 0x80, 0x00]))],
  'doubles: NaN, Infinity, -0, tiny, huge': [attr('nan', any.d(NaN)), attr('inf', any.d(Infinity)), attr('ninf', any.d(-Infinity)), attr('nz', any.d(-0)), attr('tiny', any.d(5e-324)), attr('huge', any.d(1.7976931348623157e308)), attr('frac', any.d(0.1 + 0.2)), attr('int', any.d(2 ** 60))],
  'bool encoded long': [attr('bl', cat(tag(2, 0), [0x81, 0x80, 0x00]))],
  'bool 2': [attr('b2', any.b(true)), attr('b0', vi(2, 0).subarray(0)), attr('b7', vi(2, 7))],
  'bytes values': [attr('blob', any.bytes([0, 1, 2, 250, 255])), attr('emptyblob', any.bytes([]))],
  'nested maps and arrays': [attr('m', any.map(keyValue('a', any.arr(any.i(1), any.map(keyValue('b', any.s('c'))), any.empty())), keyValue('__proto__', any.i(1)), keyValue('a', any.i(2))))],
  '__proto__ and constructor keys': [attr('__proto__', any.map(keyValue('polluted', any.b(true)))), attr('constructor', any.s('c')), attr('toString', any.i(1))],
  'attributes at maxDepth': [attr('deep', nestedArray(32))],
  'attributes past maxDepth': [attr('ok', any.i(1)), attr('deep', nestedArray(33))],
  'map attributes past maxDepth': [attr('deep', nestedMap(40))],
  'body at maxDepth': [rec.body(nestedMap(32))],
  'body past maxDepth': [rec.body(nestedMap(33))],
  'unknown distlog.* past maxDepth': [attr('distlog.future', nestedArray(40))],
  'unknown distlog.* with a malformed value (string field as varint)': [attr('distlog.future', cat(tag(1, 0), [5]))],
  'malformed AnyValue: string field as varint': [attr('bad', cat(tag(1, 0), [5]))],
  'malformed AnyValue: double truncated': [attr('bad', cat(tag(4, 1), [1, 2, 3]))],
  'malformed AnyValue: length past its end': [attr('bad', cat(tag(1, 2), [9], u('ab')))],
  'KeyValue with a malformed value, then a good one': [ld(6, str(1, 'k'), ld(2, cat(tag(1, 0), [5])), ld(2, any.s('good')))],
  'KeyValue with a too deep value, then a good one': [ld(6, str(1, 'k'), ld(2, nestedArray(40)), ld(2, any.s('good')))],
  'KeyValue with the key twice': [ld(6, str(1, 'first'), str(1, 'second'), ld(2, any.s('v')))],
  'distlog.message KeyValue: value twice': [ld(6, str(1, 'distlog.message'), ld(2, any.i(1)), ld(2, any.s('m')))],
  'unknown record fields of every wire type': [vi(100, 5), fixed64(101, 7n), ld(102, u('x')), cat(tag(103, 5), [1, 2, 3, 4]), vi(4, 1)],
  'unknown field of wire type 3 (group start)': [cat(tag(104, 3))],
  'unknown field of wire type 4 (group end)': [cat(tag(104, 4))],
  'unknown field of wire type 6': [cat(tag(104, 6))],
  'unknown field of wire type 7': [cat(tag(104, 7))],
  'field with a known number and a wrong wire type': [cat(tag(2, 2), [1, 9])],
  'time field with a wrong wire type': [cat(tag(1, 0), [5])],
  'dropped attributes count': [rec.dropped(3)],
  'dropped attributes count 2^55 + 3': [rec.dropped(2n ** 55n + 3n)],
  'dropped attributes count 2^53 + 1': [rec.dropped(2n ** 53n + 1n)],
  'dropped attributes count 2^62': [rec.dropped(2n ** 62n)],
  'trace flags': [rec.flags(1)],
  'trace flags 2^31 and more': [rec.flags(0x80000001)],
  'trace flags 0xffffffff': [rec.flags(0xffffffff)],
  'event name': [rec.eventName('order.placed')],
  'observed time different from time': [rec.observed(1700000000000000999n)],
  'observed time equal to time': [rec.observed(1700000000000000001n)],
  'time 2^64 - 1 and observed 2^63': [rec.time(2n ** 64n - 1n), rec.observed(2n ** 63n)],
  'time twice': [rec.time(5n), rec.time(1700000000000000002n)],
  'time zero with observed': [rec.time(0n), rec.observed(1700000000000000123n)],
  'truncated varint at the end of the record': [cat([0x10, 0x80])],
  'truncated fixed64 at the end of the record': [cat([0x59, 1, 2, 3])],
  'truncated fixed32': [cat([0x45, 1, 2])],
  'attribute length past the record': [cat([0x32, 0x40, 0x0a, 0x01, 0x61])],
};

for (const [name, fields] of Object.entries(RECORD_CASES)) {
  test(`record: ${name}`, () => {
    both(name, oneScope(plainRecord(...fields)));
    // and the record among plain siblings, so a record of the object path does not disturb the next
    both(`${name} (between siblings)`, oneScope(plainRecord(attr('n', any.i(1))), plainRecord(...fields), plainRecord(attr('n', any.i(3)))));
  });
}

test('record: no fields at all, and only an observed time', async (t) => {
  await sub(t, 'empty record', oneScope(record()));
  await sub(t, 'observed only', oneScope(record(rec.observed(123n))));
  await sub(t, 'severity 0 only', oneScope(record(rec.severity(0))));
});

test('record: a record without body and without message', async (t) => {
  await sub(t, 'no body', oneScope(record(rec.time(1n), attr('a', any.s('b')))));
});

test('record: every level name from its severity', async (t) => {
  await sub(t, 'severities', oneScope(...Array.from({ length: 25 }, (_, s) => record(rec.time(BigInt(s + 1)), rec.severity(s), rec.body(any.s(`s${s}`))))));
  // levels repeat within a scope (the fast path memoizes the level chunk per scope)
  await sub(t, 'levels alternate', oneScope(...[9, 9, 17, 9, 17, 17].map((s, i) => record(rec.severity(s), ...(i % 2 ? [rec.text('CUSTOM')] : [])))));
  await sub(t, 'same text, other severity', oneScope(record(rec.severity(9), rec.text('X')), record(rec.severity(10), rec.text('X')), record(rec.severity(10), rec.text('Y'))));
});

test('record: more than 128 attributes, and exactly 128', async (t) => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => attr(`a${i}`, any.i(i)));
  await sub(t, '128 attributes', oneScope(plainRecord(...many(128))));
  await sub(t, '129 attributes', oneScope(plainRecord(...many(129))));
  await sub(t, '300 attributes with a repeat at the end', oneScope(plainRecord(...many(300), attr('a5', any.s('again')))));
  await sub(t, '128 user attributes and reserved ones', oneScope(plainRecord(...many(128), attr('distlog.seq', any.i(1)), attr('exception.type', any.s('T')))));
});

test('framing: truncated record, record past its scope, scope past its resource', async (t) => {
  const good = plainRecord(attr('a', any.i(1)));
  const full = oneScope(good, good);
  for (let cut = 1; cut < full.length; cut++) await sub(t, `cut at ${cut}`, full.subarray(0, cut));
  // a record whose length runs past its ScopeLogs, with bytes after it that read as more fields
  const inner = cat(plainRecord(), [0x12, 0x05], plainRecord().subarray(2, 7));
  const sl = cat(tag(2, 2), varint(inner.length - 3), inner);
  await sub(t, 'record length past its scope', resourceLogs(resource(resAttr('service.name', any.s('svc'))), sl, str(3, 'schema')));
  await sub(t, 'record length past its scope, bare', cat(tag(1, 2), varint(sl.length + 3), sl, str(3, 'x')));
  const rl = resourceLogs(resource(), scopeLogs(scope(str(1, 'a')), good));
  await sub(t, 'resource logs length one short', cat(rl.subarray(0, 1), [rl[1]! - 1], rl.subarray(2)));
  await sub(t, 'scope length past the resource logs', resourceLogs(cat(tag(2, 2), [0x7f]), good));
});

test('framing: a resource attribute whose KeyValue runs past its Resource, over the ScopeLogs after it', async (t) => {
  // The framing checks (countOtlpRecords) pass: the Resource is skipped by its length. Its KeyValue's
  // length reaches over the next field, a legacy ScopeLogs, whose bytes its reader skips as an unknown
  // KeyValue field: the records in it are in the message or not, depending on how the resource is read.
  const legacy = ld(1000, scope(str(1, 'eaten')), plainRecord(), plainRecord());
  const kv = keyValue('a', any.s('b'));
  const res = cat([0x0a], varint(kv.length + legacy.length), kv);
  await sub(t, 'resource first', resourceLogs(cat([0x0a], varint(res.length), res), legacy, scopeLogs(scope(str(1, 'kept')), plainRecord())));
  await sub(t, 'resource after a scope', resourceLogs(scopeLogs(scope(str(1, 'kept')), plainRecord()), cat([0x0a], varint(res.length), res), legacy));
  const scopeKv = cat([0x1a], varint(kv.length + 4), kv);
  await sub(t, 'scope attribute running past its scope', resourceLogs(resource(), scopeLogs(cat([0x0a], varint(scopeKv.length), scopeKv), vi(9, 1), vi(9, 1), plainRecord())));
});

test('framing: errors inside the resource, the scope and the meta come out the same', async (t) => {
  const good = plainRecord();
  const badWire = cat(tag(9, 7));
  await sub(t, 'bad wire type in the resource', resourceLogs(resource(badWire), scopeLogs(scope(str(1, 'a')), good)));
  await sub(t, 'bad wire type in the scope', resourceLogs(resource(), scopeLogs(scope(str(1, 'a'), badWire), good)));
  await sub(t, 'bad wire type in scope logs', resourceLogs(resource(), scopeLogs(scope(str(1, 'a')), good, badWire)));
  await sub(t, 'bad wire type in resource logs', resourceLogs(resource(), scopeLogs(scope(str(1, 'a')), good), badWire));
  // two problems: the scope's (first on the wire) and the resource's (after it)
  await sub(t, 'bad scope before bad resource', resourceLogs(scopeLogs(scope(str(1, 'a'), badWire), good), resource(badWire)));
  await sub(t, 'bad scope before a bad later scope', resourceLogs(resource(), scopeLogs(scope(badWire), good), scopeLogs(scope(cat(tag(1, 2), [0x7f]))), good));
  // A value of the wrong wire type throws from the AnyValue reader: in a scope attribute (first on the wire)
  // and in a resource attribute after it, the object path names the scope's, wherever the resource sits.
  const badValue = cat(tag(1, 0), [5]);
  await sub(t, 'malformed scope attribute value before a malformed resource attribute value', resourceLogs(scopeLogs(scope(str(1, 'a'), scopeAttr('s', badValue)), good), resource(resAttr('r', badValue))));
  await sub(t, 'truncated resource attribute', resourceLogs(resource(cat(tag(1, 2), [3], keyValue('k').subarray(0, 3))), scopeLogs(good)));
  await sub(t, 'groups at the request level', cat(resourceLogs(resource(), scopeLogs(good)), tag(7, 3)));
  await sub(t, 'group end at the request level', cat(resourceLogs(resource(), scopeLogs(good)), tag(7, 4)));
  const metaTag = varint(BATCH_META_FIELD * 8 + 2);
  await sub(t, 'bad wire type in the meta', cat(oneScope(good), metaTag, [2], tag(9, 7)));
  await sub(t, 'meta length past the payload', cat(oneScope(good), metaTag, [9], [0x0a]));
});

test('structure: resource after its scope_logs, scope after its records, legacy field 1000', async (t) => {
  const good = plainRecord(attr('a', any.s('b')));
  const res = resource(resAttr('service.name', any.s('late')), resAttr('distlog.system', any.s('P')), vi(2, 4));
  await sub(t, 'resource after scope_logs', resourceLogs(scopeLogs(scope(str(1, 'a')), good), res, str(3, 'https://schema/r')), { bytes: false });
  await sub(t, 'resource in two parts', resourceLogs(resource(resAttr('a', any.i(1))), scopeLogs(good), resource(resAttr('b', any.i(2)), resAttr('a', any.i(3)))));
  await sub(t, 'scope after its records', resourceLogs(res, scopeLogs(good, good, scope(str(1, 'late-logger'), str(2, '1.0'), scopeAttr('x', any.i(1)), vi(4, 2)), str(3, 'https://schema/s'))));
  await sub(t, 'scope twice', resourceLogs(res, scopeLogs(scope(str(1, 'one'), str(2, 'v1')), good, scope(str(1, 'two')))));
  await sub(t, 'scope attributes repeated', resourceLogs(res, scopeLogs(scope(str(1, 'a'), scopeAttr('x', any.i(1)), scopeAttr('x', any.s('y'))), good)));
  const legacy = ld(1000, scope(str(1, 'legacy')), good, good);
  await sub(t, 'legacy instrumentation_library_logs', resourceLogs(res, legacy));
  await sub(t, 'legacy and scope_logs mixed', resourceLogs(res, legacy, scopeLogs(scope(str(1, 'new')), good)));
  await sub(t, 'schema url twice', resourceLogs(res, scopeLogs(scope(str(1, 'a')), good, str(3, 'first'), str(3, 'second')), str(3, 'r1'), str(3, '')));
});

test('structure: several ResourceLogs and ScopeLogs in one message, with the batch meta', async (t) => {
  const r = (svc: string, ...sl: Buffer[]) => resourceLogs(resource(resAttr('service.name', any.s(svc)), resAttr('n', any.arr(any.i(1)))), ...sl);
  const sl = (name: string, n: number) => scopeLogs(scope(str(1, name)), ...Array.from({ length: n }, (_, i) => plainRecord(attr('i', any.i(i)))));
  const meta = ld(BATCH_META_FIELD, str(1, 'host/1'), vi(2, 42), vi(3, 1000), vi(4, 9));
  await sub(t, '3 resources x 2 scopes + meta', cat(r('a', sl('x', 2), sl('y', 0)), r('b', sl('z', 3)), meta, r('c', sl('x', 1), sl('x', 1))));
  await sub(t, 'meta first, then twice', cat(meta, r('a', sl('x', 1)), ld(BATCH_META_FIELD, vi(2, 43))));
  await sub(t, 'empty request', Buffer.alloc(0));
  await sub(t, 'empty resource logs', cat(resourceLogs(), resourceLogs(resource())));
  await sub(t, 'unknown request fields', cat(vi(2, 1), r('a', sl('x', 1)), ld(3, u('zz'))));
  // a bad record in the middle keeps its index among the records of all resources
  await sub(t, 'error indexes across resources', cat(r('a', sl('x', 2)), r('b', scopeLogs(plainRecord(rec.severity(99)), plainRecord())), r('c', sl('y', 2))));
});

test('resource: distlog.system, topic mismatch, non-string service.name', async (t) => {
  const withSystem = (s: Buffer | undefined, ...more: Buffer[]) =>
    resourceLogs(resource(resAttr('service.name', any.s('svc')), ...(s ? [resAttr('distlog.system', s)] : []), ...more), scopeLogs(scope(str(1, 'a')), plainRecord()));
  for (const topic of ['PLO', 'TLO', 'SLO']) {
    await sub(t, `system T on topic ${topic}`, withSystem(any.s('T')), { topic });
    await sub(t, `system P on topic ${topic}`, withSystem(any.s('P')), { topic });
    await sub(t, `system X on topic ${topic}`, withSystem(any.s('X')), { topic });
    await sub(t, `system as int on topic ${topic}`, withSystem(any.i(1)), { topic });
    await sub(t, `no system on topic ${topic}`, withSystem(undefined), { topic });
    await sub(t, `mixed resources on topic ${topic}`, cat(withSystem(any.s('P')), withSystem(any.s('T')), withSystem(any.s('S'))), { topic });
  }
  await sub(t, 'service.name not a string', resourceLogs(resource(resAttr('service.name', any.i(5))), scopeLogs(plainRecord())));
  await sub(t, 'host.name not a string', resourceLogs(resource(resAttr('service.name', any.s('a')), resAttr('host.name', any.arr())), scopeLogs(plainRecord())));
  await sub(t, 'service.name not a string in the second resource', cat(oneScope(plainRecord()), resourceLogs(resource(resAttr('service.name', any.b(true))), scopeLogs(plainRecord()))));
  await sub(t, 'resource with non-ASCII, repeated and deep-ish attributes', resourceLogs(resource(resAttr('ü', any.s('ö')), resAttr('a', any.i(1)), resAttr('a', any.i(2)), resAttr('m', nestedMap(30)), resAttr('lone', any.s('\ud800'))), scopeLogs(plainRecord())));
  await sub(t, 'resource dropped count and schema', resourceLogs(resource(resAttr('service.name', any.s('a')), vi(2, 5)), str(3, 'https://opentelemetry.io/schemas/1.26.0'), scopeLogs(plainRecord())));
});

test('depth: past maxDepth in resource and scope attributes, and maxDepth options', async (t) => {
  const deepRes = resourceLogs(resource(resAttr('deep', nestedArray(33))), scopeLogs(plainRecord(), plainRecord()));
  await sub(t, 'resource attribute past maxDepth', deepRes);
  await sub(t, 'resource attribute past maxDepth, then a good resource', cat(deepRes, oneScope(plainRecord())));
  const deepScope = resourceLogs(resource(), scopeLogs(scope(str(1, 'a'), scopeAttr('deep', nestedMap(33))), plainRecord(rec.severity(99)), plainRecord()), scopeLogs(plainRecord()));
  await sub(t, 'scope attribute past maxDepth (one record already refused)', deepScope);
  for (const maxDepth of [1, 2, 5, MAX_VALUE_DEPTH, MAX_VALUE_DEPTH + 1, 64, 100]) {
    const p = oneScope(
      plainRecord(attr('d', nestedArray(Math.min(maxDepth, 70)))),
      plainRecord(attr('d', nestedArray(maxDepth + 1))),
      plainRecord(rec.body(nestedMap(maxDepth))),
      plainRecord(attr('ok', any.i(1))),
    );
    await sub(t, `maxDepth ${maxDepth}`, p, { maxDepth });
  }
});

test('depth: values the line writer refuses under a maxDepth above MAX_VALUE_DEPTH', async (t) => {
  // decodeOtlp takes them (maxDepth 100); JsonLineWriter (64 levels) refuses the record: an error, not a throw
  for (const d of [60, 61, 62, 63, 64, 70, 99]) {
    await t.test(`attribute ${d} deep`, () => {
      compareOtlp(oneScope(plainRecord(attr('deep', nestedArray(d))), plainRecord()), { label: `attribute ${d} deep, maxDepth 100`, options: { maxDepth: 100 } });
    });
    await t.test(`body ${d} deep`, () => {
      compareOtlp(oneScope(plainRecord(rec.body(nestedArray(d))), plainRecord()), { label: `body ${d} deep, maxDepth 100`, options: { maxDepth: 100 } });
    });
  }
});

test('depth: resource and scope attributes deeper than the line writer allows, under maxDepth 100', async (t) => {
  for (const d of [40, 63, 70]) {
    await t.test(`resource attribute ${d} deep`, () => {
      compareOtlp(resourceLogs(resource(resAttr('deep', nestedArray(d))), scopeLogs(plainRecord())), { label: `resource ${d} deep, maxDepth 100`, options: { maxDepth: 100 } });
    });
    await t.test(`scope attribute ${d} deep`, () => {
      compareOtlp(resourceLogs(resource(), scopeLogs(scope(scopeAttr('deep', nestedMap(d))), plainRecord())), { label: `scope ${d} deep, maxDepth 100`, options: { maxDepth: 100 } });
    });
  }
});

test('maxEntries: at the limit, and one past it', async (t) => {
  const p = oneScope(plainRecord(), plainRecord(rec.severity(99)), plainRecord());
  for (const maxEntries of [0, 1, 2, 3, 4]) await sub(t, `maxEntries ${maxEntries}`, p, { maxEntries });
});

test('topics: wrong frame counts, encodings and a J topic go the same way', () => {
  const payload = oneScope(plainRecord());
  for (const topic of ['PLJ', 'PLP', 'PLX', 'XLO', 'PL', 'PPO']) compareMessage([Buffer.from(topic), payload], { label: `topic ${topic}` });
  compareMessage([Buffer.from('PLO')], { label: 'one frame' });
  compareMessage([Buffer.from('PLO'), payload, payload], { label: 'three frames' });
  compareMessage([Buffer.from('PLO'), payload], { label: 'size limit', limits: { maxMessageBytes: 10 } });
  compareMessage([Buffer.from('PLJ'), Buffer.from(JSON.stringify({ v: 1, entries: [{ message: 'x', timeUnixNano: '1', level: 'INFO', severity: 9, logger: 'a', attributes: {}, resource: {}, system: 'P', kind: 'L', v: 2 }] }))], { label: 'J message', bytes: true });
});

test('lines of exporter-shaped records come out byte-identical (the encoder writes fields in LogEntry order)', () => {
  const lines = both('distlog-shaped record', oneScope(record(
    rec.time(1795568645885001234n), rec.severity(9), rec.text('INFO'), rec.body(any.s('order A-1 accepted')),
    attr('user', any.s('leo')), attr('n', any.i(200)), attr('distlog.seq', any.i(2)), attr('distlog.path', any.s('1/3')),
    rec.trace(TRACE), rec.span(SPAN), rec.observed(1795568645885001234n),
  )), { bytes: true });
  assert.equal(lines.length, 1);
  assert.ok(lines[0]!.includes(`"key":"2@${TRACE}/1/3"`), lines[0]);
});

test('what the lines say in the cases the fast path hands over (not only that both paths agree)', () => {
  const one = (...fields: Buffer[]) => {
    const lines = both('explicit', oneScope(plainRecord(...fields)));
    assert.equal(lines.length, 1);
    return JSON.parse(lines[0]!) as Record<string, unknown>;
  };
  const dup = lines0(both('dup', oneScope(plainRecord(attr('a', any.i(1)), attr('b', any.s('x')), attr('a', any.s('last'))))));
  assert.equal(JSON.stringify(dup['attributes']), '{"a":"last","b":"x"}', 'first position, last value');
  assert.equal(one(rec.trace(TRACE), ld(9))['task'], TRACE, 'an empty trace_id keeps the one before');
  assert.equal(one(attr('distlog.task', any.s('mine')), rec.trace(TRACE))['task'], TRACE, 'trace_id after distlog.task wins');
  assert.equal(one(rec.trace(TRACE), attr('distlog.task', any.s('mine')))['task'], 'mine', 'distlog.task after trace_id wins');
  const structured = one(rec.body(any.map(keyValue('order', any.s('A-1')))));
  assert.deepEqual([structured['message'], structured['body']], ['{"order":"A-1"}', { order: 'A-1' }]);
  assert.deepEqual(one(attr('exception.type', any.i(3)))['attributes'], { 'exception.type': 3 });
  assert.equal(one(attr('distlog.seq', any.d(3)), attr('distlog.path', any.s('1')), rec.trace(TRACE))['key'], `3@${TRACE}/1`);
});

function lines0(lines: string[]): Record<string, unknown> {
  return JSON.parse(lines[0]!) as Record<string, unknown>;
}
