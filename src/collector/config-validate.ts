/**
 * Validation of the collector's own config sections (everything but plugin
 * options, which each plugin's factory validates). Every check returns all
 * its errors so the user sees the whole list at once.
 */
import { checkEnum, checkInt, checkKeys, isPlainObject, joinPath, type ConfigError } from '../plugins/api.js';
import type { ControlConfig, QueueConfig, ReceiverConfig } from './config-types.js';

export const TOP_KEYS = ['receiver', 'control', 'stats', 'shutdown', 'plugins'] as const;
export const PLUGIN_KEYS = ['type', 'name', 'options', 'filter', 'queue'] as const;
const RECEIVER_KEYS = ['endpoints', 'maxMessageBytes', 'highWaterMark', 'reportIntervalSeconds'] as const;
const QUEUE_KEYS = ['maxEntries', 'maxBytes', 'batchMaxEntries', 'whenFull', 'blockTimeoutMs', 'consumeTimeoutMs', 'retry'] as const;
const RETRY_KEYS = ['maxAttempts', 'initialBackoffMs', 'maxBackoffMs'] as const;
const MAX = Number.MAX_SAFE_INTEGER;
/** libzmq's ZMQ_MAXMSGSIZE is an int64 but the binding takes a JS number; 1 GiB is plenty. */
const MAX_MESSAGE_BYTES = 1024 * 1024 * 1024;

function notMap(value: unknown, path: string): ConfigError[] {
  return isPlainObject(value) ? [] : [{ path, message: `expected a map, got ${JSON.stringify(value)}` }];
}

export function validateReceiver(r: ReceiverConfig, path = 'receiver'): ConfigError[] {
  const bad = notMap(r, path);
  if (bad.length) return bad;
  const errors = checkKeys(r as unknown as Record<string, unknown>, RECEIVER_KEYS, path);
  const ep = joinPath(path, 'endpoints');
  if (!Array.isArray(r.endpoints) || r.endpoints.length === 0) {
    errors.push({ path: ep, message: 'expected a non-empty list of endpoints', hint: 'e.g. - tcp://127.0.0.1:5010' });
  } else {
    r.endpoints.forEach((e: unknown, i) => {
      if (typeof e !== 'string' || !/^(tcp|ipc|inproc):\/\/.+/.test(e)) {
        errors.push({
          path: joinPath(ep, i),
          message: `invalid endpoint ${JSON.stringify(e)}`,
          hint: 'use tcp://HOST:PORT (PORT * = any free port), ipc://PATH or inproc://NAME',
        });
      }
    });
  }
  errors.push(...checkInt(r.maxMessageBytes, 64, MAX_MESSAGE_BYTES, joinPath(path, 'maxMessageBytes')));
  errors.push(...checkInt(r.highWaterMark, 0, MAX, joinPath(path, 'highWaterMark')));
  errors.push(...checkInt(r.reportIntervalSeconds, 0, 86_400, joinPath(path, 'reportIntervalSeconds')));
  return errors;
}

export function validateControl(c: ControlConfig, path = 'control'): ConfigError[] {
  const bad = notMap(c, path);
  if (bad.length) return bad;
  const errors = checkKeys(c as unknown as Record<string, unknown>, ['endpoint'], path);
  const e: unknown = c.endpoint;
  if (typeof e !== 'string' || (e !== '' && !/^(tcp|ipc|inproc):\/\/.+/.test(e))) {
    errors.push({
      path: joinPath(path, 'endpoint'),
      message: `invalid endpoint ${JSON.stringify(e)}`,
      hint: 'use tcp://HOST:PORT (e.g. tcp://127.0.0.1:5011), ipc://PATH, or "" for off',
    });
  }
  return errors;
}

export function validateSeconds(section: unknown, key: string, path: string): ConfigError[] {
  const bad = notMap(section, path);
  if (bad.length) return bad;
  const obj = section as Record<string, unknown>;
  return [...checkKeys(obj, [key], path), ...checkInt(obj[key], 0, 86_400, joinPath(path, key))];
}

export function validateQueue(q: QueueConfig, path: string): ConfigError[] {
  const bad = notMap(q, path);
  if (bad.length) return bad;
  const errors = checkKeys(q as unknown as Record<string, unknown>, QUEUE_KEYS, path);
  errors.push(...checkInt(q.maxEntries, 1, MAX, joinPath(path, 'maxEntries')));
  errors.push(...checkInt(q.maxBytes, 1024, MAX, joinPath(path, 'maxBytes')));
  errors.push(...checkInt(q.batchMaxEntries, 1, MAX, joinPath(path, 'batchMaxEntries')));
  errors.push(...checkEnum(q.whenFull, ['drop_newest', 'block'], joinPath(path, 'whenFull')));
  errors.push(...checkInt(q.blockTimeoutMs, 0, 86_400_000, joinPath(path, 'blockTimeoutMs')));
  errors.push(...checkInt(q.consumeTimeoutMs, 0, MAX, joinPath(path, 'consumeTimeoutMs')));
  const rp = joinPath(path, 'retry');
  const badRetry = notMap(q.retry, rp);
  if (badRetry.length) return [...errors, ...badRetry];
  const r = q.retry;
  errors.push(...checkKeys(r as unknown as Record<string, unknown>, RETRY_KEYS, rp));
  errors.push(...checkInt(r.maxAttempts, 1, 100, joinPath(rp, 'maxAttempts')));
  errors.push(...checkInt(r.initialBackoffMs, 0, 3_600_000, joinPath(rp, 'initialBackoffMs')));
  errors.push(...checkInt(r.maxBackoffMs, 0, 3_600_000, joinPath(rp, 'maxBackoffMs')));
  if (typeof r.maxBackoffMs === 'number' && typeof r.initialBackoffMs === 'number' && r.maxBackoffMs < r.initialBackoffMs) {
    errors.push({ path: joinPath(rp, 'maxBackoffMs'), message: 'must not be less than initialBackoffMs' });
  }
  return errors;
}

/** Plugin names appear in stats lines and messages; keep them plain. */
export function validateName(name: unknown, path: string): ConfigError[] {
  if (typeof name === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(name)) return [];
  return [{ path, message: `invalid name ${JSON.stringify(name)}`, hint: 'use 1-64 letters, digits, _ . -' }];
}
