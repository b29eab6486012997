/**
 * The distlogd distribution's components: the plugin factories this build
 * offers by type name. The collector core knows no plugin; like an OpenTelemetry
 * Collector distribution, the CLI hands this list to it (`loadConfig(..., {
 * plugins: BUILTIN_PLUGINS })`) and to `configJsonSchema`. A custom build adds
 * its own factories here, or an embedder passes its own list.
 */
import type { PluginFactory } from '../plugins/api.js';
import { consolePlugin } from '../plugins/console/index.js';
import { filePlugin } from '../plugins/file/index.js';
import { mongodbPlugin } from '../plugins/mongodb/index.js';
import { otlpPlugin } from '../plugins/otlp/index.js';
import { redisPlugin } from '../plugins/redis/index.js';
import { webPlugin } from '../viewer/web/index.js';
import { zmqPubPlugin } from '../plugins/zmq-pub/index.js';

export const BUILTIN_PLUGINS: readonly PluginFactory[] = [consolePlugin, filePlugin, mongodbPlugin, otlpPlugin, redisPlugin, webPlugin, zmqPubPlugin];
