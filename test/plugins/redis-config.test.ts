/** Bad redis plugin options are clear errors at `distlogd --check-config` (a real process). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DISTLOGD = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'cli', 'distlogd.ts');
const TSX = import.meta.resolve('tsx');

function checkConfig(yaml: string) {
  const dir = mkdtempSync(join(tmpdir(), 'distlog-redis-config-'));
  writeFileSync(join(dir, 'd.yaml'), yaml);
  return spawnSync(process.execPath, ['--import', TSX, DISTLOGD, '--check-config', '--config', 'd.yaml'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
}

test('distlogd --check-config: a malformed URL, a wrong scheme, an unknown mode and a bad key pattern, each with its place', () => {
  const r = checkConfig(
    [
      'plugins:',
      '  - type: redis',
      '    options: { url: "redis://127.0.0.1:notaport", mode: streams }',
      '  - type: redis',
      '    name: second',
      '    options: { url: "http://127.0.0.1:6379", key: "distlog:{host}" }',
      '  - type: redis',
      '    name: third',
      '    options: { url: "redis://127.0.0.1:6379/x" }',
      '',
    ].join('\n'),
  );
  assert.equal(r.status, 2, r.stdout + r.stderr);
  assert.equal(
    r.stderr,
    'distlogd: 5 config errors in d.yaml:\n' +
      '  d.yaml:3:16: plugins[0].options.url: malformed URL "redis://127.0.0.1:notaport" (e.g. redis://127.0.0.1:6379/0 or rediss://user:pass@host:6380)\n' +
      '  d.yaml:3:51: plugins[0].options.mode: invalid value "streams" (did you mean "stream"? allowed: stream, list, pubsub)\n' +
      '  d.yaml:6:16: plugins[1].options.url: URL scheme must be redis: or rediss:, got "http:" (e.g. redis://127.0.0.1:6379/0 or rediss://user:pass@host:6380)\n' +
      '  d.yaml:6:46: plugins[1].options.key: unknown placeholder {host} (allowed: {system} {kind} {service} {systemName} {kindName})\n' +
      '  d.yaml:9:16: plugins[2].options.url: URL path must be a database number, got "/x" (e.g. redis://127.0.0.1:6379/0 or rediss://user:pass@host:6380)\n',
  );
});

test('distlogd --check-config accepts a redis plugin and names it', () => {
  const r = checkConfig('plugins:\n  - type: redis\n    options: { url: "redis://user:secret@127.0.0.1:6379/2", mode: list }\n');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /config OK: .*plugins: redis \(redis\)/);
});
