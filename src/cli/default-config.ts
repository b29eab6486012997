/**
 * The distribution's embedded default config: what distlogd runs without
 * `--config`, and what a config file is merged over. The collector's sections
 * are written out from their schemas' defaults (stated once, there); the
 * plugin list is this distribution's choice.
 */
import { stringify } from 'yaml';
import { CollectorFileSchema } from '../collector/index.js';
import { defaultsOf } from '../plugins/api.js';

/** Console lines plus JSON-lines files under ./distlog-data. */
export const DEFAULT_PLUGINS = [{ type: 'console' }, { type: 'file', options: { directory: './distlog-data' } }];

export const DEFAULT_CONFIG_YAML =
  '# distlogd embedded default configuration (distlogd default-config prints it;\n' +
  '# distlogd schema prints the JSON Schema editors check it against)\n' +
  stringify({ ...(defaultsOf(CollectorFileSchema) as Record<string, unknown>), plugins: DEFAULT_PLUGINS });
