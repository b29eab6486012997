/**
 * The record key on the wire: the ScopeProcessor hands it to the OTLP writer in
 * parts (src/protocol/key-stamp.ts), and what the collector decodes must be the
 * key `<seq>@<task>/<path>` exactly, for short and long seqs alike, while a key
 * that another processor rewrote goes out as rewritten.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { LogRecordProcessor, SdkLogRecord } from '@opentelemetry/sdk-logs';
import { getLogger, register, task, to } from '../../src/sdk/index.js';
import { InMemoryLogRecordExporter } from '../../src/exporter/testing.js';
import { OtlpBatchEncoder } from '../../src/exporter/otlp-encoder.js';
import { BatchEnvelope } from '../../src/exporter/batch-envelope.js';

/** The OTLP payloads the ZeroMQ exporter would send for the exporter's records, concatenated. */
function wireBytes(records: Parameters<OtlpBatchEncoder['encode']>[0]): Buffer {
  const parts: Uint8Array[] = [];
  new OtlpBatchEncoder('T', new BatchEnvelope('key-test'), 1 << 30).encode(records, {
    message: (payload) => void parts.push(payload),
    drop: () => {},
  });
  return Buffer.concat(parts);
}

const rewriter: LogRecordProcessor = {
  onEmit(record: SdkLogRecord) {
    if (record.instrumentationScope.name === 'rewritten') record.setAttribute('distlog.key', `custom-${String(record.attributes['distlog.seq'])}`);
  },
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};

const mem = new InMemoryLogRecordExporter();
const handle = register({ serviceName: 'keys', exporters: [mem], processors: [rewriter], level: 'trace', flushOnExit: false });

it('every record of a scope carries <seq>@<task>/<path>, from 0 through four-digit seqs', async () => {
  await task('outer', () =>
    to('inner', () => {
      const log = getLogger('keys');
      for (let i = 0; i < 1_200; i++) log.info('record %d', i, { i });
    }),
  );
  await handle.flush();
  const records = mem.entries().filter((e) => e.logger === 'keys');
  assert.equal(records.length, 1_200);
  const task0 = records[0]!.task!;
  assert.match(task0, /^[0-9a-f]{32}$/);
  records.forEach((e, i) => {
    assert.equal(e.path, '1');
    // seq 0 was the scope's enter record
    assert.equal(e.seq, i + 1);
    assert.equal(e.key, `${i + 1}@${task0}/1`);
  });
  // The key is <seq>@<trace id>/<path> of fields already on the wire: the
  // exporter leaves it out and the decoder makes it again.
  assert.equal(wireBytes(mem.records()).includes('distlog.key'), false, 'distlog.key is not sent when it can be made again');
  mem.reset();
});

it('a key another processor rewrote goes on the wire as rewritten', async () => {
  await task('rewrites', () => {
    getLogger('rewritten').warn('one');
    getLogger('rewritten').warn('two');
  });
  await handle.flush();
  const records = mem.entries().filter((e) => e.logger === 'rewritten');
  assert.deepEqual(
    records.map((e) => e.key),
    ['custom-1', 'custom-2'],
  );
  assert.equal(wireBytes(mem.records()).includes('distlog.key'), true, 'a rewritten key is sent as it is');
  await handle.shutdown();
});
