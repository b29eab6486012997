/** The `zmq-pub` plugin: records re-published on a ZeroMQ PUB socket, topic `SKE|service|LEVEL`. */
import type { PluginFactory } from '../api.js';
import { ZmqPubOptionsSchema } from './schema.js';
import { ZmqPubSink } from './plugin.js';

export const zmqPubPlugin: PluginFactory<typeof ZmqPubOptionsSchema> = {
  type: 'zmq-pub',
  configSchema: ZmqPubOptionsSchema,
  create: (options, ctx) => new ZmqPubSink(options, ctx),
};

export { ZmqPubSink } from './plugin.js';
export type { ZmqPubCounters } from './plugin.js';
export { ZmqPubOptionsSchema, ZMQ_PUB_DEFAULTS } from './schema.js';
export type { ZmqPubOptions } from './schema.js';
