import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  compileLoggerPattern,
  compileLoggerPatterns,
  DEFAULT_ENDPOINT,
  ENDPOINT_PATTERN,
  isEndpoint,
  isPlainObject,
  KIND_WORDS,
  loggerPatternSpecificity,
  SYSTEM_NAMES,
  SYSTEM_WORDS,
} from '../../src/protocol/index.js';

test('logger patterns: `*` matches any run of characters, dots included; no `*` = exact', () => {
  const table: [pattern: string, matches: string[], misses: string[]][] = [
    ['db', ['db'], ['db.pool', 'dbx', 'DB']],
    ['db.*', ['db.pool', 'db.pool.conn', 'db.'], ['db', 'dbx', 'x.db.pool']],
    ['*', ['', 'a', 'a.b.c'], []],
    ['*.sql', ['db.sql', 'a.b.sql', '.sql'], ['sql', 'db.sqlx']],
    ['app*', ['app', 'apps', 'app.http'], ['ap', 'xapp']],
    ['a*b*c', ['abc', 'aXbYc', 'a.b.c', 'abbc', 'acbc'], ['ab', 'acb', 'bac']],
    ['*a*a*a*b', ['aaab', 'xaxaxaxb'], ['aaaa', 'aab']],
    ['db.?', ['db.?'], ['db.x']],
  ];
  for (const [pattern, matches, misses] of table) {
    const m = compileLoggerPattern(pattern);
    for (const name of matches) assert.equal(m(name), true, `${pattern} should match ${JSON.stringify(name)}`);
    for (const name of misses) assert.equal(m(name), false, `${pattern} should not match ${JSON.stringify(name)}`);
  }
  const any = compileLoggerPatterns(['http', 'db.*']);
  assert.deepEqual(['http', 'db.pool', 'httpx', 'db'].map(any), [true, true, false, false]);
  assert.ok(loggerPatternSpecificity('db.pool') > loggerPatternSpecificity('db.*'));
  assert.ok(loggerPatternSpecificity('db') > loggerPatternSpecificity('db*'), 'an exact name beats a glob of the same length');
});

test('matching stays linear on hostile patterns (no regex backtracking)', () => {
  const m = compileLoggerPattern('*a*a*a*a*a*a*a*a*a*a*b');
  const name = 'a'.repeat(50_000);
  const start = process.hrtime.bigint();
  assert.equal(m(name), false);
  // A backtracking regex takes minutes here; generous bound for a loaded machine.
  assert.ok(process.hrtime.bigint() - start < 2_000_000_000n);
});

test('endpoints: tcp host:port (or *), ipc path, inproc name; the same rule as the JSON Schema pattern', () => {
  const good = [DEFAULT_ENDPOINT, 'tcp://*:5010', 'tcp://127.0.0.1:*', 'tcp://[::1]:5010', 'tcp://collector.internal:0', 'tcp://eth0:65535', 'ipc:///tmp/distlog.sock', 'inproc://x'];
  const bad = ['tcp://127.0.0.1', 'tcp://:5010', 'tcp://127.0.0.1:65536', 'tcp://host:port', 'udp://x:1', 'tcp://a b:1', 'ipc://', 'inproc://', ' tcp://x:1', 5010, undefined];
  const re = new RegExp(ENDPOINT_PATTERN, 'u');
  for (const e of good) assert.ok(isEndpoint(e) && re.test(e), e);
  for (const e of bad) assert.ok(!isEndpoint(e) && !(typeof e === 'string' && re.test(e)), String(e));
});

test('system and kind words; isPlainObject takes data maps only', () => {
  assert.deepEqual(SYSTEM_NAMES, { T: 'test', S: 'staging', P: 'production' });
  assert.equal(SYSTEM_WORDS.production, 'P');
  assert.equal(KIND_WORDS.performance, 'P');
  assert.equal(KIND_WORDS.log, 'L');
  assert.ok(isPlainObject({ a: 1 }) && isPlainObject(Object.create(null)) && isPlainObject(JSON.parse('{"__proto__": {}}')));
  for (const v of [null, [], new Error('x'), new Date(), 'x', 1, new Map()]) assert.equal(isPlainObject(v), false, String(v));
});
