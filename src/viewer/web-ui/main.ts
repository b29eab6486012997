/**
 * The distlog web view: recent tasks (live), one task as a foldable tree with
 * a waterfall, a record's details, a live tail and the collector's counters,
 * under one set of filters. Talks only to the web plugin's API (api.ts).
 */
import type { TaskRow } from '../web/wire.js';
import { api, follow, type FilterState } from './api.js';
import { showCounters } from './counters.js';
import { byId, fill, h } from './dom.js';
import { showRecord } from './record-detail.js';
import { Tail } from './tail.js';
import { TaskList } from './task-list.js';
import { TreeView } from './tree-view.js';

const COUNTERS_EVERY_MS = 2_000;
const TREE_REFRESH_MS = 400;

const filters: FilterState = { level: '', service: '', logger: '', text: '', failed: false };
const detail = byId('detail');
const status = byId('live-status');
const services = new Set<string>();

const tree = new TreeView(byId('tree'), (r) => showRecord(detail, r));
const tail = new Tail(byId('tail'), (r) => showRecord(detail, r));
const list = new TaskList(byId('tasks'), byId('task-count'), (id) => void openTask(id));

function noteServices(rows: TaskRow[]): void {
  let added = false;
  for (const r of rows) for (const s of r.services) if (!services.has(s)) (services.add(s), (added = true));
  if (added) fill(byId('service-list'), ...[...services].sort().map((s) => h('option', { value: s })));
}

function problem(err: unknown): void {
  fill(byId('problem'), err ? String((err as Error).message ?? err) : '');
}

async function openTask(id: string): Promise<void> {
  list.select(id);
  if (location.hash !== `#${id}`) history.replaceState(null, '', `#${id}`);
  try {
    tree.show(await api.tree(id));
    problem(undefined);
  } catch (err) {
    tree.clear(`Cannot show task ${id}: ${(err as Error).message}`);
  }
}

let refreshTimer: number | undefined;
function refreshTreeSoon(): void {
  if (refreshTimer !== undefined || !tree.taskId) return;
  refreshTimer = window.setTimeout(() => {
    refreshTimer = undefined;
    if (tree.taskId) void openTask(tree.taskId);
  }, TREE_REFRESH_MS);
}

async function reloadLists(): Promise<void> {
  try {
    const [{ tasks }, { records }] = await Promise.all([api.tasks(filters), api.records(filters)]);
    noteServices(tasks);
    list.replace(tasks);
    tail.replace(records);
    problem(undefined);
    if (!tree.taskId && location.hash.length > 1) void openTask(decodeURIComponent(location.hash.slice(1)));
  } catch (err) {
    problem(err);
  }
}

let closeLive: (() => void) | undefined;
let wasUp = false;
function connect(): void {
  closeLive?.();
  closeLive = follow(filters, {
    records: (e) => tail.add(e.records, e.omitted),
    tasks: (e) => {
      noteServices(e.tasks);
      list.upsert(e.tasks, e.evicted);
      if (tree.taskId && e.tasks.some((t) => t.task === tree.taskId)) refreshTreeSoon();
    },
    gap: (e) => {
      tail.gap(e.skipped);
      void reloadLists();
      refreshTreeSoon();
    },
    status: (up) => {
      // Back after a break (distlogd restarted, network): what was missed is not replayed, so reload.
      if (up && status.classList.contains('down') && wasUp) void reloadLists();
      wasUp ||= up;
      status.className = up ? 'live up' : 'live down';
      fill(status, up ? 'live' : 'reconnecting…');
    },
  });
}

function applyFilters(): void {
  tree.setFilters({ ...filters });
  void reloadLists();
  connect();
}

function bindFilters(): void {
  const level = byId<HTMLSelectElement>('f-level');
  const failed = byId<HTMLInputElement>('f-failed');
  const texts: [keyof FilterState, HTMLInputElement][] = [
    ['service', byId<HTMLInputElement>('f-service')],
    ['logger', byId<HTMLInputElement>('f-logger')],
    ['text', byId<HTMLInputElement>('f-text')],
  ];
  level.addEventListener('change', () => ((filters.level = level.value), applyFilters()));
  failed.addEventListener('change', () => ((filters.failed = failed.checked), applyFilters()));
  let timer: number | undefined;
  for (const [key, input] of texts) {
    input.addEventListener('input', () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => {
        (filters as unknown as Record<string, string>)[key] = input.value.trim();
        applyFilters();
      }, 250);
    });
  }
  byId('tail-pause').addEventListener('click', (ev) => {
    tail.paused = !tail.paused;
    fill(ev.currentTarget as HTMLElement, tail.paused ? 'Follow' : 'Pause');
  });
}

async function pollCounters(): Promise<void> {
  try {
    showCounters(byId('counters'), await api.stats());
  } catch {
    // shown as "reconnecting" by the live status already
  }
}

bindFilters();
tree.clear('Select a task on the left to see its tree.');
void reloadLists();
connect();
void pollCounters();
window.setInterval(() => void pollCounters(), COUNTERS_EVERY_MS);
