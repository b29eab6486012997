/**
 * The admin/query channel: a ZeroMQ REP socket (`control.endpoint`, off when
 * empty) answering JSON requests, for `distlog stats` and scripts.
 *
 *   request  {"request":"stats"}
 *   reply    {"ok":true,"stats":CollectorStats}  or  {"ok":false,"error":"..."}
 *
 * It never trusts the request: size-capped by the socket, parsed in a try,
 * anything unknown answered with an error naming what is accepted. It only
 * reads counters; nothing here can change the daemon.
 */
import { Reply, Request } from 'zeromq';
import type { ControlConfig } from './config-types.js';
import type { CollectorStats } from './stats.js';

/** Requests are a few bytes; anything larger is cut by libzmq. */
const MAX_REQUEST_BYTES = 64 * 1024;
const POLL_MS = 200;

export const CONTROL_REQUESTS = ['stats'] as const;

export class ControlChannel {
  private readonly sock: Reply;
  private loop: Promise<void> | undefined;
  private stopping = false;
  endpoint = '';

  constructor(
    private readonly cfg: ControlConfig,
    private readonly stats: () => CollectorStats,
    private readonly log: (line: string) => void,
  ) {
    this.sock = new Reply({ linger: 0, receiveTimeout: POLL_MS, sendTimeout: 1000, maxMessageSize: MAX_REQUEST_BYTES });
  }

  /** Binds; returns the endpoint actually bound. Throws with the endpoint named when it cannot. */
  async start(): Promise<string> {
    try {
      await this.sock.bind(this.cfg.endpoint);
    } catch (err) {
      this.sock.close();
      throw new Error(`cannot bind control endpoint ${this.cfg.endpoint}: ${(err as Error).message}`);
    }
    this.endpoint = this.sock.lastEndpoint ?? this.cfg.endpoint;
    this.loop = this.run();
    return this.endpoint;
  }

  private async run(): Promise<void> {
    while (!this.stopping && !this.sock.closed) {
      let frames: Buffer[];
      try {
        frames = await this.sock.receive();
      } catch (err) {
        if (this.stopping || this.sock.closed) break;
        if ((err as { code?: string }).code !== 'EAGAIN') {
          this.log(`control: ${(err as Error).message}`);
          await new Promise((r) => setTimeout(r, 100));
        }
        continue;
      }
      const reply = this.answer(frames);
      try {
        await this.sock.send(JSON.stringify(reply));
      } catch (err) {
        if (this.stopping || this.sock.closed) break;
        this.log(`control: cannot reply: ${(err as Error).message}`);
      }
    }
  }

  /** Public for tests: the reply to one request. */
  answer(frames: readonly Buffer[]): { ok: true; stats: CollectorStats } | { ok: false; error: string } {
    const accepted = `send {"request":"${CONTROL_REQUESTS.join('"|"')}"}`;
    if (frames.length !== 1) return { ok: false, error: `expected 1 frame, got ${frames.length}; ${accepted}` };
    let req: unknown;
    try {
      req = JSON.parse(frames[0]!.toString('utf8'));
    } catch {
      return { ok: false, error: `request is not JSON; ${accepted}` };
    }
    const what = typeof req === 'object' && req !== null ? (req as { request?: unknown }).request : undefined;
    if (what === 'stats') return { ok: true, stats: this.stats() };
    return { ok: false, error: `unknown request ${JSON.stringify(what) ?? 'undefined'}; ${accepted}` };
  }

  /** Lets the loop notice (at most one poll interval), then closes: never closes under a pending read. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.loop;
    if (!this.sock.closed) this.sock.close();
  }
}

/**
 * Asks a collector's control channel for its stats (what `distlog stats` does).
 * Rejects with a message naming the endpoint when nothing answers in time.
 */
export async function queryStats(endpoint: string, timeoutMs = 3000): Promise<CollectorStats> {
  const req = new Request({ linger: 0, sendTimeout: timeoutMs, receiveTimeout: timeoutMs, maxMessageSize: 64 * 1024 * 1024 });
  try {
    req.connect(endpoint);
    await req.send(JSON.stringify({ request: 'stats' }));
    let reply: Buffer;
    try {
      [reply] = (await req.receive()) as [Buffer];
    } catch (err) {
      if ((err as { code?: string }).code === 'EAGAIN') {
        throw new Error(`no answer from ${endpoint} within ${timeoutMs} ms (is distlogd running with control.endpoint: ${endpoint}?)`);
      }
      throw err;
    }
    const parsed = JSON.parse(reply.toString('utf8')) as { ok: boolean; stats?: CollectorStats; error?: string };
    if (!parsed.ok || !parsed.stats) throw new Error(`${endpoint} refused the request: ${parsed.error ?? 'no stats in the reply'}`);
    return parsed.stats;
  } finally {
    req.close();
  }
}
