/**
 * The `console` plugin instance: formats a batch into one string and writes it
 * once, honouring the stream's backpressure so a slow terminal slows only this
 * plugin's queue, never the daemon. A record that cannot be shown costs only
 * itself: it is counted dropped and a one-line note stands in its place.
 */
import type { Writable } from 'node:stream';
import { WriteStream } from 'node:tty';
import type { LogEntry } from '../../protocol/log-entry.js';
import { JsonLineWriter } from '../../protocol/json-line.js';
import type { ConsumeResult, PluginInstance } from '../api.js';
import type { ConsoleOptions } from './config.js';
import { fieldText, formatLine, printable, type LineOptions } from './format.js';

// JSON.stringify leaves these raw, and a terminal may act on them (C1 CSI, bidi
// reordering); as \uXXXX escapes they stay valid JSON that parses to the same text.
const TERMINAL_UNSAFE_IN_JSON = /[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function jsonForTerminal(text: string): string {
  TERMINAL_UNSAFE_IN_JSON.lastIndex = 0;
  if (!TERMINAL_UNSAFE_IN_JSON.test(text)) return text;
  return text.replace(TERMINAL_UNSAFE_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The line shown in place of a record that could not be formatted (the record is counted dropped). */
function unprintableLine(e: LogEntry, err: unknown): string {
  const why = err instanceof Error ? err.message : 'error';
  return printable(`[distlog console: record ${fieldText(e?.key)} not shown: ${why}]`) + '\n';
}

/** What the colour decision reads from the stream: a TTY's `hasColors()` when it has one. */
export interface ColourTarget {
  isTTY?: boolean;
  hasColors?: (env?: object) => boolean;
}

export function colourWanted(mode: ConsoleOptions['color'], out: ColourTarget, env: NodeJS.ProcessEnv = process.env): boolean {
  if (mode !== 'auto') return mode === 'always';
  // A pipe or a file gets colour only when FORCE_COLOR asks for it.
  if (!out.isTTY && env.FORCE_COLOR === undefined) return false;
  // Node's hasColors() reads the colour depth from TERM/COLORTERM and honours
  // NO_COLOR (https://no-color.org), NODE_DISABLE_COLORS and FORCE_COLOR.
  if (typeof out.hasColors === 'function') return out.hasColors(env);
  return WriteStream.prototype.hasColors.call(WriteStream.prototype, 16, env);
}

export class ConsoleSink implements PluginInstance {
  private readonly line: LineOptions;
  private readonly json = new JsonLineWriter();

  constructor(
    private readonly opts: ConsoleOptions,
    private readonly out: Writable & { isTTY?: boolean } = opts.stream === 'stderr' ? process.stderr : process.stdout,
  ) {
    this.line = { time: opts.time, attributes: opts.attributes, indent: opts.indent, color: colourWanted(opts.color, out) };
  }

  describe(): string {
    return `${this.opts.format} lines to ${this.opts.stream}${this.line.color ? ' (colour)' : ''}`;
  }

  start(): void {}

  consume(batch: readonly LogEntry[]): Promise<ConsumeResult | void> | ConsumeResult | void {
    let text = '';
    let dropped = 0;
    if (this.opts.format === 'json') {
      // JSON lines with the file plugin's rules: depth-bounded, a record that cannot
      // be encoded is left out alone (counted) and named on a line of its own.
      const w = this.json;
      w.reset();
      for (const e of batch) {
        try {
          w.appendLine(e);
        } catch (err) {
          dropped++;
          text += w.text() + unprintableLine(e, err);
          w.reset();
        }
      }
      text = jsonForTerminal(text + w.text());
      w.reset();
      w.trim();
    } else {
      for (const e of batch) {
        try {
          text += formatLine(e, this.line) + '\n';
        } catch (err) {
          // formatLine is written not to throw; should it ever, lose one line, not the batch.
          dropped++;
          text += unprintableLine(e, err);
        }
      }
    }
    const result = dropped ? { dropped } : undefined;
    if (this.out.write(text)) return result;
    return new Promise((resolve) => this.out.once('drain', () => resolve(result)));
  }

  flush(): void {}

  shutdown(): void {
    // The process's stdout/stderr are not ours to close.
  }
}
