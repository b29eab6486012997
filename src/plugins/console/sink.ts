/**
 * The `console` plugin instance: formats a batch into one string and writes it
 * once, honouring the stream's backpressure so a slow terminal slows only this
 * plugin's queue, never the daemon.
 */
import type { Writable } from 'node:stream';
import type { LogEntry } from '../../protocol/log-entry.js';
import type { PluginInstance } from '../api.js';
import type { ConsoleOptions } from './config.js';
import { formatLine, type LineOptions } from './format.js';

export function colourWanted(mode: ConsoleOptions['color'], out: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (mode !== 'auto') return mode === 'always';
  // https://no-color.org: present and non-empty disables colour.
  return Boolean(out.isTTY) && !env.NO_COLOR;
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
