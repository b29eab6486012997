/**
 * Runs otel-examples/beside-otel-collector against a real OpenTelemetry
 * Collector (built by scripts/install.sh; file exporter) and distlogd
 * (ZeroMQ in, file plugin, `otlp` plugin to the same Collector):
 * - app.ts: the Collector gets the app's Logs-API records from the app's own
 *   OTLP exporter and distlog's records forwarded by distlogd, all with the
 *   task id as trace id; distlogd's file has distlog's records as one task tree;
 * - dual-exporter.ts: register() with distlog's exporter and the standard
 *   OTLP/HTTP exporter: distlogd and the Collector each get every record, the same.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, startCollector, type CollectorHandle } from '../../src/collector/index.js';
import { BUILTIN_PLUGINS } from '../../src/cli/components.js';
import type { LogEntry } from '../../src/protocol/log-entry.js';
import { buildTrees, FileRecordSource } from '../../src/viewer/index.js';
import { waitFor } from '../collector/helpers.js';
import { attrs, Otelcol } from '../helpers/otelcol.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** distlogd with the file plugin, and (when given) the otlp plugin to `forwardTo`. */
async function distlogd(dir: string, forwardTo?: string): Promise<CollectorHandle> {
  const text = [
    'receiver: { endpoints: ["tcp://127.0.0.1:*"] }',
    'stats: { intervalSeconds: 0 }',
    'plugins:',
    '  - type: file',
    `    options: { directory: ${JSON.stringify(dir)}, fsync: batch }`,
    ...(forwardTo ? ['  - type: otlp', `    options: { endpoint: ${forwardTo} }`] : []),
  ].join('\n');
  return startCollector(await loadConfig({ text }, { plugins: BUILTIN_PLUGINS, env: {} }), { log: () => {} });
}

async function runApp(file: string, env: Record<string, string>): Promise<void> {
  const child = spawn(process.execPath, ['--conditions=distlog-src', '--import', 'tsx', `otel-examples/beside-otel-collector/${file}`], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  assert.equal(code, 0, `${file} ran to its end`);
}

async function fileRecords(dir: string): Promise<LogEntry[]> {
  const out: LogEntry[] = [];
  for await (const e of new FileRecordSource([dir]).records((p) => assert.fail(`${p.where}: ${p.message}`))) out.push(e);
  return out;
}

it('beside an existing OTLP pipeline: the Collector gets the app\'s own records and distlogd\'s forwarded ones, one trace id; distlogd\'s file has the tree', { timeout: 120_000 }, async () => {
  const col = await Otelcol.start();
  const dir = mkdtempSync(join(tmpdir(), 'distlog-beside-'));
  const d = await distlogd(dir, col.logsUrl);
  try {
    await runApp('app.ts', { DISTLOG_ENDPOINT: d.endpoints[0]!, OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: col.logsUrl });
    // distlog's 5 records (via distlogd) + the library's 2 (via the app's own exporter)
    await waitFor('7 records in the Collector\'s file', () => col.fileRecords().length >= 7, 60_000).catch((err: Error) => {
      throw new Error(`${err.message}: ${col.fileRecords().length}\n${JSON.stringify(d.stats().plugins)}\n${col.log}`);
    });
    await d.stop();
    const got = col.fileRecords();
    assert.equal(got.length, 7);
    const T = got[0]!.record.traceId!;
    assert.match(T, /^[0-9a-f]{32}$/);
    for (const r of got) assert.equal(r.record.traceId, T, 'one trace id: the task id');

    const line = (r: (typeof got)[number]) => `${r.scope.name} ${attrs(r.record.attributes)['distlog.key']} ${r.record.body?.stringValue}`;
    const fromApp = got.filter((r) => r.scope.name === 'billing.db');
    assert.deepEqual(fromApp.map(line).sort(), [
      `billing.db 1@${T}/1 SELECT 3 rows from lines`,
      `billing.db 2@${T} slow query: 120 ms`, // stamped in the task's own seq sequence
    ]);
    for (const r of fromApp) assert.equal(attrs(r.resource)['distlog.system'], undefined, 'sent by the app\'s own exporter, not through distlogd');
    const viaDistlogd = got.filter((r) => r.scope.name !== 'billing.db');
    assert.equal(viaDistlogd.length, 5);
    for (const r of viaDistlogd) assert.equal(attrs(r.resource)['distlog.system'], 'T', 'forwarded by distlogd\'s otlp plugin');
    // counted when the Collector's answer is in, which may come after it wrote its file
    await waitFor('distlogd\'s otlp plugin to count its request', () => d.stats().plugins.otlp!.written >= 5);
    assert.equal(d.stats().plugins.otlp!.written, 5);

    // distlogd's file: distlog's records as one task, `load rows` under the task
    const records = await fileRecords(dir);
    assert.equal(records.length, 5);
    const t = buildTrees(records).task(T)!;
    assert.ok(t, 'distlogd\'s task is the Collector\'s trace');
    assert.equal(t.root.enter?.message, 'invoice I-9');
    assert.deepEqual(t.root.children.map((c) => `${c.id} ${c.enter?.message} ${c.status}`), ['p:1 load rows ok']);
    assert.deepEqual(t.node('p:1')!.records.map((r) => r.message), ['load rows', '3 rows']);
    assert.equal(t.root.status, 'ok');
    assert.deepEqual(t.unattributed.records, []);
    // the library's records went to the Collector only: distlogd's tree shows where they were
    assert.equal(t.root.missingSeqs, 1);
    assert.equal(t.node('p:1')!.missingSeqs, 1);
  } finally {
    await d.stop();
    await col.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

it('dual exporter: register() with distlog\'s exporter and the standard OTLP/HTTP exporter; both destinations get every record, the same', { timeout: 120_000 }, async () => {
  const col = await Otelcol.start();
  const dir = mkdtempSync(join(tmpdir(), 'distlog-dual-'));
  const d = await distlogd(dir);
  try {
    await runApp('dual-exporter.ts', { DISTLOG_ENDPOINT: d.endpoints[0]!, OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: col.logsUrl });
    const expected = 13; // task enter/exit, 3 x (subtask enter/exit + 1 record), 1 warning, 1 closing record
    await waitFor(`${expected} records at distlogd`, () => d.stats().plugins.file!.written >= expected, 30_000);
    await waitFor(`${expected} records in the Collector's file`, () => col.fileRecords().length >= expected, 60_000);
    await d.stop();
    const atDistlogd = await fileRecords(dir);
    const atCollector = col.fileRecords();
    assert.equal(atDistlogd.length, expected);
    assert.equal(atCollector.length, expected);

    // the same records on both sides, field by field, matched by their key
    const byKey = new Map(atCollector.map((r) => [String(attrs(r.record.attributes)['distlog.key']), r]));
    assert.equal(byKey.size, expected, 'every key once');
    for (const e of atDistlogd) {
      const c = byKey.get(e.key!);
      assert.ok(c, `the Collector has ${e.key} ${e.message}`);
      const a = attrs(c.record.attributes);
      assert.equal(c.record.body?.stringValue, e.message);
      assert.equal(c.record.severityNumber, e.severity);
      assert.equal(c.record.severityText, e.level);
      assert.equal(c.record.timeUnixNano, e.timeUnixNano);
      assert.equal(c.record.traceId, e.task);
      assert.equal(c.record.spanId, e.span);
      assert.equal(c.scope.name, e.logger);
      assert.equal(a['distlog.path'] ?? '', e.path ?? '');
      assert.equal(a['distlog.seq'], e.seq);
      assert.equal(a['distlog.event'], e.event);
      for (const [k, v] of Object.entries(e.attributes)) assert.deepEqual(a[k], v, `${e.key} attribute ${k}`);
      assert.equal(attrs(c.resource)['service.name'], e.resource['service.name']);
    }
    const t = buildTrees(atDistlogd).tasks();
    assert.equal(t.length, 1);
    assert.deepEqual(t[0]!.root.children.map((c) => c.enter?.message), ['post batch 1', 'post batch 2', 'post batch 3']);
  } finally {
    await d.stop();
    await col.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
