/**
 * The package's entry points, imported by name as an application would
 * (through package.json's exports map): each audience gets its own, and
 * Scope/Logger are types only, never constructible values.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

function exportsOf(specifier: string): string[] {
  const code = `const m = await import(${JSON.stringify(specifier)}); process.stdout.write(JSON.stringify(Object.keys(m).sort()));`;
  const out = execFileSync(process.execPath, ['--conditions=distlog-src', '--import', 'tsx', '--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' });
  return JSON.parse(out) as string[];
}

it("'distlog' is the application API, without processors, exporters or constructible Scope/Logger", () => {
  assert.deepEqual(exportsOf('distlog'), [
    'PERF_LOGGER_NAME',
    'SCOPE_LOGGER_NAME',
    'bind',
    'currentScope',
    'foreignTask',
    'getLogger',
    'importTask',
    'perf',
    'register',
    'scoped',
    'setLevel',
    'success',
    'task',
    'to',
  ]);
});

it("'distlog/otel' has the OpenTelemetry-named processors and the propagator", () => {
  const names = exportsOf('distlog/otel');
  for (const n of ['DistlogLogRecordProcessor', 'DistlogBatchLogRecordProcessor', 'DistlogPropagator', 'ScopeProcessor']) {
    assert.ok(names.includes(n), `${n} in ${names.join(', ')}`);
  }
});

it("'distlog/testing' has InMemoryLogRecordExporter", () => {
  assert.deepEqual(exportsOf('distlog/testing'), ['InMemoryLogRecordExporter']);
});

it('the handle has forceFlush() beside flush(), and sdkStats()', async () => {
  const code = `
    import { register } from 'distlog';
    import { InMemoryLogRecordExporter } from 'distlog/testing';
    const mem = new InMemoryLogRecordExporter();
    const h = register({ exporters: [mem], flushOnExit: false });
    const { getLogger } = await import('distlog');
    getLogger('x').info('one');
    await h.forceFlush();
    process.stdout.write(JSON.stringify({ n: mem.entries().length, stats: h.sdkStats() }));
    await h.shutdown();`;
  const out = execFileSync(process.execPath, ['--conditions=distlog-src', '--import', 'tsx', '--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out), { n: 1, stats: { droppedRecords: 0, unreadableValues: 0 } });
});
