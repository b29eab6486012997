/**
 * `distlog view [TASK] [--from STORE]...`: the task trees as a full-screen
 * interactive view. This file is the I/O shell only: it reads the stores into
 * a TreeModel, turns keypresses into reduce() calls and writes renderScreen().
 *
 * Why no terminal UI library: the screen is a list of rows with one selection
 * bar, which a dozen lines of ANSI (alternate screen, hidden cursor, cursor
 * positioning) draw; node:readline already decodes keys (arrows, page keys,
 * escape) and Node reports resizes. `blessed` is unmaintained, `ink` brings React
 * and a reconciler for one list, `terminal-kit` is large (with native-ish
 * extras). Doing without keeps the screen model pure (src/viewer/tui), unit-
 * testable without a terminal, and the package without a new dependency.
 */
import { emitKeypressEvents } from 'node:readline';
import { parseArgs } from 'node:util';
import type { StoreReader } from '../plugins/api.js';
import { TreeModel } from '../viewer/index.js';
import { initialState, reduce, renderScreen, withTasks, type ViewState } from '../viewer/tui/index.js';
import { openStoreFrom } from './store-from.js';

export const VIEW_SYNOPSIS = 'usage: distlog view [TASK] [--from file:DIR|mongodb://HOST:PORT/DB|redis://HOST:PORT]...';

export const VIEW_USAGE = `${VIEW_SYNOPSIS}
  TASK         open this task (an id or a unique prefix) instead of the task list
  --from STORE where the records are (default file:./distlog-data); repeatable
keys: ↑↓ or j/k move · space/enter fold/unfold (enter opens a task) · esc back to the list
      / search (enter: find, n: next) · f failed branches only · l minimum level
      t follow new records (re-reads the stores every second) · q quit`;

/** Records asked per recordsAfter() call. */
const PAGE = 5_000;
const FOLLOW_EVERY_MS = 1_000;
const MAX_TASKS = 100_000;

interface Feed {
  reader: StoreReader;
  cursor: string;
}

export interface ViewIo {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: (text: string) => void;
}

export async function runViewCommand(args: string[], io: ViewIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { from: { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    io.stderr(`distlog view: ${(err as Error).message}\n${VIEW_USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(`${VIEW_USAGE}\n`);
    return 0;
  }
  if (positionals.length > 1) {
    io.stderr(`distlog view: one TASK at most, got ${positionals.length} (${positionals.join(' ')})\n${VIEW_USAGE}\n`);
    return 2;
  }
  const feeds: Feed[] = [];
  for (const f of values.from ?? ['file:./distlog-data']) {
    const opened = openStoreFrom(f);
    if ('error' in opened) {
      io.stderr(`distlog view: ${opened.error}\n`);
      for (const x of feeds) await x.reader.close();
      return 2;
    }
    feeds.push({ reader: opened.reader, cursor: '' });
  }
  if (!io.stdin.isTTY || !io.stdout.isTTY) {
    io.stderr('distlog view: needs a terminal on stdin and stdout (for text, use distlog tree)\n');
    for (const x of feeds) await x.reader.close();
    return 2;
  }
  try {
    const model = new TreeModel({ maxTasks: MAX_TASKS });
    const problems = { count: 0 };
    for (const feed of feeds) await readNew(feed, model, problems);
    const source = feeds.map((f) => f.reader.describe()).join(', ');
    let state = initialState(model.tasks(), source);
    const task = positionals[0];
    if (task !== undefined) {
      const match = model.tasks().filter((t) => t.task === task || t.task.startsWith(task));
      if (match.length !== 1 && !match.some((t) => t.task === task)) {
        io.stderr(`distlog view: ${match.length === 0 ? `no task ${JSON.stringify(task)}` : `${JSON.stringify(task)} names ${match.length} tasks`} in ${source}\n`);
        return 1;
      }
      state = initialState(model.tasks(), source, (match.find((t) => t.task === task) ?? match[0]!).task);
    }
    if (problems.count) state = { ...state, notice: `${problems.count} unreadable records skipped` };
    await interact(state, feeds, model, problems, io);
    return 0;
  } catch (err) {
    io.stderr(`distlog view: ${(err as Error).message}\n`);
    return 1;
  } finally {
    for (const f of feeds) await f.reader.close();
  }
}

/** Every record stored after the feed's cursor, into the model; true when some arrived. */
async function readNew(feed: Feed, model: TreeModel, problems: { count: number }): Promise<boolean> {
  let any = false;
  for (;;) {
    const page = await feed.reader.recordsAfter(feed.cursor, PAGE);
    feed.cursor = page.cursor;
    problems.count += page.problems?.length ?? 0;
    for (const e of page.records) model.add(e);
    if (page.records.length === 0) return any;
    any = true;
  }
}

/** Names for node:readline's key objects; printable characters as typed. */
function keyName(str: string | undefined, key: { name?: string; ctrl?: boolean; meta?: boolean } | undefined): string | undefined {
  if (key?.ctrl && key.name === 'c') return 'ctrl-c';
  // readline reports a lone escape with meta set
  if (key?.name === 'escape') return 'escape';
  if (key?.ctrl || key?.meta) return undefined;
  switch (key?.name) {
    case 'up': case 'down': case 'left': case 'right': case 'backspace':
    case 'pageup': case 'pagedown': case 'home': case 'end':
      return key.name;
    case 'return': case 'enter':
      return 'enter';
    case 'space':
      return ' ';
  }
  return str !== undefined && [...str].length === 1 && str >= ' ' ? str : undefined;
}

const ENTER_SCREEN = '\x1b[?1049h\x1b[?25l';
const LEAVE_SCREEN = '\x1b[?25h\x1b[?1049l';

function interact(start: ViewState, feeds: Feed[], model: TreeModel, problems: { count: number }, io: ViewIo): Promise<void> {
  const { stdin, stdout } = io;
  let state = start;
  const draw = (): void => {
    const rows = stdout.rows || 24;
    const cols = stdout.columns || 80;
    const lines = renderScreen(state, rows, cols);
    // each line in place, its rest cleared: no full-screen clear, so no flicker (there are exactly `rows` lines)
    stdout.write(lines.map((l, i) => `\x1b[${i + 1};1H${l}\x1b[K`).join(''));
  };

  return new Promise<void>((resolve) => {
    let polling = false;
    const timer = setInterval(() => {
      if (!state.follow || polling) return;
      polling = true;
      void (async () => {
        let changed = false;
        for (const f of feeds) changed = (await readNew(f, model, problems)) || changed;
        if (changed) {
          state = withTasks(state, model.tasks());
          draw();
        }
      })()
        .catch((err: Error) => {
          state = { ...state, notice: `follow: ${err.message}` };
          draw();
        })
        .finally(() => {
          polling = false;
        });
    }, FOLLOW_EVERY_MS);

    const finish = (): void => {
      clearInterval(timer);
      stdin.off('keypress', onKey);
      stdout.off('resize', draw);
      process.off('exit', restore);
      process.off('SIGTERM', finish);
      restore();
      resolve();
    };
    const restore = (): void => {
      stdout.write(LEAVE_SCREEN);
      if (stdin.isTTY) stdin.setRawMode(false);
      stdin.pause();
    };
    const onKey = (str: string | undefined, key: { name?: string; ctrl?: boolean; meta?: boolean } | undefined): void => {
      const name = keyName(str, key);
      if (name === undefined) return;
      state = reduce(state, name, Math.max(1, (stdout.rows || 24) - 3));
      if (state.quit) finish();
      else draw();
    };

    emitKeypressEvents(stdin);
    stdin.setRawMode(true);
    stdin.resume();
    // an unexpected exit still gives the terminal back
    process.on('exit', restore);
    // `kill`: leave as q does (the terminal restored, the stores closed)
    process.once('SIGTERM', finish);
    stdin.on('keypress', onKey);
    stdout.on('resize', draw);
    stdout.write(ENTER_SCREEN);
    draw();
  });
}
