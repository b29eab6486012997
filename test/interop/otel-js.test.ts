/**
 * Conformance with the official OpenTelemetry JS OTLP encoder: the same SDK
 * records, serialized by @opentelemetry/otlp-transformer's ProtobufLogsSerializer
 * and by distlog's exporter (real bytes off a ZeroMQ socket), decode to the same
 * LogEntry values, field for field; and what distlog decodes it can forward
 * (encodeOtlp) without losing a field.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { ZmqLogRecordExporter } from '../../src/exporter/index.js';
import { decodeMessage, encodeOtlp, ENCODINGS, type Encoding, type LogEntry } from '../../src/protocol/index.js';
import { unixNanoFromHrTime } from '../../src/protocol/time.js';
import { pullSocket } from '../exporter/helpers.js';
import { plain } from '../protocol/plain.js';
import { RESOURCE_SCHEMA, SCOPE_SCHEMA, SPAN_ID, TRACE_ID, sdkRecords } from './helpers.js';

const PLO = Buffer.from('PLO');

function decodeAll(payload: Uint8Array): LogEntry[] {
  const d = decodeMessage([PLO, payload]);
  assert.deepEqual(d.errors, [], 'no record rejected');
  return plain(d.entries);
}

/** What each record of sdkRecords() says, written out by hand from the OTel data model. */
function expected(records: ReadableLogRecord[]): LogEntry[] {
  const resource = { 'service.name': 'checkout', 'service.version': '2.4.1', 'process.pid': 4242 };
  const observed = (i: number): string => unixNanoFromHrTime(records[i]!.hrTimeObserved);
  const scope = {
    logger: 'shop.payments', loggerVersion: '1.8.0', loggerSchemaUrl: SCOPE_SCHEMA,
    loggerAttributes: { 'lib.kind': 'http', 'lib.tier': 2 },
  };
  const common = { v: 2 as const, resource, resourceSchemaUrl: RESOURCE_SCHEMA, system: 'P' as const, kind: 'L' as const };
  const body = { order: 'A-17', amount: 99.5, items: [1, 'two', { sku: 'X' }], paid: true, note: '' };
  return [
    {
      ...common, ...scope,
      timeUnixNano: '1795568645885001234', observedTimeUnixNano: '1795568645885009999',
      level: 'INFO', severity: 9, eventName: 'payment.authorized',
      message: JSON.stringify(body), body,
      attributes: { 'user.id': 'leo', retries: 3, ratio: 0.25, digest: { $bytes: 'AAEC/v8=' }, tags: ['a', 'b'], 'Grüße 😀': 'ünïcödé' },
      task: TRACE_ID, span: SPAN_ID, traceFlags: 1,
    },
    {
      ...common, ...scope,
      timeUnixNano: '1795568645885002000', observedTimeUnixNano: observed(1),
      level: 'WARN', levelFromSeverity: true, severity: 14, message: 'no severity text here', attributes: {},
      task: TRACE_ID, span: SPAN_ID,
    },
    {
      ...common, logger: 'shop.plain',
      timeUnixNano: '1795568645885003000', observedTimeUnixNano: observed(2),
      level: 'ERROR', severity: 17, message: 'card declined', attributes: {},
      exception: { message: 'declined by issuer' },
    },
    {
      ...common, logger: 'shop.plain',
      timeUnixNano: '1795568645885004000', observedTimeUnixNano: observed(3),
      level: 'UNSPECIFIED', levelFromSeverity: true, severity: 0, message: 'no severity at all', attributes: {},
    },
  ];
}

/** The payload distlog's own exporter puts on the wire for these records. */
async function distlogPayload(records: ReadableLogRecord[], encoding: Encoding): Promise<Buffer> {
  const { pull, endpoint } = await pullSocket();
  const exporter = new ZmqLogRecordExporter({ endpoint, system: 'P', encoding });
  try {
    const result = await new Promise<{ code: number }>((resolve) => exporter.export(records, resolve));
    assert.equal(result.code, 0, 'export succeeded');
    const [topic, payload] = await pull.receive();
    assert.equal(topic!.toString(), `PL${encoding}`);
    return payload!;
  } finally {
    await exporter.shutdown();
    pull.close();
  }
}

test('official ProtobufLogsSerializer bytes decode to every field the SDK records hold', () => {
  const records = sdkRecords();
  const bytes = ProtobufLogsSerializer.serializeRequest(records)!;
  assert.deepEqual(decodeAll(bytes), expected(records));
});

for (const encoding of ENCODINGS) {
  test(`distlog's exporter payload (encoding ${encoding}) decodes to the same LogEntry values as the official serializer's bytes`, async () => {
    const records = sdkRecords();
    const official = decodeAll(ProtobufLogsSerializer.serializeRequest(records)!);
    const d = decodeMessage([Buffer.from(`PL${encoding}`), await distlogPayload(records, encoding)]);
    assert.deepEqual(d.errors, []);
    const own = plain(d.entries);
    assert.equal(own.length, official.length);
    for (let i = 0; i < own.length; i++) assert.deepEqual(own[i], official[i], `record ${i}`);
  });
}

test('a decoded official request is forwarded (encodeOtlp) without losing a field', () => {
  const records = sdkRecords();
  const once = decodeMessage([PLO, ProtobufLogsSerializer.serializeRequest(records)!]).entries;
  const twice = decodeAll(encodeOtlp(once));
  assert.deepEqual(twice, expected(records));
});
