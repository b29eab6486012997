/**
 * Which form the receivers build: with only plugins that take JSON lines (the
 * file plugin) and no filter, records go from the wire to consumeLines() with
 * no LogEntry per record; a plugin without consumeLines, or a filter, makes
 * the receivers decode entries for every lane. Either way the file plugin
 * writes the same records: the same input (OTLP and JSON from distlog's real
 * exporter, a JSON-topic message, every Python distlog fixture, an OTLP/HTTP
 * request) gives files whose lines parse to deeply equal values.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, startCollector, type CollectorHandle, type PluginCounters } from '../../src/collector/index.js';
import { ZmqLogRecordExporter } from '../../src/exporter/index.js';
import { FileSink, filePlugin, type FileOptions } from '../../src/plugins/file/index.js';
import { jsonLinesFromEntries, lineCount, lineText, Type, type PluginFactory } from '../../src/plugins/api.js';
import { decodeMessage, decodeOtlp, type LogEntry } from '../../src/protocol/index.js';
import { getLogger, register, task, to } from '../../src/sdk/index.js';
import { pullSocket } from '../exporter/helpers.js';
import { sdkRecords } from '../interop/helpers.js';
import { collectingPlugin, entry, goodMessage, pushSocket, waitFor } from './helpers.js';

const pyDir = fileURLToPath(new URL('../../../shared/fixtures/python-distlog/', import.meta.url));

/** The file plugin, noting which form each call brought ('lines' or 'entries'). */
function formRecordingFile(forms: string[]): PluginFactory {
  return {
    ...filePlugin,
    create: (options, ctx) => {
      const sink = filePlugin.create(options as FileOptions, ctx) as FileSink;
      const consume = sink.consume.bind(sink);
      const consumeLines = sink.consumeLines.bind(sink);
      return Object.assign(sink, {
        consume: (b: readonly LogEntry[]) => (forms.push('entries'), consume(b)),
        consumeLines: (l: Parameters<FileSink['consumeLines']>[0]) => (forms.push('lines'), consumeLines(l)),
      });
    },
  } as PluginFactory;
}

/** Frames the real exporter puts on the wire: distlog SDK records (scopes, keys) and plain OTel SDK records. */
async function exporterMessages(): Promise<Buffer[][]> {
  const out: Buffer[][] = [];
  const { pull, endpoint } = await pullSocket();
  try {
    for (const encoding of ['O', 'J'] as const) {
      const exporter = new ZmqLogRecordExporter({ endpoint, system: 'S', encoding });
      const handle = register({ serviceName: 'shop', exporters: [exporter] });
      const log = getLogger('shop.orders');
      await task('order %s', 'A-17', { user: 'leo' }, async () => {
        log.info('validating %d items', 3, { sku: 'X-1', price: 9.5 });
        await to('reserve', { table: 'stock' }, async () => log.warn('low stock: é "quoted" \t tab 😀', { left: [1, 2, { n: null }] }));
        log.error('failed', new TypeError('card declined'));
      });
      await handle.flush(10_000);
      await handle.shutdown(10_000);
      const plainOtel = new ZmqLogRecordExporter({ endpoint, system: 'P', encoding });
      const result = await new Promise<{ code: number }>((resolve) => plainOtel.export(sdkRecords(), resolve));
      assert.equal(result.code, 0);
      await plainOtel.shutdown();
    }
    for (;;) {
      try {
        out.push(await pull.receive());
      } catch {
        break; // receiveTimeout: everything sent was read
      }
      if (out.length >= 4) pull.receiveTimeout = 300;
    }
  } finally {
    pull.close();
  }
  return out;
}

function pythonMessages(): Buffer[][] {
  const names = readdirSync(pyDir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)).sort();
  return names.map((n) => [readFileSync(join(pyDir, `${n}.topic`)), readFileSync(join(pyDir, `${n}.json`))]);
}

const richEntries = (): LogEntry[] => [
  entry({ message: 'plain' }),
  entry({ message: 'nested', system: 'P', attributes: { a: { b: [1, 2.5, 'three', null, true] }, 'ü': 'é😀', empty: {} }, body: { k: 'v' } }),
  entry({ message: 'perf', kind: 'P', attributes: { durationMs: 12.25 } }),
  entry({ message: 'failed', level: 'ERROR', severity: 17, exception: { type: 'Error', message: 'x\ny', stack: 'at a\nat b' }, key: '2@abc/1', task: 'abc', path: '1', seq: 2 }),
];

interface Run {
  files: Record<string, unknown[]>;
  forms: string[];
  file: PluginCounters;
}

/** One collector with `plugins` (YAML lines); every message in, then the file plugin's output parsed line by line. */
async function run(pluginYaml: string[], messages: Buffer[][], otlpBody: Buffer): Promise<Run> {
  const out = mkdtempSync(join(tmpdir(), 'distlog-lines-rx-'));
  const forms: string[] = [];
  const got: LogEntry[] = [];
  const text = [
    'receiver:',
    '  endpoints: ["tcp://127.0.0.1:*"]',
    "  otlpHttp: { enabled: true, endpoint: '127.0.0.1:0' }",
    'stats: { intervalSeconds: 0 }',
    'plugins:',
    '  - type: file',
    `    options: { directory: ${JSON.stringify(out)}, pattern: "{system}{kind}.jsonl" }`,
    ...pluginYaml,
  ].join('\n');
  const handle: CollectorHandle = await startCollector(
    await loadConfig({ text }, { plugins: [formRecordingFile(forms), collectingPlugin(got)], env: {} }),
    { log: () => {} },
  );
  let expected = 0;
  const push = await pushSocket(handle.endpoints[0]!);
  try {
    for (const m of messages) {
      expected += decodeMessage(m).entries.length;
      await push.send(m);
    }
    await waitFor('every ZeroMQ record written', () => handle.stats().plugins.file!.written === expected, 30_000);
    // OTLP/HTTP after the ZeroMQ records are written, so each file's order is the same in every run.
    const r = await fetch(`${handle.otlpHttpUrl}/v1/logs`, { method: 'POST', body: otlpBody, headers: { 'content-type': 'application/x-protobuf', 'x-distlog-system': 'S' } });
    assert.equal(r.status, 200);
    // The receiver's own reading: the header names S, the body's resource says P, and over
    // OTLP/HTTP a record's own distlog.system wins (README), so all 4 are taken. (Decoded as a
    // ZeroMQ `SLO` message they would be refused: there the topic decides. Counting them that
    // way made this wait pass only when it polled before the 4 lines were written.)
    const viaHttp = decodeOtlp(otlpBody, { system: 'S', kind: 'L' });
    assert.deepEqual([viaHttp.entries.length, viaHttp.errors.length], [4, 0]);
    expected += viaHttp.entries.length;
    await waitFor('every record written', () => handle.stats().plugins.file!.written === expected, 30_000);
  } finally {
    push.close();
  }
  const final = await handle.stop();
  const files: Record<string, unknown[]> = {};
  for (const f of readdirSync(out).sort()) {
    files[f] = readFileSync(join(out, f), 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as unknown);
  }
  return { files, forms, file: final.plugins.file! };
}

test('only line-taking plugins: the file plugin gets lines; a plugin without consumeLines or a filter means entries; the files are the same', async () => {
  const exported = await exporterMessages();
  assert.ok(exported.some((m) => m[0]!.toString() === 'SLO') && exported.some((m) => m[0]!.toString() === 'PLJ'), exported.map((m) => m[0]!.toString()).join());
  const otlpBody = exported.find((m) => m[0]!.toString() === 'PLO')![1]!;
  const messages = [...exported, goodMessage(richEntries()), goodMessage(richEntries(), 'P'), ...pythonMessages()];

  const lines = await run([], messages, otlpBody);
  const withObjects = await run(['  - type: collect'], messages, otlpBody);
  // A filter that lets everything through still reads fields: entries.
  const withFilter = await run(['    filter: { systems: [test, staging, production] }'], messages, otlpBody);

  assert.ok(lines.forms.length > 0 && lines.forms.every((f) => f === 'lines'), `forms: ${lines.forms.join()}`);
  assert.ok(withObjects.forms.length > 0 && withObjects.forms.every((f) => f === 'entries'), `forms: ${withObjects.forms.join()}`);
  assert.ok(withFilter.forms.length > 0 && withFilter.forms.every((f) => f === 'entries'), `forms: ${withFilter.forms.join()}`);

  const total = Object.values(lines.files).reduce((n, l) => n + l.length, 0);
  assert.ok(total >= 40, `${total} records`);
  assert.deepEqual(Object.keys(lines.files), ['PL.jsonl', 'SL.jsonl', 'TL.jsonl', 'TP.jsonl']);
  for (const other of [withObjects, withFilter]) {
    assert.deepEqual(Object.keys(other.files), Object.keys(lines.files));
    for (const [name, records] of Object.entries(lines.files)) {
      const theirs = other.files[name]!;
      assert.equal(records.length, theirs.length, name);
      for (let i = 0; i < records.length; i++) assert.deepStrictEqual(records[i], theirs[i], `${name} line ${i + 1}`);
    }
  }
  for (const r of [lines, withObjects, withFilter]) {
    const c = r.file;
    assert.equal(c.received, c.written + c.dropped + c.queued + c.inFlight);
    assert.deepEqual([c.written, c.dropped], [total, 0]);
  }
});

test('a slow line-taking plugin holds the receiver by the lines\' real bytes and loses nothing', async () => {
  let handle: CollectorHandle | undefined;
  let maxQueuedBytes = 0;
  const seen: string[] = [];
  const slow: PluginFactory = {
    type: 'slowlines',
    configSchema: Type.Object({}),
    create: () => ({
      start() {},
      consume: () => assert.fail('entries given to a lane that takes lines'),
      async consumeLines(l) {
        maxQueuedBytes = Math.max(maxQueuedBytes, handle?.stats().plugins.slowlines!.queuedBytes ?? 0);
        await new Promise((r) => setTimeout(r, 2));
        for (let i = 0; i < lineCount(l); i++) seen.push((JSON.parse(lineText(l, i)) as LogEntry).message);
      },
      flush() {},
      shutdown() {},
    }),
  };
  const text = [
    'receiver: { endpoints: ["tcp://127.0.0.1:*"] }',
    'stats: { intervalSeconds: 0 }',
    'plugins:',
    '  - type: slowlines',
    '    queue: { maxBytes: 20000, batchMaxEntries: 50 }',
  ].join('\n');
  handle = await startCollector(await loadConfig({ text }, { plugins: [slow], env: {} }), { log: () => {} });
  const push = await pushSocket(handle.endpoints[0]!);
  try {
    const batch = (i: number) => Array.from({ length: 50 }, (_, j) => entry({ message: `m${String(i * 50 + j).padStart(5, '0')}` }));
    const oneMessageLines = jsonLinesFromEntries(batch(0)).bytes.length;
    for (let i = 0; i < 60; i++) await push.send(goodMessage(batch(i)));
    await waitFor('all 3,000 written', () => seen.length === 3000, 60_000);
    const c = handle.stats().plugins.slowlines!;
    assert.deepEqual([c.written, c.dropped, c.queued, c.queuedBytes], [3000, 0, 0, 0]);
    assert.ok(c.heldMs > 0, 'the slow plugin held the receiver');
    // A block lane takes a whole message past its bound, never more.
    assert.ok(maxQueuedBytes <= 20000 + oneMessageLines, `queued up to ${maxQueuedBytes} bytes`);
    assert.equal(new Set(seen).size, 3000);
  } finally {
    push.close();
    await handle.stop();
  }
});
