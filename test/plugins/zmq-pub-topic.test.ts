/**
 * The PUB feed's topic layout and the subscriber's filter: what the zmq-pub
 * README promises subscribers in any language, checked byte for byte; the
 * plugin's options refused with their YAML path; OTLP payloads decoded by subscribe().
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Subscriber } from 'zeromq';
import { checkConfig, formatConfigError, loadConfig, startCollector } from '../../src/collector/index.js';
import { BUILTIN_PLUGINS } from '../../src/cli/components.js';
import { compileFilter, subscribe } from '../../src/exporter/subscribe.js';
import { ZmqPubSink, ZMQ_PUB_DEFAULTS } from '../../src/plugins/zmq-pub/index.js';
import { parsePubTopic, pubTopicText } from '../../src/protocol/pub-topic.js';
import type { LogEntry } from '../../src/protocol/log-entry.js';
import { entry, freePort, sleep, waitFor } from '../collector/helpers.js';
import { plain } from '../protocol/plain.js';

test('topic text: system, kind, encoding, then the escaped service and the plain level name', () => {
  assert.equal(pubTopicText({ system: 'P', kind: 'L', encoding: 'J', service: 'checkout', severity: 17 }), 'PLJ|checkout|ERROR');
  assert.equal(pubTopicText({ system: 'T', kind: 'P', encoding: 'O', service: 'a|b%c', severity: 11 }), 'TPO|a%7Cb%25c|INFO');
  assert.equal(pubTopicText({ system: 'S', kind: 'L', encoding: 'J', service: '', severity: 0 }), 'SLJ||UNSPECIFIED');
  assert.deepEqual(parsePubTopic(Buffer.from('TPO|a%7Cb%25c|INFO')), { system: 'T', kind: 'P', encoding: 'O', service: 'a|b%c', level: 'INFO' });
  assert.deepEqual(parsePubTopic(Buffer.from('PLJ')), { system: 'P', kind: 'L', encoding: 'J', service: '', level: 'UNSPECIFIED' });
  assert.throws(() => parsePubTopic(Buffer.from('PLJ|svc|LOUD')), /PUB topic "PLJ\|svc\|LOUD": expected SKE\|service\|LEVEL/);
  assert.throws(() => parsePubTopic(Buffer.from('XLJ|svc|INFO')), /system byte "X" is not T, S or P/);
});

test('filter prefixes never leave out a record the filter accepts, and narrow by system, kind, service, level', () => {
  const filters = [
    {},
    { system: 'production' },
    { kind: ['perf'] },
    { service: 'a' },
    { service: ['a', 'x|y'], minLevel: 'warn' },
    { minLevel: 'INFO3' },
    { system: 'S', kind: 'L', service: 'a', minLevel: 'notice' },
  ];
  const services = ['a', 'ab', 'x|y', ''];
  let accepted = 0;
  for (const f of filters) {
    const c = compileFilter(f);
    for (const system of ['T', 'S', 'P'] as const) for (const kind of ['L', 'P'] as const) for (const service of services) for (let severity = 0; severity <= 24; severity++) {
      const e = entry({ system, kind, severity, resource: service ? { 'service.name': service } : {} });
      const topics = (['J', 'O'] as const).map((encoding) => pubTopicText({ system, kind, encoding, service, severity }));
      const passes = topics.map((t) => c.prefixes.some((p) => t.startsWith(p)));
      if (c.accepts(e)) {
        accepted++;
        assert.deepEqual(passes, [true, true], `${JSON.stringify(f)} accepts ${topics[0]} but no prefix matches`);
      }
    }
  }
  assert.ok(accepted > 0);
  // The prefixes themselves, as a subscriber in another language would write them.
  assert.deepEqual(compileFilter({}).prefixes, ['TLJ', 'TLO', 'TPJ', 'TPO', 'SLJ', 'SLO', 'SPJ', 'SPO', 'PLJ', 'PLO', 'PPJ', 'PPO']);
  assert.deepEqual(compileFilter({ system: 'P', kind: 'L', service: 'a', minLevel: 'error' }).prefixes, ['PLJ|a|ERROR', 'PLJ|a|FATAL', 'PLO|a|ERROR', 'PLO|a|FATAL']);
  // A level without a service cannot be a prefix (the service comes first): checked per record.
  const warn = compileFilter({ system: 'T', kind: 'L', minLevel: 'warn' });
  assert.deepEqual(warn.prefixes, ['TLJ', 'TLO']);
  assert.equal(warn.accepts(entry({ severity: 12 })), false);
  assert.equal(warn.accepts(entry({ severity: 13 })), true);
  // A sub-level threshold: the INFO topic is taken, INFO2 records are left out per record.
  const info3 = compileFilter({ service: 'svc', minLevel: 'INFO3', system: 'T', kind: 'L' });
  assert.deepEqual(info3.prefixes.filter((p) => p.startsWith('TLJ')), ['TLJ|svc|INFO', 'TLJ|svc|WARN', 'TLJ|svc|ERROR', 'TLJ|svc|FATAL']);
  assert.equal(info3.accepts(entry({ severity: 10 })), false);
  assert.equal(info3.accepts(entry({ severity: 11 })), true);
});

test('the plugin\'s options are checked with their YAML path and a hint', async () => {
  const text = ['plugins:', '  - type: zmq-pub', '    options: { endpoint: "tcp://127.0.0.1", encoding: X, sendHighWaterMark: 0, maxEntries: 5 }'].join('\n');
  const r = await checkConfig({ text }, { plugins: BUILTIN_PLUGINS, env: {} });
  const errors = r.errors.map((e) => formatConfigError(e));
  const at = (path: string) => errors.find((e) => e.includes(path)) ?? `(nothing at ${path} in ${errors.join(' / ')})`;
  assert.match(at('options.endpoint'), /invalid endpoint "tcp:\/\/127\.0\.0\.1".*tcp:\/\/HOST:PORT/);
  assert.match(at('options.encoding'), /invalid value "X".*allowed: J, O/);
  assert.match(at('options.sendHighWaterMark'), /expected an integer from 1 to 1000000, got 0/);
  assert.match(at('options.maxEntries'), /unknown key.*did you mean "maxEntriesPerMessage"/);
});

test('a PUB endpoint already in use stops the collector from starting, naming the plugin and the endpoint', async () => {
  const endpoint = `tcp://127.0.0.1:${await freePort()}`;
  const text = ['receiver: { endpoints: ["tcp://127.0.0.1:*"] }', 'stats: { intervalSeconds: 0 }', 'plugins:', `  - { type: zmq-pub, options: { endpoint: "${endpoint}" } }`].join('\n');
  const config = () => loadConfig({ text }, { plugins: BUILTIN_PLUGINS, env: {} });
  const first = await startCollector(await config(), { log: () => {} });
  try {
    await assert.rejects(startCollector(await config(), { log: () => {} }), new RegExp(`plugin zmq-pub \\(zmq-pub\\) failed to start: cannot bind ${endpoint}: .*in use`, 'i'));
  } finally {
    await first.stop();
  }
});

test('encoding O: subscribe() decodes the OTLP payload to the records published, service filter included', async () => {
  const logs: string[] = [];
  const pub = new ZmqPubSink({ ...ZMQ_PUB_DEFAULTS, endpoint: 'tcp://127.0.0.1:*', encoding: 'O' }, { logger: { info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) } });
  await pub.start();
  // Nobody subscribed yet: nothing is encoded or sent, the records are counted.
  await pub.consume([entry(), entry({ level: 'ERROR', severity: 17 }), entry({ resource: {} })]);
  assert.deepEqual(pub.counters(), { messages: 0, entries: 0, failedMessages: 0, failedEntries: 0, encodeErrors: 0, unsubscribed: 3 });
  const sub = subscribe(pub.endpoint, { service: 'svc' });
  try {
    const probe = entry({ message: 'probe' });
    const first = sub.next();
    let got: IteratorResult<LogEntry> | undefined;
    void first.then((r) => (got = r));
    for (let i = 0; i < 400 && !got; i++) {
      await pub.consume([probe]);
      await sleep(50);
    }
    assert.equal(got?.value?.message, 'probe');
    await sleep(200);
    const records = [
      entry({ message: 'a', task: '0123456789abcdef0123456789abcdef', span: '0123456789abcdef', path: '1/2', seq: 3, key: '3@0123456789abcdef0123456789abcdef/1/2', attributes: { user: 'leo', n: 2 } }),
      entry({ message: 'b', kind: 'P', body: { ms: [1, 2] } }),
      entry({ message: 'other', resource: { 'service.name': 'other' } }),
    ];
    const before = pub.counters().unsubscribed;
    await pub.consume(records);
    const out: LogEntry[] = [];
    for await (const e of sub) {
      if (e.message !== 'probe') out.push(e);
      if (out.length === 2) break;
    }
    assert.deepEqual(plain(out), [records[0], records[1]]);
    // The other service's record had no subscriber: counted, not sent.
    const c = pub.counters();
    assert.equal(c.unsubscribed, before + 1);
    // Once the subscriber is gone, its records cost nothing again.
    sub.close();
    await waitFor('the closed subscriber\'s prefixes are dropped', async () => {
      const u = pub.counters().unsubscribed;
      await pub.consume([entry()]);
      await sleep(20);
      return pub.counters().unsubscribed === u + 1;
    });
  } finally {
    sub.close();
    pub.shutdown();
  }
  assert.match(logs.at(-1)!, /^published \d+ records in \d+ messages on tcp:\/\/127\.0\.0\.1:\d+; \d+ records had no subscriber$/);
});

test("'distlog/subscribe' is an entry point of its own, imported by name as an application would", () => {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const code = "const m = await import('distlog/subscribe'); process.stdout.write(JSON.stringify(Object.keys(m).sort()));";
  const out = execFileSync(process.execPath, ['--conditions=distlog-src', '--import', 'tsx', '--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out), ['DEFAULT_PUB_ENDPOINT', 'Subscription', 'compileFilter', 'subscribe']);
});

test('subscriptions match topic bytes: a prefix cut inside a UTF-8 service name still gets its records', async () => {
  const pub = new ZmqPubSink({ ...ZMQ_PUB_DEFAULTS, endpoint: 'tcp://127.0.0.1:*' }, { logger: { info() {}, warn() {}, error() {} } });
  await pub.start();
  const raw = new Subscriber({ linger: 0 });
  raw.connect(pub.endpoint);
  raw.subscribe(Buffer.concat([Buffer.from('TLJ|caf'), Buffer.from('é').subarray(0, 1)]));
  try {
    const got = raw.receive();
    await waitFor('a record of service café reached the subscriber', async () => {
      await pub.consume([entry({ resource: { 'service.name': 'café' } }), entry({ resource: { 'service.name': 'cafe' } })]);
      await sleep(20);
      return pub.counters().messages > 0;
    });
    const [topic] = await got;
    assert.equal(topic!.toString('utf8'), 'TLJ|café|INFO');
    assert.ok(pub.counters().unsubscribed > 0, 'the other service was not sent');
  } finally {
    raw.close();
    pub.shutdown();
  }
});
