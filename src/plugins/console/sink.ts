/**
 * The `console` plugin instance: formats a batch into one string and writes it
 * once, honouring the stream's backpressure so a slow terminal slows only this
 * plugin's queue, never the daemon.
 */
import type { Writable } from 'node:stream';
import { WriteStream } from 'node:tty';
import type { LogEntry } from '../../protocol/log-entry.js';
import type { PluginInstance } from '../api.js';
import type { ConsoleOptions } from './config.js';
import { formatLine, type LineOptions } from './format.js';

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

  consume(batch: readonly LogEntry[]): Promise<void> | void {
    let text = '';
    if (this.opts.format === 'json') for (const e of batch) text += JSON.stringify(e) + '\n';
    else for (const e of batch) text += formatLine(e, this.line) + '\n';
    if (this.out.write(text)) return;
    return new Promise((resolve) => this.out.once('drain', resolve));
  }

  flush(): void {}

  shutdown(): void {
    // The process's stdout/stderr are not ours to close.
  }
}
