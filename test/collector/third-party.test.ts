import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkConfig, formatConfigError, loadConfig, startCollector } from '../../src/collector/index.js';
import { entry, goodMessage, pushSocket, waitFor } from './helpers.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const memo = () => (globalThis as { __memoPlugin?: { calls: string[]; messages: string[] } }).__memoPlugin!;

test('a third-party plugin loads by module path relative to the config file and receives records', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'distlog-3p-'));
  const cfgFile = join(dir, 'distlogd.yaml');
  const rel = join(fixtures, 'memo-plugin.js');
  writeFileSync(cfgFile, [
    'receiver: { endpoints: ["tcp://127.0.0.1:*"] }',
    'stats: { intervalSeconds: 0 }',
    'plugins:',
    `  - type: ${JSON.stringify(relative(dir, rel))}`, // ../../…/memo-plugin.js
    '    name: memo',
    '    options: { out: memo.txt, prefix: "> " }',
  ].join('\n'));
  const config = await loadConfig({ path: cfgFile }, { env: {} });
  assert.equal(config.plugins[0]!.factory.type, 'memo');
  const lines: string[] = [];
  const handle = await startCollector(config, { log: (l) => lines.push(l) });
  assert.ok(lines.includes(`plugin memo (${config.plugins[0]!.type}): memo ${join(dir, 'memo.txt')}`), lines.join('\n'));
  const push = await pushSocket(handle.endpoints[0]!);
  try {
    await push.send(goodMessage([entry({ message: 'one' }), entry({ message: 'two' })]));
    await waitFor('memo file written', () => {
      try {
        return readFileSync(join(dir, 'memo.txt'), 'utf8') === '> one\n> two\n';
      } catch {
        return false;
      }
    });
  } finally {
    push.close();
    await handle.stop();
  }
  assert.deepEqual(memo().calls.slice(-3), ['start memo', 'flush memo', 'shutdown memo']);
});

test('a third-party plugin loads by package name from node_modules beside the config', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'distlog-pkg-'));
  const pkg = join(dir, 'node_modules', 'distlog-plugin-memo');
  mkdirSync(pkg, { recursive: true });
  cpSync(join(fixtures, 'memo-plugin.js'), join(pkg, 'index.js'));
  // The plugin's own dependency, installed beside it as npm would.
  symlinkSync(fileURLToPath(new URL('../../node_modules/@sinclair', import.meta.url)), join(dir, 'node_modules', '@sinclair'));
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'distlog-plugin-memo', type: 'module', main: 'index.js' }));
  writeFileSync(join(dir, 'd.yaml'), 'plugins:\n  - type: distlog-plugin-memo\n    options: { prefix: 3 }\n');
  const r = await checkConfig({ path: join(dir, 'd.yaml') }, { env: {} });
  // The plugin's own schema checks its options, with the path of its options.
  assert.deepEqual(r.errors.map((e) => formatConfigError(e, 'd.yaml')), ['d.yaml:3:16: plugins[0].options.prefix: expected a string, got 3']);
  writeFileSync(join(dir, 'd.yaml'), 'plugins:\n  - type: distlog-plugin-memo\n');
  const ok = await checkConfig({ path: join(dir, 'd.yaml') }, { env: {} });
  assert.deepEqual(ok.errors, []);
  assert.equal(ok.config!.plugins[0]!.name, 'distlog-plugin-memo');
});
