import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { InMemoryLogRecordExporter, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { LOG_ENTRY_VERSION, levelNameFromSeverity, ResourceCache, toLogEntry } from '../../src/protocol/index.js';
import { providerFor, RESOURCE_ATTRS, SPAN_ID, spanContext, TRACE_ID } from '../exporter/helpers.js';

function capture(emit: (logger: ReturnType<ReturnType<typeof providerFor>['getLogger']>) => void): ReadableLogRecord[] {
  const memory = new InMemoryLogRecordExporter();
  const provider = providerFor(memory);
  emit(provider.getLogger('shop.checkout', '1.0.0'));
  return memory.getFinishedLogRecords();
}

test('a scope record maps every distlog.* attribute onto its LogEntry field', () => {
  const [record] = capture((logger) =>
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
        'distlog.future_thing': 'dropped',
        order: 'A-17',
        amount: 99.5,
      },
    }),
  );
  const e = toLogEntry(record!, 'S', new ResourceCache());
  assert.equal(e.v, LOG_ENTRY_VERSION);
  assert.equal(e.timeUnixNano, '1700000000123456789');
  assert.ok(e.observedTimeUnixNano !== undefined && /^\d{19}$/.test(e.observedTimeUnixNano));
  assert.equal(e.level, 'INFO');
  assert.equal(e.severity, 9);
  assert.equal(e.logger, 'shop.checkout');
  assert.equal(e.message, 'charging card');
  assert.equal(e.body, undefined);
  assert.deepEqual(e.attributes, { order: 'A-17', amount: 99.5 });
  assert.equal(e.task, TRACE_ID);
  assert.equal(e.span, SPAN_ID);
  assert.equal(e.parentSpan, '00f067aa0ba902b7');
  assert.equal(e.path, '1/3');
  assert.equal(e.seq, 2);
  assert.equal(e.key, `2@${TRACE_ID}/1/3`);
  assert.equal(e.event, 'exit');
  assert.equal(e.durationMs, 12.5);
  assert.equal(e.exception, undefined);
  assert.deepEqual(e.resource, RESOURCE_ATTRS);
  assert.equal(e.system, 'S');
  assert.equal(e.kind, 'L');
});

test('a record outside any scope has no task, span or key fields at all', () => {
  const [record] = capture((logger) => logger.emit({ severityNumber: SeverityNumber.WARN, body: 'plain' }));
  const e = toLogEntry(record!, 'P', new ResourceCache());
  for (const field of ['task', 'span', 'parentSpan', 'path', 'seq', 'key', 'event', 'durationMs', 'exception', 'body']) {
    assert.equal(field in e, false, `${field} should be absent`);
  }
  // No severityText: the level name comes from the number.
  assert.equal(e.level, 'WARN');
  assert.equal(e.severity, 13);
  assert.deepEqual(e.attributes, {});
});

test('exception.* attributes become the exception, with real newlines kept', () => {
  const stack = 'TypeError: no card\n    at charge (shop.ts:10:5)\n    at main (shop.ts:20:1)';
  const [record] = capture((logger) =>
    logger.emit({
      severityNumber: SeverityNumber.ERROR,
      body: 'charging card failed',
      context: spanContext(),
      attributes: {
        'exception.type': 'TypeError',
        'exception.message': 'no card',
        'exception.stacktrace': stack,
        'exception.escaped': true,
        'distlog.event': 'fail',
      },
    }),
  );
  const e = toLogEntry(record!, 'P', new ResourceCache());
  assert.deepEqual(e.exception, { type: 'TypeError', message: 'no card', stack });
  // Only the three mapped names leave the attributes.
  assert.deepEqual(e.attributes, { 'exception.escaped': true });
  assert.equal(e.event, 'fail');
  assert.equal(e.level, 'ERROR');
});

test('a structured body is kept in body and summarized in message', () => {
  const recs = capture((logger) => {
    logger.emit({ body: { user: 'ann', items: [1, 2, 3] } });
    logger.emit({ body: { big: 'x'.repeat(1000) } });
    logger.emit({ body: 42 });
    logger.emit({});
  });
  const [obj, big, num, none] = recs.map((r) => toLogEntry(r, 'P', new ResourceCache()));
  assert.equal(obj!.message, '{"user":"ann","items":[1,2,3]}');
  assert.deepEqual(obj!.body, { user: 'ann', items: [1, 2, 3] });
  assert.ok(big!.message.length <= 200, 'summary is bounded');
  assert.ok(big!.message.endsWith('…'));
  assert.equal((big!.body as { big: string }).big.length, 1000, 'body kept whole');
  assert.equal(num!.message, '42');
  assert.equal(num!.body, 42);
  assert.equal(none!.message, '');
  assert.equal('body' in none!, false);
  assert.equal(none!.level, levelNameFromSeverity(0), 'severity 0 still gets the protocol level name');
});

test('distlog.kind P marks performance data; an invalid span context gives no task', () => {
  const [record] = capture((logger) =>
    logger.emit({
      body: 'db.query',
      context: spanContext('00000000000000000000000000000000', '0000000000000000'),
      attributes: { 'distlog.kind': 'P', rows: 10, ms: 3.2 },
    }),
  );
  const e = toLogEntry(record!, 'T', new ResourceCache());
  assert.equal(e.kind, 'P');
  assert.equal(e.system, 'T');
  assert.equal(e.task, undefined);
  assert.deepEqual(e.attributes, { rows: 10, ms: 3.2 });
});

test('distlog.task stands in for the task only when there is no valid trace id', () => {
  const recs = capture((logger) => {
    logger.emit({ body: 'foreign', attributes: { 'distlog.task': 'py-task-7' } });
    logger.emit({ body: 'ours', context: spanContext(), attributes: { 'distlog.task': 'ignored' } });
  });
  const [foreign, ours] = recs.map((r) => toLogEntry(r, 'P', new ResourceCache()));
  assert.equal(foreign!.task, 'py-task-7');
  assert.equal(ours!.task, TRACE_ID);
});

test('records of one Resource share one resource object', () => {
  const recs = capture((logger) => {
    logger.emit({ body: 'a' });
    logger.emit({ body: 'b' });
  });
  const cache = new ResourceCache();
  const [a, b] = recs.map((r) => toLogEntry(r, 'P', cache));
  assert.equal(a!.resource, b!.resource);
  assert.equal(a!.resource['service.name'], 'checkout');
});

test('the event name is kept as its own field (LogEntry v2), not as an attribute', () => {
  const [record] = capture((logger) => logger.emit({ eventName: 'user.login', body: 'hi' }));
  const e = toLogEntry(record!, 'P', new ResourceCache());
  assert.equal(e.eventName, 'user.login');
  assert.equal(e.attributes['event.name'], undefined);
});
