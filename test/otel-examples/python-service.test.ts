/**
 * Runs otel-examples/python-service as a newcomer would: distlogd with its
 * ZeroMQ receiver, its OTLP/HTTP receiver and the file plugin; the Python
 * pricing service (OpenTelemetry SDK only, in the venv scripts/install.sh
 * makes) logging through the standard `logging` bridge to the OTLP receiver;
 * the Node storefront calling it twice from its `price items` subtask. The tree
 * built from distlogd's files must show the Python records in the Node task:
 * with the service's tracestate filter, one node per call under the scope that
 * made the calls; without it (SDK alone), one span node per call under that scope,
 * found from the call's parent-id (protocol/call-span.ts).
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, startCollector } from '../../src/collector/index.js';
import { BUILTIN_PLUGINS } from '../../src/cli/components.js';
import type { LogEntry } from '../../src/protocol/log-entry.js';
import { buildTrees, FileRecordSource, type ScopeNode } from '../../src/viewer/index.js';
import { venvPython } from '../interop/helpers.js';
import { waitFor } from '../collector/helpers.js';
import { firstLine } from '../helpers/child-output.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

async function exitCode(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

interface Run {
  records: LogEntry[];
  otlpRecords: number;
}

/** distlogd + the Python service + the Node caller; the records distlogd's file plugin wrote. */
async function runExample(pathFilter: boolean): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'distlog-pyservice-'));
  const text = [
    'receiver:',
    '  endpoints: ["tcp://127.0.0.1:*"]',
    "  otlpHttp: { enabled: true, endpoint: '127.0.0.1:0' }",
    'stats: { intervalSeconds: 0 }',
    'plugins:',
    '  - type: file',
    `    options: { directory: ${JSON.stringify(dir)}, fsync: batch }`,
  ].join('\n');
  const lines: string[] = [];
  const handle = await startCollector(await loadConfig({ text }, { plugins: BUILTIN_PLUGINS, env: {} }), { log: (l) => lines.push(l) });
  let python: ChildProcess | undefined;
  try {
    python = spawn(venvPython(), ['otel-examples/python-service/service.py'], {
      cwd: root,
      env: { ...process.env, DISTLOG_OTLP_URL: handle.otlpHttpUrl!, PORT: '0', DISTLOG_PATH_FILTER: pathFilter ? '1' : '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(await firstLine(python))?.[1];
    assert.ok(url, 'the Python service printed its URL');

    const caller = spawn(process.execPath, ['--conditions=distlog-src', '--import', 'tsx', 'otel-examples/python-service/caller.ts'], {
      cwd: root,
      env: { ...process.env, DISTLOG_ENDPOINT: handle.endpoints[0]!, PRICING_URL: url },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    assert.equal(await exitCode(caller), 0, 'the caller ran to its end');
    python.kill('SIGTERM'); // the service flushes its batch processor on SIGTERM
    assert.equal(await exitCode(python), 0, 'the Python service shut down cleanly');

    await waitFor(`${EXPECTED} records written`, () => handle.stats().plugins.file!.written >= EXPECTED, 30_000)
      .catch((err: Error) => { throw new Error(`${err.message}: ${JSON.stringify(handle.stats())}\n${lines.join('\n')}`); });
    await handle.stop();
    assert.deepEqual(handle.stats().badInput, {});
    const records: LogEntry[] = [];
    for await (const e of new FileRecordSource([dir]).records((p) => assert.fail(`${p.where}: ${p.message}`))) records.push(e);
    return { records, otlpRecords: handle.stats().otlpHttp!.records };
  } finally {
    if (python && python.exitCode === null) python.kill('SIGKILL');
    await handle.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** storefront: task enter/exit, subtask enter/exit, 3 info records; pricing: 2 per call, 2 calls. */
const EXPECTED = 11;
const msgs = (n: ScopeNode) => n.records.map((r) => r.message);

function checkPythonRecords(records: readonly LogEntry[], task: string, callerSpan: string | undefined): void {
  for (const r of records) {
    assert.equal(r.task, task, 'the caller\'s trace id is the Python record\'s trace id');
    assert.equal(r.logger, 'pricing.http');
    assert.equal(r.system, 'T', 'x-distlog-system header');
    assert.match(String(r.span), /^[0-9a-f]{16}$/);
    assert.notEqual(r.span, callerSpan, 'the span id is the call\'s own parent-id, not the calling scope\'s');
  }
  assert.equal(new Set(records.map((r) => r.span)).size, 1, 'one parent-id per call');
}

it('a Python service (OpenTelemetry SDK + a tracestate filter) logs into the Node caller\'s task tree, one node per call under the calling subtask', { timeout: 120_000 }, async () => {
  const { records, otlpRecords } = await runExample(true);
  assert.equal(otlpRecords, 4, 'the four Python records came in over OTLP/HTTP');
  assert.equal(records.length, EXPECTED);

  const model = buildTrees(records);
  assert.equal(model.tasks().length, 1, 'one task across both services');
  const t = model.tasks()[0]!;
  assert.deepEqual(t.services, ['pricing', 'storefront']);
  assert.deepEqual(t.unattributed.records, [], 'every record has its place');
  assert.deepEqual(t.unattributed.children, []);

  const priceItems = t.node('p:1')!;
  assert.equal(priceItems.enter?.message, 'price items');
  assert.equal(priceItems.status, 'ok');
  assert.equal(priceItems.parent, t.root);
  assert.deepEqual(msgs(priceItems).slice(1, 3), ['sku 42: 1250 cents', 'sku 43: 899 cents']);
  // Each call is its own child node of `price items` (its slot), holding that request's Python records.
  const calls = priceItems.children;
  assert.deepEqual(calls.map((c) => c.id), ['p:1/1', 'p:1/2']);
  assert.deepEqual(msgs(calls[0]!), ['price request for sku 42', 'sku 42 costs 1250 cents']);
  assert.deepEqual(msgs(calls[1]!), ['price request for sku 43', 'sku 43 costs 899 cents']);
  for (const call of calls) {
    assert.deepEqual(call.services, ['pricing']);
    checkPythonRecords(call.records, t.task, priceItems.enter!.span);
  }
  assert.notEqual(calls[0]!.records[0]!.span, calls[1]!.records[0]!.span);
  assert.equal(calls[0]!.records[1]!.attributes['price.cents'], 1250);
});

it('without the filter (OpenTelemetry SDK alone) the Python records land as one span node per call under the calling subtask', { timeout: 120_000 }, async () => {
  const { records } = await runExample(false);
  assert.equal(records.length, EXPECTED);
  const model = buildTrees(records);
  assert.equal(model.tasks().length, 1, 'one task across both services');
  const t = model.tasks()[0]!;
  // No distlog path reaches Python: its records carry only the parent-id of the
  // call, which distlog derives from the calling scope's span id (call-span.ts).
  assert.deepEqual(t.unattributed.records, [], 'every record has its place');
  assert.deepEqual(t.unattributed.children, []);
  const caller = t.node('p:1')!;
  const spans = caller.children.filter((c) => c.kind === 'span');
  assert.deepEqual(spans.map(msgs).sort(), [
    ['price request for sku 42', 'sku 42 costs 1250 cents'],
    ['price request for sku 43', 'sku 43 costs 899 cents'],
  ]);
  for (const s of spans) checkPythonRecords(s.records, t.task, caller.enter!.span);
});
