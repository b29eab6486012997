/**
 * bench/stores/mongodb: records/s into FerretDB (or any MongoDB given by --uri)
 * through the mongodb plugin, beside a bare client's unordered insertMany of
 * the same documents in the same run (interleaved rounds, bench/lib/rounds.ts).
 *
 *   node --import tsx bench/stores/mongodb.ts [--records 20000] [--rounds 3] [--batch 1000] [--uri mongodb://...]
 *
 * Both contenders write into collections prepared alike beforehand (the
 * plugin's indexes made, outside the timing), in batches of --batch records:
 *   bare insertMany   documents already built, one insertMany per batch: what
 *                     the server takes from a client that does nothing else
 *   mongodb plugin    MongoSink.consume(batch of LogEntry): building the
 *                     documents (k/v attributes, escaping, content-hash ids)
 *                     and the same insertMany
 * Target (issue 9): the plugin reaches >= 70 % of the bare rate.
 * Without --uri a FerretDB is started (scripts/install.sh builds it).
 */
import { MongoClient } from 'mongodb';
import { MONGO_DEFAULTS, MongoSink, toDocument, type LogDocument } from '../../src/plugins/mongodb/index.js';
import type { LogEntry } from '../../src/protocol/index.js';
import { makeRecords } from '../codec/records.js';
import { interleave, ratioLine, type Summary } from '../lib/rounds.js';
import { FerretDB } from '../../test/helpers/ferretdb.js';

export interface MongoBenchOptions {
  records: number;
  rounds: number;
  batch: number;
  /** A running server; default: a FerretDB started for the run. */
  uri?: string;
}

const quiet = { info() {}, warn() {}, error() {} };

function chunks<T>(all: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < all.length; i += size) out.push(all.slice(i, i + size));
  return out;
}

/** Runs the comparison and prints its table and ratio; returns the summaries by contender name. */
export async function benchMongo(opts: MongoBenchOptions): Promise<Map<string, Summary>> {
  const server = opts.uri ? undefined : await FerretDB.start();
  const uri = opts.uri ?? server!.uri;
  const client = new MongoClient(uri);
  const dbNames: string[] = [];
  const sinks: MongoSink[] = [];
  try {
    console.log(`mongodb store bench: ${opts.records} records per round, batches of ${opts.batch}, ${server ? `FerretDB ${server.uri} (SQLite)` : uri}`);
    const entries: LogEntry[][] = chunks(makeRecords(opts.records), opts.batch);
    const docs: LogDocument[][] = entries.map((b) => b.map(toDocument));

    // Every round of every contender gets its own prepared database, made before the timing.
    const prepared = async (tag: string): Promise<MongoSink[]> => {
      const out: MongoSink[] = [];
      for (let r = 0; r < opts.rounds; r++) {
        const database = `bench_${tag}_${r}_${process.pid}`;
        dbNames.push(database);
        const s = new MongoSink({ ...MONGO_DEFAULTS, uri, database }, { logger: quiet });
        await s.start();
        sinks.push(s);
        out.push(s);
      }
      return out;
    };
    await prepared('bare');
    const pluginSinks = await prepared('plugin');
    let bareRound = 0;
    let pluginRound = 0;
    const results = await interleave(
      [
        {
          name: 'bare insertMany',
          run: async () => {
            const coll = client.db(dbNames[bareRound++]!).collection<LogDocument>('logs'); // the 'bare' databases come first
            // The documents carry their _id, so the driver inserts them as they are.
            for (const b of docs) await coll.insertMany(b, { ordered: false });
            return opts.records;
          },
        },
        {
          name: 'mongodb plugin',
          run: async () => {
            const s = pluginSinks[pluginRound++]!;
            for (const b of entries) await s.consume(b);
            return opts.records;
          },
        },
      ],
      opts.rounds,
    );
    console.log(ratioLine('plugin / bare insertMany', results.get('mongodb plugin')!, results.get('bare insertMany')!) + '   (target >= 0.70)');
    return results;
  } finally {
    for (const s of sinks) await s.shutdown();
    for (const name of dbNames) await client.db(name).dropDatabase().catch(() => undefined);
    await client.close();
    await server?.destroy();
  }
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const uri = arg('uri', '');
  await benchMongo({
    records: Number(arg('records', '20000')),
    rounds: Number(arg('rounds', '3')),
    batch: Number(arg('batch', '1000')),
    ...(uri ? { uri } : {}),
  });
}
