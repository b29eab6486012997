/**
 * The exporter's OTLP encoder, written straight from SDK records: what the
 * collector's decoder makes of its bytes (every LogEntry field the SDK stamped),
 * that the official OpenTelemetry serializer's bytes for the same records decode
 * to the same entries, the byte limit, and the batch envelope.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { InMemoryLogRecordExporter, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { BatchEnvelope, OtlpBatchEncoder } from '../../src/exporter/index.js';
import { decodeOtlp, type LogEntry } from '../../src/protocol/index.js';
import { plain } from '../protocol/plain.js';
import { providerFor, RESOURCE_ATTRS, SPAN_ID, spanContext, TRACE_ID } from './helpers.js';

type Logger = ReturnType<ReturnType<typeof providerFor>['getLogger']>;

function capture(emit: (logger: Logger) => void, version?: string): ReadableLogRecord[] {
  const memory = new InMemoryLogRecordExporter();
  emit(providerFor(memory).getLogger('shop.checkout', version));
  return memory.getFinishedLogRecords();
}

function encode(records: readonly ReadableLogRecord[], maxBytes = 1 << 30, producer = 'p-1'): { payloads: Buffer[]; counts: number[]; dropped: Error[] } {
  const encoder = new OtlpBatchEncoder('S', new BatchEnvelope(producer), maxBytes);
  const payloads: Buffer[] = [];
  const counts: number[] = [];
  const dropped: Error[] = [];
  encoder.encode(records, {
    message: (p, n) => {
      payloads.push(p);
      counts.push(n);
    },
    drop: (n, err) => {
      for (let i = 0; i < n; i++) dropped.push(err);
    },
  });
  return { payloads, counts, dropped };
}

function entriesOf(payloads: Buffer[]): LogEntry[] {
  const out: LogEntry[] = [];
  for (const p of payloads) {
    const d = decodeOtlp(p, { system: 'P', kind: 'L' });
    assert.deepEqual(d.errors, []);
    out.push(...plain(d.entries));
  }
  return out;
}

test('a scope record: every distlog.* attribute comes back as its LogEntry field', () => {
  const records = capture((logger) =>
    logger.emit({
      timestamp: [1700000000, 123456789],
      severityNumber: SeverityNumber.INFO,
      severityText: 'INFO',
      body: 'charging card',
      context: spanContext(),
      attributes: {
        'distlog.key': `2@${TRACE_ID}/1/3`,
        'distlog.seq': 2,
        'distlog.path': '1/3',
        'distlog.parent_span_id': '00f067aa0ba902b7',
        'distlog.event': 'exit',
        'distlog.duration_ms': 12.5,
        order: 'A-17',
        amount: 99.5,
        count: -3,
      },
    }),
  );
  const [e] = entriesOf(encode(records).payloads);
  assert.equal(e!.timeUnixNano, '1700000000123456789');
  assert.match(e!.observedTimeUnixNano ?? '', /^\d{19}$/, 'observed time is always written');
  assert.equal(e!.level, 'INFO');
  assert.equal(e!.severity, 9);
  assert.equal(e!.logger, 'shop.checkout');
  assert.equal(e!.message, 'charging card');
  assert.equal(e!.body, undefined);
  assert.deepEqual(e!.attributes, { order: 'A-17', amount: 99.5, count: -3 });
  assert.equal(e!.task, TRACE_ID);
  assert.equal(e!.span, SPAN_ID);
  assert.equal(e!.parentSpan, '00f067aa0ba902b7');
  assert.equal(e!.path, '1/3');
  assert.equal(e!.seq, 2);
  assert.equal(e!.key, `2@${TRACE_ID}/1/3`);
  assert.equal(e!.event, 'exit');
  assert.equal(e!.durationMs, 12.5);
  assert.deepEqual(e!.resource, RESOURCE_ATTRS);
  assert.equal(e!.system, 'S', 'the exporter system rides as the distlog.system resource attribute');
  assert.equal(e!.kind, 'L');
});

test('HrTime converts exactly at the edges of the 64-bit range we can meet', () => {
  const times: [number, number][] = [[0, 1], [1, 0], [1700000000, 999999999], [4102444800, 5], [9223372035, 854775807]];
  const records = capture((logger) => {
    for (const t of times) logger.emit({ timestamp: t, body: 'x' });
  });
  const got = entriesOf(encode(records).payloads).map((e) => e.timeUnixNano);
  const want = times.map(([s, ns]) => (BigInt(s) * 1_000_000_000n + BigInt(ns)).toString());
  assert.deepEqual(got, want);
});

test('no severity text when the producer set none; exception attributes become the exception', () => {
  const stack = 'TypeError: no card\n    at charge (shop.ts:10:5)';
  const records = capture((logger) =>
    logger.emit({
      severityNumber: SeverityNumber.ERROR,
      body: 'failed',
      attributes: { 'exception.type': 'TypeError', 'exception.message': 'no card', 'exception.stacktrace': stack, 'exception.escaped': true },
    }),
  );
  const [e] = entriesOf(encode(records).payloads);
  assert.equal(e!.level, 'ERROR', 'the level name comes from the number');
  assert.deepEqual(e!.exception, { type: 'TypeError', message: 'no card', stack });
  assert.deepEqual(e!.attributes, { 'exception.escaped': true });
});

test('structured bodies, bytes, nested maps and arrays survive', () => {
  const records = capture((logger) => {
    logger.emit({ body: { user: 'ann', items: [1, 2.5, 'x', true, null], nested: { deep: { er: 'ü€😀' } } } });
    logger.emit({ body: 'plain', attributes: { blob: new Uint8Array([1, 2, 255]), list: ['a', 'b'], big: 2 ** 40 } });
  });
  const [obj, plain] = entriesOf(encode(records).payloads);
  assert.deepEqual(obj!.body, { user: 'ann', items: [1, 2.5, 'x', true, null], nested: { deep: { er: 'ü€😀' } } });
  assert.deepEqual(plain!.attributes['blob'], { $bytes: Buffer.from([1, 2, 255]).toString('base64') });
  assert.deepEqual(plain!.attributes['list'], ['a', 'b']);
  assert.equal(plain!.attributes['big'], 2 ** 40);
});

test('distlog.kind P marks performance data; an all-zero span context writes no ids', () => {
  const records = capture((logger) =>
    logger.emit({ body: 'db.query', context: spanContext('0'.repeat(32), '0'.repeat(16)), attributes: { 'distlog.kind': 'P', ms: 3.2 } }),
  );
  const [e] = entriesOf(encode(records).payloads);
  assert.equal(e!.kind, 'P');
  assert.equal(e!.task, undefined);
  assert.equal(e!.span, undefined);
});

test('records keep their order across loggers and resources', () => {
  const memory = new InMemoryLogRecordExporter();
  const provider = providerFor(memory);
  const a = provider.getLogger('a');
  const b = provider.getLogger('b');
  a.emit({ body: '1' });
  b.emit({ body: '2' });
  a.emit({ body: '3' });
  a.emit({ body: '4' });
  const entries = entriesOf(encode(memory.getFinishedLogRecords()).payloads);
  assert.deepEqual(entries.map((e) => `${e.logger}:${e.message}`), ['a:1', 'b:2', 'a:3', 'a:4']);
});

test("the official OTel serializer's bytes for the same records decode to the same entries", () => {
  const records = capture(
    (logger) => {
      logger.emit({ severityNumber: SeverityNumber.WARN, severityText: 'WARN', body: 'careful', context: spanContext(), attributes: { 'distlog.key': `0@${TRACE_ID}`, 'distlog.seq': 0, n: 1 } });
      logger.emit({ severityNumber: SeverityNumber.INFO, body: { m: [1, 'two'] }, attributes: { flag: false } });
    },
    '2.1.0',
  );
  const ours = entriesOf(encode(records).payloads);
  const theirs = plain(decodeOtlp(Buffer.from(ProtobufLogsSerializer.serializeRequest(records)!), { system: 'S', kind: 'L' }).entries);
  // The official one knows no distlog system attribute: the topic's system applies.
  assert.deepEqual(ours, theirs);
});

test('batches split under the byte limit; a record bigger than any message is dropped alone with its size', () => {
  const big = 'x'.repeat(3000);
  const records = capture((logger) => {
    for (let i = 0; i < 10; i++) logger.emit({ body: `small ${i}` });
    for (let i = 0; i < 3; i++) logger.emit({ body: big });
    logger.emit({ body: 'y'.repeat(20_000) });
    for (let i = 10; i < 20; i++) logger.emit({ body: `small ${i}` });
  });
  const limit = 8 * 1024;
  const { payloads, counts, dropped } = encode(records, limit);
  assert.ok(payloads.length >= 2, `split into ${payloads.length}`);
  for (const p of payloads) assert.ok(p.length <= limit, `payload of ${p.length} bytes`);
  assert.equal(dropped.length, 1);
  assert.match(dropped[0]!.message, /a record of 20\d{3} bytes does not fit in a message of at most 8192 bytes/);
  const entries = entriesOf(payloads);
  assert.equal(entries.length, 23);
  assert.equal(counts.reduce((a, b) => a + b, 0), 23);
  const x = 'xxxxxxxx';
  assert.deepEqual(entries.map((e) => e.message.slice(0, 8)), [...Array.from({ length: 10 }, (_, i) => `small ${i}`), x, x, x, ...Array.from({ length: 10 }, (_, i) => `small ${i + 10}`)]);
});

test('an unencodable record (cycle, too deep) is dropped alone', () => {
  const cyclic: Record<string, unknown> = { name: 'loop' };
  cyclic['self'] = cyclic;
  let deep: unknown = 'bottom';
  for (let i = 0; i < 100; i++) deep = { d: deep };
  const records = capture((logger) => {
    logger.emit({ body: 'good 1' });
    logger.emit({ body: cyclic as never });
    logger.emit({ body: 'good 2', attributes: { deep: deep as never } });
    logger.emit({ body: 'good 3' });
  });
  const { payloads, dropped } = encode(records);
  assert.equal(dropped.length, 2);
  assert.match(dropped[0]!.message, /nested deeper than 64/);
  assert.deepEqual(entriesOf(payloads).map((e) => e.message), ['good 1', 'good 3']);
});

test('the envelope carries producer, seq and records-before, stamped in place', () => {
  const records = capture((logger) => logger.emit({ body: 'a' }));
  const envelope = new BatchEnvelope('app-7');
  const encoder = new OtlpBatchEncoder('P', envelope, 1 << 20);
  let payload: Buffer | undefined;
  encoder.encode(records, { message: (p) => (payload = p), drop: () => assert.fail('nothing to drop') });
  const length = payload!.length;
  envelope.stamp(payload!, 123456789012, 2 ** 40 + 5);
  assert.equal(payload!.length, length);
  const d = decodeOtlp(payload!, { system: 'P', kind: 'L' });
  // the collector reads all three (its gap accounting counts missing records exactly)
  assert.deepEqual(d.meta, { producer: 'app-7', seq: 123456789012, recordsBefore: 2 ** 40 + 5 });
  assert.equal(d.entries[0]!.message, 'a');
});

test('records of every length class and repeating attribute values round-trip exactly', () => {
  const bodies = ['', 'a', 'x'.repeat(100), 'y'.repeat(200), 'z'.repeat(20_000), 'ü'.repeat(70_000)];
  const paths = ['1', '1', '1', '1/2', '1/2', '1', '', ''];
  const records = capture((logger) => {
    let i = 0;
    for (const body of bodies) {
      for (const path of paths) {
        logger.emit({ body, context: i % 3 === 0 ? spanContext() : spanContext(TRACE_ID, '00f067aa0ba902b7'), attributes: { 'distlog.path': path, user: i % 4 < 2 ? 'ann' : 'bob', n: i } });
        i++;
      }
    }
  });
  const entries = entriesOf(encode(records).payloads);
  assert.equal(entries.length, bodies.length * paths.length);
  let i = 0;
  for (const body of bodies) {
    for (const path of paths) {
      const e = entries[i]!;
      assert.equal(e.message, body);
      assert.equal(e.path, path);
      assert.deepEqual(e.attributes, { user: i % 4 < 2 ? 'ann' : 'bob', n: i });
      assert.equal(e.span, i % 3 === 0 ? SPAN_ID : '00f067aa0ba902b7');
      i++;
    }
  }
});

test('records of two Resources keep their order and their own resource attributes', async () => {
  const { resourceFromAttributes } = await import('@opentelemetry/resources');
  const { LoggerProvider, SimpleLogRecordProcessor } = await import('@opentelemetry/sdk-logs');
  const memory = new InMemoryLogRecordExporter();
  const processors = [new SimpleLogRecordProcessor({ exporter: memory })];
  const one = new LoggerProvider({ resource: resourceFromAttributes({ 'service.name': 'one' }), processors }).getLogger('x');
  const two = new LoggerProvider({ resource: resourceFromAttributes({ 'service.name': 'two', 'distlog.system': 'T' }), processors }).getLogger('x');
  one.emit({ body: 'a' });
  two.emit({ body: 'b' });
  one.emit({ body: 'c' });
  const entries = entriesOf(encode(memory.getFinishedLogRecords()).payloads);
  assert.deepEqual(entries.map((e) => `${e.resource['service.name']}:${e.message}:${e.system}`), ['one:a:S', 'two:b:S', 'one:c:S'], "the exporter's system wins over a resource attribute");
});
