/**
 * Where the viewer reads stored records from. The file plugin's JSON lines
 * are the first implementation (file-source.ts); the stores (MongoDB, Redis)
 * will implement the same interface.
 */
import type { LogEntry } from '../protocol/log-entry.js';

/** A record the source could not read: said where, and the reading goes on. */
export interface ReadProblem {
  /** `file:line`, or the store's own place. */
  where: string;
  message: string;
}

export interface RecordSource {
  /** For messages: what is read, e.g. `file:/var/log/distlog (3 files)`. */
  describe(): string;
  /** Every record, in storage order; problems go to `onProblem`, never end the reading. */
  records(onProblem: (p: ReadProblem) => void): AsyncIterable<LogEntry>;
}
