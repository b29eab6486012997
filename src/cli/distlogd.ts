/**
 * `distlogd`: the distlog collector distribution — argument parsing and process
 * wiring only; the daemon itself is src/collector, the plugins it offers are
 * src/cli/components.ts. Exit codes: 0 ok / stopped by signal, 1 failed to
 * start, 2 bad usage or config.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { checkConfig, configJsonSchema, formatConfigError, startCollector } from '../collector/index.js';
import { BUILTIN_PLUGINS } from './components.js';
import { DEFAULT_CONFIG_YAML } from './default-config.js';
import { keepHeapHeadroom } from './heap-headroom.js';

const USAGE = `usage: distlogd [--config FILE] [--check-config]
       distlogd schema | default-config | --version

  -c, --config FILE   YAML config (default: the embedded default config:
                      ZeroMQ PULL on tcp://127.0.0.1:5010, console + file ./distlog-data/)
  --check-config      validate the config, print OK or every error, exit 0 or 2.
                      Plugins named by module path or package are loaded to
                      validate their options: this runs their code.
  schema              print the JSON Schema of the config (built-in plugins included),
                      for editors: # yaml-language-server: $schema=distlogd.schema.json
  default-config      print the embedded default config
  -v, --version       print the version
  -h, --help          show this help`;

const OPTIONS = {
  config: { type: 'string', short: 'c' },
  'check-config': { type: 'boolean' },
  version: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Command = 'run' | 'check' | 'schema' | 'default-config' | 'version' | 'help';

interface Args {
  command: Command;
  config?: string;
}

/** The arguments, or the usage error to print. */
function readArgs(argv: string[]): Args | string {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    const e = err as { code?: string; message: string };
    const quoted = /'([^']+)'/.exec(e.message)?.[1];
    if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return '--config needs a file name';
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && quoted) return `unknown argument ${JSON.stringify(quoted)}`;
    return e.message;
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: 'help' };
  if (values.version) return { command: 'version' };
  if (positionals.length > 1 || (positionals[0] !== undefined && positionals[0] !== 'schema' && positionals[0] !== 'default-config')) {
    return `unknown argument ${JSON.stringify(positionals.find((p) => p !== 'schema' && p !== 'default-config') ?? positionals[1])}`;
  }
  const command: Command = (positionals[0] as Command | undefined) ?? (values['check-config'] ? 'check' : 'run');
  return values.config === undefined ? { command } : { command, config: values.config };
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

async function main(argv: string[]): Promise<number | undefined> {
  const args = readArgs(argv);
  if (typeof args === 'string') {
    process.stderr.write(`distlogd: ${args}\n${USAGE}\n`);
    return 2;
  }
  switch (args.command) {
    case 'help':
      process.stdout.write(USAGE + '\n');
      return 0;
    case 'version':
      process.stdout.write(`${version()}\n`);
      return 0;
    case 'schema':
      process.stdout.write(JSON.stringify(configJsonSchema(BUILTIN_PLUGINS), null, 2) + '\n');
      return 0;
    case 'default-config':
      process.stdout.write(DEFAULT_CONFIG_YAML);
      return 0;
    default:
  }
  const result = await checkConfig(args.config !== undefined ? { path: args.config } : undefined, {
    plugins: BUILTIN_PLUGINS,
    baseConfig: DEFAULT_CONFIG_YAML,
  });
  if (!result.config) {
    const n = result.errors.length;
    process.stderr.write(`distlogd: ${n} config error${n === 1 ? '' : 's'} in ${result.source}:\n`);
    for (const e of result.errors) process.stderr.write(`  ${formatConfigError(e, result.source)}\n`);
    return 2;
  }
  if (args.command === 'check') {
    const names = result.config.plugins.map((p) => `${p.name} (${p.type})`).join(', ');
    process.stdout.write(`distlogd: config OK: ${result.source}; plugins: ${names || 'none'}\n`);
    return 0;
  }

  // A daemon with a small heap under a steady stream: see heap-headroom.ts.
  keepHeapHeadroom();
  let handle;
  try {
    handle = await startCollector(result.config);
  } catch (err) {
    process.stderr.write(`distlogd: cannot start: ${(err as Error).message}\n`);
    return 1;
  }
  const running = handle;
  let signalled = false;
  const onSignal = (sig: string) => {
    if (signalled) {
      process.stderr.write(`distlogd: ${sig} again, exiting without draining\n`);
      process.exit(1);
    }
    signalled = true;
    process.stderr.write(`distlogd: ${sig}: stopping (draining queues)\n`);
    running.stop().then(
      () => process.exit(0),
      (err: Error) => {
        process.stderr.write(`distlogd: stop failed: ${err.message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  return undefined; // keep running until a signal
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (err: Error) => {
    process.stderr.write(`distlogd: ${err.stack ?? err.message}\n`);
    process.exit(1);
  },
);
