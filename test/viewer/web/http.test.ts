/**
 * The web plugin at the HTTP level: the token off loopback (a config error
 * without one; every request checked with one), the Host check on loopback,
 * the gap marker a slow live client gets while the collector keeps only a
 * bounded queue for it, the filters, and the headers and page that keep log
 * content from running as code.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withDefaults } from '../../../src/plugins/api.js';
import { ASSETS_DIR, webPlugin, WebOptionsSchema, type WebPlugin } from '../../../src/viewer/web/index.js';
import { FileStoreReader } from '../../../src/plugins/file/index.js';
import type { ConfiguredStore } from '../../../src/plugins/api.js';
import type { TaskRow, TaskTreeJson } from '../../../src/viewer/web/wire.js';
import type { LogEntry } from '../../../src/protocol/log-entry.js';
import { entry, waitFor } from '../../collector/helpers.js';
import { ensureWebBuilt, root, startDaemon } from './stack.js';

const TOKEN = 'c0ffee-0123456789abcdef';

before(async () => {
  await ensureWebBuilt();
});

function startPlugin(options: Record<string, unknown>, stores: ConfiguredStore[] = []): WebPlugin {
  const logger = { info: () => {}, warn: () => {}, error: () => {} };
  return webPlugin.create(withDefaults(WebOptionsSchema, { endpoint: '127.0.0.1:0', ...options }), { name: 'web', logger, baseDir: tmpdir(), stores: () => stores }) as WebPlugin;
}

/** GET with any headers (Host included, which fetch() does not let a caller set). */
function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
        if (res.headers['content-type']?.startsWith('text/event-stream') && body.includes('retry:')) req.destroy();
      });
      res.on('close', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' ? undefined : reject(e)));
    req.end();
  });
}

it('a web endpoint off loopback without a token is a config error naming the option', () => {
  const dir = mkdtempSync(join(tmpdir(), 'distlog-web-cfg-'));
  writeFileSync(join(dir, 'd.yaml'), 'plugins:\n  - type: web\n    options: { endpoint: "0.0.0.0:5080" }\n');
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/distlogd.ts', '--check-config', '--config', join(dir, 'd.yaml')], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /plugins\[0\]\.options\.token: required because endpoint "0\.0\.0\.0:5080" is not a loopback address/);
});

it('off loopback every request must show the token (header, cookie or ?token=), and the start-up line says so', async () => {
  const d = await startDaemon(`{ endpoint: "0.0.0.0:0", token: "${TOKEN}" }`);
  try {
    assert.match(d.stderr(), /web view on http:\/\/0\.0\.0\.0:\d+\/ \(not loopback\): token required/);
    assert.ok(!d.stderr().includes(TOKEN), 'the token itself is not printed');
    const base = d.url.replace('0.0.0.0', '127.0.0.1');
    for (const path of ['', 'app.js', 'api/tasks', 'api/stats', 'api/events']) {
      assert.equal((await get(base + path)).status, 401, `/${path} without a token`);
    }
    assert.equal((await get(`${base}api/tasks`, { authorization: 'Bearer wrong-token-0123456789' })).status, 401);
    assert.equal((await get(`${base}api/tasks`, { authorization: `Bearer ${TOKEN}` })).status, 200);
    const first = await get(`${base}?token=${TOKEN}`);
    assert.equal(first.status, 303, 'the token leaves the address bar');
    const cookie = String(first.headers['set-cookie']);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    const page = await get(base, { cookie: cookie.split(';')[0]! });
    assert.equal(page.status, 200);
    assert.match(page.body, /<title>distlog<\/title>/);
    const stats = JSON.parse((await get(`${base}api/stats`, { authorization: `Bearer ${TOKEN}` })).body) as { web: { unauthorized: number } };
    assert.equal(stats.web.unauthorized, 6);
  } finally {
    assert.equal(await d.stop(), 0);
  }
});

it('on loopback without a token, a request for another host name is refused (DNS rebinding)', async () => {
  const web = startPlugin({});
  await web.start();
  try {
    assert.equal((await get(`${web.address}api/tasks`, { host: 'attacker.example:5080' })).status, 403);
    assert.equal((await get(`${web.address}api/tasks`, { host: 'localhost:5080' })).status, 200);
    assert.equal((await get(`${web.address}api/tasks`)).status, 200);
  } finally {
    await web.shutdown();
  }
});

it('a live client that falls behind gets a gap marker with the count skipped; its queue stays bounded', async () => {
  const maxQueuedBytes = 64 * 1024;
  const web = startPlugin({ sse: { maxQueuedBytes } });
  await web.start();
  const { port } = new URL(web.address);
  const socket = connect({ host: '127.0.0.1', port: Number(port) });
  let text = '';
  socket.setEncoding('utf8');
  socket.on('data', (c: string) => (text += c));
  socket.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
  try {
    await waitFor('the event stream to open', () => text.includes('retry: 2000'));
    socket.pause(); // a browser tab that stopped reading

    const big = 'x'.repeat(2_000);
    let published = 0;
    const batches = 300;
    for (let b = 0; b < batches; b++) {
      const batch: LogEntry[] = Array.from({ length: 50 }, (_, i) => entry({ task: `${b}`.padStart(32, '0'), message: `b${b} r${i} ${big}` }));
      web.consume(batch);
      published += JSON.stringify(batch).length;
      if (b % 20 === 0) await new Promise((r) => setImmediate(r)); // let the socket move what it can
      assert.ok(web.counters().liveQueuedBytes <= maxQueuedBytes, `queued for the client: ${web.counters().liveQueuedBytes} bytes`);
    }
    const skipped = web.counters().skippedEvents;
    assert.ok(skipped > 0, 'events were skipped for the slow client');

    socket.resume();
    // Each time the socket drained after a skip, a marker said how many were skipped: together, all of them.
    const gapTotal = () => [...text.matchAll(/event: gap\ndata: (\{[^\n]*\})\n/g)].reduce((n, m) => n + (JSON.parse(m[1]!) as { skipped: number }).skipped, 0);
    await waitFor('the gap markers', () => gapTotal() === skipped, 60_000);
    assert.equal(web.counters().skippedEvents, skipped, 'nothing more skipped once it reads again');
    web.consume([entry({ message: 'after the gap' })]);
    await waitFor('the feed to go on', () => text.includes('after the gap'), 30_000);
    assert.ok(text.indexOf('event: gap') < text.indexOf('after the gap'));
    assert.ok(text.length < published / 2, `most of the ${published} bytes were never held for it (got ${text.length})`);
  } finally {
    socket.destroy();
    await web.shutdown();
  }
});

it('filters the records and names a bad parameter', async () => {
  const web = startPlugin({});
  await web.start();
  try {
    web.consume([
      entry({ message: 'fine', severity: 9, level: 'INFO', logger: 'db.pool', resource: { 'service.name': 'a' } }),
      entry({ message: 'broken pipe', severity: 17, level: 'ERROR', logger: 'http', resource: { 'service.name': 'b' } }),
      entry({ message: 'slow query', severity: 13, level: 'WARN', logger: 'db.sql', resource: { 'service.name': 'a' } }),
    ]);
    const messages = async (q: string) => (JSON.parse((await get(`${web.address}api/records?${q}`)).body) as { records: LogEntry[] }).records.map((e) => e.message);
    assert.deepEqual(await messages('level=warn'), ['broken pipe', 'slow query']);
    assert.deepEqual(await messages('logger=db.*'), ['fine', 'slow query']);
    assert.deepEqual(await messages('service=b'), ['broken pipe']);
    assert.deepEqual(await messages('text=QUERY'), ['slow query']);
    const bad = await get(`${web.address}api/records?level=loud`);
    assert.equal(bad.status, 400);
    assert.match(JSON.parse(bad.body).error, /^level: unknown level "loud"/);
  } finally {
    await web.shutdown();
  }
});

it('serves under a strict Content-Security-Policy, with no inline script and no HTML parsing of content in the page', async () => {
  const web = startPlugin({});
  await web.start();
  try {
    web.consume([entry({ task: 'a'.repeat(32), message: '<img src=x onerror=alert(1)><script>alert(1)</script>' })]);
    for (const path of ['', 'app.js', 'style.css', 'api/tasks', `api/tasks/${'a'.repeat(32)}`, 'nope']) {
      const r = await get(web.address + path);
      const csp = String(r.headers['content-security-policy']);
      assert.match(csp, /default-src 'none'/, path);
      assert.match(csp, /script-src 'self'(;|$)/, path);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, path);
      assert.equal(r.headers['x-content-type-options'], 'nosniff', path);
    }
    const tree = await get(`${web.address}api/tasks/${'a'.repeat(32)}`);
    assert.match(String(tree.headers['content-type']), /^application\/json/);
    const html = readFileSync(join(ASSETS_DIR, 'index.html'), 'utf8');
    assert.deepEqual([...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]), ['<script type="module" src="/app.js">'], 'only the bundle, no inline script');
    const bundle = readFileSync(join(ASSETS_DIR, 'app.js'), 'utf8');
    assert.doesNotMatch(bundle, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/, 'the page never parses text as HTML');
  } finally {
    await web.shutdown();
  }
});

it('shows stored tasks beside the live ones, and a stored task tree, read from the configured store', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'distlog-web-store-'));
  const old = 'b'.repeat(32);
  const t = (ms: number) => String(1_795_000_000_000_000_000n + BigInt(ms) * 1_000_000n);
  const stored: LogEntry[] = [
    entry({ task: old, path: '', seq: 0, key: `0@${old}`, event: 'enter', message: 'nightly export', timeUnixNano: t(0) }),
    entry({ task: old, path: '1', seq: 0, key: `0@${old}/1`, event: 'enter', message: 'dump table', timeUnixNano: t(10) }),
    entry({ task: old, path: '1', seq: 1, key: `1@${old}/1`, event: 'exit', message: 'dump table', durationMs: 50, timeUnixNano: t(60) }),
    entry({ task: old, path: '', seq: 1, key: `1@${old}`, event: 'exit', message: 'nightly export', durationMs: 80, timeUnixNano: t(80) }),
  ];
  writeFileSync(join(dir, 'TL.jsonl'), stored.map((e) => JSON.stringify(e)).join('\n') + '\n');
  const web = startPlugin({ store: 'archive' }, [{ name: 'archive', type: 'file', reader: () => new FileStoreReader(dir) }]);
  await web.start();
  try {
    const live = 'c'.repeat(32);
    web.consume([entry({ task: live, path: '', seq: 0, key: `0@${live}`, event: 'enter', message: 'live one', timeUnixNano: t(100_000) })]);
    const rows = (JSON.parse((await get(`${web.address}api/tasks`)).body) as { tasks: TaskRow[] }).tasks;
    assert.deepEqual(rows.map((r) => [r.title, r.source, r.status]), [['live one', 'live', 'running'], ['nightly export', 'store', 'ok']]);
    const tree = JSON.parse((await get(`${web.address}api/tasks/${old}`)).body) as TaskTreeJson;
    assert.equal(tree.source, 'store');
    assert.deepEqual([tree.root.title, tree.root.durationMs, tree.root.children.map((c) => [c.title, c.offsetMs, c.durationMs])], ['nightly export', 80, [['dump table', 10, 50]]]);
    assert.match(web.counters().store, /TL\.jsonl|distlog-web-store/);
    assert.equal((await get(`${web.address}api/tasks/${'d'.repeat(32)}`)).status, 404);
  } finally {
    await web.shutdown();
  }
});
