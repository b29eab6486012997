/**
 * Where a scope starts and ends: its enter and end records, status and
 * duration.
 *
 * Records of the distlog SDK (and of any producer that sets `event`) say so
 * themselves: `enter`, `exit`, `fail`. The 2018 Python distlog did not: its
 * scope wrote an INFO record with the scope's message on `__enter__` (always
 * seq 0), and on `__exit__` either the success message at INFO or
 * `FAILED <scope message>` at ERROR (logging.exception), which is always the
 * scope's last record. So, for a Python-original scope (record-order.ts
 * `isPythonOriginal`) with no producer-marked event:
 *
 * - enter = its seq 0 record;
 * - its last record (highest seq, above 0) is a FAIL end at once when it is
 *   `FAILED <enter message>` at ERROR or above (only `__exit__` writes that);
 * - otherwise its last record is the EXIT end once the scope is *settled*,
 *   i.e. nothing more can come from it:
 *   1. the task is sealed (the reader has all records, or the task went quiet:
 *      TreeModel.seal / tick), or
 *   2. its parent scope has ended (Python scopes are a stack: a child never
 *      outlives its parent), or
 *   3. a later sibling (higher subtask number) has records from the same
 *      process (the stack: the parent opened the next subtask, so this one was
 *      popped; `get_foreign_task` siblings live in other processes and do not
 *      count), or
 *   4. its parent has a record from the same process written after this
 *      scope's last record (the parent moved on; one process's clock compared
 *      only with itself).
 *   A root scope settles by rule 1 only (or by its FAILED record).
 * Known limit: a scope whose success message was empty wrote no exit record;
 * its last ordinary record is then taken as the exit.
 */
import type { LogEntry } from '../protocol/log-entry.js';
import { compareTime, isError, lastPathNumber, processKey } from './record-order.js';
import type { TreeNode } from './tree-node.js';

function isPythonFail(last: LogEntry, enter: LogEntry | undefined): boolean {
  if (!isError(last)) return false;
  return enter ? last.message === `FAILED ${enter.message}` : last.message.startsWith('FAILED ');
}

function settled(node: TreeNode, last: LogEntry, sealed: boolean): boolean {
  if (sealed) return true;
  const parent = node.parent;
  if (parent === undefined || parent.kind !== 'scope') return false;
  if (parent.end !== undefined) return true;
  const proc = processKey(last);
  const n = lastPathNumber(node.path ?? '');
  for (const sibling of parent.children) {
    if (sibling.kind === 'scope' && lastPathNumber(sibling.path!) > n && sibling.latestByProcess.has(proc)) return true;
  }
  const parentLatest = parent.latestByProcess.get(proc);
  return parentLatest !== undefined && compareTime(parentLatest, last.timeUnixNano) > 0;
}

function nanosDiffMs(from: string, to: string): number | undefined {
  if (!/^\d+$/.test(from) || !/^\d+$/.test(to)) return undefined;
  return Number(BigInt(to) - BigInt(from)) / 1e6;
}

/** Recomputes enter/end/status/duration of one node; true when its end or status changed. */
export function recomputeEnds(node: TreeNode, sealed: boolean): boolean {
  const before = { end: node.end, status: node.status, enter: node.enter };
  let enter: LogEntry | undefined;
  let end: LogEntry | undefined;
  let enters = 0;
  for (const r of node.records) {
    if (r.event === 'enter') {
      enters++;
      if (enter === undefined) enter = r;
    } else if (r.event === 'exit' || r.event === 'fail') end = r;
  }
  let inferred = false;
  let failed = end?.event === 'fail';
  if (node.python && node.kind === 'scope') {
    if (enter === undefined) enter = node.records.find((r) => r.seq === 0);
    if (end === undefined) {
      const last = node.records[node.records.length - 1];
      if (last !== undefined && last !== enter && last.seq !== undefined && last.seq > 0) {
        if (isPythonFail(last, enter)) {
          end = last;
          inferred = true;
          failed = true;
        } else if (settled(node, last, sealed)) {
          end = last;
          inferred = true;
        }
      }
    }
  }
  node.enterCount = enters;
  node.enter = enter;
  node.end = end;
  node.endInferred = inferred;
  node.status = end === undefined ? 'running' : failed ? 'failed' : 'ok';
  node.durationMs = end?.durationMs ?? (enter && end ? nanosDiffMs(enter.timeUnixNano, end.timeUnixNano) : undefined);
  return before.end !== node.end || before.status !== node.status || before.enter !== node.enter;
}
