/** The page's calls to the web plugin's JSON API and its live feed. */
import type { CountersJson, LiveEvents, TaskRow, TaskTreeJson } from '../web/wire.js';
import type { LogEntry } from '../../protocol/log-entry.js';

export interface FilterState {
  level: string;
  service: string;
  logger: string;
  text: string;
  failed: boolean;
}

export function query(f: FilterState, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams();
  if (f.level) q.set('level', f.level);
  if (f.service) q.set('service', f.service);
  if (f.logger) q.set('logger', f.logger);
  if (f.text) q.set('text', f.text);
  if (f.failed) q.set('failed', '1');
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(path, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  const body = (await res.json()) as T & { error?: string };
  if (!res.ok) throw new Error(body.error ?? `${res.status} ${res.statusText}`);
  return body;
}

export const api = {
  tasks: (f: FilterState) => getJson<{ tasks: TaskRow[] }>(`/api/tasks${query({ ...f, level: '', logger: '' }, { limit: '300' })}`),
  tree: (id: string) => getJson<TaskTreeJson>(`/api/tasks/${encodeURIComponent(id)}`),
  records: (f: FilterState) => getJson<{ records: LogEntry[] }>(`/api/records${query(f, { limit: '300' })}`),
  stats: () => getJson<CountersJson>('/api/stats'),
};

export interface LiveHandlers {
  records(e: LiveEvents['records']): void;
  tasks(e: LiveEvents['tasks']): void;
  gap(e: LiveEvents['gap']): void;
  status(connected: boolean): void;
}

/** Opens the live feed with the filters; returns its closer. EventSource reconnects by itself. */
export function follow(f: FilterState, on: LiveHandlers): () => void {
  const es = new EventSource(`/api/events${query(f)}`);
  es.addEventListener('open', () => on.status(true));
  es.addEventListener('error', () => on.status(false));
  es.addEventListener('records', (ev) => on.records(JSON.parse((ev as MessageEvent<string>).data) as LiveEvents['records']));
  es.addEventListener('tasks', (ev) => on.tasks(JSON.parse((ev as MessageEvent<string>).data) as LiveEvents['tasks']));
  es.addEventListener('gap', (ev) => on.gap(JSON.parse((ev as MessageEvent<string>).data) as LiveEvents['gap']));
  return () => es.close();
}
