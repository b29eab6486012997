/**
 * Maps a config path (`plugins[1].filter.level`) back to its line:column in
 * the YAML text, so every config error can point at the offending spot. For a
 * map key the key's position is used (that is where an unknown or misspelt key
 * is); when the path does not exist (a missing key, a default), the nearest
 * existing ancestor is used.
 */
import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { ConfigError } from '../plugins/api.js';

export function parsePath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return out;
}

function locate(doc: Document, path: string): number | undefined {
  let node = doc.contents as Node | null;
  let offset: number | undefined = node?.range?.[0];
  for (const seg of parsePath(path)) {
    if (!node) break;
    if (typeof seg === 'number' && isSeq(node)) {
      const item = node.items[seg] as Node | undefined;
      if (!item) break;
      node = item;
      offset = item.range?.[0] ?? offset;
    } else if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(seg));
      if (!pair) break;
      offset = (pair.key as Node | null)?.range?.[0] ?? offset;
      node = pair.value as Node | null;
    } else {
      break;
    }
  }
  return offset;
}

/** Fills in line/col for errors that do not have them yet. */
export function attachPositions(errors: ConfigError[], doc: Document, lines: LineCounter): void {
  for (const e of errors) {
    if (e.line !== undefined) continue;
    const offset = locate(doc, e.path);
    if (offset === undefined) continue;
    const pos = lines.linePos(offset);
    e.line = pos.line;
    e.col = pos.col;
  }
}
