/**
 * What the plugin makes at start, per collection: the collection itself when
 * it should be capped, then the indexes the store's queries use:
 *
 *   task_seq    { task: 1, seq: 1 }                 one task's records (taskRecords)
 *   time        { time: 1 } (+ TTL when ttlDays)   recent tasks, records after a cursor, retention
 *   level       { level: 1 }                        "errors only" views
 *   service     { service: 1 }                      one service's records
 *   attributes  { 'attributes.k': 1, 'attributes.v': 1 }  any attribute by name and value
 *
 * Retention: real MongoDB gets a TTL index on `time`. FerretDB answers
 * NotImplemented to TTL indexes: the plugin says so at start, keeps a plain
 * `time` index and points to the `capped` option. A server refusing one index
 * costs that index (a warning), never the plugin's start.
 */
import type { Db, IndexDescription } from 'mongodb';
import { mongo } from './driver.js';
import type { MongoOptions } from './schema.js';

export interface SetupReport {
  /** Start-up warnings, already worded for the operator. */
  warnings: string[];
  /** collection.index name → what happened ('created', 'exists', or the refusal). */
  indexes: Record<string, string>;
}

const NAMESPACE_EXISTS = 48;
const INDEX_OPTIONS_CONFLICT = 85;
const INDEX_KEY_SPECS_CONFLICT = 86;

function indexesFor(opts: MongoOptions, ttl: boolean): IndexDescription[] {
  const time: IndexDescription = { key: { time: 1 }, name: 'time' };
  if (ttl) time.expireAfterSeconds = Math.round(opts.ttlDays * 86_400);
  return [
    { key: { task: 1, seq: 1 }, name: 'task_seq' },
    time,
    { key: { level: 1 }, name: 'level' },
    { key: { service: 1 }, name: 'service' },
    { key: { 'attributes.k': 1, 'attributes.v': 1 }, name: 'attributes' },
  ];
}

const codeName = (err: unknown) => (err instanceof mongo().MongoServerError ? `${err.codeName ?? err.code}: ${err.message}` : (err as Error).message);
const isServerRefusal = (err: unknown) => err instanceof mongo().MongoServerError;

async function makeCapped(db: Db, name: string, opts: MongoOptions, report: SetupReport): Promise<void> {
  const { sizeBytes, maxDocuments } = opts.capped;
  if (!sizeBytes) return;
  const [existing] = await db.listCollections({ name }, { nameOnly: false }).toArray();
  if (existing) {
    const capped = (existing as { options?: { capped?: boolean } }).options?.capped === true;
    if (!capped) report.warnings.push(`collection ${name} already exists and is not capped: capped.sizeBytes applies only to a collection the plugin creates (convert it with convertToCapped, or drop it)`);
    return;
  }
  try {
    await db.createCollection(name, { capped: true, size: sizeBytes, ...(maxDocuments ? { max: maxDocuments } : {}) });
  } catch (err) {
    if (err instanceof mongo().MongoServerError && err.code === NAMESPACE_EXISTS) return; // another collector made it first
    if (!isServerRefusal(err)) throw err;
    report.warnings.push(`collection ${name}: the server refused a capped collection (${codeName(err)}); records are kept without a size limit`);
  }
}

/** Prepares one collection. Throws only when the server cannot be reached (so start/consume retry it). */
export async function prepareCollection(db: Db, name: string, opts: MongoOptions): Promise<SetupReport> {
  const report: SetupReport = { warnings: [], indexes: {} };
  await makeCapped(db, name, opts, report);
  if (!opts.createIndexes) return report;
  const coll = db.collection(name);
  const existing = new Set<string>();
  try {
    for (const ix of await coll.listIndexes().toArray()) existing.add(String(ix.name));
  } catch (err) {
    // NamespaceNotFound: the collection does not exist yet; createIndexes makes it.
    if (!(err instanceof mongo().MongoServerError && err.code === 26)) throw err;
  }
  const ttl = opts.ttlDays > 0;
  for (const ix of indexesFor(opts, ttl)) {
    const where = `${name}.${ix.name!}`;
    try {
      await coll.createIndexes([ix]);
      report.indexes[where] = existing.has(ix.name!) ? 'exists' : 'created';
    } catch (err) {
      if (!isServerRefusal(err)) throw err;
      if (err instanceof mongo().MongoServerError && (err.code === INDEX_OPTIONS_CONFLICT || err.code === INDEX_KEY_SPECS_CONFLICT)) {
        report.indexes[where] = 'exists with other options';
        report.warnings.push(`collection ${name}: index ${ix.name!} exists with other options (${codeName(err)}); kept as is (to change ttlDays on MongoDB use collMod, or drop the index)`);
        continue;
      }
      if (ix.expireAfterSeconds !== undefined) {
        report.warnings.push(
          `collection ${name}: this server has no TTL indexes (${codeName(err)}), so ttlDays=${opts.ttlDays} cannot expire records. ` +
            'Use the `capped` option (a size-bounded collection, created by the plugin) or delete old records yourself; TTL needs real MongoDB',
        );
        try {
          await coll.createIndexes([{ key: { time: 1 }, name: 'time' }]);
          report.indexes[where] = 'created without TTL';
        } catch (err2) {
          if (!isServerRefusal(err2)) throw err2;
          report.indexes[where] = codeName(err2);
        }
        continue;
      }
      report.indexes[where] = codeName(err);
      report.warnings.push(`collection ${name}: index ${ix.name!} not created (${codeName(err)}); queries using it will scan`);
    }
  }
  return report;
}
