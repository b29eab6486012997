import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DISTLOGD, distlogd } from './run-distlogd.js';



test('a YAML alias bomb is a config error: exit 2 with file:line, no stack trace', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'distlogd-bomb-'));
  const lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
  for (let i = 1; i < 9; i++) {
    const [name, prev] = [String.fromCharCode(97 + i), String.fromCharCode(96 + i)];
    lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
  }
  writeFileSync(join(dir, 'bomb.yaml'), lines.join('\n') + '\n');
  const run = distlogd(['--check-config', '--config', 'bomb.yaml'], dir);
  assert.equal(await run.exit, 2);
  assert.match(run.err(), /^distlogd: 1 config error in bomb\.yaml:\n  bomb\.yaml:2:\d+: YAML aliases expand too far: [^\n]*\n$/);
  assert.doesNotMatch(run.err(), /\bat \S+ \(/, 'no stack trace');
});

test('distlogd schema prints the JSON Schema with the built-in plugins\' options; --version prints the version', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'distlogd-schema-'));
  // Started together: each process start is slow under tsx on a loaded machine.
  const [run, version, defaults, extra] = [['schema'], ['--version'], ['default-config'], ['schema', 'extra']].map((args) => distlogd(args, dir));
  assert.equal(await run!.exit, 0, run!.err());
  const schema = JSON.parse(run!.out()) as { $schema: string; properties: { plugins: { items: { allOf: { if: unknown; then: { properties: { options: { properties: object } } } }[] } } } };
  assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
  const perType = schema.properties.plugins.items.allOf;
  assert.deepEqual(perType.map((c) => c.if), [
    { properties: { type: { const: 'console' } }, required: ['type'] },
    { properties: { type: { const: 'file' } }, required: ['type'] },
    { properties: { type: { const: 'mongodb' } }, required: ['type'] },
    { properties: { type: { const: 'otlp' } }, required: ['type'] },
    { properties: { type: { const: 'redis' } }, required: ['type'] },
    { properties: { type: { const: 'web' } }, required: ['type'] },
    { properties: { type: { const: 'zmq-pub' } }, required: ['type'] },
  ]);
  assert.ok('fsync' in perType[1]!.then.properties.options.properties);

  assert.equal(await version!.exit, 0);
  const pkg = JSON.parse(readFileSync(join(dirname(DISTLOGD), '..', '..', 'package.json'), 'utf8')) as { version: string };
  assert.equal(version!.out(), `${pkg.version}\n`);

  assert.equal(await defaults!.exit, 0);
  assert.match(defaults!.out(), /^receiver:\n {2}endpoints:\n {4}- tcp:\/\/127\.0\.0\.1:5010\n/m);

  assert.equal(await extra!.exit, 2);
  assert.match(extra!.err(), /^distlogd: unknown argument "extra"\n/);
});

