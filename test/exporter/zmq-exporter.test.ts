/**
 * The exporter over real ZeroMQ sockets on loopback: records emitted through the
 * OpenTelemetry SDK arrive at a PULL socket and decode, with the protocol's own
 * decoder, into the LogEntry fields the SDK stamped.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { InMemoryLogRecordExporter, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { Pull } from 'zeromq';
import { ZmqLogRecordExporter } from '../../src/exporter/index.js';
import { decodeMessage, ENCODINGS } from '../../src/protocol/index.js';
import type { LogEntry } from '../../src/protocol/log-entry.js';
import { plain } from '../protocol/plain.js';
import { deadPort, providerFor, pullSocket, RESOURCE_ATTRS, sleep, SPAN_ID, spanContext, TRACE_ID } from './helpers.js';

async function receive(pull: Pull): Promise<{ topic: string; entries: LogEntry[]; meta: { producer?: string; seq?: number } }> {
  const frames = await pull.receive();
  const decoded = decodeMessage(frames);
  assert.deepEqual(decoded.errors, [], 'no record of the message was rejected');
  const t = decoded.topic;
  // plain(): decoded OTLP maps have no prototype; deepEqual against literals needs ordinary objects.
  return { topic: t.system + t.kind + t.encoding, entries: plain(decoded.entries), meta: decoded.meta ?? {} };
}

/** ReadableLogRecords made by the SDK itself, to hand to export() directly. */
function records(n: number, attributes: Record<string, string | number> = {}): ReadableLogRecord[] {
  const memory = new InMemoryLogRecordExporter();
  const logger = providerFor(memory).getLogger('t');
  for (let i = 0; i < n; i++) logger.emit({ severityNumber: SeverityNumber.INFO, body: `r${i}`, attributes });
  return memory.getFinishedLogRecords();
}

/** 'good 1', a record with a cyclic body (no encoding can write it), 'good 2'. */
function oneUnencodableAmongTwo(): ReadableLogRecord[] {
  const memory = new InMemoryLogRecordExporter();
  const logger = providerFor(memory).getLogger('t');
  logger.emit({ body: 'good 1' });
  const cyclic: Record<string, unknown> = { name: 'loop' };
  cyclic['self'] = cyclic;
  logger.emit({ body: cyclic as never });
  logger.emit({ body: 'good 2' });
  return memory.getFinishedLogRecords();
}

function exportOnce(exporter: ZmqLogRecordExporter, logs: ReadableLogRecord[]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(logs, resolve));
}

for (const encoding of ENCODINGS) {
test(`records emitted through the SDK arrive with keys, task tree, levels, attributes, resource and exception (encoding ${encoding})`, async () => {
  const { pull, endpoint } = await pullSocket();
  const exporter = new ZmqLogRecordExporter({ endpoint, system: 'T', encoding });
  const provider = providerFor(exporter);
  try {
    const logger = provider.getLogger('shop.checkout');
    const ctx = spanContext();
    logger.emit({
      severityNumber: SeverityNumber.INFO,
      body: 'checkout',
      context: ctx,
      attributes: { 'distlog.key': `0@${TRACE_ID}/2`, 'distlog.seq': 0, 'distlog.path': '2', 'distlog.event': 'enter', 'distlog.parent_span_id': '00f067aa0ba902b7', order: 'A-17' },
    });
    logger.emit({
      severityNumber: SeverityNumber.ERROR,
      severityText: 'ERROR',
      body: 'checkout failed',
      context: ctx,
      attributes: {
        'distlog.key': `1@${TRACE_ID}/2`, 'distlog.seq': 1, 'distlog.path': '2', 'distlog.event': 'fail', 'distlog.duration_ms': 4.25,
        'exception.type': 'RangeError', 'exception.message': 'too much', 'exception.stacktrace': 'RangeError: too much\n    at x (a.ts:1:1)',
        order: 'A-17',
      },
    });
    const first = await receive(pull);
    const second = await receive(pull);
    assert.equal(first.topic, `TL${encoding}`);
    const [enter] = first.entries;
    const [fail] = second.entries;
    assert.equal(enter!.key, `0@${TRACE_ID}/2`);
    assert.equal(enter!.task, TRACE_ID);
    assert.equal(enter!.span, SPAN_ID);
    assert.equal(enter!.parentSpan, '00f067aa0ba902b7');
    assert.equal(enter!.path, '2');
    assert.equal(enter!.seq, 0);
    assert.equal(enter!.event, 'enter');
    assert.equal(enter!.level, 'INFO');
    assert.equal(enter!.severity, 9);
    assert.equal(enter!.logger, 'shop.checkout');
    assert.equal(enter!.message, 'checkout');
    assert.deepEqual(enter!.attributes, { order: 'A-17' });
    assert.deepEqual(enter!.resource, RESOURCE_ATTRS);
    assert.equal(enter!.system, 'T');
    assert.equal(enter!.kind, 'L');
    assert.match(enter!.timeUnixNano, /^\d{19}$/);

    assert.equal(fail!.key, `1@${TRACE_ID}/2`);
    assert.equal(fail!.seq, 1);
    assert.equal(fail!.event, 'fail');
    assert.equal(fail!.durationMs, 4.25);
    assert.equal(fail!.level, 'ERROR');
    assert.deepEqual(fail!.exception, { type: 'RangeError', message: 'too much', stack: 'RangeError: too much\n    at x (a.ts:1:1)' });
    assert.deepEqual(fail!.attributes, { order: 'A-17' });

    // Batch meta: one producer id per exporter, seq counting messages from 1.
    assert.equal(first.meta.producer, exporter.options.producerId);
    assert.equal(first.meta.seq, 1);
    assert.equal(second.meta.seq, 2);
    const s = exporter.stats();
    assert.equal(s.sentMessages, 2);
    assert.equal(s.sentRecords, 2);
    assert.equal(s.droppedRecords, 0);
  } finally {
    await provider.shutdown();
    pull.close();
  }
});
}

test('one export with logs and performance data sends one message per kind, perf under topic kind P', async () => {
  const { pull, endpoint } = await pullSocket();
  const exporter = new ZmqLogRecordExporter({ endpoint, producerId: 'app-1' });
  try {
    const memory = new InMemoryLogRecordExporter();
    const logger = providerFor(memory).getLogger('t');
    logger.emit({ body: 'log a', severityNumber: SeverityNumber.INFO });
    logger.emit({ body: 'db.query', attributes: { 'distlog.kind': 'P', ms: 3.5 } });
    logger.emit({ body: 'log b', severityNumber: SeverityNumber.DEBUG });
    logger.emit({ body: 'http', attributes: { 'distlog.kind': 'P', ms: 8 } });
    const result = await exportOnce(exporter, memory.getFinishedLogRecords());
    assert.equal(result.code, ExportResultCode.SUCCESS);
    const messages = [await receive(pull), await receive(pull)].sort((a, b) => a.topic.localeCompare(b.topic));
    assert.deepEqual(messages.map((m) => m.topic), ['PLO', 'PPO'], 'the default encoding is OTLP');
    assert.deepEqual(messages[0]!.entries.map((e) => e.message), ['log a', 'log b']);
    assert.deepEqual(messages[1]!.entries.map((e) => [e.message, e.kind, e.attributes['ms']]), [['db.query', 'P', 3.5], ['http', 'P', 8]]);
    assert.deepEqual(messages.map((m) => m.meta.producer), ['app-1', 'app-1']);
    assert.deepEqual(messages.map((m) => m.meta.seq).sort(), [1, 2]);
    assert.equal(exporter.stats().sentMessages, 2);
    assert.equal(exporter.stats().sentRecords, 4);
  } finally {
    await exporter.shutdown();
    pull.close();
  }
});

test('several endpoints share the load round-robin', async () => {
  const a = await pullSocket();
  const b = await pullSocket();
  const exporter = new ZmqLogRecordExporter({ endpoint: [a.endpoint, b.endpoint] });
  try {
    // With immediate (the default) a message only goes to a completed
    // connection; wait until both are up. ZeroMQ round-robins over the pipes
    // with room: with the send high-water mark at 1 a busy pipe is skipped, so
    // the split is near even, not exact.
    await sleep(300);
    const batch = records(3);
    for (let i = 0; i < 20; i++) assert.equal((await exportOnce(exporter, batch)).code, ExportResultCode.SUCCESS);
    const got = { a: 0, b: 0 };
    for (const [name, sock] of [['a', a.pull], ['b', b.pull]] as const) {
      for (;;) {
        try {
          sock.receiveTimeout = 300;
          const m = await receive(sock);
          got[name] += m.entries.length;
        } catch {
          break;
        }
      }
    }
    assert.equal(got.a + got.b, 60);
    assert.ok(got.a >= 18 && got.b >= 18, `a got ${got.a}, b got ${got.b}`);
  } finally {
    await exporter.shutdown();
    a.pull.close();
    b.pull.close();
  }
});

test('a dead endpoint does not take a share: records go to the live one', async () => {
  const live = await pullSocket();
  const dead = `tcp://127.0.0.1:${await deadPort()}`;
  const exporter = new ZmqLogRecordExporter({ endpoint: [dead, live.endpoint], sendTimeoutMs: 1000 });
  try {
    await sleep(200);
    for (let i = 0; i < 10; i++) assert.equal((await exportOnce(exporter, records(2))).code, ExportResultCode.SUCCESS);
    let n = 0;
    for (let i = 0; i < 10; i++) n += (await receive(live.pull)).entries.length;
    assert.equal(n, 20);
  } finally {
    await exporter.shutdown();
    live.pull.close();
  }
});

test('with no collector, the first send waits the send timeout, then everything fails at once, counted', async () => {
  const endpoint = `tcp://127.0.0.1:${await deadPort()}`;
  const exporter = new ZmqLogRecordExporter({ endpoint, sendTimeoutMs: 300, warnOnDrop: false });
  try {
    const t0 = performance.now();
    // Five concurrent exports: one in the socket, four queued behind it. All
    // fail together, not one after another.
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => exportOnce(exporter, records(4))));
    const elapsed = performance.now() - t0;
    assert.ok(results.every((r) => r.code === ExportResultCode.FAILED));
    assert.ok(results.every((r) => (r.error as { droppedRecords?: number }).droppedRecords === 4), String(results[0]!.error));
    assert.match(String(results[0]!.error), /300 ms/);
    assert.ok(elapsed < 3000, `took ${elapsed.toFixed(0)} ms`);
    // The breaker is open now: 100 more batches fail without waiting and without a message each.
    const t1 = performance.now();
    for (let i = 0; i < 100; i++) assert.equal((await exportOnce(exporter, records(2))).code, ExportResultCode.FAILED);
    assert.ok(performance.now() - t1 < 1000, `100 exports took ${(performance.now() - t1).toFixed(0)} ms`);
    const s = exporter.stats();
    assert.equal(s.droppedRecords, 220);
    assert.equal(s.droppedBy.timeout + s.droppedBy.unreachable, 220);
    assert.equal(s.droppedBy.timeout, 4, 'one message timed out; the four queued behind it failed with it');
    assert.equal(s.collectorReachable, false);
    assert.equal(s.sentRecords, 0);
    assert.equal(s.failedExports, 105);
    assert.equal(s.pendingMessages, 0);
    assert.match(String(s.lastError), /no collector/);
  } finally {
    await exporter.shutdown();
  }
});

test('when the collector comes back the breaker closes and records flow again', async () => {
  const port = await deadPort();
  const endpoint = `tcp://127.0.0.1:${port}`;
  const exporter = new ZmqLogRecordExporter({ endpoint, sendTimeoutMs: 200, warnOnDrop: false });
  const pull = new (await import('zeromq')).Pull({ linger: 0, receiveTimeout: 5000 });
  try {
    assert.equal((await exportOnce(exporter, records(3))).code, ExportResultCode.FAILED);
    assert.equal(exporter.stats().collectorReachable, false);
    await pull.bind(endpoint);
    const t0 = performance.now();
    while (!exporter.stats().collectorReachable && performance.now() - t0 < 5000) await sleep(50);
    assert.equal(exporter.stats().collectorReachable, true, 'the probe saw the collector');
    assert.equal((await exportOnce(exporter, records(2))).code, ExportResultCode.SUCCESS);
    const m = await receive(pull);
    assert.equal(m.entries.length, 2);
    assert.equal(m.meta.seq, 1, 'the failed message consumed no sequence number: the collector sees no gap');
    assert.equal(exporter.stats().droppedRecords, 3);
    assert.equal(exporter.stats().sentRecords, 2);
  } finally {
    await exporter.shutdown();
    pull.close();
  }
});

test('records dropped for want of a collector are announced once on stderr, unless warnOnDrop is false', async () => {
  const warnings: Error[] = [];
  const onWarning = (w: Error): void => {
    warnings.push(w);
  };
  process.on('warning', onWarning);
  const endpoint = `tcp://127.0.0.1:${await deadPort()}`;
  const loud = new ZmqLogRecordExporter({ endpoint, sendTimeoutMs: 150 });
  const quiet = new ZmqLogRecordExporter({ endpoint, sendTimeoutMs: 150, warnOnDrop: false });
  try {
    for (let i = 0; i < 3; i++) {
      await exportOnce(loud, records(5));
      await exportOnce(quiet, records(5));
    }
    await sleep(20); // warnings are emitted on the next tick
    const ours = warnings.filter((w) => (w as { code?: string }).code === 'DISTLOG_NO_COLLECTOR');
    assert.equal(ours.length, 1);
    assert.match(ours[0]!.message, new RegExp(`no collector answers at ${endpoint.replace(/\./g, '\\.')}; 5 log records dropped so far`));
  } finally {
    process.off('warning', onWarning);
    await loud.shutdown();
    await quiet.shutdown();
  }
});

test('past maxQueuedMessages an export is refused at once', async () => {
  const endpoint = `tcp://127.0.0.1:${await deadPort()}`;
  const exporter = new ZmqLogRecordExporter({ endpoint, sendTimeoutMs: 500, maxQueuedMessages: 1 });
  try {
    const inFlight = exportOnce(exporter, records(1));
    const queued = exportOnce(exporter, records(1));
    const t0 = performance.now();
    const refused = await exportOnce(exporter, records(1));
    assert.ok(performance.now() - t0 < 50);
    assert.equal(refused.code, ExportResultCode.FAILED);
    assert.match(String(refused.error), /queue full/);
    assert.equal((await inFlight).code, ExportResultCode.FAILED);
    assert.equal((await queued).code, ExportResultCode.FAILED);
    assert.equal(exporter.stats().droppedRecords, 3);
  } finally {
    await exporter.shutdown();
  }
});

test('shutdown is safe twice, fails later exports, and forceFlush resolves', async () => {
  const { pull, endpoint } = await pullSocket();
  const exporter = new ZmqLogRecordExporter({ endpoint });
  await exporter.forceFlush();
  assert.equal((await exportOnce(exporter, records(2))).code, ExportResultCode.SUCCESS);
  await exporter.forceFlush();
  const p1 = exporter.shutdown();
  const p2 = exporter.shutdown();
  assert.equal(p1, p2);
  await p1;
  await exporter.shutdown();
  await exporter.forceFlush();
  const after = await exportOnce(exporter, records(3));
  assert.equal(after.code, ExportResultCode.FAILED);
  assert.match(String(after.error), /after shutdown/);
  assert.equal(exporter.stats().droppedRecords, 3);
  assert.equal((await receive(pull)).entries.length, 2);
  pull.close();
});

test('shutdown with a send blocked on a missing collector keeps its deadline and counts the records', async () => {
  const exporter = new ZmqLogRecordExporter({ endpoint: `tcp://127.0.0.1:${await deadPort()}`, sendTimeoutMs: 5000, warnOnDrop: false });
  const pending = exportOnce(exporter, records(2));
  const t0 = performance.now();
  await exporter.shutdown({ timeoutMillis: 300 });
  assert.ok(performance.now() - t0 < 2000, `shutdown took ${(performance.now() - t0).toFixed(0)} ms`);
  assert.equal((await pending).code, ExportResultCode.FAILED);
  assert.equal(exporter.stats().droppedRecords, 2);
  assert.equal(exporter.stats().droppedBy.shutdown, 2);
});

test('an unencodable record is dropped alone; its batch-mates are sent', async () => {
  const { pull, endpoint } = await pullSocket();
  const exporter = new ZmqLogRecordExporter({ endpoint });
  try {
    const result = await exportOnce(exporter, oneUnencodableAmongTwo());
    assert.equal(result.code, ExportResultCode.FAILED, 'the caller learns that a record was lost');
    assert.equal((result.error as { droppedRecords?: number }).droppedRecords, 1, 'and that it was one record, not the batch');
    const m = await receive(pull);
    assert.deepEqual(m.entries.map((e) => e.message), ['good 1', 'good 2']);
    assert.equal(exporter.stats().droppedRecords, 1);
    assert.equal(exporter.stats().sentRecords, 2);
  } finally {
    await exporter.shutdown();
    pull.close();
  }
});

for (const encoding of ENCODINGS) {
  test(`a batch encoded ahead (prepare, then exportPrepared) is sent and counted as export() would (encoding ${encoding})`, async () => {
    const { pull, endpoint } = await pullSocket();
    const exporter = new ZmqLogRecordExporter({ endpoint, encoding });
    try {
      const first = exporter.prepare(oneUnencodableAmongTwo());
      const second = exporter.prepare(records(2));
      assert.equal(exporter.stats().droppedRecords, 0, 'the unencodable record is counted when its batch is exported, not before');
      // exported in the other order: the envelope's seq is stamped at hand-off, not when encoded
      const secondResult = await new Promise<ExportResult>((resolve) => exporter.exportPrepared(second, resolve));
      assert.equal(secondResult.code, ExportResultCode.SUCCESS);
      const result = await new Promise<ExportResult>((resolve) => exporter.exportPrepared(first, resolve));
      assert.equal(result.code, ExportResultCode.FAILED);
      assert.equal((result.error as { droppedRecords?: number }).droppedRecords, 1);
      const a = await receive(pull);
      const b = await receive(pull);
      assert.deepEqual([a.meta.seq, a.entries.map((e) => e.message)], [1, ['r0', 'r1']]);
      assert.deepEqual([b.meta.seq, b.entries.map((e) => e.message)], [2, ['good 1', 'good 2']]);
      assert.deepEqual([exporter.stats().sentRecords, exporter.stats().droppedRecords, exporter.stats().droppedBy.unencodable], [4, 1, 1]);
      // after shutdown nothing is encoded ahead, and the batch is counted as export() counts it
      await exporter.shutdown();
      const late = exporter.prepare(records(3));
      const lateResult = await new Promise<ExportResult>((resolve) => exporter.exportPrepared(late, resolve));
      assert.equal((lateResult.error as { droppedRecords?: number }).droppedRecords, 3);
      assert.equal(exporter.stats().droppedBy.shutdown, 3);
    } finally {
      await exporter.shutdown();
      pull.close();
    }
  });
}

test('bad options are reported together at construction', () => {
  assert.throws(
    () => new ZmqLogRecordExporter({ endpoint: ['127.0.0.1:5010'], system: 'X' as never, sendTimeoutMs: -5, maxMessageBytes: 1.5, sendHighWaterMark: 0 }),
    (err: Error) => {
      assert.match(err.message, /endpoint: "127\.0\.0\.1:5010"/);
      assert.match(err.message, /system: "X"/);
      assert.match(err.message, /sendTimeoutMs: -5/);
      assert.match(err.message, /maxMessageBytes: 1\.5/);
      assert.match(err.message, /sendHighWaterMark: 0 is not an integer >= 1/);
      return true;
    },
  );
});

test('a collector that is behind at shutdown: every record is either received or counted as dropped, none both', async () => {
  // A PULL that reads nothing until the exporter is closed: ZeroMQ's and TCP's
  // buffers fill, and the shutdown deadline passes with messages still queued.
  const pull = new Pull({ linger: 0, receiveHighWaterMark: 2, receiveTimeout: 1500 });
  await pull.bind('tcp://127.0.0.1:*');
  const exporter = new ZmqLogRecordExporter({ endpoint: pull.lastEndpoint!, sendTimeoutMs: 30_000, warnOnDrop: false });
  const batch = records(200, { pad: 'p'.repeat(2000) }); // ~420 KB per message
  const total = 40 * batch.length;
  const results: Promise<ExportResult>[] = [];
  try {
    await sleep(200);
    for (let i = 0; i < 40; i++) results.push(exportOnce(exporter, batch));
    await sleep(300);
    await exporter.shutdown({ timeoutMillis: 300 });
    await Promise.all(results);
    let received = 0;
    let lastSeq = 0;
    for (;;) {
      let m;
      try {
        m = await receive(pull);
      } catch {
        break;
      }
      received += m.entries.length;
      assert.equal(m.meta.seq, lastSeq + 1, 'no sequence gap: what the producer sent, the collector got');
      lastSeq = m.meta.seq!;
    }
    const s = exporter.stats();
    const detail = `sent ${s.sentRecords}, received ${received}, dropped ${s.droppedRecords}, in doubt ${s.inDoubtRecords}`;
    assert.ok(s.droppedRecords > 0, 'the deadline passed with records undelivered');
    // Every record is sent, dropped or (at most two messages: the one in the pipe and
    // the one being written) in doubt; the collector got every sent record, and of
    // the in-doubt messages some, all or none, nothing else.
    assert.equal(s.sentRecords + s.droppedRecords + s.inDoubtRecords, total, detail);
    assert.ok(s.inDoubtRecords <= 2 * batch.length, detail);
    assert.ok(received >= s.sentRecords && received <= s.sentRecords + s.inDoubtRecords && (received - s.sentRecords) % batch.length === 0, detail);
  } finally {
    pull.close();
  }
});

test('a collector that keeps up: shutdown delivers everything and ends the stream with an empty batch', async () => {
  const { pull, endpoint } = await pullSocket();
  const exporter = new ZmqLogRecordExporter({ endpoint, producerId: 'tail' });
  await sleep(100);
  for (let i = 0; i < 5; i++) assert.equal((await exportOnce(exporter, records(100))).code, ExportResultCode.SUCCESS);
  await exporter.shutdown();
  const seen: Array<[number, number]> = [];
  for (let i = 0; i < 6; i++) {
    const m = await receive(pull);
    seen.push([m.meta.seq!, m.entries.length]);
  }
  assert.deepEqual(seen, [[1, 100], [2, 100], [3, 100], [4, 100], [5, 100], [6, 0]]);
  assert.equal(exporter.stats().sentRecords, 500);
  assert.equal(exporter.stats().droppedRecords, 0);
  assert.equal(exporter.stats().inDoubtRecords, 0);
  pull.close();
});

test('a collector that stops reading: after one send timeout records are dropped at once, counted; when it reads again they flow', async () => {
  const pull = new Pull({ linger: 0, receiveHighWaterMark: 1, receiveTimeout: 3000 });
  await pull.bind('tcp://127.0.0.1:*');
  const exporter = new ZmqLogRecordExporter({ endpoint: pull.lastEndpoint!, sendTimeoutMs: 300, warnOnDrop: false });
  try {
    await sleep(200);
    const big = records(200, { pad: 'p'.repeat(5000) }); // ~1 MB per message: TCP buffers fill fast
    const t0 = performance.now();
    for (let i = 0; i < 30; i++) await exportOnce(exporter, big);
    const s = exporter.stats();
    assert.ok(s.droppedBy.timeout > 0, JSON.stringify(s.droppedBy));
    assert.ok(performance.now() - t0 < 10_000, 'one timeout, not one per batch');
    // It reads again: the probe sees it, the next messages go through.
    let got = 0;
    const reading = (async () => {
      for (;;) {
        try {
          got += (await receive(pull)).entries.length;
        } catch {
          return;
        }
      }
    })();
    const t1 = performance.now();
    while (!exporter.stats().collectorReachable && performance.now() - t1 < 5000) await sleep(20);
    assert.equal((await exportOnce(exporter, records(3))).code, ExportResultCode.SUCCESS);
    await exporter.shutdown();
    await reading;
    const end = exporter.stats();
    assert.equal(got, end.sentRecords, JSON.stringify(end));
    assert.equal(end.sentRecords + end.droppedRecords + end.inDoubtRecords, 30 * 200 + 3);
  } finally {
    await exporter.shutdown();
    pull.close();
  }
});
