/**
 * `distlog tree [TASK] [FILES...|--from file:DIR] [--depth N] [--failed]
 * [--since T] [--limit N] [--color|--no-color]`: one task's whole tree, or the
 * list of recent tasks. Argument parsing and wiring only: the model and the
 * renderings live in src/viewer.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  FileRecordSource,
  StoreRecordSource,
  TreeModel,
  renderLoose,
  renderTask,
  renderTaskList,
  summarize,
  type RecordSource,
  type TaskTree,
} from '../viewer/index.js';
import type { StoreReader } from '../plugins/api.js';
import { openStoreFrom } from './store-from.js';

/** The command's synopsis, for the `distlog` usage text. */
export const TREE_SYNOPSIS = `usage: distlog tree [TASK] [FILE|DIR...] [--from file:DIR|redis://HOST:PORT] [--depth N] [--failed] [--since T]
                   [--limit N] [--color|--no-color]`;

export const TREE_USAGE = `${TREE_SYNOPSIS}
  TASK         a task id or a unique prefix of one: print its whole tree;
               without TASK, list the recent tasks
  FILE|DIR     JSON lines written by distlogd's file plugin; a folder means every
               *.jsonl below it; '-' reads stdin (default: ./distlog-data)
  --from STORE file:DIR, or redis://HOST:PORT[/db][?stream=KEY] (the redis
               plugin's streams, stream mode; KEY defaults to its key pattern)
  --depth N    show N levels of subtasks (0 = the task's own records)
  --failed     only branches with a failure (with TASK) / only failed tasks (list)
  --since T    list only tasks active since T: an ISO time or an age (30s, 15m, 2h, 7d)
  --limit N    list at most the N most recent tasks (default 20)`;

export interface TreeIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin: NodeJS.ReadableStream;
  /** Colour by default (a terminal, NO_COLOR unset). */
  colorDefault: boolean;
  nowMs: number;
}

const PROBLEMS_SHOWN = 10;
const LOOSE_SHOWN = 20;
const MAX_TASKS = 100_000;
const DEFAULT_DIR = './distlog-data';

class UsageError extends Error {}

function nonNegativeInt(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new UsageError(`--${name}: expected a whole number, got ${JSON.stringify(v)}`);
  return Number(v);
}

const AGE_UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** --since: an age (`15m`) before now, or an ISO time; as ns since the epoch. */
export function parseSince(v: string, nowMs: number): bigint {
  const age = /^(\d+)([smhd])$/.exec(v);
  const ms = age ? nowMs - Number(age[1]) * AGE_UNITS[age[2]!]! : /^\d{4}-\d{2}-\d{2}/.test(v) ? Date.parse(v) : NaN;
  if (Number.isNaN(ms)) throw new UsageError(`--since: expected an ISO time (2026-11-25T14:00Z) or an age (30s, 15m, 2h, 7d), got ${JSON.stringify(v)}`);
  return BigInt(Math.floor(ms)) * 1_000_000n;
}

const nanos = (s: string): bigint => (/^\d+$/.test(s) ? BigInt(s) : 0n);

export async function runTreeCommand(args: string[], io: TreeIo): Promise<number> {
  try {
    return await run(args, io);
  } catch (err) {
    if (err instanceof UsageError || (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`distlog tree: ${(err as Error).message}\n${TREE_USAGE}\n`);
      return 2;
    }
    io.stderr(`distlog tree: ${(err as Error).message}\n`);
    return 1;
  }
}

async function run(args: string[], io: TreeIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      from: { type: 'string', multiple: true },
      depth: { type: 'string' },
      failed: { type: 'boolean' },
      since: { type: 'string' },
      limit: { type: 'string' },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(`${TREE_USAGE}\n`);
    return 0;
  }
  const depth = nonNegativeInt('depth', values.depth);
  const limit = nonNegativeInt('limit', values.limit) ?? 20;
  const since = values.since === undefined ? undefined : parseSince(values.since, io.nowMs);
  const color = values['no-color'] ? false : values.color ? true : io.colorDefault;

  // a positional that names an existing file or folder (or '-') is a source; the first other one is TASK
  let task: string | undefined;
  const paths: string[] = [];
  for (const p of positionals) {
    if (p === '-' || existsSync(p)) paths.push(p);
    else if (/[/\\]|\.jsonl?$/.test(p)) throw new UsageError(`${p}: no such file or folder`);
    else if (task === undefined) task = p;
    else throw new UsageError(`${JSON.stringify(p)}: no such file or folder (the task is ${JSON.stringify(task)})`);
  }
  const stores: StoreReader[] = [];
  for (const f of values.from ?? []) {
    const opened = openStoreFrom(f);
    if ('error' in opened) throw new UsageError(opened.error);
    stores.push(opened.reader);
  }
  try {
    return await show(task, paths, stores, { depth, limit, since, color, failed: values.failed === true, sinceText: values.since }, io);
  } finally {
    for (const s of stores) await s.close();
  }
}

interface ShowOptions {
  depth: number | undefined;
  limit: number;
  since: bigint | undefined;
  sinceText: string | undefined;
  color: boolean;
  failed: boolean;
}

async function show(task: string | undefined, paths: string[], stores: StoreReader[], opts: ShowOptions, io: TreeIo): Promise<number> {
  const { depth, limit, since, color } = opts;
  if (paths.length === 0 && stores.length === 0) {
    if (!existsSync(DEFAULT_DIR)) throw new UsageError(`no records to read: name FILES or --from file:DIR (${DEFAULT_DIR} does not exist here)`);
    paths.push(DEFAULT_DIR);
  }
  const sources: RecordSource[] = [...(paths.length ? [new FileRecordSource(paths, io.stdin)] : []), ...stores.map((s) => new StoreRecordSource(s))];
  const source: RecordSource =
    sources.length === 1
      ? sources[0]!
      : {
          describe: () => sources.map((s) => s.describe()).join(', '),
          async *records(onProblem) {
            for (const s of sources) yield* s.records(onProblem);
          },
        };

  // the list needs every task of the files (a failed one may be old); records stay bounded
  const model = new TreeModel({ maxTasks: MAX_TASKS });
  let problems = 0;
  for await (const e of source.records((p) => {
    problems++;
    if (problems <= PROBLEMS_SHOWN) io.stderr(`distlog: ${p.where}: ${p.message}, skipped\n`);
  })) {
    // with TASK, only its records are kept: memory follows the task, not the files
    if (task === undefined || (e.task !== undefined && e.task.startsWith(task))) model.add(e);
  }
  model.seal();
  if (problems > PROBLEMS_SHOWN) io.stderr(`distlog: ${problems} unreadable lines skipped in all\n`);
  const ev = model.evicted;
  if (ev.tasks || ev.records) io.stderr(`distlog: memory bound reached: ${ev.tasks} older tasks (${ev.records} records) not shown\n`);

  if (task !== undefined) {
    const matches = model.tasks().filter((t) => t.task === task || t.task.startsWith(task));
    const exact = matches.find((t) => t.task === task);
    if (matches.length === 0) {
      io.stderr(`distlog tree: no task ${JSON.stringify(task)} in ${source.describe()}\n`);
      return 1;
    }
    if (!exact && matches.length > 1) {
      io.stderr(`distlog tree: ${JSON.stringify(task)} names ${matches.length} tasks: ${matches.slice(0, 5).map((t) => t.task).join(', ')}${matches.length > 5 ? ', …' : ''}\n`);
      return 1;
    }
    io.stdout(`${renderTask(exact ?? matches[0]!, { color, depth, failedOnly: opts.failed })}\n`);
    return 0;
  }

  const failedOnly = opts.failed;
  const tasks = model
    .tasks()
    .filter((t: TaskTree) => since === undefined || nanos(t.lastTime) >= since)
    .filter((t) => !failedOnly || t.errorCount > 0 || t.root.status === 'failed');
  const shown = tasks.slice(Math.max(0, tasks.length - limit));
  if (shown.length === 0) {
    io.stderr(`distlog tree: no ${failedOnly ? 'failed ' : ''}tasks${since !== undefined ? ` since ${opts.sinceText}` : ''} in ${source.describe()}\n`);
  } else {
    io.stdout(`${renderTaskList(shown.map(summarize), { color })}\n`);
    if (shown.length < tasks.length) io.stdout(`(the ${shown.length} most recent of ${tasks.length} tasks; --limit N shows more)\n`);
  }
  // the latest few records outside any task, as a reminder that they exist
  if (model.loose.length && !failedOnly && since === undefined) io.stdout(`${renderLoose(model.loose.slice(-LOOSE_SHOWN), { color, total: model.loose.length })}\n`);
  return 0;
}
