/**
 * The interactive viewer's state and its key handling (`distlog view`): pure,
 * no I/O. The shell (src/cli/view-command.ts) feeds keys to reduce() and draws
 * renderScreen(); the tree objects come live from a TreeModel and are read only.
 */
import type { TaskTree } from '../tree-types.js';
import { allNodeIds, visibleRows, type Row } from './rows.js';
import { LEVEL_CYCLE, type ViewState } from './state-types.js';

export function initialState(tasks: readonly TaskTree[], source: string, openTask?: string): ViewState {
  const s: ViewState = {
    tasks,
    openTask: undefined,
    selected: Math.max(0, tasks.length - 1),
    unfolded: new Set(),
    failedOnly: false,
    level: 0,
    search: '',
    searchInput: undefined,
    follow: false,
    notice: '',
    quit: false,
    source,
  };
  return openTask === undefined ? s : open(s, openTask);
}

/** New tasks or records arrived (follow mode): the selection stays on its row. */
export function withTasks(s: ViewState, tasks: readonly TaskTree[]): ViewState {
  const before = visibleRows(s)[s.selected];
  const next = { ...s, tasks };
  const rows = visibleRows(next);
  const keep = before ? rows.findIndex((r) => r.key === before.key) : -1;
  return { ...next, selected: keep >= 0 ? keep : clamp(s.selected, rows.length) };
}

const clamp = (i: number, n: number): number => Math.max(0, Math.min(i, n - 1));

function open(s: ViewState, task: string): ViewState {
  const t = s.tasks.find((x) => x.task === task);
  if (!t) return { ...s, notice: `no task ${task}` };
  return { ...s, openTask: task, selected: 0, unfolded: new Set([t.root.id]), notice: '' };
}

function move(s: ViewState, by: number): ViewState {
  return { ...s, selected: clamp(s.selected + by, visibleRows(s).length), notice: '' };
}

/**
 * The next row (after the selected one, wrapping) whose text contains the
 * search; in a tree, folded content is searched too and the match's scopes unfolded.
 */
function findNext(s: ViewState, from: number): ViewState {
  if (s.search === '') return { ...s, notice: 'no search: / to type one' };
  const needle = s.search.toLowerCase();
  const rows = visibleRows(s);
  const current = rows[from % Math.max(1, rows.length)];
  // search everything unfolded, starting at the row now selected (or the next one)
  const full = s.openTask === undefined ? s : { ...s, unfolded: allNodeIds(s) };
  const fullRows = visibleRows(full);
  const start = Math.max(0, current ? fullRows.findIndex((r) => r.key === current.key) : 0);
  for (let k = 0; k < fullRows.length; k++) {
    const hit = fullRows[(start + k) % fullRows.length]!;
    if (!hit.plain.toLowerCase().includes(needle)) continue;
    const unfolded = new Set(s.unfolded);
    const t = s.tasks.find((x) => x.task === s.openTask);
    for (let n = hit.owner === undefined ? undefined : t?.node(hit.owner); n; n = n.parent) unfolded.add(n.id);
    const next = s.openTask === undefined ? s : { ...s, unfolded };
    const i = visibleRows(next).findIndex((r) => r.key === hit.key);
    if (i >= 0) return { ...next, selected: i, notice: '' };
  }
  return { ...s, notice: `no match for ${JSON.stringify(s.search)}` };
}

function toggleFold(s: ViewState, row: Row | undefined): ViewState {
  if (!row?.node) return s;
  const unfolded = new Set(s.unfolded);
  if (unfolded.has(row.node)) unfolded.delete(row.node);
  else unfolded.add(row.node);
  return { ...s, unfolded };
}

/** Changes that alter the rows keep the selection on its row, or the nearest one. */
function refilter(s: ViewState, next: ViewState): ViewState {
  const before = visibleRows(s)[s.selected];
  const rows = visibleRows(next);
  const keep = before ? rows.findIndex((r) => r.key === before.key) : -1;
  return { ...next, selected: keep >= 0 ? keep : clamp(s.selected, rows.length) };
}

/**
 * A key: a single character as typed, or a name (`up`, `down`, `left`, `right`,
 * `enter`, `escape`, `backspace`, `pageup`, `pagedown`, `home`, `end`, `ctrl-c`).
 * `page` is the number of body rows on the screen, for pageup / pagedown.
 */
export function reduce(s: ViewState, key: string, page = 20): ViewState {
  if (key === 'ctrl-c') return { ...s, quit: true };
  if (s.searchInput !== undefined) {
    if (key === 'enter') return findNext({ ...s, search: s.searchInput, searchInput: undefined }, s.selected);
    if (key === 'escape') return { ...s, searchInput: undefined };
    if (key === 'backspace') return { ...s, searchInput: s.searchInput.slice(0, -1) };
    // printable characters only: the input is shown on the status line
    if ([...key].length === 1 && key >= ' ' && key !== '\x7f') return { ...s, searchInput: s.searchInput + key };
    return s;
  }
  const rows = visibleRows(s);
  const row = rows[s.selected];
  switch (key) {
    case 'q':
      return { ...s, quit: true };
    case 'up':
    case 'k':
      return move(s, -1);
    case 'down':
    case 'j':
      return move(s, 1);
    case 'pageup':
      return move(s, -page);
    case 'pagedown':
      return move(s, page);
    case 'home':
      return move(s, -rows.length);
    case 'end':
      return move(s, rows.length);
    case 'enter':
    case ' ':
    case 'right':
      if (s.openTask === undefined) return row?.task === undefined ? s : open(s, row.task);
      return key === 'right' && row?.node && s.unfolded.has(row.node) ? s : toggleFold(s, row);
    case 'left':
      if (s.openTask !== undefined && row?.node && s.unfolded.has(row.node)) return toggleFold(s, row);
      return s.openTask === undefined ? s : backToList(s);
    case 'escape':
    case 'backspace':
      return s.openTask === undefined ? s : backToList(s);
    case '/':
      return { ...s, searchInput: '', notice: '' };
    case 'n':
      return findNext(s, s.selected + 1);
    case 'f':
      return refilter(s, { ...s, failedOnly: !s.failedOnly });
    case 'l':
      return refilter(s, { ...s, level: (s.level + 1) % LEVEL_CYCLE.length });
    case 't':
      return { ...s, follow: !s.follow, notice: s.follow ? 'follow off' : 'following new records' };
    default:
      return s;
  }
}

function backToList(s: ViewState): ViewState {
  const back: ViewState = { ...s, openTask: undefined, unfolded: new Set(), notice: '' };
  const i = visibleRows(back).findIndex((r) => r.task === s.openTask);
  return { ...back, selected: i >= 0 ? i : clamp(0, visibleRows(back).length) };
}
