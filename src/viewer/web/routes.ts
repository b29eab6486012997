/**
 * The web view's HTTP routes (GET only):
 *   /                    the page (`/?token=...` sets the token cookie and redirects to /)
 *   /app.js, /style.css  its assets
 *   /api/tasks           recent tasks, newest first (?limit, service, failed, text)
 *   /api/tasks/ID        one task's tree
 *   /api/records         the newest records of the live window (?level, service, logger, text, task, failed, limit)
 *   /api/stats           the collector's counters per plugin and the web plugin's own
 *   /api/events          live updates (Server-Sent Events; the same filters as /api/records)
 * Every answer carries a strict Content-Security-Policy: scripts and styles
 * from this origin only, no inline script, nothing framed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LogEntry } from '../../protocol/log-entry.js';
import { buildTrees } from '../index.js';
import { checkAccess, tokenCookie } from './access.js';
import type { Asset } from './assets.js';
import { FilterError, parseFilters, recordMatches, taskMatches } from './filters.js';
import type { LiveFeed } from './live-feed.js';
import type { RecentWindow } from './recent-window.js';
import type { StoreAccess } from './store-access.js';
import { treeJson } from './tree-json.js';
import type { CountersJson, TaskRow, TaskTreeJson, WebCounters } from './wire.js';

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

const TASK_ID = /^[0-9A-Za-z._:-]{1,128}$/;

export interface RouteDeps {
  token: string;
  assets: Map<string, Asset> | undefined;
  assetsProblem: string | undefined;
  window: RecentWindow;
  store: StoreAccess;
  feed: LiveFeed;
  collectorStats: (() => CountersJson['collector']) | undefined;
  webCounters: () => WebCounters;
  onUnauthorized: () => void;
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, 'cache-control': 'no-store', ...extra }).end(body);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
}

function limitOf(q: URLSearchParams, dflt: number, max: number): number {
  const v = Number(q.get('limit') ?? dflt);
  if (!Number.isInteger(v) || v < 1) throw new FilterError(`limit: expected a positive integer, got ${JSON.stringify(q.get('limit'))}`);
  return Math.min(v, max);
}

/** Live rows win over stored ones of the same task; newest first. */
function mergeRows(live: TaskRow[], stored: TaskRow[], limit: number): TaskRow[] {
  const seen = new Set(live.map((r) => r.task));
  const all = [...live, ...stored.filter((r) => !seen.has(r.task))];
  return all.sort((a, b) => (a.start < b.start ? 1 : a.start > b.start ? -1 : 0)).slice(0, limit);
}

function recordId(e: LogEntry): string {
  return `${e.key ?? ''}|${e.timeUnixNano}|${String(e.resource['service.name'] ?? '')}|${e.message}`;
}

async function taskTree(d: RouteDeps, id: string): Promise<TaskTreeJson | undefined> {
  const live = d.window.task(id);
  if (live && !live.partial) return treeJson(live, 'live');
  const stored = await d.store.taskRecords(id);
  if (!live && stored.length === 0) return undefined;
  // The window lost part of it (or never had it): the store's records, plus the window's newer ones.
  const seen = new Set(stored.map(recordId));
  const liveRecords: LogEntry[] = [];
  if (live) {
    const walk = (n: typeof live.root) => {
      for (const r of n.records) if (!seen.has(recordId(r))) liveRecords.push(r);
      for (const c of n.children) walk(c);
    };
    walk(live.root);
    walk(live.unattributed);
  }
  const tree = buildTrees([...stored, ...liveRecords]).task(id);
  return tree && treeJson(tree, live ? 'live+store' : 'store');
}

export async function handle(d: RouteDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const access = checkAccess(req, url, d.token);
  if (!access.ok) {
    d.onUnauthorized();
    send(res, access.status, 'text/plain; charset=utf-8', `${access.reason}\n`);
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    send(res, 405, 'text/plain; charset=utf-8', 'only GET\n', { allow: 'GET, HEAD' });
    return;
  }
  const path = url.pathname;
  if (path === '/' && access.fromQuery) {
    // Keep the token out of the address bar and history: a cookie carries it from now on.
    send(res, 303, 'text/plain; charset=utf-8', '', { location: '/', 'set-cookie': tokenCookie(d.token) });
    return;
  }
  try {
    if (!path.startsWith('/api/')) {
      const asset = d.assets?.get(path);
      if (asset) send(res, 200, asset.type, asset.body);
      else if (path === '/' && d.assetsProblem) send(res, 503, 'text/plain; charset=utf-8', `${d.assetsProblem}\n`);
      else send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
      return;
    }
    const q = url.searchParams;
    if (path === '/api/tasks') {
      const f = parseFilters(q);
      const limit = limitOf(q, 200, 5_000);
      const live = d.window.rows().filter((r) => taskMatches(f, r));
      const stored = (await d.store.recentTasks(limit)).filter((r) => taskMatches(f, r));
      json(res, 200, { tasks: mergeRows(live, stored, limit) });
      return;
    }
    if (path.startsWith('/api/tasks/')) {
      let id: string;
      try {
        id = decodeURIComponent(path.slice('/api/tasks/'.length));
      } catch {
        throw new FilterError('task id: not valid percent-encoding');
      }
      if (!TASK_ID.test(id)) throw new FilterError(`task id: ${JSON.stringify(id.slice(0, 64))} is not a task id`);
      const tree = await taskTree(d, id);
      if (tree) json(res, 200, tree);
      else json(res, 404, { error: `task ${id} not found in memory or in the store` });
      return;
    }
    if (path === '/api/records') {
      const f = parseFilters(q);
      json(res, 200, { records: d.window.tailRecords((e) => recordMatches(f, e), limitOf(q, 500, 100_000)) });
      return;
    }
    if (path === '/api/stats') {
      let collector: CountersJson['collector'];
      try {
        collector = d.collectorStats?.();
      } catch {
        collector = undefined; // the collector is still starting
      }
      const body: CountersJson = { collector, web: d.webCounters() };
      json(res, 200, body);
      return;
    }
    if (path === '/api/events') {
      d.feed.open(res, parseFilters(q), SECURITY_HEADERS);
      return;
    }
    json(res, 404, { error: `no route ${path}` });
  } catch (err) {
    if (err instanceof FilterError) json(res, 400, { error: err.message });
    else json(res, 500, { error: (err as Error).message });
  }
}
