#!/usr/bin/env node
/**
 * `distlog`: the user's command. Argument parsing only; the work lives in
 * src/viewer.
 *
 *   distlog tree FILE...   show the task trees in JSON-lines files written by
 *                          distlogd's file plugin ('-' reads stdin)
 */
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { colourWanted } from '../plugins/console/index.js';
import type { LogEntry } from '../protocol/index.js';
import { buildForest, renderForest } from '../viewer/index.js';

const USAGE = `usage: distlog tree [--color|--no-color] FILE...   task trees of distlogd JSON-lines files ('-' = stdin)
       distlog --version`;

async function readEntries(file: string, out: LogEntry[]): Promise<number> {
  let bad = 0;
  const lines = createInterface({ input: file === '-' ? process.stdin : createReadStream(file), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line) as LogEntry);
    } catch {
      bad++;
      if (bad <= 3) process.stderr.write(`distlog: ${file}:${n}: not a JSON line, skipped\n`);
    }
  }
  return bad;
}

const OPTIONS = {
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  version: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    const option = /'([^']+)'/.exec((err as Error).message)?.[1] ?? (err as Error).message;
    process.stderr.write(`distlog: unknown option ${option}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [cmd, ...files] = positionals;
  if (values.version) {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    console.log(pkg.version);
    return 0;
  }
  if (cmd !== 'tree' || values.help) {
    const help = values.help === true;
    process.stderr.write(`${cmd && cmd !== 'tree' ? `distlog: unknown command "${cmd}"\n` : ''}${USAGE}\n`);
    return help && (cmd === undefined || cmd === 'tree') ? 0 : 2;
  }
  // --color / --no-color force it; otherwise the same decision as the console
  // plugin's `color: auto` (the terminal's hasColors(), NO_COLOR, FORCE_COLOR).
  const color = values.color ?? (values['no-color'] ? false : colourWanted('auto', process.stdout));
  if (files.length === 0) {
    process.stderr.write(`distlog tree: name at least one file\n${USAGE}\n`);
    return 2;
  }
  const entries: LogEntry[] = [];
  for (const f of files) {
    try {
      await readEntries(f, entries);
    } catch (err) {
      process.stderr.write(`distlog: cannot read ${f}: ${(err as Error).message}\n`);
      return 1;
    }
  }
  console.log(renderForest(buildForest(entries), { color }));
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
