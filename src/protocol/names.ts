/**
 * Names of the topic's system and kind codes, as users write them in configs
 * and see them in file names: `T`/`test`, `S`/`staging`, `P`/`production`;
 * `L`/`log`, `P`/`perf` (also `performance`).
 */
import type { KindCode, SystemCode } from './log-entry.js';

export const SYSTEM_CODES: readonly SystemCode[] = ['T', 'S', 'P'];
export const KIND_CODES: readonly KindCode[] = ['L', 'P'];

export const SYSTEM_NAMES: Readonly<Record<SystemCode, string>> = { T: 'test', S: 'staging', P: 'production' };
export const KIND_NAMES: Readonly<Record<KindCode, string>> = { L: 'log', P: 'perf' };

/** Every word accepted for a system, with its code: the codes themselves and the names. */
export const SYSTEM_WORDS: Readonly<Record<string, SystemCode>> = { T: 'T', S: 'S', P: 'P', test: 'T', staging: 'S', production: 'P' };
/** Every word accepted for a kind, with its code. */
export const KIND_WORDS: Readonly<Record<string, KindCode>> = { L: 'L', P: 'P', log: 'L', perf: 'P', performance: 'P' };

export function isSystemCode(v: unknown): v is SystemCode {
  return v === 'T' || v === 'S' || v === 'P';
}

export function isKindCode(v: unknown): v is KindCode {
  return v === 'L' || v === 'P';
}
