import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { checkConfig, configJsonSchema, formatConfigError } from '../../src/collector/index.js';
import { BUILTIN_PLUGINS } from '../../src/cli/components.js';
import { DEFAULT_CONFIG_YAML } from '../../src/cli/default-config.js';

const pluginsDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'plugins');
/** Built-in plugin folders; the web plugin lives with the viewer it serves (src/viewer/web). */
const pluginFolders = readdirSync(pluginsDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => ({ name: d.name, dir: join(pluginsDir, d.name) }));
const exampleDirs = [...pluginFolders, { name: 'web', dir: join(pluginsDir, '..', 'viewer', 'web') }];
const folders = exampleDirs.map((f) => f.name);
const dirOf = (folder: string): string => exampleDirs.find((f) => f.name === folder)!.dir;

/** The JSON Schema `distlogd schema` prints, checked by an independent validator (ajv, strict mode). */
const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(configJsonSchema(BUILTIN_PLUGINS));
const schemaErrors = (data: unknown) => (validate(data) ? [] : validate.errors!.map((e) => `${e.instancePath} ${e.message}`));

test('every plugin folder ships an example.yaml', () => {
  assert.ok(folders.includes('file') && folders.includes('console') && folders.includes('redis'));
  for (const f of folders) assert.ok(existsSync(join(dirOf(f), 'example.yaml')), `${f}/example.yaml missing`);
  assert.deepEqual([...folders].sort(), BUILTIN_PLUGINS.map((p) => p.type).sort(), 'one folder per built-in plugin');
});

for (const folder of folders) {
  test(`plugins/${folder}/example.yaml is a valid distlogd config using that plugin, by the loader and by the JSON Schema`, async () => {
    const file = join(dirOf(folder), 'example.yaml');
    const r = await checkConfig({ path: file }, { env: {}, plugins: BUILTIN_PLUGINS });
    assert.deepEqual(r.errors.map((e) => formatConfigError(e, file)), []);
    assert.ok(r.config!.plugins.some((p) => p.type === folder));
    assert.deepEqual(schemaErrors(parseYaml(readFileSync(file, 'utf8'))), []);
  });
}

test('the embedded default config is valid by the JSON Schema', () => {
  assert.deepEqual(schemaErrors(parseYaml(DEFAULT_CONFIG_YAML)), []);
});

test('the JSON Schema refuses what the loader refuses: unknown keys, bad plugin options, bad levels', () => {
  const bad = {
    recevier: {},
    receiver: { endpoints: ['udp://x'] },
    plugins: [
      { type: 'file', options: { fsync: 'always', pattern: '{day}.jsonl' } },
      { type: 'console', options: { colour: 'auto' }, filter: { level: 'WARNN' } },
      { type: './my-plugin.js', options: { anything: 1 } },
    ],
  };
  const errors = schemaErrors(bad);
  for (const where of ['', '/receiver/endpoints/0', '/plugins/0/options/fsync', '/plugins/0/options/pattern', '/plugins/1/options', '/plugins/1/filter/level']) {
    assert.ok(errors.some((e) => e.startsWith(`${where} `)), `no error at "${where}" in:\n${errors.join('\n')}`);
  }
  assert.ok(!errors.some((e) => e.startsWith('/plugins/2')), 'a module plugin\'s options are its own business');
  // Keys with defaults may be left out; a plugin needs only its type.
  assert.deepEqual(schemaErrors({ plugins: [{ type: 'console' }] }), []);
  assert.deepEqual(schemaErrors({ receiver: { highWaterMark: 5 }, plugins: [{ type: 'file', filter: { level: 'warning', loggers: ['db.*'] } }] }), []);
});
