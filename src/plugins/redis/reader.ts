/**
 * StoreReader over the redis plugin's streams (stream mode). The streams are
 * found with SCAN MATCH on the key pattern (placeholders → `*`, TYPE stream),
 * or named by a literal key. Entry IDs are `<ms>-<n>` in insertion order, so
 * the cursor of recordsAfter() is the last ID read per stream.
 *
 * Query costs (N = entries in the matching streams, S = streams):
 * - recordsAfter(cursor, limit): one XRANGE per stream, COUNT limit, from the
 *   cursor: O(S × limit) read, whatever the streams' length. Cheap.
 * - recentTasks(): XRANGE over every entry (pages of 1,000), parsing each
 *   `entry`: O(N). Redis has no secondary index for tasks; with MAXLEN the
 *   streams, and so the scan, stay bounded.
 * - taskRecords(id): XRANGE over every entry, parsing only those whose `task`
 *   field matches: O(N) transferred, O(task) parsed.
 */
import type { EntryError } from '../../protocol/errors.js';
import type { LogEntry } from '../../protocol/log-entry.js';
import { validateEntry } from '../../protocol/validate.js';
import { selectRecent, TaskSummarizer, type RecentTasksQuery, type RecordsPage, type StoreProblem, type StoreReader, type TaskSummary } from '../api.js';
import { makeClient, reasonOf, redactUrl, type Client } from './connection.js';
import { keyGlob } from './key-pattern.js';

const PAGE = 1_000;

export interface RedisReaderOptions {
  url: string;
  /** A key pattern with placeholders (its streams are found by SCAN), or one stream's name. */
  key: string;
  connectTimeoutMs?: number;
}

type RawEntry = [id: string, fields: string[]];

/** `a-b` stream IDs compared as numbers. */
function compareIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(BigInt);
  const [bm, bs] = b.split('-').map(BigInt);
  return am! !== bm! ? (am! < bm! ? -1 : 1) : as! === bs! ? 0 : as! < bs! ? -1 : 1;
}

function field(fields: string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

export class RedisStreamReader implements StoreReader {
  private client: Client | undefined;
  private streamCount: number | undefined;

  constructor(private readonly opts: RedisReaderOptions) {}

  describe(): string {
    return `${redactUrl(this.opts.url)} ${this.opts.key}${this.streamCount === undefined ? '' : ` (${this.streamCount} stream${this.streamCount === 1 ? '' : 's'})`}`;
  }

  private async conn(): Promise<Client> {
    if (this.client) return this.client;
    const c = makeClient(this.opts.url, { connectTimeoutMs: this.opts.connectTimeoutMs ?? 5_000, reconnectMaxDelayMs: false });
    let failure: unknown;
    c.on('error', (err: unknown) => (failure = err));
    try {
      await c.connect();
    } catch (err) {
      throw new Error(`cannot read ${redactUrl(this.opts.url)}: ${reasonOf(failure ?? err)}`);
    }
    this.client = c;
    return c;
  }

  /** The streams to read: SCAN for a pattern, the key itself when it has no placeholder. */
  async streams(): Promise<string[]> {
    const c = await this.conn();
    if (!/\{\w+\}/.test(this.opts.key)) {
      const type = await c.sendCommand(['TYPE', this.opts.key]);
      const out = String(type) === 'stream' ? [this.opts.key] : [];
      this.streamCount = out.length;
      return out;
    }
    const glob = keyGlob(this.opts.key);
    const found = new Set<string>();
    let cursor = '0';
    do {
      const [next, keys] = (await c.sendCommand(['SCAN', cursor, 'MATCH', glob, 'COUNT', '1000', 'TYPE', 'stream'])) as [string, string[]];
      for (const k of keys) found.add(String(k));
      cursor = String(next);
    } while (cursor !== '0');
    this.streamCount = found.size;
    return [...found].sort();
  }

  private async range(stream: string, after: string | undefined, count: number): Promise<RawEntry[]> {
    const c = await this.conn();
    return (await c.sendCommand(['XRANGE', stream, after ? `(${after}` : '-', '+', 'COUNT', String(count)])) as RawEntry[];
  }

  /** Every entry of every stream, page by page. */
  private async *all(): AsyncIterable<{ stream: string; entry: RawEntry }> {
    for (const stream of await this.streams()) {
      let after: string | undefined;
      for (;;) {
        const page = await this.range(stream, after, PAGE);
        for (const entry of page) yield { stream, entry };
        if (page.length < PAGE) break;
        after = page[page.length - 1]![0];
      }
    }
  }

  private decode(stream: string, [id, fields]: RawEntry, problems?: StoreProblem[]): LogEntry | undefined {
    const where = `${stream} ${id}`;
    const json = field(fields, 'entry');
    if (json === undefined) return void problems?.push({ where, message: 'no entry field' });
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch (err) {
      return void problems?.push({ where, message: `entry is not JSON (${(err as Error).message})` });
    }
    const errors: EntryError[] = [];
    const e = validateEntry(value, 0, errors);
    if (!e) problems?.push({ where, message: `not a LogEntry: ${errors[0]?.message ?? 'invalid'}` });
    return e;
  }

  async recentTasks(opts: RecentTasksQuery): Promise<TaskSummary[]> {
    const s = new TaskSummarizer();
    for await (const { stream, entry } of this.all()) {
      const e = this.decode(stream, entry);
      if (e) s.add(e);
    }
    return selectRecent(s.summaries(), opts);
  }

  async taskRecords(taskId: string): Promise<LogEntry[]> {
    const out: { id: string; e: LogEntry }[] = [];
    for await (const { stream, entry } of this.all()) {
      if (field(entry[1], 'task') !== taskId) continue;
      const e = this.decode(stream, entry);
      if (e) out.push({ id: entry[0], e });
    }
    return out.sort((a, b) => compareIds(a.id, b.id)).map((r) => r.e);
  }

  async recordsAfter(cursor: string, limit: number): Promise<RecordsPage> {
    let positions: Record<string, string> = {};
    if (cursor !== '') {
      try {
        positions = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, string>;
      } catch {
        throw new Error(`not a cursor of this Redis reader: ${JSON.stringify(cursor)}`);
      }
    }
    const candidates: { stream: string; entry: RawEntry }[] = [];
    for (const stream of await this.streams()) {
      for (const entry of await this.range(stream, positions[stream], limit)) candidates.push({ stream, entry });
    }
    // Merge the streams by ID (insertion time), then keep the first `limit`.
    candidates.sort((a, b) => compareIds(a.entry[0], b.entry[0]));
    const taken = candidates.slice(0, limit);
    const records: LogEntry[] = [];
    const problems: StoreProblem[] = [];
    const next = { ...positions };
    for (const { stream, entry } of taken) {
      next[stream] = entry[0];
      const e = this.decode(stream, entry, problems);
      if (e) records.push(e);
    }
    return { records, cursor: Buffer.from(JSON.stringify(next), 'utf8').toString('base64url'), ...(problems.length ? { problems } : {}) };
  }

  async close(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    if (c) await c.close().catch(() => c.destroy());
  }
}
