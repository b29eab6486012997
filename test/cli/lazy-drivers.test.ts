/**
 * The distlogd distribution hands every built-in factory to the collector, but
 * the MongoDB and Redis client libraries (~23 MB and ~15 MB resident) load only
 * when a config uses them: a daemon on the default config never carries them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

function driversLoadedAfter(configYaml: string): { mongodb: boolean; redis: boolean } {
  const script = `
    import { createRequire } from 'node:module';
    import { BUILTIN_PLUGINS } from './src/cli/components.ts';
    import { loadConfig } from './src/collector/index.ts';
    await loadConfig({ text: ${JSON.stringify(configYaml)} }, { plugins: BUILTIN_PLUGINS, env: {} });
    const cache = Object.keys(createRequire(import.meta.url).cache);
    console.log(JSON.stringify({ mongodb: cache.some((k) => k.includes('/node_modules/mongodb/')), redis: cache.some((k) => k.includes('/node_modules/@redis/')) }));
  `;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { mongodb: boolean; redis: boolean };
}

test('a config without mongodb or redis plugins loads neither driver', () => {
  assert.deepEqual(driversLoadedAfter('plugins:\n  - type: console\n  - type: file\n'), { mongodb: false, redis: false });
});

test('a mongodb plugin in the config loads its driver (its connection string is checked with it)', () => {
  assert.deepEqual(driversLoadedAfter('plugins:\n  - type: mongodb\n    options: { uri: "mongodb://127.0.0.1:1" }\n'), { mongodb: true, redis: false });
});
