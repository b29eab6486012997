import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import {
  checkConfig,
  CollectorFileSchema,
  ConfigLoadError,
  DEFAULT_QUEUE,
  DEFAULT_RECEIVER,
  formatConfigError,
  loadConfig,
  type LoadOptions,
} from '../../src/collector/index.js';
import { defaultsOf } from '../../src/plugins/api.js';
import { BUILTIN_PLUGINS } from '../../src/cli/components.js';
import { DEFAULT_CONFIG_YAML, DEFAULT_PLUGINS } from '../../src/cli/default-config.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'config');
/** As the distlogd distribution loads a config: its built-in plugins, its embedded default underneath. */
const DISTLOGD: LoadOptions = { env: {}, plugins: BUILTIN_PLUGINS, baseConfig: DEFAULT_CONFIG_YAML };
const BUILTINS = 'built-in types: console, file, mongodb, otlp, redis, web, zmq-pub; or a module path like ./my-plugin.js or an installed package name';

/** Each broken file with every message it must produce, exactly, in order. */
const TABLE: [file: string, expected: string[]][] = [
  ['unknown-top-key.yaml', [
    'unknown-top-key.yaml:1:1: recevier: unknown key (did you mean "receiver"? allowed: receiver, stats, shutdown, plugins, control)',
  ]],
  ['misspelt-filter.yaml', [
    'misspelt-filter.yaml:5:7: plugins[1].filter.levle: unknown key (did you mean "level"? allowed: level, systems, kinds, loggers, services, attributes)',
    'misspelt-filter.yaml:6:7: plugins[1].filter.level: unknown level "WARNN" (did you mean "WARN"? allowed: TRACE, DEBUG, INFO, WARN, ERROR, FATAL or a severity number 1..24)',
    'misspelt-filter.yaml:7:15: plugins[1].filter.kinds[0]: invalid value "logs" (did you mean "log"? allowed: L, P, log, perf, performance)',
  ]],
  ['env-unset.yaml', [
    'env-unset.yaml:3:7: receiver.endpoints[0]: environment variable DISTLOG_TEST_UNSET_PORT is not set (set DISTLOG_TEST_UNSET_PORT or give a default: ${DISTLOG_TEST_UNSET_PORT:-value})',
  ]],
  ['bad-types.yaml', [
    'bad-types.yaml:2:3: stats.intervalSeconds: expected an integer from 0 to 86400, got "soon"',
    'bad-types.yaml:6:7: plugins[0].options.maxBytes: expected an integer >= 0, got 1.5',
    'bad-types.yaml:7:7: plugins[0].options.fsync: invalid value "always" (allowed: never, interval, batch)',
    'bad-types.yaml:8:7: plugins[0].options.pattern: unknown placeholder {day} (allowed: {system} {kind} {systemName} {kindName} {date})',
    'bad-types.yaml:10:7: plugins[0].queue.maxEntries: expected an integer >= 1, got 0',
    'bad-types.yaml:11:7: plugins[0].queue.whenFull: invalid value "wait" (allowed: drop_newest, block)',
    'bad-types.yaml:13:9: plugins[0].queue.retry.maxAttempts: expected an integer from 1 to 100, got 0',
  ]],
  ['unknown-type.yaml', [
    `unknown-type.yaml:2:5: plugins[0].type: cannot load plugin "fiel": not a built-in plugin and no installed package of that name (did you mean "file"? ${BUILTINS})`,
    `unknown-type.yaml:3:5: plugins[1].type: cannot load plugin "./no-such-plugin.js": no such module ${join(dir, 'no-such-plugin.js')} (${BUILTINS})`,
  ]],
  ['duplicate-names.yaml', [
    'duplicate-names.yaml:4:5: plugins[1].name: invalid name "bad name" (use 1-64 letters, digits, _ . -)',
    'duplicate-names.yaml:6:5: plugins[2].name: duplicate plugin name "console": plugins[0] has it too (give each plugin a unique `name:`)',
  ]],
  ['yaml-syntax.yaml', [
    'yaml-syntax.yaml:2:3: YAML syntax: Block collections are not allowed within flow collections',
    'yaml-syntax.yaml:3:1: YAML syntax: Flow sequence in block collection must be sufficiently indented and end with a ]',
  ]],
  ['not-a-map.yaml', [
    'not-a-map.yaml:1:1: the config must be a map (top-level keys: receiver, stats, shutdown, plugins, control)',
  ]],
  ['receiver-errors.yaml', [
    'receiver-errors.yaml:2:3: receiver.endpoints: expected a non-empty list of endpoints (e.g. - tcp://127.0.0.1:5010)',
    'receiver-errors.yaml:3:3: receiver.highWaterMark: expected an integer >= 0, got -1',
    'receiver-errors.yaml:4:1: shutdown: expected a map, got 10',
  ]],
];

for (const [file, expected] of TABLE) {
  test(`config error table: ${file}`, async () => {
    const result = await checkConfig({ path: join(dir, file) }, DISTLOGD);
    assert.equal(result.config, undefined);
    assert.deepEqual(result.errors.map((e) => formatConfigError(e, file)), expected);
  });
}

test('no config = the embedded default: PULL on 5010, console + file under ./distlog-data', async () => {
  const config = await loadConfig(undefined, DISTLOGD);
  assert.deepEqual(config.receiver.endpoints, ['tcp://127.0.0.1:5010']);
  assert.equal(config.source, '(embedded default)');
  assert.deepEqual(config.plugins.map((p) => [p.name, p.type]), [['console', 'console'], ['file', 'file']]);
  assert.equal(config.plugins[1]!.options.directory, './distlog-data');
  assert.equal(config.plugins[1]!.options.fsync, 'interval', 'plugin defaults fill unset options');
  assert.equal(config.plugins[0]!.queue.retry.maxAttempts, 5);
  assert.match(DEFAULT_CONFIG_YAML, /tcp:\/\/127\.0\.0\.1:5010/);
});

test('user config merges over defaults; lists replace', async () => {
  const config = await loadConfig({ text: 'receiver:\n  maxMessageBytes: 1024\nplugins:\n  - type: console\n    queue: { maxEntries: 10 }\n' }, DISTLOGD);
  assert.deepEqual(config.receiver.endpoints, ['tcp://127.0.0.1:5010']);
  assert.equal(config.receiver.maxMessageBytes, 1024);
  assert.equal(config.receiver.highWaterMark, 4);
  assert.equal(config.plugins.length, 1);
  assert.equal(config.plugins[0]!.queue.maxEntries, 10);
  assert.equal(config.plugins[0]!.queue.batchMaxEntries, 2000);
});

test('${ENV} and ${ENV:-default} substitution; whole plain references become typed scalars', async () => {
  const text = [
    'receiver:',
    '  endpoints: ["tcp://${HOST}:${PORT:-5999}"]',
    '  maxMessageBytes: ${MAXB}',
    'stats:',
    '  intervalSeconds: ${IVAL:-0}',
    'plugins:',
    '  - type: file',
    '    options: { directory: "$${literal}/${DIR}" }',
  ].join('\n');
  const config = await loadConfig({ text }, { ...DISTLOGD, env: { HOST: '127.0.0.1', MAXB: '2048', DIR: 'logs' } });
  assert.deepEqual(config.receiver.endpoints, ['tcp://127.0.0.1:5999']);
  assert.equal(config.receiver.maxMessageBytes, 2048);
  assert.equal(config.stats.intervalSeconds, 0);
  assert.equal(config.plugins[0]!.options.directory, '${literal}/logs');
});

test('loadConfig throws one ConfigLoadError listing every problem', async () => {
  await assert.rejects(
    loadConfig({ text: 'stats: { intervalSeconds: -1 }\nshutdown: { drainTimeoutSecond: 3 }\n', name: 'x.yaml' }, DISTLOGD),
    (err: unknown) => {
      assert.ok(err instanceof ConfigLoadError);
      assert.equal(err.errors.length, 2);
      assert.equal(
        err.message,
        '2 config errors in x.yaml:\n' +
          '  x.yaml:1:10: stats.intervalSeconds: expected an integer from 0 to 86400, got -1\n' +
          '  x.yaml:2:13: shutdown.drainTimeoutSecond: unknown key (did you mean "drainTimeoutSeconds"? allowed: drainTimeoutSeconds)',
      );
      return true;
    },
  );
});

test('the embedded default is the schemas\' defaults written out, plus the distribution\'s plugins', async () => {
  const written = parseYaml(DEFAULT_CONFIG_YAML) as Record<string, unknown>;
  const { plugins, ...sections } = written;
  assert.deepEqual(Object.keys(sections).sort(), ['control', 'receiver', 'shutdown', 'stats']);
  const fromSchema = defaultsOf(CollectorFileSchema) as Record<string, unknown>;
  for (const key of ['receiver', 'stats', 'shutdown', 'control']) assert.deepEqual(written[key], fromSchema[key], key);
  assert.deepEqual(plugins, DEFAULT_PLUGINS);
  // And every default it states is what a loaded config gets.
  const config = await loadConfig(undefined, DISTLOGD);
  assert.deepEqual(config.receiver, DEFAULT_RECEIVER);
  assert.deepEqual(config.plugins[1]!.queue, DEFAULT_QUEUE);
});

test('defaults of the delivery settings: block when full, bounds in bytes, control channel off', async () => {
  const config = await loadConfig({ text: 'plugins: [{ type: console }]' }, DISTLOGD);
  assert.equal(config.receiver.maxEntriesPerMessage, 100_000);
  assert.deepEqual(config.control, { endpoint: '' });
  const q = config.plugins[0]!.queue;
  assert.deepEqual([q.whenFull, q.maxEntries, q.maxBytes, q.blockTimeoutMs], ['block', 50_000, 16 * 1024 * 1024, 10_000]);
});

test('rules beyond types: endpoint syntax, backoff order, the control endpoint', async () => {
  const text = [
    'receiver:',
    '  endpoints: ["tcp://127.0.0.1:99999", "tcp://:5010", "udp://x:1", "tcp://*:*", "ipc:///tmp/d.sock"]',
    'control: { endpoint: "tcp://localhost" }',
    'plugins:',
    '  - type: console',
    '    queue: { whenFull: drop_newest, retry: { initialBackoffMs: 500, maxBackoffMs: 100 } }',
  ].join('\n');
  const r = await checkConfig({ text, name: 'c.yaml' }, DISTLOGD);
  const hint = '(use tcp://HOST:PORT (PORT * = any free port), ipc://PATH or inproc://NAME)';
  assert.deepEqual(r.errors.map((e) => formatConfigError(e, 'c.yaml')), [
    `c.yaml:2:15: receiver.endpoints[0]: invalid endpoint "tcp://127.0.0.1:99999" ${hint}`,
    `c.yaml:2:40: receiver.endpoints[1]: invalid endpoint "tcp://:5010" ${hint}`,
    `c.yaml:2:55: receiver.endpoints[2]: invalid endpoint "udp://x:1" ${hint}`,
    `c.yaml:3:12: control.endpoint: invalid endpoint "tcp://localhost" (use tcp://HOST:PORT (PORT * = any free port), ipc://PATH or inproc://NAME; or '' for off)`,
    'c.yaml:6:69: plugins[0].queue.retry.maxBackoffMs: must not be less than initialBackoffMs',
  ]);
});

test('a YAML alias bomb is a config error with its line, not a crash', async () => {
  const text = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]'];
  for (let i = 1; i < 9; i++) text.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
  const r = await checkConfig({ text: text.join('\n'), name: 'bomb.yaml' }, DISTLOGD);
  assert.equal(r.config, undefined);
  assert.equal(r.errors.length, 1);
  assert.match(formatConfigError(r.errors[0]!, 'bomb.yaml'), /^bomb\.yaml:2:\d+: YAML aliases expand too far: .*\(at most 100 alias expansions; write the values out instead of nesting anchors\)$/);
  // A few aliases are fine.
  const ok = await checkConfig({ text: 'x: &q { maxEntries: 10 }\nplugins:\n  - type: console\n    queue: *q\n  - { type: file, name: f2, queue: *q }\n' }, DISTLOGD);
  assert.deepEqual(ok.errors.map((e) => formatConfigError(e)), ['1:1: x: unknown key (allowed: receiver, stats, shutdown, plugins, control)']);
});

test('an embedder that passes no factories gets the schemas\' defaults and no plugins; a file may name module plugins only', async () => {
  const config = await loadConfig(undefined, { env: {} });
  assert.deepEqual(config.plugins, []);
  assert.deepEqual(config.receiver, DEFAULT_RECEIVER);
  const r = await checkConfig({ text: 'plugins: [{ type: console }]' }, { env: {} });
  assert.deepEqual(r.errors.map((e) => formatConfigError(e)), [
    '1:13: plugins[0].type: cannot load plugin "console": not a built-in plugin and no installed package of that name (a module path like ./my-plugin.js or an installed package name)',
  ]);
});

test('an empty section or options map means its defaults', async () => {
  const config = await loadConfig({ text: 'receiver:\nstats:\nplugins:\n  - type: file\n    options:\n    filter:\n' }, DISTLOGD);
  assert.deepEqual(config.receiver, DEFAULT_RECEIVER);
  assert.equal(config.plugins[0]!.options.fsync, 'interval');
  assert.deepEqual(config.plugins[0]!.filter, {});
});
