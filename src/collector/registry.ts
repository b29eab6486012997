/**
 * Finds the factory for a plugin `type`: one of the factories the distribution
 * handed in (the collector itself knows no plugin), a module path (`./x.js`,
 * `/abs/x.js`, `file:` URL; relative to the config's folder) or a package name.
 * A module default-exports its PluginFactory or exports `factory`. Loading a
 * module runs its code: `--check-config` does so too, to validate its options.
 */
import { createRequire, isBuiltin } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { didYouMean, factoryProblem, type PluginFactory } from '../plugins/api.js';

export type FactoryLookup = { factory: PluginFactory } | { error: string; hint?: string };

/** Factories by type; refuses two factories claiming one type, and anything that is not a factory. */
export function factoryMap(factories: readonly PluginFactory[] | ReadonlyMap<string, PluginFactory> = []): ReadonlyMap<string, PluginFactory> {
  const list: readonly PluginFactory[] = Array.isArray(factories) ? factories : [...(factories as ReadonlyMap<string, PluginFactory>).values()];
  const map = new Map<string, PluginFactory>();
  for (const f of list) {
    const problem = factoryProblem(f);
    if (problem) throw new TypeError(`not a plugin factory (${problem}): ${String((f as { type?: unknown })?.type)}`);
    if (map.has(f.type)) throw new TypeError(`two plugin factories for type "${f.type}"`);
    map.set(f.type, f);
  }
  return map;
}

export function isModuleSpecifier(type: string): boolean {
  return type.startsWith('./') || type.startsWith('../') || type.startsWith('file:') || isAbsolute(type);
}

async function importFrom(type: string, baseDir: string): Promise<Record<string, unknown>> {
  if (isModuleSpecifier(type)) {
    const url = type.startsWith('file:') ? type : pathToFileURL(resolve(baseDir, type)).href;
    return (await import(url)) as Record<string, unknown>;
  }
  // Node's own modules (`console`, `fs`) are never plugins, whatever the type says.
  if (isBuiltin(type)) throw Object.assign(new Error(`Cannot find package '${type}'`), { code: 'ERR_MODULE_NOT_FOUND' });
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
  known: ReadonlyMap<string, PluginFactory>,
): Promise<FactoryLookup> {
  const factory = known.get(type);
  if (factory) return { factory };
  let mod: Record<string, unknown>;
  try {
    mod = await importFrom(type, baseDir);
  } catch (err) {
    const builtins = [...known.keys()];
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
      hint: (guess ? `did you mean "${guess}"? ` : '') + `${builtins.length ? `built-in types: ${builtins.join(', ')}; or ` : ''}a module path like ./my-plugin.js or an installed package name`,
    };
  }
  const candidate = mod.default !== undefined && !factoryProblem(mod.default) ? mod.default : mod.factory ?? mod.default;
  const problem = factoryProblem(candidate);
  if (problem) {
    return {
      error: candidate === undefined ? `module ${JSON.stringify(type)} exports no plugin factory` : `module ${JSON.stringify(type)} exports no valid plugin factory: ${problem}`,
      hint: 'default-export (or export as `factory`) an object with type, configSchema (a TypeBox schema) and create()',
    };
  }
  return { factory: candidate as PluginFactory };
}
