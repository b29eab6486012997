/**
 * Finds the record(s) a plugin cannot take in a batch that failed all its
 * retries, so that only they are lost, not their neighbours (issue 6: one
 * attribute nested 10,000 deep cost 1,900 good records of its batch).
 *
 * Bisection, breadth first: a failed piece is split in halves and both halves
 * are tried before anything deeper, so one poison record among n costs about
 * 2·log2(n) consume() calls (22 for 2,000). A failure that is not about single
 * records (the backend is down: every half fails too) is recognised by a run
 * of consecutive failures and ends the search at once; a budget bounds the
 * calls in every case. A consume() that times out ends the search too: a hang
 * is not a poison record, and each further try would cost the full timeout.
 *
 * It works on either form a lane carries (entries or JSON lines, batch.ts):
 * it only counts and slices.
 */
import { batchLength, sliceBatch, type Batch } from './batch.js';

export type AttemptResult = 'ok' | 'failed' | 'timeout';

export interface IsolationResult {
  /** Entries of the batch the plugin accepted in the end. */
  written: number;
  /** Entries that failed alone: the poison records, dropped one by one. */
  rejected: number;
  /** Entries given up as a group (systemic failure, timeout, budget spent, abort). */
  dropped: number;
  /** consume() calls made. */
  attempts: number;
}

/** Consecutive failed pieces after which the failure is taken as systemic. */
const MAX_FAILURE_RUN = 6;

export function isolationBudget(n: number): number {
  return 8 + 4 * Math.ceil(Math.log2(Math.max(2, n)));
}

export async function isolateFailures<B extends Batch>(
  batch: B,
  attempt: (piece: B) => Promise<AttemptResult>,
  aborted: () => boolean,
): Promise<IsolationResult> {
  const res: IsolationResult = { written: 0, rejected: 0, dropped: 0, attempts: 0 };
  const n = batchLength(batch);
  if (n === 1) {
    // Already tried alone, with retries: poison or a dead plugin, nobody can tell.
    res.dropped = 1;
    return res;
  }
  const pieces: B[] = halves(batch);
  let budget = isolationBudget(n);
  let run = 0;
  let giveUp = false;
  // A record that failed alone is taken as poison only if some other piece
  // succeeded: when nothing at all goes through, the failure is the plugin's.
  let failedAlone = 0;
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i]!;
    const size = batchLength(piece);
    if (giveUp || budget <= 0 || run >= MAX_FAILURE_RUN || aborted()) {
      res.dropped += size;
      continue;
    }
    budget--;
    res.attempts++;
    const r = await attempt(piece);
    if (r === 'ok') {
      res.written += size;
      run = 0;
    } else if (r === 'timeout') {
      res.dropped += size;
      giveUp = true;
    } else {
      run++;
      if (size === 1) failedAlone++;
      else pieces.push(...halves(piece));
    }
  }
  if (res.written > 0) res.rejected = failedAlone;
  else res.dropped += failedAlone;
  return res;
}

function halves<B extends Batch>(piece: B): B[] {
  const n = batchLength(piece);
  const mid = n >> 1;
  return [sliceBatch(piece, 0, mid), sliceBatch(piece, mid, n)];
}
