/** Shared test helpers for the collector: entries, free ports, a PUSH sender, polling. */
import { createServer } from 'node:net';
import { Push } from 'zeromq';
import { encodeBatch, formatTopic } from '../../src/protocol/index.js';
import type { LogEntry } from '../../src/protocol/log-entry.js';
import { Type, type PluginFactory } from '../../src/plugins/api.js';

let n = 0;
export function entry(over: Partial<LogEntry> = {}): LogEntry {
  n++;
  return {
    v: 2,
    timeUnixNano: '1795568645885001000',
    level: 'INFO',
    severity: 9,
    logger: 'app',
    message: `hello ${n}`,
    attributes: {},
    resource: { 'service.name': 'svc' },
    system: 'T',
    kind: 'L',
    ...over,
  };
}

/** A free loopback TCP port (bind port 0, read it, release it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

export function goodMessage(entries: readonly LogEntry[], system: 'T' | 'S' | 'P' = 'T'): Buffer[] {
  return [formatTopic({ system, kind: 'L', encoding: 'J' }), Buffer.from(encodeBatch(entries, 'J'))];
}

export async function pushSocket(endpoint: string): Promise<Push> {
  const push = new Push({ linger: 2000, sendTimeout: 5000 });
  push.connect(endpoint);
  return push;
}

export async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A plugin of type `collect` that keeps every record it is given in `into`. */
export function collectingPlugin(into: LogEntry[]): PluginFactory {
  return {
    type: 'collect',
    configSchema: Type.Object({}, { additionalProperties: false }),
    create: () => ({ start() {}, consume: (b) => void into.push(...b), flush() {}, shutdown() {} }),
  };
}
