/**
 * A task tree as indented text for the terminal: one line per scope header
 * and per record, subtasks indented under their parent. Rendering only: the
 * tree comes from tree.ts.
 */
import type { LogEntry } from '../protocol/log-entry.js';
import { orderedItems, type Forest, type ScopeNode } from './tree.js';

export interface RenderOptions {
  /** Wrap levels and failures in ANSI colours. */
  color?: boolean;
}

const RED = '\x1b[31m';
const GREEN = '\x1b[32m';
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

function attrs(e: LogEntry): string {
  const parts = Object.entries(e.attributes)
    .filter(([k]) => !k.startsWith('exception.'))
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return parts.length ? ` ${parts.join(' ')}` : '';
}

export function renderForest(forest: Forest, opts: RenderOptions = {}): string {
  const c = (code: string, s: string) => (opts.color ? `${code}${s}${RESET}` : s);
  const lines: string[] = [];

  const scope = (node: ScopeNode, depth: number): void => {
    const pad = '  '.repeat(depth);
    const title = node.enter?.message ?? (node.path === '' ? '(task)' : '(subtask, enter record missing)');
    const service = node.enter?.resource['service.name'];
    let status = c(DIM, 'open');
    if (node.end?.event === 'exit') status = c(GREEN, `✔ ${node.end.message}${node.end.durationMs !== undefined ? ` (${node.end.durationMs} ms)` : ''}`);
    if (node.end?.event === 'fail') status = c(RED, `✘ ${node.end.message}${node.end.exception ? `: ${node.end.exception.type}: ${node.end.exception.message}` : ''}`);
    const where = node.path === '' ? '' : `${node.path} `;
    lines.push(`${pad}▸ ${where}${title}${service ? c(DIM, ` [${service}]`) : ''}${node.enter ? attrs(node.enter) : ''} — ${status}`);
    for (const item of orderedItems(node)) {
      if ('scope' in item) scope(item.scope, depth + 1);
      else {
        const e = item.record;
        const level = e.severity >= 17 ? c(RED, e.level.padEnd(5)) : e.level.padEnd(5);
        lines.push(`${pad}  ${level} ${e.message}${attrs(e)}`);
      }
    }
  };

  for (const t of forest.tasks) {
    lines.push(c(DIM, `task ${t.task}${t.failed ? ' (failed)' : ''}`));
    scope(t.root, 0);
  }
  if (forest.loose.length) {
    lines.push(c(DIM, 'outside any task'));
    for (const e of forest.loose) lines.push(`  ${e.level.padEnd(5)} ${e.message}${attrs(e)}`);
  }
  return lines.join('\n');
}
