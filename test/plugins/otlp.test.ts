/**
 * The `otlp` plugin's outcomes, per the OTLP specification's failure rules:
 * against distlogd's own OTLP/HTTP receiver (a real OTLP peer) a record it
 * refuses comes back in partial_success and is counted as dropped, and a 413
 * (not retryable) drops the batch, counted; against a scripted HTTP server,
 * 503 with Retry-After is retried after the server's delay, and a refused
 * connection is retried until consume() gives the batch back to the queue;
 * against a distlogd whose plugin queue is full, its backpressure 503 is
 * honoured and nothing is lost.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig, startCollector, type CollectorHandle } from '../../src/collector/index.js';
import type { LogEntry } from '../../src/protocol/log-entry.js';
import { Type, defaultsOf, type PluginFactory } from '../../src/plugins/api.js';
import { OtlpOptionsSchema, OtlpSink, parseRetryAfter, type OtlpOptions } from '../../src/plugins/otlp/index.js';
import { collectingPlugin, entry, freePort, waitFor } from '../collector/helpers.js';

const warnings: string[] = [];
const ctx = {
  name: 'otlp',
  baseDir: '.',
  logger: { info: () => {}, warn: (m: string) => warnings.push(m), error: (m: string) => warnings.push(m) },
};

function sink(over: Partial<OtlpOptions>): OtlpSink {
  const options = { ...(defaultsOf(OtlpOptionsSchema) as OtlpOptions), ...over };
  return new OtlpSink(options, ctx);
}

async function receiver(extra: string, got: LogEntry[]): Promise<CollectorHandle> {
  const collect = collectingPlugin(got);
  const text = [
    'receiver:',
    '  endpoints: ["tcp://127.0.0.1:*"]',
    `  otlpHttp: { enabled: true, endpoint: '127.0.0.1:0'${extra} }`,
    'stats: { intervalSeconds: 0 }',
    'plugins: [{ type: collect }]',
  ].join('\n');
  return startCollector(await loadConfig({ text }, { plugins: [collect], env: {} }), { log: () => {} });
}

test('otlp plugin → distlogd receiver: a refused record is reported through partial_success and counted as dropped', async () => {
  const got: LogEntry[] = [];
  const h = await receiver('', got);
  const s = sink({ endpoint: `${h.otlpHttpUrl}/v1/logs` });
  try {
    let deep: unknown = 'x';
    for (let i = 0; i < 40; i++) deep = { a: deep };
    const result = await s.consume([entry({ message: 'poison', attributes: { deep } }), entry({ message: 'fine' })]);
    assert.deepEqual(result, { dropped: 1 });
    assert.deepEqual(got.map((e) => e.message), ['fine']);
    assert.equal(s.counters().rejectedByBackend, 1);
    assert.equal(s.counters().sent, 1);
    assert.ok(warnings.some((w) => w.includes('rejected 1 of 2 records: log record 0 refused')), warnings.join('\n'));
  } finally {
    await s.shutdown();
    await h.stop();
  }
});

test('otlp plugin: a 413 is not retried; the batch is dropped and counted', async () => {
  const got: LogEntry[] = [];
  const h = await receiver(', maxBodyBytes: 100', got);
  const s = sink({ endpoint: `${h.otlpHttpUrl}/v1/logs`, compression: 'none' });
  try {
    const result = await s.consume([entry({ message: 'x'.repeat(500) })]);
    assert.deepEqual(result, { dropped: 1 });
    assert.equal(s.counters().requests, 1, 'one request, no retry');
    assert.equal(s.counters().droppedBatches, 1);
    assert.ok(warnings.some((w) => w.includes('answered HTTP 413 (not retryable): 1 records dropped: body of')), warnings.join('\n'));
    assert.equal(got.length, 0);
  } finally {
    await s.shutdown();
    await h.stop();
  }
});

test('otlp plugin: 503 with Retry-After is retried after the server\'s delay, then succeeds', async () => {
  const seen: number[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      seen.push(Date.now());
      if (seen.length === 1) res.writeHead(503, { 'retry-after': '1' }).end();
      else res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const s = sink({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/logs`, retry: { maxAttempts: 3, initialBackoffMs: 10, maxBackoffMs: 5_000 } });
  try {
    assert.equal(await s.consume([entry()]), undefined);
    assert.equal(seen.length, 2);
    assert.ok(seen[1]! - seen[0]! >= 950, `retried after ${seen[1]! - seen[0]!} ms, Retry-After said 1 s`);
    assert.equal(s.counters().retries, 1);
    assert.equal(s.counters().sent, 1);
  } finally {
    await s.shutdown();
    await new Promise((r) => server.close(r));
  }
});

test('otlp plugin: a refused connection is retried maxAttempts times, then consume() throws (the queue retries)', async () => {
  const port = await freePort();
  const s = sink({ endpoint: `http://127.0.0.1:${port}/v1/logs`, retry: { maxAttempts: 3, initialBackoffMs: 10, maxBackoffMs: 50 } });
  await assert.rejects(Promise.resolve(s.consume([entry()])), /POST http:\/\/127\.0\.0\.1:\d+\/v1\/logs: ECONNREFUSED/);
  assert.equal(s.counters().requests, 3);
  assert.equal(s.counters().retries, 2);
  await s.shutdown();
});

test('parseRetryAfter reads seconds and HTTP dates', () => {
  assert.equal(parseRetryAfter('3'), 3000);
  assert.equal(parseRetryAfter(null), undefined);
  assert.equal(parseRetryAfter('soon'), undefined);
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now), 5000);
});

test('otlp plugin → a distlogd whose plugin queue is full: its 503 + Retry-After is honoured, and the batch arrives once the queue drains', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const got: LogEntry[] = [];
  const slow: PluginFactory = {
    type: 'slow',
    configSchema: Type.Object({}, { additionalProperties: false }),
    create: () => ({ start() {}, consume: async (b) => { await gate; got.push(...b); }, flush() {}, shutdown() {} }),
  };
  const text = [
    'receiver:',
    '  endpoints: ["tcp://127.0.0.1:*"]',
    "  otlpHttp: { enabled: true, endpoint: '127.0.0.1:0', retryAfterSeconds: 1 }",
    'stats: { intervalSeconds: 0 }',
    'plugins:',
    '  - type: slow',
    '    queue: { maxEntries: 2, batchMaxEntries: 2, whenFull: block, blockTimeoutMs: 600000, consumeTimeoutMs: 0 }',
  ].join('\n');
  const h = await startCollector(await loadConfig({ text }, { plugins: [slow], env: {} }), { log: () => {} });
  const s = sink({ endpoint: `${h.otlpHttpUrl}/v1/logs`, retry: { maxAttempts: 10, initialBackoffMs: 10, maxBackoffMs: 5_000 } });
  try {
    await s.consume([entry({ message: 'a1' }), entry({ message: 'a2' })]); // in the slow consume()
    await s.consume([entry({ message: 'b1' }), entry({ message: 'b2' })]); // fills the queue
    const t0 = Date.now();
    const third = Promise.resolve(s.consume([entry({ message: 'c1' })]));
    setTimeout(release, 300);
    assert.equal(await third, undefined, 'accepted in the end');
    assert.ok(Date.now() - t0 >= 950, 'the first retry waited for Retry-After (1 s)');
    assert.ok(s.counters().retries >= 1);
    assert.ok(h.stats().otlpHttp!.throttledRequests >= 1);
    assert.equal(s.counters().sent, 5);
    await waitFor('every record at the slow plugin', () => got.length === 5);
    assert.deepEqual(got.map((e) => e.message), ['a1', 'a2', 'b1', 'b2', 'c1']);
  } finally {
    release();
    await s.shutdown();
    await h.stop();
  }
});
