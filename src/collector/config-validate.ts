/**
 * Validation of a merged config: the collector's sections against their schema,
 * then each plugin item — its name, a unique name, its factory, and its options
 * against that factory's schema. Every problem is collected, none stops the rest.
 */
import { basename, extname } from 'node:path';
import { isPlainObject } from '../protocol/plain-object.js';
import { joinPath, validateConfig, withDefaults, type ConfigError, type PluginFactory } from '../plugins/api.js';
import { CollectorFileSchema, type QueueConfig } from './config-schema.js';
import type { PluginConfig } from './config-types.js';
import type { FilterConfig } from './filter.js';
import { isModuleSpecifier, lookupFactory } from './registry.js';

/** The name a plugin gets when the config gives none: its type, made plain. */
export function defaultName(type: string): string {
  if (!isModuleSpecifier(type)) return type.replace(/^@/, '').replace(/[^A-Za-z0-9_.-]/g, '-');
  return basename(type, extname(type)).replace(/[^A-Za-z0-9_.-]/g, '-') || 'plugin';
}

/** Checks the collector's own sections and each plugin item's envelope (not its options). */
export function validateSections(merged: unknown): ConfigError[] {
  return validateConfig(CollectorFileSchema, merged);
}

/**
 * Resolves every plugin item whose envelope is sound to its factory and
 * validated options. Items the schema already refused are skipped quietly.
 */
export async function resolvePlugins(
  items: unknown,
  baseDir: string,
  known: ReadonlyMap<string, PluginFactory>,
  errors: ConfigError[],
): Promise<PluginConfig[]> {
  if (!Array.isArray(items)) return [];
  const out: PluginConfig[] = [];
  const seen = new Map<string, number>();
  for (let i = 0; i < items.length; i++) {
    const item: unknown = items[i];
    const path = joinPath('plugins', i);
    if (!isPlainObject(item) || typeof item.type !== 'string' || item.type === '') continue;
    const type = item.type;
    const explicit = item.name !== undefined;
    const name = explicit ? item.name : defaultName(type);
    if (typeof name === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(name)) {
      const prev = seen.get(name);
      if (prev !== undefined) {
        errors.push({
          path: joinPath(path, explicit ? 'name' : 'type'),
          message: `duplicate plugin name "${name}": plugins[${prev}] has it too`,
          hint: 'give each plugin a unique `name:`',
        });
      }
      seen.set(name, i);
    }
    const found = await lookupFactory(type, baseDir, known);
    if ('error' in found) {
      errors.push({ path: joinPath(path, 'type'), message: found.error, ...(found.hint ? { hint: found.hint } : {}) });
      continue;
    }
    const optPath = joinPath(path, 'options');
    if (item.options !== undefined && item.options !== null && !isPlainObject(item.options)) continue; // reported by the schema
    const schema = found.factory.configSchema;
    let options: Record<string, unknown> = {};
    try {
      options = withDefaults(schema, item.options ?? {}) as Record<string, unknown>;
      errors.push(...validateConfig(schema, options, optPath));
    } catch (err) {
      // A third-party schema TypeBox cannot evaluate (e.g. an unregistered custom kind).
      errors.push({ path: optPath, message: `the plugin's configSchema cannot be checked: ${(err as Error).message}` });
    }
    out.push({ name: name as string, type, factory: found.factory, options, filter: item.filter as FilterConfig, queue: item.queue as QueueConfig });
  }
  return out;
}
