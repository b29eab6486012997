import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkConfig, formatConfigError } from '../../src/collector/index.js';

const pluginsDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'plugins');
const folders = readdirSync(pluginsDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

test('every plugin folder ships an example.yaml', () => {
  assert.ok(folders.includes('file') && folders.includes('console'));
  for (const f of folders) assert.ok(existsSync(join(pluginsDir, f, 'example.yaml')), `${f}/example.yaml missing`);
});

for (const folder of folders) {
  test(`plugins/${folder}/example.yaml is a valid distlogd config using that plugin`, async () => {
    const file = join(pluginsDir, folder, 'example.yaml');
    const r = await checkConfig({ path: file }, { env: {} });
    assert.deepEqual(r.errors.map((e) => formatConfigError(e, file)), []);
    assert.ok(r.config!.plugins.some((p) => p.type === folder));
  });
}
