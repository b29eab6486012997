import { it } from 'node:test';
import assert from 'node:assert/strict';
import { getLogger, register, task } from '../../src/sdk/index.js';
import { DistlogBatchLogRecordProcessor as DistlogBatchProcessor } from '../../src/sdk/otel.js';
import { InMemoryLogRecordExporter as InMemoryExporter } from '../../src/sdk/testing.js';
import { ExportResultCode } from '@opentelemetry/core';
import { LoggerProvider } from '@opentelemetry/sdk-logs';

it('100,000 records in one synchronous loop inside a task all reach the exporter by default', async () => {
  const mem = new InMemoryExporter();
  const handle = register({ serviceName: 'burst', exporters: [mem], flushOnExit: false });
  const log = getLogger('burst');
  const N = 100_000;
  task('burst', () => {
    for (let i = 0; i < N; i++) log.info('record %d', i, { i });
  });
  await handle.flush(30_000);
  const recs = mem.records();
  assert.equal(recs.length, N + 2); // + enter and exit
  const [stats] = handle.stats();
  assert.equal(stats!.dropped, 0);
  assert.equal(stats!.exported, N + 2);
  // order within the scope is kept
  const seqs = recs.map((r) => r.attributes['distlog.seq']);
  assert.deepEqual(seqs.slice(0, 3), [0, 1, 2]);
  assert.equal(seqs[N + 1], N + 1);
  await handle.shutdown();
});

it('past the queue bound records are dropped and counted, and the app never blocks', async () => {
  let exported = 0;
  const slow = {
    export(records: unknown[], done: (r: { code: ExportResultCode }) => void) {
      exported += records.length;
      setTimeout(() => done({ code: ExportResultCode.SUCCESS }), 5);
    },
    shutdown: async () => undefined,
    forceFlush: async () => undefined,
  };
  const batch = new DistlogBatchProcessor({ exporter: slow, maxQueueSize: 1000, maxExportBatchSize: 100 });
  const provider = new LoggerProvider({ processors: [batch] });
  const logger = provider.getLogger('bounded');
  for (let i = 0; i < 5000; i++) logger.emit({ body: `r${i}` });
  assert.deepEqual(batch.stats(), { queued: 1000, exported: 0, dropped: 4000, failedExports: 0, failedRecords: 0 });
  await batch.forceFlush();
  assert.equal(exported, 1000);
  assert.equal(batch.stats().exported, 1000);
  assert.equal(batch.stats().queued, 0);
  await provider.shutdown();
});

it('an exporter that never calls back is timed out and counted as failed', async () => {
  const hung = { export(_r: unknown[], _done: unknown) {}, shutdown: async () => undefined, forceFlush: async () => undefined };
  const batch = new DistlogBatchProcessor({ exporter: hung, exportTimeoutMillis: 50 });
  const provider = new LoggerProvider({ processors: [batch] });
  provider.getLogger('x').emit({ body: 'a' });
  await batch.forceFlush();
  assert.equal(batch.stats().failedRecords, 1);
  await provider.shutdown();
});

it('an exporter that throws is counted as failed and never reaches the app', async () => {
  const throwing = {
    export(_r: unknown[], _done: unknown): void {
      throw new Error('kaput');
    },
    shutdown: async () => undefined,
    forceFlush: async () => undefined,
  };
  const batch = new DistlogBatchProcessor({ exporter: throwing });
  const provider = new LoggerProvider({ processors: [batch] });
  provider.getLogger('x').emit({ body: 'a' });
  await batch.forceFlush();
  assert.equal(batch.stats().failedExports, 1);
  await provider.shutdown();
});
