/**
 * distlogd's OTLP/HTTP receiver, driven with node's fetch as an OTLP client
 * would: protobuf and gzip accepted into the router; 415 for another content
 * type; 413 for an oversize body and for a gzip bomb (refused while inflating);
 * 400 with a google.rpc.Status for a payload that is not OTLP; 200 with
 * partial_success naming the refused record. Every refusal is counted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { loadConfig, startCollector, type CollectorHandle } from '../../src/collector/index.js';
import { encodeOtlp } from '../../src/protocol/index.js';
import { Reader } from '../../src/protocol/proto-wire.js';
import type { LogEntry } from '../../src/protocol/log-entry.js';
import { Type, type PluginFactory } from '../../src/plugins/api.js';
import { collectingPlugin, entry, sleep, waitFor } from './helpers.js';

/** Reads the string and varint fields of a small protobuf message (Status, PartialSuccess). */
function fields(buf: Buffer): Map<number, number | Buffer> {
  const r = new Reader(buf);
  const out = new Map<number, number | Buffer>();
  while (r.pos < r.end) {
    const tag = r.uvarint();
    out.set(tag >> 3, (tag & 7) === 0 ? r.uvarint() : r.bytes());
  }
  return out;
}

async function withCollector(extra: string[], fn: (h: CollectorHandle, got: LogEntry[], lines: string[]) => Promise<void>): Promise<void> {
  const got: LogEntry[] = [];
  const lines: string[] = [];
  const text = [
    'receiver:',
    '  endpoints: ["tcp://127.0.0.1:*"]',
    '  otlpHttp:',
    '    enabled: true',
    "    endpoint: '127.0.0.1:0'",
    ...extra.map((l) => `    ${l}`),
    'stats: { intervalSeconds: 0 }',
    'plugins: [{ type: collect }]',
  ].join('\n');
  const handle = await startCollector(await loadConfig({ text }, { plugins: [collectingPlugin(got)], env: {} }), { log: (l) => lines.push(l) });
  try {
    await fn(handle, got, lines);
  } finally {
    await handle.stop();
  }
}

const post = (h: CollectorHandle, body: Uint8Array, headers: Record<string, string>) =>
  fetch(`${h.otlpHttpUrl}/v1/logs`, { method: 'POST', body, headers });

test('OTLP/HTTP receiver: protobuf and gzip protobuf records reach the plugins with trace ids; a record\'s own distlog.system wins over the header', async () => {
  await withCollector([], async (h, got, lines) => {
    assert.match(h.otlpHttpUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(lines.includes(`listening on ${h.otlpHttpUrl}/v1/logs (OTLP/HTTP)`), lines.join('\n'));
    const a = entry({ message: 'plain', system: 'S', task: '0af7651916cd43dd8448eb211c80319c', span: 'b7ad6b7169203331' });
    const r1 = await post(h, encodeOtlp([a]), { 'content-type': 'application/x-protobuf' });
    assert.equal(r1.status, 200);
    assert.equal(r1.headers.get('content-type'), 'application/x-protobuf');
    assert.equal((await r1.arrayBuffer()).byteLength, 0, 'a full success has an empty response');
    const r2 = await post(h, gzipSync(encodeOtlp([entry({ message: 'zipped' })])), {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'gzip',
      'x-distlog-system': 'T',
    });
    assert.equal(r2.status, 200);
    await r2.arrayBuffer();
    await waitFor('two records', () => got.length >= 2);
    assert.deepEqual(got.map((e) => [e.message, e.system, e.kind]), [['plain', 'S', 'L'], ['zipped', 'T', 'L']]);
    assert.equal(got[0]!.task, '0af7651916cd43dd8448eb211c80319c');
    assert.equal(got[0]!.span, 'b7ad6b7169203331');
    const s = h.stats();
    assert.equal(s.otlpHttp?.records, 2);
    assert.equal(s.otlpHttp?.requests, 2);
    assert.deepEqual(s.badInput, {});
  });
});

test('OTLP/HTTP receiver: 415 for JSON/text, 400 with a Status for a non-OTLP body; counted', async () => {
  await withCollector([], async (h, got) => {
    const r1 = await post(h, Buffer.from('hello'), { 'content-type': 'text/plain' });
    assert.equal(r1.status, 415);
    const st1 = fields(Buffer.from(await r1.arrayBuffer()));
    assert.match((st1.get(2) as Buffer).toString(), /unsupported content type "text\/plain"/);

    const r2 = await post(h, Buffer.from([0x0a, 0x50, 0x01]), { 'content-type': 'application/x-protobuf' });
    assert.equal(r2.status, 400);
    const st2 = fields(Buffer.from(await r2.arrayBuffer()));
    assert.equal(st2.get(1), 3, 'google.rpc.Code INVALID_ARGUMENT');
    assert.match((st2.get(2) as Buffer).toString(), /^not an ExportLogsServiceRequest: /);

    const r3 = await post(h, Buffer.from('not gzip'), { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' });
    assert.equal(r3.status, 400);
    await r3.arrayBuffer();
    await sleep(20);
    assert.equal(got.length, 0);
    const s = h.stats();
    assert.deepEqual(s.badInput, { encoding: 2, schema: 1 });
    assert.equal(s.otlpHttp?.refusedRequests, 3);
  });
});

test('OTLP/HTTP receiver: 413 for a body over maxBodyBytes and for a gzip bomb; good requests still pass', async () => {
  await withCollector(['maxBodyBytes: 4096', 'maxDecompressedBytes: 65536'], async (h, got, lines) => {
    const big = encodeOtlp([entry({ message: 'x'.repeat(10_000) })]);
    const r1 = await post(h, big, { 'content-type': 'application/x-protobuf' });
    assert.equal(r1.status, 413);
    assert.match((fields(Buffer.from(await r1.arrayBuffer())).get(2) as Buffer).toString(), /exceeds receiver\.otlpHttp\.maxBodyBytes 4096/);

    // 10 MB of zeros gzip to about 10 KB... keep the zipped body under 4 KB: 3 MB of zeros.
    const bomb = gzipSync(Buffer.alloc(3 * 1024 * 1024));
    assert.ok(bomb.length < 4096, `bomb is ${bomb.length} bytes`);
    const r2 = await post(h, bomb, { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' });
    assert.equal(r2.status, 413);
    assert.match((fields(Buffer.from(await r2.arrayBuffer())).get(2) as Buffer).toString(), /inflates past receiver\.otlpHttp\.maxDecompressedBytes 65536/);

    const r3 = await post(h, encodeOtlp([entry({ message: 'after' })]), { 'content-type': 'application/x-protobuf' });
    assert.equal(r3.status, 200);
    await r3.arrayBuffer();
    await waitFor('the good record', () => got.length >= 1);
    assert.deepEqual(got.map((e) => e.message), ['after']);
    assert.deepEqual(h.stats().badInput, { size: 2 });
    assert.ok(lines.some((l) => l.startsWith('bad input [size]') && l.includes('OTLP/HTTP 413')), lines.join('\n'));
  });
});

test('OTLP/HTTP receiver: a record nested too deep is refused alone, reported in partial_success', async () => {
  await withCollector([], async (h, got) => {
    let deep: unknown = 'x';
    for (let i = 0; i < 40; i++) deep = { a: deep };
    const body = encodeOtlp([entry({ message: 'poison', attributes: { deep } }), entry({ message: 'neighbour' })]);
    const r = await post(h, body, { 'content-type': 'application/x-protobuf' });
    assert.equal(r.status, 200);
    const partial = fields(fields(Buffer.from(await r.arrayBuffer())).get(1) as Buffer);
    assert.equal(partial.get(1), 1, 'rejected_log_records');
    assert.match((partial.get(2) as Buffer).toString(), /^log record 0 refused: /);
    await waitFor('the neighbour', () => got.length >= 1);
    assert.deepEqual(got.map((e) => e.message), ['neighbour']);
    assert.equal(h.stats().otlpHttp?.rejectedRecords, 1);
    assert.deepEqual(h.stats().badInput, { entry: 1 });
  });
});

const jsonRequest = (records: unknown[]) => ({
  resourceLogs: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'py-svc' } }, { key: 'pid', value: { intValue: '4242' } }] },
      scopeLogs: [{ scope: { name: 'orders', version: '2.0' }, logRecords: records }],
    },
  ],
});

test('OTLP/HTTP receiver: OTLP/JSON (hex ids, enum ints, int64 strings, nested values) becomes the same LogEntry; JSON answers in JSON', async () => {
  await withCollector([], async (h, got) => {
    const record = {
      timeUnixNano: '1795568645885001000',
      severityNumber: 17,
      severityText: 'ERROR',
      body: { stringValue: 'payment failed' },
      attributes: [
        { key: 'order.id', value: { stringValue: 'o-7' } },
        { key: 'amount', value: { doubleValue: 12.5 } },
        { key: 'retries', value: { intValue: '3' } },
        { key: 'ok', value: { boolValue: false } },
        { key: 'tags', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: 2 }] } } },
        { key: 'ctx', value: { kvlistValue: { values: [{ key: 'k', value: { stringValue: 'v' } }] } } },
      ],
      traceId: '5B8EFFF798038103D269B633813FC60C',
      spanId: 'eee19b7ec3c1b174',
      flags: 1,
    };
    const r = await post(h, Buffer.from(JSON.stringify(jsonRequest([record]))), { 'content-type': 'application/json', 'x-distlog-system': 'S' });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/json');
    assert.deepEqual(await r.json(), {});
    await waitFor('the record', () => got.length >= 1);
    const e = got[0]!;
    assert.deepEqual(
      [e.message, e.severity, e.level, e.logger, e.loggerVersion, e.task, e.span, e.traceFlags, e.timeUnixNano, e.system, e.kind],
      ['payment failed', 17, 'ERROR', 'orders', '2.0', '5b8efff798038103d269b633813fc60c', 'eee19b7ec3c1b174', 1, '1795568645885001000', 'S', 'L'],
    );
    assert.deepEqual(JSON.parse(JSON.stringify(e.attributes)), { 'order.id': 'o-7', amount: 12.5, retries: 3, ok: false, tags: ['a', 2], ctx: { k: 'v' } });
    assert.equal(e.resource['service.name'], 'py-svc');
    assert.equal(e.resource.pid, 4242);
  });
});

test('OTLP/HTTP receiver: malformed OTLP/JSON gets 400 with a JSON Status naming the field; a bad id alone is a partial_success', async () => {
  await withCollector([], async (h, got) => {
    const r1 = await post(h, Buffer.from('{"resourceLogs": ['), { 'content-type': 'application/json' });
    assert.equal(r1.status, 400);
    const st1 = (await r1.json()) as { code: number; message: string };
    assert.equal(st1.code, 3);
    assert.match(st1.message, /^not an OTLP\/JSON ExportLogsServiceRequest: /);

    const r2 = await post(h, Buffer.from(JSON.stringify(jsonRequest([{ body: { stringValue: 'x' }, spanId: 'xyz' }]))), { 'content-type': 'application/json' });
    assert.equal(r2.status, 400);
    assert.equal(((await r2.json()) as { message: string }).message, 'not an OTLP/JSON ExportLogsServiceRequest: resourceLogs[0].scopeLogs[0].logRecords[0].spanId: expected 16 hex digits');

    let deep: unknown = { stringValue: 'x' };
    for (let i = 0; i < 40; i++) deep = { kvlistValue: { values: [{ key: 'a', value: deep }] } };
    const r3 = await post(h, gzipSync(JSON.stringify(jsonRequest([{ body: { stringValue: 'poison' }, attributes: [{ key: 'deep', value: deep }] }, { body: { stringValue: 'fine' } }]))), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    assert.equal(r3.status, 200);
    const body = (await r3.json()) as { partialSuccess: { rejectedLogRecords: string; errorMessage: string } };
    assert.equal(body.partialSuccess.rejectedLogRecords, '1');
    assert.match(body.partialSuccess.errorMessage, /^log record 0 refused: /);
    await waitFor('the fine record', () => got.length >= 1);
    assert.deepEqual(got.map((e) => e.message), ['fine']);
    assert.deepEqual(h.stats().badInput, { json: 2, entry: 1 });
  });
});

test('OTLP/HTTP receiver: while a blocking plugin queue is full, 503 with Retry-After (body unread), counted; 200 again once it drains', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const got: LogEntry[] = [];
  const blocker: PluginFactory = {
    type: 'blocker',
    configSchema: Type.Object({}, { additionalProperties: false }),
    create: () => ({ start() {}, consume: async (b) => { await gate; got.push(...b); }, flush() {}, shutdown() {} }),
  };
  const text = [
    'receiver:',
    '  endpoints: ["tcp://127.0.0.1:*"]',
    "  otlpHttp: { enabled: true, endpoint: '127.0.0.1:0', retryAfterSeconds: 2 }",
    'stats: { intervalSeconds: 0 }',
    'plugins:',
    '  - type: blocker',
    '    queue: { maxEntries: 5, batchMaxEntries: 5, whenFull: block, blockTimeoutMs: 600000, consumeTimeoutMs: 0 }',
  ].join('\n');
  const h = await startCollector(await loadConfig({ text }, { plugins: [blocker], env: {} }), { log: () => {} });
  try {
    const five = (tag: string) => encodeOtlp(Array.from({ length: 5 }, (_, i) => entry({ message: `${tag} ${i}` })));
    const proto = { 'content-type': 'application/x-protobuf' };
    // 1st: taken into the (hanging) consume(); 2nd: fills the queue; 3rd and 4th: refused
    for (const tag of ['a', 'b']) {
      const r = await post(h, five(tag), proto);
      assert.equal(r.status, 200);
      await r.arrayBuffer();
    }
    assert.equal(h.stats().plugins.blocker!.queued, 5);
    const r3 = await post(h, five('c'), proto);
    assert.equal(r3.status, 503);
    assert.equal(r3.headers.get('retry-after'), '2');
    const status = fields(Buffer.from(await r3.arrayBuffer()));
    assert.equal(status.get(1), 14, 'google.rpc.Code UNAVAILABLE');
    assert.match((status.get(2) as Buffer).toString(), /backpressure/);
    const r4 = await post(h, Buffer.from(JSON.stringify({ resourceLogs: [] })), { 'content-type': 'application/json' });
    assert.equal(r4.status, 503);
    assert.equal(r4.headers.get('content-type'), 'application/json');
    assert.equal(((await r4.json()) as { code: number }).code, 14);
    let c = h.stats().otlpHttp!;
    assert.equal(c.throttledRequests, 2);
    assert.equal(c.records, 10, 'refused requests brought no records in');
    assert.deepEqual(h.stats().badInput, {}, 'backpressure is not bad input');

    release();
    await waitFor('the queue drained', () => got.length === 10);
    const r5 = await post(h, five('d'), proto);
    assert.equal(r5.status, 200);
    await r5.arrayBuffer();
    await waitFor('the last batch written', () => got.length === 15);
    c = h.stats().otlpHttp!;
    assert.equal(c.throttledRequests, 2);
    assert.deepEqual(got.map((e) => e.message[0]).join(''), 'aaaaabbbbbddddd');
  } finally {
    release();
    await h.stop();
  }
});
