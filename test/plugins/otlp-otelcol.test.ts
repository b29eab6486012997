/**
 * The `otlp` plugin and the OTLP/HTTP receiver against a real OpenTelemetry
 * Collector (built by scripts/install.sh):
 * (a) distlogd (ZeroMQ in) → otlp plugin → the Collector → its file exporter's
 *     OTLP JSON: every record with its trace/span ids, severity, body,
 *     attributes (distlog.* included), resource and scope;
 * (b) a test client → the Collector → its otlphttp exporter → distlogd's
 *     OTLP/HTTP receiver → the plugins: the records arrive whole;
 * (c) distlog's SDK (ZeroMQ, encoding O) → distlogd → otlp plugin, passed
 *     through without re-encoding → the Collector: the scope facts are there as
 *     distlog.* attributes beside the native trace/span ids.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadConfig, startCollector } from '../../src/collector/index.js';
import { encodeOtlp } from '../../src/protocol/index.js';
import type { LogEntry } from '../../src/protocol/log-entry.js';
import { BUILTIN_PLUGINS } from '../../src/cli/components.js';
import type { PluginFactory } from '../../src/plugins/api.js';
import { collectingPlugin, entry, goodMessage, pushSocket, waitFor } from '../collector/helpers.js';
import { attrs, Otelcol } from '../helpers/otelcol.js';
import { getLogger, register, task, to } from '../../src/sdk/index.js';
import { ZmqLogRecordExporter } from '../../src/exporter/index.js';
import { otlpPlugin, type OtlpOptions, type OtlpSink } from '../../src/plugins/otlp/index.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

function records(): LogEntry[] {
  return Array.from({ length: 5 }, (_, i) =>
    entry({
      message: `record ${i}`,
      level: i === 3 ? 'WARN' : 'INFO',
      severity: i === 3 ? 13 : 9,
      logger: 'shop.checkout',
      task: TRACE,
      span: `00f067aa0ba902b${i}`,
      key: `/${TRACE}/00f067aa0ba902b${i}`,
      attributes: { 'order.id': `o-${i}`, attempt: i },
      resource: { 'service.name': 'checkout', 'service.version': '1.2.3' },
    }),
  );
}

/** A record's distlog key from the fields it travels in: <seq>@<trace id>[/<path>]. */
function keyOf(a: Record<string, unknown>, traceId: string): string {
  const path = String(a['distlog.path']);
  return `${String(a['distlog.seq'])}@${traceId}${path === '' ? '' : `/${path}`}`;
}

for (const encoding of ['protobuf', 'json'] as const) test(`otlp plugin (${encoding}) → a real OpenTelemetry Collector: every record with ids, severity, body, attributes, resource, scope`, { timeout: 120_000 }, async () => {
  const col = await Otelcol.start();
  const lines: string[] = [];
  const text = [
    'receiver: { endpoints: ["tcp://127.0.0.1:*"] }',
    'stats: { intervalSeconds: 0 }',
    'plugins:',
    '  - type: otlp',
    '    options:',
    `      endpoint: ${col.logsUrl}`,
    '      headers: { x-test-token: secret }',
    `      encoding: ${encoding}`,
  ].join('\n');
  const handle = await startCollector(await loadConfig({ text }, { plugins: BUILTIN_PLUGINS, env: {} }), { log: (l) => lines.push(l) });
  const push = await pushSocket(handle.endpoints[0]!);
  try {
    const sent = records();
    await push.send(goodMessage(sent, 'T'));
    await waitFor('5 records in the Collector\'s file', () => col.fileRecords().length >= 5, 60_000).catch((err: Error) => { throw new Error(`${err.message}\n${lines.join('\n')}\n${col.log}`); });
    const got = col.fileRecords();
    assert.equal(got.length, 5, col.log);
    got.sort((a, b) => a.record.body!.stringValue!.localeCompare(b.record.body!.stringValue!));
    for (let i = 0; i < 5; i++) {
      const { record, resource, scope } = got[i]!;
      assert.equal(record.body?.stringValue, `record ${i}`);
      assert.equal(record.traceId, TRACE);
      assert.equal(record.spanId, `00f067aa0ba902b${i}`);
      assert.equal(record.severityNumber, i === 3 ? 13 : 9);
      assert.equal(record.severityText, i === 3 ? 'WARN' : 'INFO');
      assert.equal(record.timeUnixNano, sent[i]!.timeUnixNano);
      const a = attrs(record.attributes);
      assert.equal(a['order.id'], `o-${i}`);
      assert.equal(a.attempt, i);
      assert.equal(a['distlog.key'], `/${TRACE}/00f067aa0ba902b${i}`);
      const r = attrs(resource);
      assert.equal(r['service.name'], 'checkout');
      assert.equal(r['service.version'], '1.2.3');
      assert.equal(scope.name, 'shop.checkout');
    }
    const stats = handle.stats();
    assert.equal(stats.plugins.otlp!.written, 5);
    assert.equal(stats.plugins.otlp!.dropped, 0);
  } finally {
    push.close();
    await handle.stop();
    await col.stop();
  }
});

test('a real OpenTelemetry Collector\'s otlphttp exporter → distlogd\'s OTLP/HTTP receiver: the records arrive', { timeout: 120_000 }, async () => {
  const got: LogEntry[] = [];
  const collect = collectingPlugin(got);
  const text = [
    'receiver:',
    '  endpoints: ["tcp://127.0.0.1:*"]',
    "  otlpHttp: { enabled: true, endpoint: '127.0.0.1:0' }",
    'stats: { intervalSeconds: 0 }',
    'plugins: [{ type: collect }]',
  ].join('\n');
  const handle = await startCollector(await loadConfig({ text }, { plugins: [collect], env: {} }), { log: () => {} });
  const col = await Otelcol.start({ forwardTo: `${handle.otlpHttpUrl}/v1/logs` });
  try {
    const sent = records();
    const res = await fetch(col.logsUrl, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: encodeOtlp(sent) });
    assert.equal(res.status, 200);
    await res.arrayBuffer();
    await waitFor('5 records at distlogd', () => got.length >= 5, 60_000);
    assert.equal(got.length, 5, col.log);
    got.sort((a, b) => a.message.localeCompare(b.message));
    for (let i = 0; i < 5; i++) {
      const e = got[i]!;
      assert.equal(e.message, `record ${i}`);
      assert.equal(e.task, TRACE);
      assert.equal(e.span, `00f067aa0ba902b${i}`);
      assert.equal(e.key, `/${TRACE}/00f067aa0ba902b${i}`);
      assert.equal(e.severity, i === 3 ? 13 : 9);
      assert.equal(e.logger, 'shop.checkout');
      assert.deepEqual({ ...e.attributes }, { 'order.id': `o-${i}`, attempt: i });
      assert.equal(e.resource['service.name'], 'checkout');
      assert.equal(e.system, 'T', 'the records\' own distlog.system survives the Collector');
    }
    assert.equal(handle.stats().otlpHttp?.records, 5);
    assert.deepEqual(handle.stats().badInput, {});
  } finally {
    await col.stop();
    await handle.stop();
  }
});

test('the Collector\'s own OTLP/JSON (its file exporter\'s lines) POSTed to distlogd\'s receiver as application/json: the same records', { timeout: 120_000 }, async () => {
  const col = await Otelcol.start();
  const got: LogEntry[] = [];
  const collect = collectingPlugin(got);
  const text = ['receiver:', '  endpoints: ["tcp://127.0.0.1:*"]', "  otlpHttp: { enabled: true, endpoint: '127.0.0.1:0' }", 'stats: { intervalSeconds: 0 }', 'plugins: [{ type: collect }]'].join('\n');
  const handle = await startCollector(await loadConfig({ text }, { plugins: [collect], env: {} }), { log: () => {} });
  try {
    const sent = records();
    const res = await fetch(col.logsUrl, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: encodeOtlp(sent) });
    assert.equal(res.status, 200);
    await res.arrayBuffer();
    await waitFor('5 records in the Collector\'s file', () => col.fileRecords().length >= 5, 60_000);
    for (const line of readFileSync(col.filePath, 'utf8').split('\n').filter((l) => l.trim() !== '')) {
      const r = await fetch(`${handle.otlpHttpUrl}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: line });
      assert.equal(r.status, 200);
      assert.deepEqual(await r.json(), {});
    }
    await waitFor('5 records at distlogd', () => got.length >= 5, 30_000);
    const plain = (e: LogEntry) => JSON.parse(JSON.stringify(e)) as unknown;
    got.sort((a, b) => a.message.localeCompare(b.message));
    assert.deepEqual(got.map(plain), sent.map(plain));
  } finally {
    await handle.stop();
    await col.stop();
  }
});

test('distlog SDK (ZeroMQ O) → distlogd → otlp plugin, passed through unchanged → a real Collector: scope facts as distlog.* attributes, native ids', { timeout: 120_000 }, async () => {
  const col = await Otelcol.start();
  let sink: OtlpSink | undefined;
  const capturing: PluginFactory = { ...otlpPlugin, create: (o, ctx) => (sink = otlpPlugin.create(o as OtlpOptions, ctx) as OtlpSink) };
  const text = [
    'receiver: { endpoints: ["tcp://127.0.0.1:*"] }',
    'stats: { intervalSeconds: 0 }',
    'plugins:',
    '  - type: otlp',
    `    options: { endpoint: ${col.logsUrl} }`,
  ].join('\n');
  const lines: string[] = [];
  const handle = await startCollector(await loadConfig({ text }, { plugins: [capturing], env: {} }), { log: (l) => lines.push(l) });
  const app = register({ serviceName: 'orders', exporters: [new ZmqLogRecordExporter({ endpoint: handle.endpoints[0]!, system: 'T' })] });
  try {
    const log = getLogger('orders.http');
    let taskId = '';
    await task('order %s', 'A-1', { user: 'leo' }, async () => {
      await to('reserve stock', async () => {
        log.warn('low stock', { sku: 42 });
      });
    });
    await app.shutdown();
    await waitFor('5 records in the Collector\'s file', () => col.fileRecords().length >= 5, 60_000).catch((err: Error) => { throw new Error(`${err.message}\n${lines.join('\n')}\n${col.log}`); });
    const got = col.fileRecords();
    assert.equal(got.length, 5);
    assert.equal(sink!.counters().passthroughRecords, 5, 'the exporter\'s payloads went on as they came');
    assert.equal(sink!.counters().encodedRecords, 0);
    const facts = got.map(({ record, resource, scope }) => {
      const a = attrs(record.attributes);
      taskId ||= record.traceId!;
      assert.equal(record.traceId, taskId, 'every record carries the task id as its native trace id');
      assert.match(String(record.spanId), /^[0-9a-f]{16}$/);
      assert.equal(attrs(resource)['service.name'], 'orders');
      assert.equal(attrs(resource)['distlog.system'], 'T');
      assert.ok(scope.name, 'the logger is the instrumentation scope');
      // distlog's exporter leaves distlog.key out (it is <distlog.seq>@<trace id>/<distlog.path>)
      assert.equal(a['distlog.key'], undefined);
      return `${keyOf(a, record.traceId!)} ${a['distlog.event'] ?? '-'} ${record.body?.stringValue}`;
    });
    assert.deepEqual(facts.sort(), [
      `0@${taskId} enter order A-1`,
      `0@${taskId}/1 enter reserve stock`,
      `1@${taskId}/1 - low stock`,
      `1@${taskId} exit order A-1`,
      `2@${taskId}/1 exit reserve stock`,
    ].sort());
    const warn = got.find((r) => r.record.body?.stringValue === 'low stock')!;
    assert.equal(warn.record.severityNumber, 13);
    assert.equal(attrs(warn.record.attributes).sku, 42);
    assert.equal(attrs(warn.record.attributes)['distlog.path'], '1');
    const enterTask = got.find((r) => keyOf(attrs(r.record.attributes), taskId) === `0@${taskId}`)!;
    assert.equal(attrs(enterTask.record.attributes).user, 'leo');
  } finally {
    await app.shutdown();
    await handle.stop();
    await col.stop();
  }
});
