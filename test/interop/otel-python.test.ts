/**
 * Conformance with the Python OpenTelemetry implementation (PyPI opentelemetry-sdk,
 * -exporter-otlp-proto-http, -proto, in the venv scripts/install.sh makes; a
 * missing venv fails these tests with a message naming the script):
 *   - the Python SDK's own OTLP encoder output decodes fully in distlog;
 *   - distlog's encoder output, parsed by opentelemetry-proto's generated classes,
 *     holds field for field what distlog meant to write, and no field Python
 *     does not know (other than distlog's batch header).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BATCH_META_FIELD, decodeMessage, encodeOtlp, type LogEntry } from '../../src/protocol/index.js';
import { plain } from '../protocol/plain.js';
import { runPython } from './helpers.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';
const T0 = 1795568645885001234n;
const ns = (d: number): string => (T0 + BigInt(d)).toString();

test('records from the Python OpenTelemetry SDK decode fully: versioned logger, event name, map body, trace context', () => {
  const bytes = runPython('python_emit_otlp.py');
  const d = decodeMessage([Buffer.from('PLO'), bytes]);
  assert.deepEqual(d.errors, []);
  const entries = plain(d.entries);
  assert.equal(entries.length, 3);

  // The Python SDK adds its own telemetry.sdk.* and a random service.instance.id.
  const resource = entries[0]!.resource;
  assert.equal(resource['service.name'], 'billing');
  assert.equal(resource['service.version'], '3.1.4');
  assert.equal(resource['process.pid'], 777);
  assert.equal(resource['telemetry.sdk.language'], 'python');
  assert.equal(typeof resource['service.instance.id'], 'string');
  for (const e of entries) assert.deepEqual(e.resource, resource);

  const common = { v: 2 as const, resource, resourceSchemaUrl: 'https://opentelemetry.io/schemas/1.26.0', system: 'P' as const, kind: 'L' as const };
  const body = { invoice: 'I-9', total: 12.5, lines: [1, 'two', { sku: 'X' }], paid: false, blob: { $bytes: Buffer.from([0, 1, 0xfe]).toString('base64') } };
  const expected: LogEntry[] = [
    {
      ...common,
      timeUnixNano: ns(0), observedTimeUnixNano: ns(1000),
      level: 'INFO', severity: 9,
      logger: 'billing.invoices', loggerVersion: '3.1.4', loggerSchemaUrl: 'https://opentelemetry.io/schemas/1.27.0',
      loggerAttributes: { 'lib.kind': 'worker' },
      eventName: 'invoice.sent',
      message: JSON.stringify(body), body,
      attributes: {
        'user.id': 'ana', count: 3,
        huge: { $int: (2n ** 60n).toString() }, // beyond 2^53: kept exact
        whole: 5, // Python's 5.0: a double with an integral value reads as the number 5
        'Grüße 😀': 'ünïcödé', digest: { $bytes: Buffer.from([0xde, 0xad]).toString('base64') },
      },
      task: TRACE, span: SPAN, traceFlags: 1,
    },
    {
      ...common,
      timeUnixNano: ns(2000), // observed time equal: left out
      level: 'WARN', levelFromSeverity: true, severity: 13,
      logger: 'billing.plain', message: 'no severity text, no trace', attributes: {},
    },
    {
      ...common,
      timeUnixNano: ns(3000), observedTimeUnixNano: ns(3500),
      level: 'ERROR', severity: 17,
      logger: 'billing.plain', message: 'card declined', attributes: {},
      exception: { message: 'declined by issuer' }, // no type invented
    },
  ];
  assert.deepEqual(entries, expected);
});

/** Three records that between them set every LogEntry field the OTLP encoder maps. */
function distlogEntries(): LogEntry[] {
  const attributes: Record<string, unknown> = {
    user: 'leo', n: 7, f: 1.5, ok: true, none: null, list: ['a', 1], map: { k: 'v' },
    blob: { $bytes: 'AAH+' }, huge: { $int: '-1152921504606846976' }, 'Grüße 😀': '',
  };
  Object.defineProperty(attributes, '__proto__', { value: 'data', enumerable: true, writable: true, configurable: true });
  const resource = { 'service.name': 'api', 'process.pid': 12 };
  return [
    {
      v: 2, timeUnixNano: ns(0), observedTimeUnixNano: ns(9), level: 'INFO', severity: 9,
      logger: 'svc.api', loggerVersion: '1.2.3', loggerSchemaUrl: 'https://example.com/scope/1', loggerAttributes: { 'lib.kind': 'http' },
      loggerDroppedAttributesCount: 1, eventName: 'order.placed', message: 'order placed', attributes, droppedAttributesCount: 2,
      task: TRACE, span: SPAN, traceFlags: 1, parentSpan: 'b7ad6b7169203331', path: '1/2', seq: 3, key: `3@${TRACE}/1/2`,
      resource, resourceSchemaUrl: 'https://example.com/resource/1', resourceDroppedAttributesCount: 4, system: 'S', kind: 'L',
    },
    {
      v: 2, timeUnixNano: ns(100), level: 'WARN', levelFromSeverity: true, severity: 13,
      logger: 'svc.api', loggerVersion: '1.2.3', loggerSchemaUrl: 'https://example.com/scope/1', loggerAttributes: { 'lib.kind': 'http' },
      loggerDroppedAttributesCount: 1, message: 'done', body: { a: [1, { b: null }] }, attributes: {},
      task: TRACE, span: SPAN, event: 'exit', durationMs: 12, seq: 4, path: '1/2', key: `4@${TRACE}/1/2`,
      exception: { type: 'TypeError', message: 'bad', stack: 'TypeError: bad\n    at f (a.js:1:1)' },
      resource, resourceSchemaUrl: 'https://example.com/resource/1', resourceDroppedAttributesCount: 4, system: 'S', kind: 'P',
    },
    {
      v: 2, timeUnixNano: ns(200), level: 'ERROR', severity: 17, logger: 'other', message: 'failed', attributes: {},
      task: 'not-a-trace-id', span: 'not-a-span', exception: { message: 'only a message' },
      resource, resourceSchemaUrl: 'https://example.com/resource/1', resourceDroppedAttributesCount: 4, system: 'S', kind: 'L',
    },
  ];
}

const b64 = (hex: string): string => Buffer.from(hex, 'hex').toString('base64');
const kv = (key: string, value: unknown): unknown => ({ key, value });
const str = (s: string): unknown => ({ string_value: s });

test("distlog's OTLP bytes, parsed by opentelemetry-proto's generated classes, hold field for field what distlog meant", () => {
  const entries = distlogEntries();
  const out = JSON.parse(runPython('python_parse_otlp.py', encodeOtlp(entries, { producer: 'host-1/7', seq: 5 })).toString('utf8'));
  // Only the batch header is unknown to an OTLP receiver (it skips it, by design).
  assert.deepEqual(out.unknown, [`request#${BATCH_META_FIELD}/wt2`]);
  const resource = {
    attributes: [kv('service.name', str('api')), kv('process.pid', { int_value: '12' }), kv('distlog.system', str('S'))],
    dropped_attributes_count: 4,
  };
  const scope = { name: 'svc.api', version: '1.2.3', attributes: [kv('lib.kind', str('http'))], dropped_attributes_count: 1 };
  const record1 = {
    time_unix_nano: ns(0), observed_time_unix_nano: ns(9),
    severity_number: 'SEVERITY_NUMBER_INFO', severity_text: 'INFO',
    body: str('order placed'),
    attributes: [
      kv('user', str('leo')), kv('n', { int_value: '7' }), kv('f', { double_value: 1.5 }), kv('ok', { bool_value: true }),
      kv('none', {}), kv('list', { array_value: { values: [str('a'), { int_value: '1' }] } }),
      kv('map', { kvlist_value: { values: [kv('k', str('v'))] } }), kv('blob', { bytes_value: 'AAH+' }),
      kv('huge', { int_value: '-1152921504606846976' }), kv('Grüße 😀', str('')), kv('__proto__', str('data')),
      kv('distlog.key', str(`3@${TRACE}/1/2`)), kv('distlog.seq', { int_value: '3' }), kv('distlog.path', str('1/2')),
      kv('distlog.parent_span_id', str('b7ad6b7169203331')),
    ],
    dropped_attributes_count: 2, flags: 1, trace_id: b64(TRACE), span_id: b64(SPAN), event_name: 'order.placed',
  };
  const record2 = {
    time_unix_nano: ns(100), observed_time_unix_nano: ns(100), // always written: a Collector shows 1970 without it
    severity_number: 'SEVERITY_NUMBER_WARN', // no severity_text: the producer set none
    body: { kvlist_value: { values: [kv('a', { array_value: { values: [{ int_value: '1' }, { kvlist_value: { values: [kv('b', {})] } }] } })] } },
    attributes: [
      kv('distlog.message', str('done')), kv('distlog.key', str(`4@${TRACE}/1/2`)), kv('distlog.seq', { int_value: '4' }),
      kv('distlog.path', str('1/2')), kv('distlog.event', str('exit')), kv('distlog.duration_ms', { double_value: 12 }),
      kv('distlog.kind', str('P')), kv('exception.type', str('TypeError')), kv('exception.message', str('bad')),
      kv('exception.stacktrace', str('TypeError: bad\n    at f (a.js:1:1)')),
    ],
    trace_id: b64(TRACE), span_id: b64(SPAN),
  };
  const record3 = {
    time_unix_nano: ns(200), observed_time_unix_nano: ns(200),
    severity_number: 'SEVERITY_NUMBER_ERROR', severity_text: 'ERROR', body: str('failed'),
    attributes: [kv('exception.message', str('only a message')), kv('distlog.task', str('not-a-trace-id')), kv('distlog.span_id', str('not-a-span'))],
  };
  assert.deepEqual(out.request, {
    resource_logs: [{
      resource,
      scope_logs: [
        { scope, log_records: [record1, record2], schema_url: 'https://example.com/scope/1' },
        { scope: { name: 'other' }, log_records: [record3] },
      ],
      schema_url: 'https://example.com/resource/1',
    }],
  });
  // And distlog reads its own bytes back to the same records.
  const back = decodeMessage([Buffer.from('SLO'), encodeOtlp(entries)]);
  assert.deepEqual(back.errors, []);
  assert.deepEqual(plain(back.entries), plain(entries));
});
