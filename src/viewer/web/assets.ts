/**
 * The page's built files (esbuild bundle of src/viewer/web-ui, by scripts/build-web.mjs
 * in `npm run build` / `prepare`) under dist/web/, read once at start. From
 * src/viewer/web/ (tsx) and from dist/viewer/web/ (the package) alike, that
 * folder is three levels up.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ASSETS_DIR = fileURLToPath(new URL('../../../dist/web/', import.meta.url));

const TYPES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
};

export interface Asset {
  body: Buffer;
  type: string;
}

/** The assets by URL path ('/', '/app.js', '/style.css'), or the missing file's path. */
export function loadAssets(dir = ASSETS_DIR): { assets: Map<string, Asset> } | { missing: string } {
  const assets = new Map<string, Asset>();
  for (const [file, type] of Object.entries(TYPES)) {
    const path = `${dir}${file}`;
    if (!existsSync(path)) return { missing: path };
    assets.set(file === 'index.html' ? '/' : `/${file}`, { body: readFileSync(path), type });
  }
  return { assets };
}
