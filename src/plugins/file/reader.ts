/**
 * StoreReader over the file plugin's JSON lines (one LogEntry per line): a
 * folder means every `*.jsonl` below it, rotated files included, in name order
 * (`X.1.jsonl`, the older, before `X.jsonl`); a file means that file.
 *
 * Query costs (N = records in all the files):
 * - recentTasks(): reads and parses every line: O(N) time, memory per task.
 * - taskRecords(id): reads every line, parses only lines containing the id: O(N) read.
 * - recordsAfter(cursor, limit): the cursor holds a byte offset and line number
 *   per file, so a page reads only new bytes: O(limit). Only whole lines
 *   (ending in a newline) are returned, so a line being written is read later.
 *   Limitation: when the plugin rotates a file (renames it to `X.N.jsonl`), the
 *   renamed file is new to the cursor and is read again from its start.
 */
import { open, stat } from 'node:fs/promises';
import { relative } from 'node:path';
import type { LogEntry } from '../../protocol/log-entry.js';
import { jsonlFilesUnder, selectRecent, TaskSummarizer, type RecentTasksQuery, type RecordsPage, type StoreProblem, type StoreReader, type TaskSummary } from '../api.js';

import { parseEntryLine } from '../../protocol/entry-line.js';

const CHUNK = 256 * 1024;


interface Position {
  offset: number;
  line: number;
}

interface Line {
  text: string;
  /** 1-based line number in its file. */
  n: number;
}

/** Whole lines of `path` from `pos`, at most `max`, and the position after them. */
async function readLines(path: string, pos: Position, max: number): Promise<{ lines: Line[]; pos: Position }> {
  const fh = await open(path, 'r');
  try {
    const lines: Line[] = [];
    let { offset, line } = pos;
    let carry = Buffer.alloc(0);
    const buf = Buffer.allocUnsafe(CHUNK);
    let readAt = offset;
    while (lines.length < max) {
      const { bytesRead } = await fh.read(buf, 0, CHUNK, readAt);
      if (bytesRead === 0) break;
      readAt += bytesRead;
      let data = carry.length ? Buffer.concat([carry, buf.subarray(0, bytesRead)]) : buf.subarray(0, bytesRead);
      let start = 0;
      for (let nl = data.indexOf(10, start); nl !== -1 && lines.length < max; nl = data.indexOf(10, start)) {
        line++;
        const text = data.toString('utf8', start, nl).replace(/\r$/, '');
        offset += nl + 1 - start;
        start = nl + 1;
        if (text.trim() !== '') lines.push({ text, n: line });
      }
      carry = Buffer.from(data.subarray(start));
      data = carry;
      if (lines.length >= max) break;
    }
    return { lines, pos: { offset, line } };
  } finally {
    await fh.close();
  }
}


export class FileStoreReader implements StoreReader {
  /** A folder (the plugin's `directory`) or one file. */
  constructor(private readonly path: string) {}

  describe(): string {
    return `file:${this.path}`;
  }

  async files(): Promise<string[]> {
    let s;
    try {
      s = await stat(this.path);
    } catch (err) {
      throw new Error(`cannot read ${this.path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (err as Error).message}`);
    }
    if (!s.isDirectory()) return [this.path];
    const out: string[] = [];
    await jsonlFilesUnder(this.path, out);
    return out;
  }

  /** Every line of every file, in order. */
  private async *lines(): AsyncIterable<{ file: string; line: Line }> {
    for (const file of await this.files()) {
      let pos: Position = { offset: 0, line: 0 };
      for (;;) {
        const r = await readLines(file, pos, 10_000);
        for (const line of r.lines) yield { file, line };
        if (r.lines.length === 0) break;
        pos = r.pos;
      }
    }
  }

  async recentTasks(opts: RecentTasksQuery): Promise<TaskSummary[]> {
    const s = new TaskSummarizer();
    for await (const { line } of this.lines()) {
      const e = parseEntryLine(line.text);
      if (typeof e !== 'string') s.add(e);
    }
    return selectRecent(s.summaries(), opts);
  }

  async taskRecords(taskId: string): Promise<LogEntry[]> {
    const out: LogEntry[] = [];
    for await (const { line } of this.lines()) {
      if (!line.text.includes(taskId)) continue;
      const e = parseEntryLine(line.text);
      if (typeof e !== 'string' && e.task === taskId) out.push(e);
    }
    return out;
  }

  async recordsAfter(cursor: string, limit: number): Promise<RecordsPage> {
    let positions: Record<string, Position> = {};
    if (cursor !== '') {
      try {
        positions = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, Position>;
      } catch {
        throw new Error(`not a cursor of this file reader: ${JSON.stringify(cursor)}`);
      }
    }
    const records: LogEntry[] = [];
    const problems: StoreProblem[] = [];
    const next = { ...positions };
    for (const file of await this.files()) {
      if (records.length + problems.length >= limit) break;
      const key = relative(this.path, file) || '.';
      const r = await readLines(file, positions[key] ?? { offset: 0, line: 0 }, limit - records.length - problems.length);
      next[key] = r.pos;
      for (const { text, n } of r.lines) {
        const e = parseEntryLine(text);
        if (typeof e === 'string') problems.push({ where: `${file}:${n}`, message: e });
        else records.push(e);
      }
    }
    return { records, cursor: Buffer.from(JSON.stringify(next), 'utf8').toString('base64url'), ...(problems.length ? { problems } : {}) };
  }

  async close(): Promise<void> {
    // Nothing held open between calls.
  }
}
