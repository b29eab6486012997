/**
 * `npm run bench`: runs each benchmark in its own process (so one's heap and
 * JIT state cannot colour another's figures) and prints their reports in turn.
 * Narrow the run with names: `npm run bench -- sdk-emit`. The environment goes
 * through to each benchmark: e.g. `BENCH_N=100000 BENCH_ROUNDS=1 npm run bench -- e2e`
 * for a quick run (bench/e2e/index.ts lists its variables).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const all = ['sdk-emit', 'codec', 'e2e', 'fuzz', 'stores', 'otlp'];
const chosen = process.argv.slice(2).length ? process.argv.slice(2) : all;
let failed = 0;
for (const name of chosen) {
  const file = join(here, name, 'index.ts');
  if (!existsSync(file)) {
    console.error(`bench: no benchmark named ${name} (${file})`);
    failed++;
    continue;
  }
  console.log(`\n=== bench/${name} ===`);
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', file], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
