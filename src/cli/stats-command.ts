/**
 * `distlog stats [--from ENDPOINT] [--json]`: asks a running distlogd's control
 * channel (config `control.endpoint`) for its counters and prints them: per
 * plugin received/written/dropped/errors, bad input by reason, connections and
 * accept failures, and per producer the batches and records received and the
 * gaps in their sequence numbers. Exit 0, 1 when nothing answers, 2 on usage.
 */
import { ENDPOINT_HINT, isEndpoint } from '../protocol/endpoint.js';
import { formatStatsReport, queryStats, SUGGESTED_CONTROL_ENDPOINT } from '../collector/index.js';

export const STATS_USAGE = `distlog stats [--from ENDPOINT] [--json]      counters of a running distlogd (default --from ${SUGGESTED_CONTROL_ENDPOINT})`;

export async function statsCommand(args: readonly string[]): Promise<number> {
  let from = SUGGESTED_CONTROL_ENDPOINT;
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--json') json = true;
    else if (a === '--from') {
      const v = args[++i];
      if (v === undefined || v.startsWith('-')) return usage('--from needs an endpoint, e.g. tcp://127.0.0.1:5011');
      from = v;
    } else if (a.startsWith('--from=')) from = a.slice('--from='.length);
    else return usage(`unknown argument ${JSON.stringify(a)}`);
  }
  if (!isEndpoint(from)) return usage(`--from: ${JSON.stringify(from)} is not a ZeroMQ address like ${SUGGESTED_CONTROL_ENDPOINT} (${ENDPOINT_HINT})`);
  try {
    const stats = await queryStats(from);
    process.stdout.write((json ? JSON.stringify(stats, null, 2) : formatStatsReport(stats, from)) + '\n');
    return 0;
  } catch (err) {
    process.stderr.write(`distlog stats: ${(err as Error).message}\n`);
    return 1;
  }
}

function usage(problem: string): number {
  process.stderr.write(`distlog stats: ${problem}\nusage: ${STATS_USAGE}\n`);
  return 2;
}
