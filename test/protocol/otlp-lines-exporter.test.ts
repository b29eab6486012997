/**
 * The JSON-lines transcoder on records made the real way: the distlog SDK
 * (task/to scopes, loggers, exceptions, perf) and the OpenTelemetry SDK feed
 * the ZeroMQ exporter's encoder (OtlpBatchEncoder), and encodeOtlp writes
 * LogEntry samples. For these the lines must be byte-identical to
 * decodeMessage + JsonLineWriter (the contract's strong form).
 * One distlog registration per file (register() is per process).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { InMemoryLogRecordExporter as OtelMemoryExporter, LoggerProvider, SimpleLogRecordProcessor, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { register, task, to, success, bind, getLogger, perf, type DistlogHandle } from '../../src/sdk/index.js';
import { InMemoryLogRecordExporter } from '../../src/exporter/testing.js';
import { BatchEnvelope, OtlpBatchEncoder } from '../../src/exporter/index.js';
import { encodeOtlp } from '../../src/protocol/otlp-codec.js';
import type { LogEntry, SystemCode } from '../../src/protocol/log-entry.js';
import { compareMessage, compareOtlp } from './lines-compare.js';
import { entry, variety, TASK } from './sample.js';
import { spanContext } from '../exporter/helpers.js';
import { sdkRecords } from '../interop/helpers.js';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';

/** The exporter's payloads for these records (as ZmqLogRecordExporter sends them). */
function exporterPayloads(records: readonly ReadableLogRecord[], system: SystemCode = 'P', maxBytes = 1 << 30): Buffer[] {
  const out: Buffer[] = [];
  new OtlpBatchEncoder(system, new BatchEnvelope('lines-test/1'), maxBytes).encode(records, {
    message: (p) => out.push(p),
    drop: (_n, err) => assert.fail(`the encoder dropped a record: ${err.message}`),
  });
  return out;
}

/**
 * Field orders in which a line differed from the object path's (the lines parse the same):
 * '<transcoder's order> | <object path's order>' -> lines. Printed and checked at the end.
 */
const orderDiffs = new Map<string, number>();
const noteOrder = (got: string, want: string) => {
  const key = `${got}\n    object path: ${want}`;
  orderDiffs.set(key, (orderDiffs.get(key) ?? 0) + 1);
};

function sameBytes(payloads: Buffer[], label: string, system: SystemCode = 'P'): string[] {
  const lines: string[] = [];
  payloads.forEach((p, i) => {
    lines.push(...compareMessage([Buffer.from(`${system}LO`), p], { label: `${label} #${i} (decodeMessageLines)`, bytes: true, orderOnly: noteOrder }));
    compareOtlp(p, { label: `${label} #${i} (otlpToJsonLines)`, bytes: true, system, orderOnly: noteOrder });
  });
  return lines;
}

let mem: InMemoryLogRecordExporter;
let handle: DistlogHandle;
before(() => {
  mem = new InMemoryLogRecordExporter('P');
  handle = register({ serviceName: 'lines-test', exporters: [mem], level: 'trace', flushOnExit: false });
});
after(() => handle.shutdown());

const log = getLogger('shop.orders');
const odd = 'q"uote \\ back\nnew\ttab \u0001 ctl Grüße 世界 😀 lone:\ud800 end';

test('distlog SDK: task/to scopes (enter, exit, fail with durations), logs, exceptions, perf: byte-identical lines', async () => {
  mem.reset();
  await task('checkout %s', 'A-1', { user: 'leo', cart: { items: [1, 2, { sku: 'X' }], total: 12.5 } }, async () => {
    log.info('into task');
    await to('charge card', { amount: 99.5 }, async () => {
      bind({ step: 'deep', odd });
      log.debug('odd text: %s', odd);
      log.warn('');
      success('charged in %s', 'time');
    });
    await to('reserve stock', async () => {
      log.error('failed', new TypeError('x is not a function'));
      await to('inner', () => log.info('emoji 😀 and "quotes"'));
    }).catch(() => undefined);
    try {
      await to('fails', () => {
        throw new RangeError('bad page "7"\nsecond line');
      });
    } catch {
      // the scope's fail record is what this wants
    }
    log.exception(new Error('with stack'), 'caught %d', 3);
    perf('db.query', { rows: 120, ms: 4.25, table: 'orders', cached: false });
    log.fatal('big int %d', 2 ** 60, { big: 2n ** 62n, negBig: -(2n ** 63n), neg: -5, bytes: new Uint8Array([0, 255]), empty: '', nested: { a: { b: [null, true] } } });
  });
  log.info('outside any task', { long: 'y'.repeat(3000) });
  await handle.flush();
  const records = mem.records();
  assert.ok(records.length >= 15, `${records.length} records`);
  const lines = sameBytes(exporterPayloads(records), 'distlog SDK');
  const parsed = lines.map((l) => JSON.parse(l) as LogEntry);
  // the scope records are there: enter, exit, fail (with durations), a perf record, an exception
  assert.ok(parsed.some((e) => e.event === 'enter') && parsed.some((e) => e.event === 'exit' && typeof e.durationMs === 'number'));
  assert.ok(parsed.some((e) => e.event === 'fail' && e.exception !== undefined));
  assert.ok(parsed.some((e) => e.kind === 'P'));
  assert.ok(parsed.some((e) => e.parentSpan !== undefined && e.key !== undefined && e.path !== undefined));
  // and split into several messages under a small limit, every one byte-identical too
  const small = exporterPayloads(records, 'P', 4096);
  assert.ok(small.length > 1);
  sameBytes(small, 'distlog SDK, 4 KB messages');
  // system S and T exporters (distlog.system in the resource)
  sameBytes(exporterPayloads(records, 'S'), 'system S', 'S');
  sameBytes(exporterPayloads(records, 'T'), 'system T', 'T');
});

test('OTel SDK: event names, observed times, trace flags, dropped counts, scope version/schema/attributes, resource schema', () => {
  const memory = new OtelMemoryExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'otel-app', 'host.name': 'box', 'process.pid': 4242, 'deploy.tags': ['a', 'b'] }),
    processors: [new SimpleLogRecordProcessor({ exporter: memory })],
    logRecordLimits: { attributeCountLimit: 3, attributeValueLengthLimit: 50 },
  });
  const a = provider.getLogger('lib.a', '2.1.0', { schemaUrl: 'https://opentelemetry.io/schemas/1.26.0', attributes: { 'lib.mode': 'fast', n: 1 } });
  const b = provider.getLogger('lib.b');
  a.emit({ timestamp: [1700000000, 123456789], observedTimestamp: [1700000001, 5], severityNumber: SeverityNumber.INFO, severityText: 'INFO', body: 'with observed', eventName: 'order.placed', context: spanContext() });
  a.emit({ severityNumber: SeverityNumber.WARN, body: 'many attributes', attributes: { a: 1, b: 2, c: 3, d: 4, e: 5, long: 'z'.repeat(80) } });
  b.emit({ severityNumber: SeverityNumber.ERROR, body: { structured: [1, 'two', { three: 3 }] }, attributes: { 'exception.type': 'E', 'exception.message': odd } });
  b.emit({ body: odd, attributes: { odd, [odd]: 'key' }, context: spanContext('0af7651916cd43dd8448eb211c80319c', '00f067aa0ba902b7') });
  b.emit({ severityNumber: 30 as SeverityNumber, body: 'severity out of range' });
  b.emit({ body: '', attributes: { '': '', 'distlog.kind': 'P', 'distlog.seq': 7 } });
  a.emit({ timestamp: 0, body: 'time 0' });
  const records = memory.getFinishedLogRecords();
  assert.equal(records.length, 7);
  assert.ok(records.some((r) => r.droppedAttributesCount > 0), 'the attribute limit dropped some');
  const lines = sameBytes(exporterPayloads(records), 'OTel SDK');
  const parsed = lines.map((l) => JSON.parse(l) as LogEntry);
  assert.ok(parsed.some((e) => e.eventName === 'order.placed' && e.observedTimeUnixNano === '1700000001000000005' && e.traceFlags === 1));
  assert.ok(parsed.some((e) => (e.droppedAttributesCount ?? 0) > 0));
});

test('encodeOtlp: every sample LogEntry shape, odd strings and scope/resource fields', () => {
  const extra: LogEntry[] = [
    entry({ loggerVersion: '1.2', loggerSchemaUrl: 'https://s/1', loggerAttributes: { mode: 'x', n: [1, 2] }, loggerDroppedAttributesCount: 2 }),
    entry({ resourceSchemaUrl: 'https://r/1', resourceDroppedAttributesCount: 3, resource: { 'service.name': 'r', 'ü': 'ö' } }),
    entry({ eventName: 'ev', traceFlags: 1, droppedAttributesCount: 4, observedTimeUnixNano: '1795568645885009999' }),
    entry({ message: odd, logger: odd, level: odd, attributes: { [odd]: odd, empty: '', e: '😀', q: '"', b: '\\' }, path: 'a"b', seq: 3, key: `3@${TASK}/a"b` }),
    entry({ attributes: { bytes: { $bytes: 'AP8=' }, big: { $int: '-9223372036854775808' }, huge: { $int: '18446744073709551615' } } }),
    entry({ kind: 'P', system: 'P', task: undefined, span: undefined, key: undefined, seq: undefined, path: undefined, parentSpan: 'p' }),
    entry({ event: 'fail', durationMs: 0.1, exception: { message: '', type: 'T' } }),
    entry({ body: ['a', { b: null }], message: 'structured' }),
    entry({ body: 'string body', message: 'and a message' }),
    entry({ seq: 9, path: '', key: `9@${TASK}` }),
  ];
  for (const e of extra) for (const k of Object.keys(e) as (keyof LogEntry)[]) if (e[k] === undefined) delete e[k];
  const entries = [...variety(), ...extra];
  sameBytes([encodeOtlp(entries, { producer: 'p', seq: 1 })], 'encodeOtlp batch');
  entries.forEach((e, i) => sameBytes([encodeOtlp([e])], `encodeOtlp entry ${i}`));
});

test("the official OTel JS serializer's bytes (other field order, zero values written) read the same on both paths", () => {
  const memory = new OtelMemoryExporter();
  const provider = new LoggerProvider({ resource: resourceFromAttributes({ 'service.name': 'official' }), processors: [new SimpleLogRecordProcessor({ exporter: memory })] });
  const logger = provider.getLogger('official.lib', '1.0.0');
  logger.emit({ severityNumber: SeverityNumber.INFO, body: odd, attributes: { odd, n: -1, f: 0.5, big: 2 ** 60, list: [1, 'a', null as never], m: { a: { b: true } } }, context: spanContext() });
  logger.emit({ body: { structured: odd } });
  logger.emit({ severityNumber: SeverityNumber.ERROR, attributes: { 'exception.type': 'E', 'exception.message': 'm', 'distlog.seq': 3, 'distlog.path': '1' }, context: spanContext() });
  for (const records of [sdkRecords(), memory.getFinishedLogRecords()]) {
    const payload = Buffer.from(ProtobufLogsSerializer.serializeRequest(records)!);
    compareMessage([Buffer.from('PLO'), payload], { label: 'official serializer (decodeMessageLines)' });
    compareOtlp(payload, { label: 'official serializer (otlpToJsonLines)' });
  }
});

test('exporter-made lines are byte-identical, nested scope records included', () => {
  // The transcoder writes the reserved fields in the order the SDK sends them (seq, path, event,
  // parentSpan, durationMs), which is the order the decoder builds them in: no line may differ.
  assert.equal(orderDiffs.size, 0, [...orderDiffs.keys()].join('\n'));
});
