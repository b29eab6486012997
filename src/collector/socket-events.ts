/**
 * Watches a listening socket's ZeroMQ monitor events and turns the ones a user
 * must hear about into counters and rate-limited report lines. The case that
 * made this necessary (issue 6): at a 256-descriptor limit, 300 idle TCP
 * connections made libzmq fail every further accept (EMFILE) and a legitimate
 * producer was shut out without a word. libzmq retries a failed accept as long
 * as the connection waits, so `acceptFailed` counts attempts, not peers.
 *
 * Reads the observer with its own loop (not zeromq.js's emitter mode, whose
 * loop has no catch): a monitor that ends with its socket must not become an
 * unhandled rejection.
 */
import type { Socket } from 'zeromq';

export interface ConnectionCounters {
  /** Connections accepted (TCP/IPC peers that connected). */
  accepted: number;
  /** Connections that ended. */
  disconnected: number;
  /** Failed accept attempts (EMFILE: descriptor limit reached, ENFILE, ENOBUFS...). */
  acceptFailed: number;
  /** Peers whose ZMTP handshake failed (not a ZeroMQ peer, wrong protocol). */
  handshakeFailed: number;
  /** The latest accept failure, e.g. `EMFILE: Too many open files`. */
  lastAcceptError?: string;
}

interface MonitorEvent {
  type: string;
  address?: string;
  error?: Error & { code?: string };
}

export class SocketEventWatcher {
  private readonly c: ConnectionCounters = { accepted: 0, disconnected: 0, acceptFailed: 0, handshakeFailed: 0 };
  private lastReport = -Infinity;
  private suppressed = 0;
  private loop: Promise<void> | undefined;
  private closed = false;
  private observer: Socket['events'] | undefined;

  constructor(
    private readonly sock: Socket,
    private readonly what: string,
    private readonly log: (line: string) => void,
    private readonly reportIntervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  counters(): ConnectionCounters {
    return { ...this.c };
  }

  start(): void {
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    const events = (this.observer = this.sock.events);
    while (!this.closed && !events.closed) {
      let ev: MonitorEvent;
      try {
        ev = (await events.receive()) as MonitorEvent;
      } catch {
        // The monitor ends with its socket (or was closed by close()).
        return;
      }
      this.handle(ev);
      if (ev.type === 'end') return;
    }
  }

  /** Public for tests: one monitor event. */
  handle(ev: MonitorEvent): void {
    switch (ev.type) {
      case 'accept':
        this.c.accepted++;
        break;
      case 'disconnect':
        this.c.disconnected++;
        break;
      case 'handshake:error:protocol':
      case 'handshake:error:auth':
      case 'handshake:error:other':
        this.c.handshakeFailed++;
        break;
      case 'accept:error': {
        this.c.acceptFailed++;
        const e = ev.error;
        const text = e ? `${e.code ?? 'error'}: ${e.message}` : 'unknown error';
        this.c.lastAcceptError = text;
        this.reportAcceptFailure(text, ev.address);
        break;
      }
      default:
        break;
    }
  }

  private reportAcceptFailure(text: string, address: string | undefined): void {
    const t = this.now();
    if (t - this.lastReport < this.reportIntervalMs) {
      this.suppressed++;
      return;
    }
    const more = this.suppressed ? ` (+${this.suppressed} more since last report)` : '';
    const hint = /EMFILE|ENFILE/.test(text)
      ? `; the process is out of file descriptors (${this.c.accepted - this.c.disconnected} connections open): raise the limit (ulimit -n, systemd LimitNOFILE) — producers cannot connect until then`
      : '';
    this.log(`${this.what}: cannot accept a connection${address ? ` on ${address}` : ''}: ${text}${hint}${more}`);
    this.lastReport = t;
    this.suppressed = 0;
  }

  async close(): Promise<void> {
    this.closed = true;
    // With its socket closed the monitor ends on its own ('end'); closing it
    // again then fails with ENOTSOCK.
    try {
      if (this.observer && !this.observer.closed && !this.sock.closed) this.observer.close();
    } catch {
      // already gone
    }
    await this.loop;
  }
}
