/**
 * The JSON Schema of a whole distlogd config, for editors: the collector's
 * sections from their schemas and, for each plugin factory given, its options'
 * schema under `if: { type: X } then: { options: ... }`, so yaml-language-server
 * completes and checks a plugin's options once its `type:` is written.
 * (`distlogd schema` prints it; a config opts in with the comment
 * `# yaml-language-server: $schema=./distlogd.schema.json`.)
 */
import { toJsonSchema, type PluginFactory } from '../plugins/api.js';
import { CollectorFileSchema } from './config-schema.js';
import { factoryMap } from './registry.js';

type Json = Record<string, unknown>;

export function configJsonSchema(plugins: readonly PluginFactory[] | ReadonlyMap<string, PluginFactory> = []): Json {
  const factories = [...factoryMap(plugins).values()];
  const root = toJsonSchema(CollectorFileSchema);
  const item = ((root.properties as Json).plugins as Json).items as Json;
  const props = item.properties as Json;
  const types = factories.map((f) => f.type);
  if (types.length) {
    // A built-in name (completed by editors) or anything else: a module path or a package.
    props.type = { anyOf: [{ enum: types }, props.type], description: (props.type as Json).description };
    item.allOf = factories.map((f) => ({
      if: { properties: { type: { const: f.type } }, required: ['type'] },
      then: { properties: { options: toJsonSchema(f.configSchema) } },
    }));
  }
  return { $schema: 'http://json-schema.org/draft-07/schema#', ...root };
}
