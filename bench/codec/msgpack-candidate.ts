/**
 * The losing candidate, kept for the comparison: a msgpack envelope
 * `{v, entries: LogEntry[]}` with msgpackr. Decoding must validate every record
 * like JSON does (msgpack is untyped), so the decode figure includes validateEntry.
 */
import { Packr, Unpackr } from 'msgpackr';
import { validateEntry, type EntryError, type LogEntry } from '../../src/protocol/index.js';

/** Plain msgpack (maps), readable by any msgpack library: the interoperable variant. */
const plainPackr = new Packr({ useRecords: false });
const plainUnpackr = new Unpackr({ useRecords: false });
/** msgpackr "records" extension (keys sent once per shape per message): faster, msgpackr-only. */
const recordPackr = new Packr({ useRecords: true, sequential: true });
const recordUnpackr = new Unpackr({ useRecords: true, sequential: true });

export function encodeMsgpack(entries: readonly LogEntry[], records: boolean): Uint8Array {
  return (records ? recordPackr : plainPackr).pack({ v: 1, entries });
}

export function decodeMsgpack(payload: Uint8Array, records: boolean): { entries: LogEntry[]; errors: EntryError[] } {
  const env = (records ? recordUnpackr : plainUnpackr).unpack(payload) as { v: number; entries: unknown[] };
  const errors: EntryError[] = [];
  const entries: LogEntry[] = [];
  for (let i = 0; i < env.entries.length; i++) {
    const e = validateEntry(env.entries[i], i, errors);
    if (e) entries.push(e);
  }
  return { entries, errors };
}
