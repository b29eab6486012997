/**
 * The application side of the benchmark, shared by the e2e app and the capture
 * run of the collector-alone benchmark so that both move the same records:
 * register() with one ZmqLogRecordExporter (default settings but a generous send
 * timeout), then `total` info records of the given shape from inside one task.
 *
 * The loop yields every CHUNK records (a real app does I/O between its logs) and
 * waits for the pipeline when its queue gets deep: the benchmark measures the
 * sustained rate, not how fast a burst can overflow the bounded queues (that
 * behaviour is tested in test/sdk and test/exporter). The peers' apps pace
 * themselves the same way.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { getLogger, register, task } from '../../src/sdk/index.js';
import { ZmqLogRecordExporter, type ZmqExporterStats } from '../../src/exporter/index.js';
import type { Encoding } from '../../src/protocol/index.js';
import { PAYLOAD_2K, largeAttributes, smallAttributes, type Shape } from './shapes.js';

export const CHUNK = 2048;
/** Records queued in the batch processor before the loop waits for a flush. */
export const HIGH_QUEUE = 32_768;

export interface WorkloadResult {
  /** When the first record was emitted (ms, comparable across processes). */
  firstAt: number;
  /** When the last record had been handed to ZeroMQ. */
  flushedAt: number;
  /** Records emitted: `total` info records + the task's enter and exit. */
  records: number;
  exporter: ZmqExporterStats;
  processorDropped: number;
}

/**
 * `ready`, when given, is awaited once the pipeline is set up and before the
 * first record: the e2e harness holds every producer there until all have
 * started (a start barrier), so that one app's start-up (loading modules,
 * compiling) is not counted in the others' logging time.
 */
export async function runWorkload(endpoint: string, total: number, encoding: Encoding, shape: Shape, ready?: () => Promise<void>): Promise<WorkloadResult> {
  // A generous send timeout: the benchmark wants zero loss, and a collector
  // busy writing may hold a message for a moment.
  const exporter = new ZmqLogRecordExporter({ endpoint, encoding, system: 'T', sendTimeoutMs: 30_000 });
  const handle = register({
    serviceName: 'bench-e2e',
    exporters: [exporter],
    batch: { maxExportBatchSize: 1024, maxQueueSize: 131_072 },
    exitTimeoutMs: 60_000,
  });
  const log = getLogger('bench.orders');
  await ready?.();
  const firstAt = performance.timeOrigin + performance.now();
  await task('bench run', { records: total }, async () => {
    for (let i = 0; i < total; ) {
      const end = Math.min(total, i + CHUNK);
      if (shape === 'small') for (; i < end; i++) log.info('order %d processed', i, smallAttributes(i));
      else for (; i < end; i++) log.info('order %d %s', i, PAYLOAD_2K, largeAttributes(i));
      await yieldToLoop();
      if (handle.stats()[0]!.queued > HIGH_QUEUE) await handle.flush(60_000);
    }
  });
  await handle.flush(60_000);
  const flushedAt = performance.timeOrigin + performance.now();
  const stats = exporter.stats();
  const processorDropped = handle.stats()[0]!.dropped;
  await handle.shutdown();
  return { firstAt, flushedAt, records: total + 2, exporter: stats, processorDropped };
}
