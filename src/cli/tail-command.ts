/**
 * `distlog tail [--from ENDPOINT] [--level L] [--service S] [--system S]
 * [--task T] [--grep RE] [--json] [--color|--no-color]`: live records from
 * distlogd's PUB feed (the `zmq-pub` plugin), one line each, indented by scope
 * depth, failures red; plain text when stdout is not a terminal. Argument
 * parsing and wiring only: subscribe() does the feed, the console plugin's
 * formatter the lines. Ctrl-C ends it with status 0.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_PUB_ENDPOINT, subscribe, type SubscribeFilter } from '../exporter/subscribe.js';
import { colourWanted, formatLine } from '../plugins/console/index.js';
import type { LogEntry } from '../protocol/log-entry.js';

export const TAIL_SYNOPSIS = `usage: distlog tail [--from ENDPOINT] [--level L] [--service S] [--system S] [--task T]
                   [--grep RE] [--json] [--color|--no-color]`;

export const TAIL_USAGE = `${TAIL_SYNOPSIS}
  --from ENDPOINT  distlogd's PUB feed (plugin zmq-pub; default ${DEFAULT_PUB_ENDPOINT});
                   repeat for several collectors
  --level L        records at level L and above (debug, info, warn, error, ...)
  --service S      only service S (repeatable)
  --system S       only system S: test, staging, production (or T, S, P; repeatable)
  --task T         only the task whose id starts with T
  --grep RE        only records whose message (or exception) matches the regular expression RE
  --json           one LogEntry JSON per line instead of text
Runs until Ctrl-C. Records published before it connected are not shown.`;

export interface TailIo {
  /** Writes output; a promise when the reader is behind (the feed then buffers, and drops past its limit). */
  stdout: (text: string) => void | Promise<void>;
  stderr: (text: string) => void;
  /** Colour by default (the console plugin's `color: auto` decision for stdout). */
  colorDefault: boolean;
  /** Ends the tail (Ctrl-C). */
  signal: AbortSignal;
  /** Where to say what is followed, for a person at a terminal (absent: say nothing). */
  status?: (text: string) => void;
}

class UsageError extends Error {}

const RED = '\x1b[31m';
const RESET = '\x1b[0m';
const PROBLEMS_SHOWN = 10;

function isFailure(e: LogEntry): boolean {
  return e.event === 'fail' || e.exception !== undefined || e.severity >= 17;
}

/** A text line: the console plugin's layout; a failure's whole line in red. */
export function tailLine(e: LogEntry, color: boolean): string {
  const line = formatLine(e, { time: 'local', attributes: true, indent: 2, color });
  if (!color || !isFailure(e)) return line;
  return RED + line.replaceAll(RESET, RESET + RED) + RESET;
}

export async function runTailCommand(args: string[], io: TailIo): Promise<number> {
  try {
    return await run(args, io);
  } catch (err) {
    if (err instanceof UsageError || err instanceof TypeError || (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`distlog tail: ${asOption((err as Error).message)}\n${TAIL_USAGE}\n`);
      return 2;
    }
    io.stderr(`distlog tail: ${(err as Error).message}\n`);
    return 1;
  }
}

/** subscribe()'s wording of a bad filter, in the command's own terms. */
function asOption(message: string): string {
  return message
    .replace(/^subscribe filter\.minLevel:/, '--level:')
    .replace(/^subscribe filter\.(service|system):/, '--$1:')
    .replace(/^subscribe: invalid endpoint/, '--from: invalid endpoint');
}

async function run(args: string[], io: TailIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      from: { type: 'string', multiple: true },
      level: { type: 'string' },
      service: { type: 'string', multiple: true },
      system: { type: 'string', multiple: true },
      task: { type: 'string' },
      grep: { type: 'string' },
      json: { type: 'boolean' },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    await io.stdout(`${TAIL_USAGE}\n`);
    return 0;
  }
  if (positionals.length) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  let grep: RegExp | undefined;
  if (values.grep !== undefined) {
    try {
      grep = new RegExp(values.grep);
    } catch (err) {
      throw new UsageError(`--grep: ${(err as Error).message}`);
    }
  }
  const task = values.task?.toLowerCase();
  if (task === '') throw new UsageError('--task: expected a task id or a prefix of one');
  const color = values['no-color'] ? false : values.color ? true : io.colorDefault;
  const filter: SubscribeFilter = {};
  if (values.level !== undefined) filter.minLevel = values.level;
  if (values.service) filter.service = values.service;
  if (values.system) filter.system = values.system;

  let problems = 0;
  const sub = subscribe(values.from ?? DEFAULT_PUB_ENDPOINT, filter, {
    signal: io.signal,
    onProblem: (m) => {
      if (++problems <= PROBLEMS_SHOWN) io.stderr(`distlog tail: ${m}\n`);
    },
  });
  io.status?.(`distlog tail: following ${sub.endpoints.join(', ')} (Ctrl-C to stop)\n`);
  const wanted = (e: LogEntry): boolean =>
    (task === undefined || (e.task?.toLowerCase().startsWith(task) ?? false)) &&
    (grep === undefined || grep.test(e.message) || (e.exception !== undefined && grep.test([e.exception.type, e.exception.message].filter(Boolean).join(': '))));
  for await (const e of sub) {
    if (!wanted(e)) continue;
    const out = io.stdout(`${values.json ? JSON.stringify(e) : tailLine(e, color)}\n`);
    if (out) await out;
  }
  const s = sub.stats;
  if (s.missed) io.stderr(`distlog tail: ${s.missed} messages of the feed were missed (dropped while this reader was behind, or in a reconnect)\n`);
  if (s.malformed || s.badEntries) io.stderr(`distlog tail: skipped ${s.malformed} undecodable messages and ${s.badEntries} bad records\n`);
  return 0;
}

/** The command on the real process: stdout with backpressure, Ctrl-C / SIGTERM end it with status 0. */
export function runTailOnProcess(args: string[]): Promise<number> {
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return runTailCommand(args, {
    stdout: (t) => (process.stdout.write(t) ? undefined : new Promise<void>((r) => process.stdout.once('drain', r))),
    stderr: (t) => void process.stderr.write(t),
    colorDefault: colourWanted('auto', process.stdout),
    signal: stop.signal,
    // Only for a person: a script reading stderr gets problems only.
    ...(process.stderr.isTTY ? { status: (t: string) => void process.stderr.write(t) } : {}),
  }).finally(() => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  });
}
