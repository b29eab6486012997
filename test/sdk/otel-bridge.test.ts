import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import { logs, SeverityNumber } from '@opentelemetry/api-logs';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { task, to } from '../../src/sdk/index.js';
import { setup, type Harness } from './helpers.js';

let h: Harness;
before(() => {
  h = setup('bridge');
  registerInstrumentations({ instrumentations: [new PinoInstrumentation()] });
});
after(() => h.handle.shutdown());

it('records from a plain OpenTelemetry logger inside a scope carry the scope', async () => {
  const lib = logs.getLogger('some-library');
  let T = '';
  await task('with library', async (t) => {
    T = t.taskId;
    await to('inner', async () => {
      lib.emit({ body: 'library says hi', severityNumber: SeverityNumber.WARN, severityText: 'WARN', attributes: { lib: true } });
    });
  });
  lib.emit({ body: 'outside', severityNumber: SeverityNumber.INFO });
  const es = await h.drain();
  const rec = es.find((e) => e.message === 'library says hi')!;
  assert.equal(rec.key, `1@${T}/1`);
  assert.equal(rec.logger, 'some-library');
  assert.deepEqual(rec.attributes, { lib: true });
  assert.equal(es.find((e) => e.message === 'outside')!.key, undefined);
});

it('pino records, bridged by @opentelemetry/instrumentation-pino, carry the scope', async () => {
  // pino must be loaded after the instrumentation is registered (it patches require)
  const pino = createRequire(import.meta.url)('pino') as typeof import('pino').default;
  const sink = new Writable({ write: (_c, _e, cb) => cb() });
  const plog = pino({ level: 'info' }, sink);
  let T = '';
  await task('pino task', { user: 'leo' }, async (t) => {
    T = t.taskId;
    await new Promise((r) => setTimeout(r, 1));
    plog.info({ order: 7 }, 'pino inside');
  });
  const es = await h.drain();
  const rec = es.find((e) => e.message === 'pino inside');
  assert.ok(rec, `pino record bridged: ${JSON.stringify(es.map((e) => e.message))}`);
  assert.equal(rec.key, `1@${T}`);
  assert.equal(rec.attributes.order, 7);
  assert.equal(rec.attributes.user, 'leo');
});
