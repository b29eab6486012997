/**
 * Loads a distlogd config: YAML text (or the embedded default) → `${ENV}`
 * substitution → merge over defaults → validation of every section and every
 * plugin's options by its factory → a CollectorConfig. All problems are
 * collected and returned together, each with its path, line:column and hint.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, resolve } from 'node:path';
import { LineCounter, parse as parseYaml, parseDocument } from 'yaml';
import { checkKeys, isPlainObject, joinPath, mergeOptions, type ConfigError, type PluginFactory } from '../plugins/api.js';
import { DEFAULT_CONFIG_YAML, DEFAULT_CONTROL, DEFAULT_QUEUE, DEFAULT_RECEIVER, type CollectorConfig, type PluginConfig, type QueueConfig } from './config-types.js';
import { PLUGIN_KEYS, TOP_KEYS, validateControl, validateName, validateQueue, validateReceiver, validateSeconds } from './config-validate.js';
import { substituteEnv, type Env } from './env.js';
import { compileFilter, validateFilter } from './filter.js';
import { isModuleSpecifier, lookupFactory } from './registry.js';
import { attachPositions } from './yaml-positions.js';

export type ConfigSource = { path: string } | { text: string; baseDir?: string; name?: string } | undefined;

export interface LoadOptions {
  env?: Env;
  /** Extra factories by type (embedding, tests); they win over built-ins. */
  plugins?: readonly PluginFactory<object>[];
}

export interface CheckResult {
  config?: CollectorConfig;
  errors: ConfigError[];
  /** The file name, or `(embedded default)` / `(text)`. */
  source: string;
}

export const EMBEDDED_SOURCE = '(embedded default)';

export function formatConfigError(e: ConfigError, source?: string): string {
  const where = source ? (e.line ? `${source}:${e.line}:${e.col}` : source) : e.line ? `${e.line}:${e.col}` : '';
  const parts = [where, e.path].filter(Boolean).join(': ');
  return `${parts ? `${parts}: ` : ''}${e.message}${e.hint ? ` (${e.hint})` : ''}`;
}

export class ConfigLoadError extends Error {
  constructor(readonly errors: ConfigError[], readonly source: string) {
    const n = errors.length;
    super(`${n} config error${n === 1 ? '' : 's'} in ${source}:\n` + errors.map((e) => '  ' + formatConfigError(e, source)).join('\n'));
    this.name = 'ConfigLoadError';
  }
}

/** Validates and resolves; never throws for a bad config (only the errors list says so). */
export async function checkConfig(source: ConfigSource, options: LoadOptions = {}): Promise<CheckResult> {
  let text = DEFAULT_CONFIG_YAML;
  let baseDir = process.cwd();
  let name = EMBEDDED_SOURCE;
  if (source && 'path' in source) {
    name = source.path;
    baseDir = dirname(resolve(source.path));
    try {
      text = await readFile(source.path, 'utf8');
    } catch (err) {
      return { errors: [{ path: '', message: `cannot read config file: ${(err as Error).message}` }], source: name };
    }
  } else if (source) {
    text = source.text;
    baseDir = resolve(source.baseDir ?? process.cwd());
    name = source.name ?? '(text)';
  }

  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    const errors = doc.errors.map((e) => {
      const pos = lines.linePos(e.pos[0]);
      return { path: '', message: `YAML syntax: ${e.message.split('\n')[0]}`, line: pos.line, col: pos.col } as ConfigError;
    });
    return { errors, source: name };
  }
  const errors = substituteEnv(doc, options.env ?? process.env);
  const envErrors = errors.length;
  const user: unknown = doc.toJS() ?? {};
  if (!isPlainObject(user)) {
    errors.push({ path: '', message: 'the config must be a map', hint: `top-level keys: ${TOP_KEYS.join(', ')}` });
    attachPositions(errors, doc, lines);
    return { errors, source: name };
  }
  errors.push(...checkKeys(user, TOP_KEYS, ''));
  const defaults = parseYaml(DEFAULT_CONFIG_YAML) as Record<string, unknown>;
  const merged = mergeOptions(defaults, user);

  const receiver = mergeOptions(DEFAULT_RECEIVER, merged.receiver);
  errors.push(...validateReceiver(receiver));
  const control = mergeOptions(DEFAULT_CONTROL, merged.control);
  errors.push(...validateControl(control));
  const stats = merged.stats as { intervalSeconds: number };
  errors.push(...validateSeconds(stats, 'intervalSeconds', 'stats'));
  const shutdown = merged.shutdown as { drainTimeoutSeconds: number };
  errors.push(...validateSeconds(shutdown, 'drainTimeoutSeconds', 'shutdown'));

  const extra = new Map((options.plugins ?? []).map((f) => [f.type, f] as const));
  const plugins = await resolvePlugins(merged.plugins, baseDir, extra, errors);

  attachPositions(errors, doc, lines);
  if (errors.length) return { errors: tidy(errors, envErrors), source: name };
  return { config: { receiver, control, stats, shutdown, plugins, baseDir, source: name }, errors, source: name };
}

/** Like checkConfig, but throws ConfigLoadError listing every problem. */
export async function loadConfig(source: ConfigSource, options: LoadOptions = {}): Promise<CollectorConfig> {
  const result = await checkConfig(source, options);
  if (!result.config) throw new ConfigLoadError(result.errors, result.source);
  return result.config;
}

/**
 * A value whose variable is unset also fails its type check; report only the
 * cause. Then order by position so the list reads top to bottom like the file.
 */
function tidy(errors: ConfigError[], envErrors: number): ConfigError[] {
  const envPaths = new Set(errors.slice(0, envErrors).map((e) => e.path));
  const kept = errors.filter((e, i) => i < envErrors || !envPaths.has(e.path));
  const at = (e: ConfigError) => (e.line === undefined ? Infinity : e.line * 1e4 + (e.col ?? 0));
  return kept.map((e, i) => [e, i] as const).sort((a, b) => at(a[0]) - at(b[0]) || a[1] - b[1]).map(([e]) => e);
}

function defaultName(type: string): string {
  if (!isModuleSpecifier(type)) return type.replace(/^@/, '').replace(/[^A-Za-z0-9_.-]/g, '-');
  return basename(type, extname(type)).replace(/[^A-Za-z0-9_.-]/g, '-') || 'plugin';
}

async function resolvePlugins(
  raw: unknown,
  baseDir: string,
  extra: ReadonlyMap<string, PluginFactory<object>>,
  errors: ConfigError[],
): Promise<PluginConfig[]> {
  if (!Array.isArray(raw)) {
    errors.push({ path: 'plugins', message: 'expected a list of plugins', hint: 'e.g. plugins: [{ type: console }]' });
    return [];
  }
  const out: PluginConfig[] = [];
  const seen = new Map<string, number>();
  for (let i = 0; i < raw.length; i++) {
    const path = joinPath('plugins', i);
    const item: unknown = raw[i];
    if (!isPlainObject(item)) {
      errors.push({ path, message: 'expected a map with at least `type`', hint: 'e.g. - type: file' });
      continue;
    }
    errors.push(...checkKeys(item, PLUGIN_KEYS, path));
    if (typeof item.type !== 'string' || item.type === '') {
      errors.push({ path: joinPath(path, 'type'), message: 'missing plugin type', hint: 'a built-in name (console, file), a module path or a package name' });
      continue;
    }
    const type = item.type;
    const name = item.name === undefined ? defaultName(type) : item.name;
    const nameErrors = validateName(name, joinPath(path, 'name'));
    errors.push(...nameErrors);
    if (!nameErrors.length) {
      const prev = seen.get(name as string);
      if (prev !== undefined) {
        errors.push({
          path: joinPath(path, item.name === undefined ? 'type' : 'name'),
          message: `duplicate plugin name "${name}": plugins[${prev}] has it too`,
          hint: 'give each plugin a unique `name:`',
        });
      }
      seen.set(name as string, i);
    }
    const filter = item.filter ?? {};
    errors.push(...validateFilter(filter, joinPath(path, 'filter')));
    const queue = mergeOptions(DEFAULT_QUEUE, item.queue ?? {}) as QueueConfig;
    errors.push(...validateQueue(queue, joinPath(path, 'queue')));

    const found = await lookupFactory(type, baseDir, extra);
    if ('error' in found) {
      errors.push({ path: joinPath(path, 'type'), message: found.error, hint: found.hint });
      continue;
    }
    const optPath = joinPath(path, 'options');
    if (item.options !== undefined && item.options !== null && !isPlainObject(item.options)) {
      errors.push({ path: optPath, message: `expected a map, got ${JSON.stringify(item.options)}` });
      continue;
    }
    const options = mergeOptions(found.factory.defaults as Record<string, unknown>, item.options ?? {});
    try {
      errors.push(...found.factory.validate(options, optPath));
    } catch (err) {
      errors.push({ path: optPath, message: `plugin validate() threw: ${(err as Error).message}` });
    }
    out.push({ name: name as string, type, factory: found.factory, options, filter: filter as PluginConfig['filter'], queue });
  }
  // Compile filters now so a config that validates can never fail later at startup.
  for (const p of out) compileFilter(p.filter);
  return out;
}
