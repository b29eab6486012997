/**
 * OTLP pass-through: records that came in as OTLP (ZeroMQ encoding O, or the
 * OTLP/HTTP receiver) and reach the `otlp` plugin untouched leave it as the
 * very bytes they came in (minus distlog's batch header; a Resource without
 * `distlog.system` gets the system distlogd gave it, spliced in); a filtered
 * batch is re-encoded. The requests come from the official OpenTelemetry JS
 * SDK and serializer (@opentelemetry/otlp-transformer), whose bytes distlog's
 * encoder would not reproduce: byte equality at the receiving server proves
 * no re-encoding.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync, gzipSync } from 'node:zlib';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { loadConfig, startCollector } from '../../src/collector/index.js';
import { decodeMessage, encodeOtlp, type LogEntry } from '../../src/protocol/index.js';
import { otlpSourceRuns, rememberOtlpSource, wantOtlpSources } from '../../src/protocol/otlp-source.js';
import { defaultsOf, type PluginFactory } from '../../src/plugins/api.js';
import { otlpPlugin, OtlpOptionsSchema, OtlpSink, type OtlpOptions } from '../../src/plugins/otlp/index.js';
import { entry, pushSocket, waitFor } from '../collector/helpers.js';
import { plain } from '../protocol/plain.js';

/** An OTLP/HTTP server that keeps every request body (inflated), by path. */
async function otlpServer(): Promise<{ server: Server; url: string; bodies: Map<string, Buffer[]> }> {
  const bodies = new Map<string, Buffer[]>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      const list = bodies.get(req.url!) ?? [];
      list.push(body);
      bodies.set(req.url!, list);
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bodies };
}

const decode = (bytes: Uint8Array, system: 'T' | 'P' = 'T'): LogEntry[] => {
  const d = decodeMessage([Buffer.from(`${system}LO`), bytes]);
  assert.deepEqual(d.errors, []);
  return plain(d.entries);
};

/**
 * The official JS SDK's protobuf bytes of 4 records (INFO, WARN2, ERROR, no
 * severity; two loggers) from a service with no distlog in it; with `system`,
 * its resource ends with a `distlog.system` attribute (written last: where
 * distlogd splices it into a resource that has none).
 */
function officialRequest(system?: string): Buffer {
  const memory = new InMemoryLogRecordExporter();
  const attributes: Record<string, string | number> = { 'service.name': 'checkout', 'process.pid': 4242 };
  if (system) attributes['distlog.system'] = system;
  const provider = new LoggerProvider({ resource: resourceFromAttributes(attributes), processors: [new SimpleLogRecordProcessor({ exporter: memory })] });
  const ctx = trace.setSpanContext(ROOT_CONTEXT, { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED });
  const a = provider.getLogger('shop.payments', '1.8.0');
  const b = provider.getLogger('shop.plain');
  a.emit({ timestamp: [1795568645, 1000], observedTimestamp: [1795568646, 1000], severityNumber: SeverityNumber.INFO, severityText: 'INFO', body: { order: 'A-17', paid: true }, attributes: { 'user.id': 'leo' }, context: ctx });
  a.emit({ timestamp: [1795568645, 2000], observedTimestamp: [1795568646, 2000], severityNumber: SeverityNumber.WARN2, body: 'no severity text here', context: ctx });
  b.emit({ timestamp: [1795568645, 3000], observedTimestamp: [1795568646, 3000], severityNumber: SeverityNumber.ERROR, severityText: 'ERROR', body: 'card declined' });
  b.emit({ timestamp: [1795568645, 4000], observedTimestamp: [1795568646, 4000], body: 'no severity at all' });
  return Buffer.from(ProtobufLogsSerializer.serializeRequest(memory.getFinishedLogRecords())!);
}

test('otlp plugin: OTLP that came in untouched (ZeroMQ O and OTLP/HTTP) is forwarded byte for byte, its system spliced in; a filtered batch is re-encoded', { timeout: 60_000 }, async () => {
  const fake = await otlpServer();
  const sinks = new Map<string, OtlpSink>();
  const capturing: PluginFactory = { ...otlpPlugin, create: (o, ctx) => { const s = otlpPlugin.create(o as OtlpOptions, ctx) as OtlpSink; sinks.set(ctx.name, s); return s; } };
  const text = [
    'receiver:',
    '  endpoints: ["tcp://127.0.0.1:*"]',
    "  otlpHttp: { enabled: true, endpoint: '127.0.0.1:0', system: T }",
    'stats: { intervalSeconds: 0 }',
    'plugins:',
    '  - type: otlp',
    '    name: all',
    `    options: { endpoint: ${fake.url}/all/v1/logs }`,
    '  - type: otlp',
    '    name: warn',
    `    options: { endpoint: ${fake.url}/warn/v1/logs, compression: none }`,
    '    filter: { level: WARN }',
  ].join('\n');
  const h = await startCollector(await loadConfig({ text }, { plugins: [capturing], env: {} }), { log: () => {} });
  const push = await pushSocket(h.endpoints[0]!);
  try {
    const request = officialRequest(); // no distlog.system: distlogd gives it T (topic TLO, receiver's system T)
    const withSystem = officialRequest('T'); // the same request, its resource saying T itself
    const sent = decode(request);
    assert.equal(sent.length, 4);
    assert.deepEqual(decode(withSystem), sent);
    assert.ok(!encodeOtlp(sent).equals(withSystem), 'distlog\'s encoder writes these records differently: equal bytes can only come from pass-through');

    // 1. ZeroMQ, encoding O, with distlog's batch header appended (as distlog's exporter sends it)
    const header = encodeOtlp([], { producer: 'passthrough-test', seq: 0 });
    await push.send([Buffer.from('TLO'), Buffer.concat([request, header])]);
    await waitFor('the ZeroMQ request forwarded', () => (fake.bodies.get('/all/v1/logs')?.length ?? 0) >= 1 && (fake.bodies.get('/warn/v1/logs')?.length ?? 0) >= 1);
    // 2. OTLP/HTTP, gzip
    const res = await fetch(`${h.otlpHttpUrl}/v1/logs`, { method: 'POST', body: gzipSync(request), headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' } });
    assert.equal(res.status, 200);
    await res.arrayBuffer();
    await waitFor('the OTLP/HTTP request forwarded', () => (fake.bodies.get('/all/v1/logs')?.length ?? 0) >= 2 && (fake.bodies.get('/warn/v1/logs')?.length ?? 0) >= 2);

    // 3. OTLP/HTTP, a request that names its own system
    const res2 = await fetch(`${h.otlpHttpUrl}/v1/logs`, { method: 'POST', body: withSystem, headers: { 'content-type': 'application/x-protobuf' } });
    assert.equal(res2.status, 200);
    await res2.arrayBuffer();
    await waitFor('the third request forwarded', () => (fake.bodies.get('/all/v1/logs')?.length ?? 0) >= 3 && (fake.bodies.get('/warn/v1/logs')?.length ?? 0) >= 3);

    const all = fake.bodies.get('/all/v1/logs')!;
    assert.equal(all.length, 3);
    assert.ok(all[0]!.equals(withSystem), 'ZeroMQ O payload forwarded as it came, without the batch header, distlog.system spliced in');
    assert.ok(all[1]!.equals(withSystem), 'OTLP/HTTP body forwarded as it came (inflated; the plugin gzips anew), distlog.system spliced in');
    assert.ok(all[2]!.equals(withSystem), 'a request naming its system forwarded as it came');
    assert.deepEqual(sinks.get('all')!.counters().passthroughRecords, 12);
    assert.deepEqual(sinks.get('all')!.counters().encodedRecords, 0);

    // the filtered lane got WARN2 and ERROR of each request: a new request, encoded here
    const warn = fake.bodies.get('/warn/v1/logs')!;
    const severe = sent.filter((e) => e.severity >= 13);
    assert.equal(severe.length, 2);
    for (const body of warn) {
      assert.ok(!body.equals(request));
      assert.deepEqual(decode(body), severe);
    }
    assert.equal(sinks.get('warn')!.counters().passthroughRecords, 0);
    assert.equal(sinks.get('warn')!.counters().encodedRecords, 6);
    // the plugin's `written` is counted when its consume() settles, just after the server answered
    await waitFor('the written counters', () => h.stats().plugins.all!.written >= 12 && h.stats().plugins.warn!.written >= 6);
    assert.equal(h.stats().plugins.all!.written, 12);
    assert.equal(h.stats().plugins.warn!.written, 6);
  } finally {
    push.close();
    await h.stop();
    fake.server.close();
  }
});

test('otlp plugin: a batch mixing whole OTLP requests, a split request and other records keeps its order; only whole requests pass through', async () => {
  const fake = await otlpServer();
  const options = { ...(defaultsOf(OtlpOptionsSchema) as OtlpOptions), endpoint: `${fake.url}/v1/logs`, compression: 'none' as const };
  const sink = new OtlpSink(options, { name: 'otlp', baseDir: '.', logger: { info() {}, warn() {}, error() {} } });
  const release = wantOtlpSources(); // besides the sink's own wish, which shutdown() withdraws
  try {
    const requestA = officialRequest('T');
    const a = decodeMessage([Buffer.from('TLO'), requestA]).entries;
    const requestB = officialRequest('T');
    const b = decodeMessage([Buffer.from('TLO'), requestB]).entries;
    rememberOtlpSource(a, requestA);
    rememberOtlpSource(b, requestB);
    const loose1 = entry({ message: 'before' });
    const loose2 = entry({ message: 'between' });
    // whole A, then half of B: B is re-encoded
    const batch = [loose1, ...a, loose2, ...b.slice(0, 2)];
    const runs = otlpSourceRuns(batch);
    assert.deepEqual(runs.map((r) => ('bytes' in r ? `bytes:${r.count}` : `entries:${r.entries.length}`)), ['entries:1', 'bytes:4', 'entries:3']);
    await sink.consume(batch);
    // two whole requests back to back: one request body, their concatenation
    await sink.consume([...a, ...b]);
    const [mixed, both] = fake.bodies.get('/v1/logs')!;
    assert.deepEqual(decode(mixed!), plain(batch));
    assert.ok(mixed!.includes(requestA), 'request A inside as it came');
    assert.ok(both!.equals(Buffer.concat([requestA, requestB])));
    assert.deepEqual(decode(both!), plain([...a, ...b]));
    assert.deepEqual(sink.counters().passthroughRecords, 12);
    assert.deepEqual(sink.counters().encodedRecords, 4);
    // a batch that never came as OTLP: one encoded request, as before
    const fresh = [entry({ message: 'json-borne' })];
    assert.deepEqual(otlpSourceRuns(fresh), [{ entries: fresh }]);
    // a resource naming a system that is not T/S/P: distlogd used its own, which the bytes do not say: encoded
    const odd = officialRequest('X');
    const x = decodeMessage([Buffer.from('TLO'), odd]).entries;
    rememberOtlpSource(x, odd);
    assert.deepEqual(otlpSourceRuns(x), [{ entries: x }]);
    // with no forwarder left that wants them, receivers keep no request bytes
    await sink.shutdown();
    release();
    const c = decodeMessage([Buffer.from('TLO'), requestA]).entries;
    rememberOtlpSource(c, requestA);
    assert.deepEqual(otlpSourceRuns(c), [{ entries: c }]);
  } finally {
    release();
    await sink.shutdown();
    fake.server.close();
  }
});
