/**
 * The MongoDB driver, loaded on first use: `distlogd` hands every built-in
 * factory to the collector, and a daemon without a mongodb plugin should not
 * carry the driver's ~23 MB of resident memory. `require` keeps it synchronous,
 * so config validation (which checks connection strings) can use it too.
 */
import { createRequire } from 'node:module';
import type * as MongoDriver from 'mongodb';

const load = createRequire(import.meta.url);
let driver: typeof MongoDriver | undefined;

export function mongo(): typeof MongoDriver {
  return (driver ??= load('mongodb') as typeof MongoDriver);
}
