/**
 * bench/sdk-emit/encode-only: the exporter's OTLP encoding alone, on records the
 * real pipeline made (sdk-emit's call shape), encoded again and again: CPU µs
 * per record, for quick A/B of encoder changes and under --cpu-prof.
 *
 *   node --import tsx bench/sdk-emit/encode-only.ts [passes=50] [sdk-emit|e2e-small]
 * (the record shape: sdk-emit's `{ a, b }`, or bench/e2e's small attributes: a string, a number, a boolean)
 */
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { getLogger, register, task, to } from '../../src/sdk/index.js';
import { BatchEnvelope, OtlpBatchEncoder } from '../../src/exporter/index.js';
import { smallAttributes } from '../e2e/shapes.js';

const BATCH = 1024;
const kept: ReadableLogRecord[] = [];
const handle = register({
  serviceName: 'bench',
  flushOnExit: false,
  exporters: [{
    export(logs: ReadableLogRecord[], done: (r: ExportResult) => void) { kept.push(...logs); done({ code: ExportResultCode.SUCCESS }); },
    async shutdown() {},
    async forceFlush() {},
  }],
});
const log = getLogger('bench');
const shape = process.argv[3] ?? 'sdk-emit';
await task('bench', () => to('emit', () => {
  for (let i = 0; i < BATCH; i++) log.info('request handled %d', i, shape === 'e2e-small' ? smallAttributes(i) : { a: i, b: 'x' });
}));
await handle.flush(10_000);
const records = kept.filter((r) => r.body !== undefined && String(r.body).startsWith('request')).slice(0, BATCH);

const encoder = new OtlpBatchEncoder('S', new BatchEnvelope('bench'), 4 * 1024 * 1024);
let bytes = 0;
const sink = { message: (p: Buffer) => { bytes += p.length; }, drop: () => { throw new Error('dropped'); } };
const passes = Number(process.argv[2] ?? 50);
const samples: number[] = [];
for (let round = 0; round < 9; round++) {
  const t0 = process.cpuUsage();
  for (let k = 0; k < passes; k++) encoder.encode(records, sink);
  const t = process.cpuUsage(t0);
  samples.push(((t.user + t.system) / (passes * records.length)));
}
samples.sort((a, b) => a - b);
console.log(`${records.length} records, ${(bytes / (9 * passes * records.length)).toFixed(1)} B/record; CPU µs/record min ${samples[0]!.toFixed(3)} median ${samples[4]!.toFixed(3)} max ${samples[8]!.toFixed(3)}`);
await handle.shutdown();
