/**
 * Options of the `zmq-pub` plugin: one schema gives their type, defaults,
 * validation and JSON Schema.
 *
 * The memory a stalled subscriber can pin in the collector is about
 * sendHighWaterMark x maxEntriesPerMessage x record size (plus kernel socket
 * buffers): 1000 x 100 x ~500 B = ~50 MB with the defaults. Lower either for
 * many subscribers on a small machine.
 */
import { defaultsOf, Type, withMessage, type Static } from '../api.js';
import { DEFAULT_PUB_ENDPOINT } from '../../protocol/pub-topic.js';
import { ENDPOINT_HINT, ENDPOINT_PATTERN } from '../../protocol/endpoint.js';

export const ZmqPubOptionsSchema = Type.Object(
  {
    endpoint: withMessage(
      Type.String({
        pattern: ENDPOINT_PATTERN,
        default: DEFAULT_PUB_ENDPOINT,
        description: 'Where the PUB socket binds; subscribers connect here. tcp://HOST:* binds any free port.',
      }),
      (v) => ({ message: `invalid endpoint ${JSON.stringify(v)}`, hint: ENDPOINT_HINT }),
    ),
    encoding: Type.Union([Type.Literal('J'), Type.Literal('O')], {
      default: 'J',
      description: 'Payload encoding: J (JSON envelope, readable from any language) or O (OTLP protobuf, smaller and faster).',
    }),
    sendHighWaterMark: Type.Integer({
      minimum: 1,
      maximum: 1_000_000,
      default: 1000,
      description: 'Messages queued per subscriber (ZMQ_SNDHWM); past it ZeroMQ drops that subscriber\'s messages.',
    }),
    maxEntriesPerMessage: Type.Integer({
      minimum: 1,
      maximum: 100_000,
      default: 100,
      description: 'Records per published message at most; a larger group of a batch is split.',
    }),
    lingerMs: Type.Integer({
      minimum: 0,
      maximum: 60_000,
      default: 500,
      description: 'At shutdown, how long queued messages may still go out to subscribers.',
    }),
  },
  { additionalProperties: false, description: 'Options of the zmq-pub plugin: records re-published on a ZeroMQ PUB socket.' },
);

export type ZmqPubOptions = Static<typeof ZmqPubOptionsSchema>;

/** The defaults the schema declares (for tests and embedders building options by hand). */
export const ZMQ_PUB_DEFAULTS = defaultsOf(ZmqPubOptionsSchema) as ZmqPubOptions;
