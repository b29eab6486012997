/**
 * Loads a distlogd config: YAML text (or the distribution's base config) →
 * `${ENV}` substitution → merge over the schemas' defaults → validation of every
 * section and every plugin's options against its schema → a CollectorConfig.
 * All problems are collected and returned together, each with its path,
 * line:column and hint.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument, visit, type Document } from 'yaml';
import { isPlainObject } from '../protocol/plain-object.js';
import { defaultsOf, mergeOptions, type ConfigError, type PluginFactory } from '../plugins/api.js';
import { CollectorFileSchema, PluginEntrySchema } from './config-schema.js';
import type { CollectorConfig } from './config-types.js';
import { resolvePlugins, validateSections } from './config-validate.js';
import { substituteEnv, type Env } from './env.js';
import { compileFilter } from './filter.js';
import { factoryMap } from './registry.js';
import { attachPositions } from './yaml-positions.js';

export type ConfigSource = { path: string } | { text: string; baseDir?: string; name?: string } | undefined;

export interface LoadOptions {
  env?: Env;
  /**
   * The plugin factories this build offers, by type: the distlogd distribution
   * passes its built-ins (src/cli/components.ts), an embedder its own. Types not
   * among them are loaded as module paths or package names.
   */
  plugins?: readonly PluginFactory[] | ReadonlyMap<string, PluginFactory>;
  /**
   * YAML the config is merged over, and the whole config when there is no
   * source: the distribution's embedded default. Without it, the schemas'
   * defaults and no plugins.
   */
  baseConfig?: string;
}

export interface CheckResult {
  config?: CollectorConfig;
  errors: ConfigError[];
  /** The file name, or `(embedded default)` / `(text)`. */
  source: string;
}

export const EMBEDDED_SOURCE = '(embedded default)';

/**
 * Aliases (`*name`) a config may expand: YAML's anchors let a few lines expand
 * to billions of nodes (the "billion laughs"); a real config needs a handful.
 */
const MAX_ALIAS_COUNT = 100;

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

/** The parsed document as plain data, or the error saying why it cannot be (an alias bomb). */
function toData(doc: Document, lines: LineCounter): { data: unknown } | { error: ConfigError } {
  try {
    return { data: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown };
  } catch (err) {
    let at: number | undefined;
    visit(doc, {
      Alias(_, node) {
        at = node.range?.[0];
        return visit.BREAK;
      },
    });
    const pos = at === undefined ? undefined : lines.linePos(at);
    return {
      error: {
        path: '',
        message: `YAML aliases expand too far: ${(err as Error).message.split('\n')[0]}`,
        hint: `at most ${MAX_ALIAS_COUNT} alias expansions; write the values out instead of nesting anchors`,
        ...(pos ? { line: pos.line, col: pos.col } : {}),
      },
    };
  }
}

/** Validates and resolves; never throws for a bad config (only the errors list says so). */
export async function checkConfig(source: ConfigSource, options: LoadOptions = {}): Promise<CheckResult> {
  let known: ReadonlyMap<string, PluginFactory>;
  try {
    known = factoryMap(options.plugins);
  } catch (err) {
    return { errors: [{ path: '', message: (err as Error).message }], source: '(plugins)' };
  }
  let text = options.baseConfig ?? '';
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
  const parsed = toData(doc, lines);
  if ('error' in parsed) return { errors: [...errors, parsed.error], source: name };
  const user = parsed.data ?? {};
  if (!isPlainObject(user)) {
    errors.push(...validateSections(user));
    attachPositions(errors, doc, lines);
    return { errors, source: name };
  }

  // The file merges over the distribution's base config, which merges over the schemas' defaults.
  const base = source && options.baseConfig ? (parseDocument(options.baseConfig).toJS() as unknown) : undefined;
  const merged = mergeOptions(mergeOptions(defaultsOf(CollectorFileSchema) as Record<string, unknown>, base), user);
  if (Array.isArray(merged.plugins)) {
    const itemDefaults = defaultsOf(PluginEntrySchema);
    merged.plugins = merged.plugins.map((item: unknown) => (isPlainObject(item) ? mergeOptions(itemDefaults, item) : item));
  }
  errors.push(...validateSections(merged));
  const plugins = await resolvePlugins(merged.plugins, baseDir, known, errors);

  attachPositions(errors, doc, lines);
  if (errors.length) return { errors: tidy(errors, envErrors), source: name };
  // Compile filters now so a config that validates can never fail later at startup.
  for (const p of plugins) compileFilter(p.filter);
  const config = merged as Omit<CollectorConfig, 'plugins' | 'baseDir' | 'source'>;
  return {
    config: { receiver: config.receiver, stats: config.stats, shutdown: config.shutdown, control: config.control, plugins, baseDir, source: name },
    errors,
    source: name,
  };
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
