/** The `mongodb` plugin: records as documents in any MongoDB-protocol server (MongoDB, FerretDB). */
import type { PluginFactory } from '../api.js';
import { MongoOptionsSchema } from './schema.js';
import { MongoSink } from './plugin.js';

export const mongodbPlugin: PluginFactory<typeof MongoOptionsSchema> = {
  type: 'mongodb',
  configSchema: MongoOptionsSchema,
  create: (options, ctx) => new MongoSink(options, ctx),
};

export { MongoSink, isTransient, redactUri, type MongoPluginCounters } from './plugin.js';
export { MongoOptionsSchema, MONGO_DEFAULTS, uriProblem, type MongoOptions } from './schema.js';
export { toDocument, fromDocument, documentId, escapeKey, unescapeKey, type LogDocument, type KeyValue } from './document.js';
export { MongoStoreReader, openMongoStore } from './reader.js';
export { prepareCollection, type SetupReport } from './setup.js';
