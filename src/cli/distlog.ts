#!/usr/bin/env node
/**
 * `distlog`: the user's command. Argument parsing only; the work lives in
 * src/viewer.
 *
 *   distlog tree FILE...   show the task trees in JSON-lines files written by
 *                          distlogd's file plugin ('-' reads stdin)
 *   distlog stats          a running distlogd's counters (stats-command.ts)
 */
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { LogEntry } from '../protocol/index.js';
import { buildForest, renderForest } from '../viewer/index.js';
import { STATS_USAGE, statsCommand } from './stats-command.js';

const USAGE = `usage: distlog tree [--color|--no-color] FILE...   task trees of distlogd JSON-lines files ('-' = stdin)
       ${STATS_USAGE}
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

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === '--version') {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    console.log(pkg.version);
    return 0;
  }
  if (cmd === 'stats') return statsCommand(rest);
  if (cmd !== 'tree') {
    process.stderr.write(`${cmd && cmd !== '--help' && cmd !== '-h' ? `distlog: unknown command "${cmd}"\n` : ''}${USAGE}\n`);
    return cmd === '--help' || cmd === '-h' ? 0 : 2;
  }
  let color = process.stdout.isTTY === true && !process.env.NO_COLOR;
  const files: string[] = [];
  for (const a of rest) {
    if (a === '--color') color = true;
    else if (a === '--no-color') color = false;
    else if (a.startsWith('--')) {
      process.stderr.write(`distlog: unknown option ${a}\n${USAGE}\n`);
      return 2;
    } else files.push(a);
  }
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
