import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../../src/cli/distlog.ts', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], { encoding: 'utf8' });

it('distlog tree prints the task tree of a file written by the file plugin, reporting bad lines', () => {
  const dir = mkdtempSync(join(tmpdir(), 'distlog-cli-'));
  const file = join(dir, 'TL.jsonl');
  const T = 'b'.repeat(32);
  const base = { v: 1, level: 'INFO', severity: 9, logger: 'app', attributes: {}, resource: { 'service.name': 'svc' }, system: 'T', kind: 'L', task: T };
  const lines = [
    { ...base, timeUnixNano: '1700000000000000000', path: '', seq: 0, event: 'enter', message: 'job' },
    { ...base, timeUnixNano: '1700000000000000001', path: '', seq: 1, message: 'working' },
    { ...base, timeUnixNano: '1700000000000000002', path: '', seq: 2, event: 'exit', message: 'job', durationMs: 2 },
  ].map((l) => JSON.stringify(l));
  writeFileSync(file, [lines[0], 'not json', lines[1], lines[2]].join('\n') + '\n');
  const r = run('tree', '--no-color', file);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, `task ${T}\n▸ job [svc] — ✔ job (2 ms)\n  INFO  working\n`);
  assert.equal(r.stderr, `distlog: ${file}:2: not a JSON line, skipped\n`);
});

it('distlog with an unknown command or no file says how to use it and exits 2', () => {
  const a = run('frobnicate');
  assert.equal(a.status, 2);
  assert.match(a.stderr, /unknown command "frobnicate"\nusage: distlog tree/);
  const b = run('tree');
  assert.equal(b.status, 2);
  assert.match(b.stderr, /name at least one file/);
});
