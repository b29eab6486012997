/**
 * No runtime import cycle anywhere in src/ (DESIGN.md: "no cycles"). Walks
 * every .ts file's relative imports and re-exports; type-only imports are
 * erased by TypeScript and are left out, as they create no runtime edge.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const src = join(root, 'src');

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) files(p, out);
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** `import ... from '...'`, `export ... from '...'`, side-effect `import '...'` and `import('...')`. */
const STATEMENT = /(?:^|\n)\s*(import|export)\s+(type\s+)?([^;'"]*?)\s*from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** True when every specifier in `{ ... }` is `type X`, so the statement is erased. */
function allTypeSpecifiers(clause: string): boolean {
  const m = /^\{([\s\S]*)\}$/.exec(clause.trim());
  if (!m) return false;
  const specs = m[1]!.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return specs.length > 0 && specs.every((s) => s.startsWith('type '));
}

export function runtimeImports(file: string, text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(STATEMENT)) {
    const spec = m[4] ?? m[5] ?? m[6];
    if (!spec || !spec.startsWith('.')) continue;
    if (m[4] !== undefined && (m[2] !== undefined || allTypeSpecifiers(m[3]!))) continue;
    out.push(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
  }
  return out;
}

function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): string[] | undefined => {
    state.set(n, 'open');
    stack.push(n);
    for (const d of graph.get(n) ?? []) {
      if (!graph.has(d)) continue;
      if (state.get(d) === 'open') return [...stack.slice(stack.indexOf(d)), d];
      if (state.get(d) === undefined) {
        const c = visit(d);
        if (c) return c;
      }
    }
    stack.pop();
    state.set(n, 'done');
    return undefined;
  };
  for (const n of graph.keys()) {
    if (state.get(n) === undefined) {
      const c = visit(n);
      if (c) return c;
    }
  }
  return undefined;
}

it('src/ has no runtime import cycle', () => {
  const graph = new Map<string, string[]>();
  for (const f of files(src)) graph.set(f, runtimeImports(f, readFileSync(f, 'utf8')));
  assert.ok(graph.size > 50, `walked ${graph.size} files`);
  const cycle = findCycle(graph);
  assert.equal(cycle?.map((f) => relative(root, f)).join(' → '), undefined);
});

it('the walker sees a cycle when there is one, and ignores type-only imports', () => {
  const a = '/x/a.ts';
  const b = '/x/b.ts';
  const edgesA = runtimeImports(a, "import { thing } from './b.js';\nimport type { T } from './c.js';\nimport { type U } from './d.js';");
  assert.deepEqual(edgesA, [b]);
  const edgesB = runtimeImports(b, "export { thing } from './a.js';");
  assert.equal(findCycle(new Map([[a, edgesA], [b, edgesB]]))?.join(' '), `${a} ${b} ${a}`);
  assert.equal(findCycle(new Map([[a, edgesA], [b, []]])), undefined);
});
