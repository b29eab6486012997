/**
 * The Redis client as the plugin and the reader use it. Two choices matter for
 * outages:
 * - `disableOfflineQueue`: while disconnected, a command fails at once instead
 *   of waiting in the client's own (unbounded) queue; the batch then waits in
 *   the plugin's bounded lane queue, where it is counted and, over the bound,
 *   dropped and counted.
 * - a reconnect strategy that backs off to `reconnectMaxDelayMs` and never
 *   gives up (the collector must recover by itself when the server returns).
 */
import type { RedisClientType } from 'redis';
import { redisDriver } from './driver.js';

export type Client = RedisClientType;

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

export interface ClientOptions {
  connectTimeoutMs: number;
  /** Reconnect backoff ceiling; `false` = do not reconnect (one-shot readers such as the CLI). */
  reconnectMaxDelayMs: number | false;
}

export function makeClient(url: string, o: ClientOptions): Client {
  const maxDelay = o.reconnectMaxDelayMs;
  return redisDriver().createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: o.connectTimeoutMs,
      reconnectStrategy: maxDelay === false ? false : (retries: number) => Math.min(50 * 2 ** Math.min(retries, 16), maxDelay),
    },
  }) as Client;
}

/** A short, useful reason from a connection error (AggregateError from dual-stack connects included). */
export function reasonOf(err: unknown): string {
  const e = err as { code?: string; message?: string; errors?: unknown[] };
  if (e?.code) return e.code;
  if (Array.isArray(e?.errors) && e.errors.length) return reasonOf(e.errors[0]);
  return e?.message || String(err);
}
