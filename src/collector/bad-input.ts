/**
 * Counts refused input by reason and reports it without flooding: at most one
 * line per reason per interval, carrying how many were suppressed since the
 * previous line and the sender's topic when it is known. A broken producer
 * sending thousands of bad messages a second costs a counter increment each.
 */
export type BadInputReason = 'frames' | 'topic' | 'size' | 'encoding' | 'pickle' | 'json' | 'schema' | 'entry_count' | 'entry' | 'internal';

interface ReasonState {
  count: number;
  lastReport: number;
  suppressed: number;
}

export class BadInputReporter {
  private readonly reasons = new Map<string, ReasonState>();

  constructor(
    private readonly log: (line: string) => void,
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** `n` lets per-entry errors count entries, not messages. */
  record(reason: BadInputReason, detail: string, topic?: string, n = 1): void {
    let s = this.reasons.get(reason);
    if (!s) {
      s = { count: 0, lastReport: -Infinity, suppressed: 0 };
      this.reasons.set(reason, s);
    }
    s.count += n;
    const t = this.now();
    if (t - s.lastReport < this.intervalMs) {
      s.suppressed += n;
      return;
    }
    const from = topic !== undefined ? ` from topic ${JSON.stringify(topic)}` : '';
    const since = s.suppressed ? ` (+${s.suppressed} more since last report)` : '';
    this.log(`bad input [${reason}]${from}: ${detail}${since}`);
    s.lastReport = t;
    s.suppressed = 0;
  }

  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [reason, s] of this.reasons) out[reason] = s.count;
    return out;
  }
}
