/**
 * RecordSource over the file plugin's JSON lines (one LogEntry per line).
 * A folder means every `*.jsonl` below it, rotated files (`TL-2026-11-25.1.jsonl`)
 * included, read in name order; '-' reads stdin. A line that is not a valid
 * LogEntry is reported with its file and line number and skipped.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { LogEntry } from '../protocol/log-entry.js';
import type { ReadProblem, RecordSource } from './record-source.js';
import { parseEntryLine } from '../protocol/entry-line.js';
import { jsonlFilesUnder } from '../plugins/api.js';



export class FileRecordSource implements RecordSource {
  /** Files and folders as given; '-' is stdin. */
  constructor(
    private readonly paths: readonly string[],
    private readonly stdin: NodeJS.ReadableStream = process.stdin,
  ) {}

  describe(): string {
    return this.paths.map((p) => (p === '-' ? 'stdin' : `file:${p}`)).join(', ');
  }

  /** The files that will be read, folders expanded; a missing path throws with its name. */
  async files(): Promise<string[]> {
    const out: string[] = [];
    for (const p of this.paths) {
      if (p === '-') {
        out.push(p);
        continue;
      }
      let s;
      try {
        s = await stat(p);
      } catch (err) {
        throw new Error(`cannot read ${p}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (err as Error).message}`);
      }
      if (s.isDirectory()) await jsonlFilesUnder(p, out);
      else out.push(p);
    }
    return out;
  }

  async *records(onProblem: (p: ReadProblem) => void): AsyncIterable<LogEntry> {
    for (const file of await this.files()) {
      const input = file === '-' ? this.stdin : createReadStream(file);
      const lines = createInterface({ input, crlfDelay: Infinity });
      let n = 0;
      for await (const line of lines) {
        n++;
        if (line.trim() === '') continue;
        const parsed = parseEntryLine(line);
        if (typeof parsed === 'string') onProblem({ where: `${file === '-' ? 'stdin' : file}:${n}`, message: parsed });
        else yield parsed;
      }
    }
  }
}

/**
 * `--from` values: `file:DIR` (or `file:FILE`). The stores' schemes are named
 * so that the message can say they are not available yet.
 */
export function parseFromOption(from: string): { paths: string[] } | { error: string } {
  const colon = from.indexOf(':');
  const scheme = colon > 0 ? from.slice(0, colon) : '';
  if (scheme === 'file') {
    const path = from.slice(colon + 1);
    return path === '' ? { error: '--from file: needs a folder or file, e.g. file:./distlog-data' } : { paths: [path] };
  }
  if (scheme === 'mongodb' || scheme === 'redis') return { error: `--from ${scheme}: reading from stores is not available yet; use file:DIR` };
  return { error: `--from ${JSON.stringify(from)}: expected file:DIR (e.g. file:./distlog-data)` };
}
