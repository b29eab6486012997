/**
 * Finds the factory for a plugin `type`: a built-in name, a module path
 * (`./x.js`, `/abs/x.js`, `file:` URL; relative to the config's folder) or a
 * package name. A module default-exports its PluginFactory or exports `factory`.
 */
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { didYouMean, type PluginFactory } from '../plugins/api.js';
import { BUILTIN_PLUGINS } from './builtins.js';

export type FactoryLookup = { factory: PluginFactory<object> } | { error: string; hint?: string };

export function isModuleSpecifier(type: string): boolean {
  return type.startsWith('./') || type.startsWith('../') || type.startsWith('file:') || isAbsolute(type);
}

function looksLikeFactory(v: unknown): v is PluginFactory<object> {
  if (typeof v !== 'object' || v === null) return false;
  const f = v as Record<string, unknown>;
  return typeof f.type === 'string' && typeof f.validate === 'function' && typeof f.create === 'function' &&
    typeof f.defaults === 'object' && f.defaults !== null;
}

async function importFrom(type: string, baseDir: string): Promise<Record<string, unknown>> {
  if (isModuleSpecifier(type)) {
    const url = type.startsWith('file:') ? type : pathToFileURL(resolve(baseDir, type)).href;
    return (await import(url)) as Record<string, unknown>;
  }
  // A package name: first as the user's project sees it (node_modules above the
  // config folder), then as distlog's own installation does.
  try {
    const path = createRequire(join(baseDir, 'noop.js')).resolve(type);
    return (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch {
    return (await import(type)) as Record<string, unknown>;
  }
}

function resolveShown(type: string, baseDir: string): string {
  return type.startsWith('file:') ? type : resolve(baseDir, type);
}

export async function lookupFactory(
  type: string,
  baseDir: string,
  extra: ReadonlyMap<string, PluginFactory<object>> = new Map(),
): Promise<FactoryLookup> {
  const known = extra.get(type) ?? BUILTIN_PLUGINS.get(type);
  if (known) return { factory: known };
  let mod: Record<string, unknown>;
  try {
    mod = await importFrom(type, baseDir);
  } catch (err) {
    const builtins = [...BUILTIN_PLUGINS.keys(), ...extra.keys()];
    const guess = didYouMean(type, builtins);
    const e = err as { code?: string; message: string };
    // Only when *this* module is missing (not one it imports) is "not found" the whole story.
    const missing = isModuleSpecifier(type) ? resolveShown(type, baseDir) : `'${type}'`;
    const notFound = (e.code === 'ERR_MODULE_NOT_FOUND' || e.code === 'MODULE_NOT_FOUND') && e.message.includes(missing);
    const reason = notFound
      ? isModuleSpecifier(type) ? `no such module ${resolveShown(type, baseDir)}` : 'not a built-in plugin and no installed package of that name'
      : e.message.split('\n')[0];
    return {
      error: `cannot load plugin ${JSON.stringify(type)}: ${reason}`,
      hint: (guess ? `did you mean "${guess}"? ` : '') + `built-in types: ${builtins.join(', ')}; or a module path like ./my-plugin.js or an installed package name`,
    };
  }
  const candidate = looksLikeFactory(mod.default) ? mod.default : mod.factory;
  if (!looksLikeFactory(candidate)) {
    return {
      error: `module ${JSON.stringify(type)} exports no plugin factory`,
      hint: 'default-export (or export as `factory`) an object with type, defaults, validate() and create()',
    };
  }
  return { factory: candidate };
}
