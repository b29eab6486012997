/**
 * register() next to an existing OpenTelemetry setup, twice, and again after
 * shutdown. Its own file: it needs a process whose globals start out taken.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { context, propagation } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { getLogger, register, task } from '../../src/sdk/index.js';
import { DistlogLogRecordProcessor } from '../../src/sdk/otel.js';
import { InMemoryLogRecordExporter as DistlogMemoryExporter } from '../../src/exporter/testing.js';

it('beside an existing setup it keeps what is installed and still scopes its own records', async () => {
  const theirs = new InMemoryLogRecordExporter();
  const theirProvider = new LoggerProvider({ processors: [new DistlogLogRecordProcessor({ next: [new SimpleLogRecordProcessor({ exporter: theirs })] })] });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  logs.setGlobalLoggerProvider(theirProvider);

  const mem = new DistlogMemoryExporter();
  const handle = register({ serviceName: 'beside', exporters: [mem], flushOnExit: false });
  assert.deepEqual(handle.installed, { contextManager: false, propagator: false, loggerProvider: false });
  assert.equal(register({ serviceName: 'again' }), handle, 'a second register() returns the active handle');

  let T = '';
  await task('mixed', async (t) => {
    T = t.taskId;
    getLogger('mine').info('through distlog');
    logs.getLogger('their-lib').emit({ body: 'through their provider' });
  });
  await handle.flush();
  assert.deepEqual(mem.entries().map((e) => `${e.key} ${e.message}`), [`0@${T} mixed`, `1@${T} through distlog`, `3@${T} mixed`]);
  // their provider got its library record, stamped because they listed DistlogLogRecordProcessor
  await theirProvider.forceFlush();
  const [rec] = theirs.getFinishedLogRecords();
  assert.equal(rec!.body, 'through their provider');
  assert.equal(rec!.attributes['distlog.key'], `2@${T}`, 'one scope, one counter, whichever provider a record goes to');
  assert.equal(rec!.spanContext?.traceId, T);

  await handle.shutdown();
  await handle.shutdown(); // safe twice
  assert.equal(logs.getLoggerProvider(), theirProvider, 'shutdown leaves what it did not install');

  // after shutdown, register() builds a fresh pipeline
  const mem2 = new DistlogMemoryExporter();
  const h2 = register({ serviceName: 'second', exporters: [mem2], flushOnExit: false });
  assert.notEqual(h2, handle);
  getLogger('mine').info('second life');
  await h2.flush();
  assert.deepEqual(mem2.entries().map((e) => e.message), ['second life']);
  await h2.shutdown();
});
