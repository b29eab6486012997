/**
 * Reports records the file plugin had to drop alone (nested too deep, a
 * throwing getter): one warning line at most every few seconds, naming the
 * first record and the reason, with how many were dropped since the last line.
 * The counting itself is the router's (consume() returns `{ dropped }`).
 */
import type { LogEntry } from '../../protocol/log-entry.js';
import type { PluginLogger } from '../api.js';

const REPORT_INTERVAL_MS = 5_000;

export class RefusalReporter {
  private pending = 0;
  private first = '';
  private lastReport = -Infinity;

  constructor(
    private readonly logger: Pick<PluginLogger, 'warn'>,
    private readonly clock: () => number = Date.now,
  ) {}

  note(e: LogEntry, err: unknown): void {
    if (this.pending++ === 0) {
      const where = typeof e.key === 'string' ? `key ${JSON.stringify(e.key)}` : `logger ${JSON.stringify(String(e.logger))}`;
      this.first = `${where}: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  /** Logs what was noted, unless a line went out less than the interval ago. */
  flush(): void {
    if (this.pending === 0) return;
    const now = this.clock();
    if (now - this.lastReport < REPORT_INTERVAL_MS) return;
    this.logger.warn(`dropped ${this.pending} record${this.pending === 1 ? '' : 's'} that cannot be written as JSON (first: ${this.first}); their neighbours were written`);
    this.pending = 0;
    this.lastReport = now;
  }
}
