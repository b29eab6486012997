/**
 * `distlogd [--config FILE] [--check-config]` — argument parsing and process
 * wiring only; the daemon itself is src/collector.
 * Exit codes: 0 ok / stopped by signal, 1 failed to start, 2 bad usage or config.
 */
import { checkConfig, formatConfigError, startCollector } from '../collector/index.js';

const USAGE = `usage: distlogd [--config FILE] [--check-config]

  -c, --config FILE   YAML config (default: the embedded default config:
                      ZeroMQ PULL on tcp://127.0.0.1:5010, console + file ./distlog-data/)
  --check-config      validate the config, print OK or every error, exit 0 or 2
  -h, --help          show this help`;

interface Args {
  config?: string;
  checkOnly: boolean;
}

function parseArgs(argv: readonly string[]): Args | string {
  const args: Args = { checkOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--check-config') args.checkOnly = true;
    else if (a === '-c' || a === '--config') {
      const v = argv[++i];
      if (v === undefined || v.startsWith('-')) return `${a} needs a file name`;
      args.config = v;
    } else if (a.startsWith('--config=')) args.config = a.slice('--config='.length);
    else return `unknown argument ${JSON.stringify(a)}`;
  }
  return args;
}

async function main(argv: readonly string[]): Promise<number | undefined> {
  if (argv.includes('-h') || argv.includes('--help')) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    process.stderr.write(`distlogd: ${args}\n${USAGE}\n`);
    return 2;
  }
  const result = await checkConfig(args.config !== undefined ? { path: args.config } : undefined);
  if (!result.config) {
    const n = result.errors.length;
    process.stderr.write(`distlogd: ${n} config error${n === 1 ? '' : 's'} in ${result.source}:\n`);
    for (const e of result.errors) process.stderr.write(`  ${formatConfigError(e, result.source)}\n`);
    return 2;
  }
  if (args.checkOnly) {
    const names = result.config.plugins.map((p) => `${p.name} (${p.type})`).join(', ');
    process.stdout.write(`distlogd: config OK: ${result.source}; plugins: ${names || 'none'}\n`);
    return 0;
  }

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
