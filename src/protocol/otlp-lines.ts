/**
 * OTLP ExportLogsServiceRequest → JSON lines, without a LogEntry per record.
 * (First version: decodes to entries and writes them; the direct transcoder replaces it.)
 */
import type { EntryError } from './errors.js';
import type { BatchMeta, KindCode, SystemCode } from './log-entry.js';
import { jsonLinesFromEntries, type JsonLines } from './json-lines.js';
import { decodeOtlp, type OtlpDecodeOptions } from './otlp-decode.js';

export interface OtlpLines {
  lines: JsonLines;
  meta: BatchMeta;
  errors: EntryError[];
}

/** The JSON lines of the records decodeOtlp would return, with the same meta and errors. Throws WireError like it. */
export function otlpToJsonLines(payload: Buffer, defaults: { system: SystemCode; kind: KindCode }, options?: OtlpDecodeOptions): OtlpLines {
  const d = decodeOtlp(payload, defaults, options);
  const lines = jsonLinesFromEntries(d.entries, (index, err) => d.errors.push({ index, path: `entries[${index}]`, message: `cannot be written as JSON: ${(err as Error).message}` }));
  return { lines, meta: d.meta, errors: d.errors };
}
