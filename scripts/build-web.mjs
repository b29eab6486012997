#!/usr/bin/env node
// Builds the web view's page (src/viewer/web-ui) into dist/web/: the TypeScript
// bundled by esbuild into app.js, plus index.html and style.css. Run by
// `npm run build` and `prepare` (so `npm ci` leaves a clone ready), and by the
// web tests when the sources are newer than the build (isWebBuildStale).
import { copyFileSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const SRC = join(root, 'src/viewer/web-ui');
export const WEB_OUT = join(root, 'dist/web');
const STATIC = ['index.html', 'style.css'];

function newest(dir) {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    t = Math.max(t, s.isDirectory() ? newest(p) : s.mtimeMs);
  }
  return t;
}

/** True when dist/web is missing a file or older than a source it is built from. */
export function isWebBuildStale() {
  try {
    const built = Math.min(...['app.js', ...STATIC].map((f) => statSync(join(WEB_OUT, f)).mtimeMs));
    return built < Math.max(newest(SRC), statSync(join(root, 'src/viewer/web/wire.ts')).mtimeMs);
  } catch {
    return true;
  }
}

export async function buildWeb() {
  const { build } = await import('esbuild');
  mkdirSync(WEB_OUT, { recursive: true });
  await build({
    entryPoints: [join(SRC, 'main.ts')],
    outfile: join(WEB_OUT, 'app.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  for (const f of STATIC) copyFileSync(join(SRC, f), join(WEB_OUT, f));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildWeb();
  console.log(`web view built into ${WEB_OUT}`);
}
