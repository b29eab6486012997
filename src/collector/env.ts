/**
 * `${VAR}` / `${VAR:-default}` substitution in config values (`$${` writes a
 * literal `${`). Done on parsed scalars, not on the text, so a variable can
 * never inject YAML structure and error positions stay exact. A plain scalar
 * that is exactly one reference is re-read as YAML, so `port: ${PORT}` yields a
 * number, as in the OpenTelemetry Collector.
 */
import { isMap, isScalar, isSeq, parse as parseYaml, type Document, type Node } from 'yaml';
import { joinPath, type ConfigError } from '../plugins/api.js';

const REF = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$\{([^}]*)\}?/g;
const WHOLE = /^\$\{[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\}$/;

export type Env = Readonly<Record<string, string | undefined>>;

/** Expands the references in one string; problems are pushed onto `errors`. */
export function expandString(text: string, env: Env, path: string, errors: ConfigError[]): string {
  return text.replace(REF, (match, name: string | undefined, fallback: string | undefined) => {
    if (match === '$${') return '${';
    if (name === undefined) {
      errors.push({
        path,
        message: `malformed environment reference ${JSON.stringify(match)}`,
        hint: 'write ${NAME} or ${NAME:-default}; $${ for a literal ${',
      });
      return match;
    }
    const value = env[name];
    if (value !== undefined && value !== '') return value;
    if (fallback !== undefined) return fallback;
    errors.push({
      path,
      message: `environment variable ${name} is not set`,
      hint: `set ${name} or give a default: \${${name}:-value}`,
    });
    return '';
  });
}

/** Substitutes in place over every scalar of the document. */
export function substituteEnv(doc: Document, env: Env): ConfigError[] {
  const errors: ConfigError[] = [];
  const walk = (node: Node | null | undefined, path: string): void => {
    if (!node) return;
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        walk(pair.value as Node | null, joinPath(path, key));
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item as Node | null, joinPath(path, i)));
    } else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('${')) {
      const raw = node.value;
      const expanded = expandString(raw, env, path, errors);
      node.value = node.type === 'PLAIN' && WHOLE.test(raw) ? reread(expanded) : expanded;
    }
  };
  walk(doc.contents as Node | null, '');
  return errors;
}

function reread(text: string): unknown {
  try {
    const v: unknown = parseYaml(text);
    return v === null || ['string', 'number', 'boolean'].includes(typeof v) ? v : text;
  } catch {
    return text;
  }
}
