/**
 * Live updates over Server-Sent Events, with bounded memory per browser.
 *
 * A browser that reads slower than records arrive first fills its socket
 * (Node's write buffer reports it full: `write()` returns false); from then on
 * its events wait in its own queue, bounded in bytes (`maxQueuedBytes`). When
 * that is full, further events are skipped and counted; once the socket drains,
 * the queue goes out, then a `gap` event saying how many were skipped, and the
 * feed goes on. So the collector holds at most the socket buffer plus
 * maxQueuedBytes per browser, and the browser knows to reload what it shows.
 */
import type { ServerResponse } from 'node:http';
import type { LogEntry } from '../../protocol/log-entry.js';
import { recordMatches, taskMatches, type Filters } from './filters.js';
import type { LiveEvents, TaskRow } from './wire.js';

const KEEPALIVE_MS = 15_000;

function eventText<K extends keyof LiveEvents>(name: K, data: LiveEvents[K]): string {
  // JSON has no raw newlines, so one data: line carries it whole.
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

class LiveClient {
  private readonly queue: string[] = [];
  queuedBytes = 0;
  private behind = false;
  skipped = 0;

  constructor(
    readonly res: ServerResponse,
    readonly filters: Filters,
    private readonly maxQueuedBytes: number,
    private readonly onSkip: () => void,
  ) {
    res.on('drain', () => this.drain());
  }

  send(text: string): void {
    if (!this.behind) {
      if (!this.res.write(text)) this.behind = true;
      return;
    }
    if (this.skipped > 0 || this.queuedBytes + text.length > this.maxQueuedBytes) {
      this.skipped++;
      this.onSkip();
      return;
    }
    this.queue.push(text);
    this.queuedBytes += text.length;
  }

  private drain(): void {
    this.behind = false;
    while (this.queue.length > 0) {
      const text = this.queue.shift()!;
      this.queuedBytes -= text.length;
      if (!this.res.write(text)) {
        this.behind = true;
        return;
      }
    }
    if (this.skipped > 0) {
      const gap = eventText('gap', { skipped: this.skipped });
      this.skipped = 0;
      if (!this.res.write(gap)) this.behind = true;
    }
  }
}

export interface LiveFeedOptions {
  maxQueuedBytes: number;
  maxClients: number;
  maxRecordsPerEvent: number;
}

export class LiveFeed {
  private readonly clients = new Set<LiveClient>();
  private readonly keepalive: NodeJS.Timeout;
  skippedEvents = 0;
  refusedClients = 0;

  constructor(private readonly opts: LiveFeedOptions) {
    this.keepalive = setInterval(() => {
      for (const c of this.clients) c.send(': keepalive\n\n');
    }, KEEPALIVE_MS);
    this.keepalive.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  /** Bytes of events waiting in the browsers' queues now (each at most maxQueuedBytes). */
  get queuedBytes(): number {
    let n = 0;
    for (const c of this.clients) n += c.queuedBytes;
    return n;
  }

  /** Takes over `res` as an event stream; false (and 503 sent) when too many browsers are connected. */
  open(res: ServerResponse, filters: Filters, headers: Record<string, string>): boolean {
    if (this.clients.size >= this.opts.maxClients) {
      this.refusedClients++;
      res.writeHead(503, { ...headers, 'content-type': 'text/plain; charset=utf-8', 'retry-after': '10' }).end('too many live connections\n');
      return false;
    }
    res.writeHead(200, { ...headers, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
    res.write('retry: 2000\n\n');
    const client = new LiveClient(res, filters, this.opts.maxQueuedBytes, () => this.skippedEvents++);
    this.clients.add(client);
    res.on('close', () => this.clients.delete(client));
    return true;
  }

  /** One consumed batch: its newest records and the rows of the tasks it changed, per browser after its filters. */
  publish(batch: readonly LogEntry[], tasks: TaskRow[], evicted: string[]): void {
    for (const c of this.clients) {
      const records = batch.filter((e) => recordMatches(c.filters, e));
      if (records.length > 0) {
        const sent = records.slice(-this.opts.maxRecordsPerEvent);
        c.send(eventText('records', { records: sent, omitted: records.length - sent.length }));
      }
      const rows = tasks.filter((t) => taskMatches(c.filters, t));
      if (rows.length > 0 || evicted.length > 0) c.send(eventText('tasks', { tasks: rows, evicted }));
    }
  }

  close(): void {
    clearInterval(this.keepalive);
    for (const c of this.clients) c.res.end();
    this.clients.clear();
  }
}
