#!/usr/bin/env node
/**
 * `distlog`: the user's command. Argument parsing only; the work lives in
 * src/viewer.
 *
 *   distlog tree [TASK] [FILE|DIR...]   one task's tree, or the recent tasks, from
 *                          the JSON lines of distlogd's file plugin (src/cli/tree-command.ts)
 *   distlog view [TASK]    the trees as a full-screen interactive view (src/cli/view-command.ts)
 *   distlog stats          a running distlogd's counters (src/cli/stats-command.ts)
 *   distlog tail           live records from distlogd's PUB feed (src/cli/tail-command.ts)
 */
import { readFileSync } from 'node:fs';
import { colourWanted } from '../plugins/console/index.js';
import { STATS_USAGE, statsCommand } from './stats-command.js';
import { TREE_SYNOPSIS, runTreeCommand } from './tree-command.js';
import { TAIL_SYNOPSIS, runTailOnProcess } from './tail-command.js';
import { VIEW_SYNOPSIS, runViewCommand } from './view-command.js';

const USAGE = `${TREE_SYNOPSIS}      (distlog tree --help: details)
       ${VIEW_SYNOPSIS.replace('usage: ', '')}      (distlog view --help: keys)
${TAIL_SYNOPSIS.replace(/^usage: /, '       ')}      (distlog tail --help: details)
       ${STATS_USAGE}
       distlog --version`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === '--version' || cmd === '-v') {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    console.log(pkg.version);
    return 0;
  }
  if (cmd === 'tail') return runTailOnProcess(rest);
  if (cmd === 'stats') return statsCommand(rest);
  if (cmd === 'view') return runViewCommand(rest, { stdin: process.stdin, stdout: process.stdout, stderr: (t) => process.stderr.write(t) });
  if (cmd !== 'tree') {
    process.stderr.write(`${cmd && cmd !== '--help' && cmd !== '-h' ? `distlog: unknown command "${cmd}"\n` : ''}${USAGE}\n`);
    return cmd === '--help' || cmd === '-h' ? 0 : 2;
  }
  return runTreeCommand(rest, {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    stdin: process.stdin,
    // the console plugin's `color: auto` decision: hasColors(), NO_COLOR, FORCE_COLOR
    colorDefault: colourWanted('auto', process.stdout),
    nowMs: Date.now(),
  });
}

// `distlog tree | head`: a closed pipe ends the output, not with a stack trace
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
process.exitCode = await main(process.argv.slice(2));
