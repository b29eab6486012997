import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { logs, SeverityNumber } from '@opentelemetry/api-logs';
import { getLogger, setLevel, task } from '../../src/sdk/index.js';
import { LevelRules } from '../../src/sdk/otel.js';
import { setup, type Harness } from './helpers.js';

let h: Harness;
before(() => {
  h = setup('levels');
});
after(() => h.handle.shutdown());

it('the most specific rule wins; exact names beat globs', () => {
  const r = new LevelRules('warn');
  r.set('db.*', 'debug');
  r.set('db.pool', 'error');
  r.set('*', 'info');
  assert.equal(r.thresholdFor('db.query'), SeverityNumber.DEBUG);
  assert.equal(r.thresholdFor('db.pool'), SeverityNumber.ERROR);
  assert.equal(r.thresholdFor('http'), SeverityNumber.INFO);
  r.replace('warn', {});
  assert.equal(r.thresholdFor('db.query'), SeverityNumber.WARN);
});

it('setLevel changes facade loggers and other OpenTelemetry loggers at run time; filtered records take no seq', async () => {
  setLevel('info');
  setLevel('noisy.*', 'error');
  const quiet = getLogger('noisy.cache');
  const app = getLogger('app');
  const lib = logs.getLogger('noisy.lib');
  assert.equal(quiet.isLevelEnabled('warn'), false);
  let T = '';
  task('levels', (t) => {
    T = t.taskId;
    quiet.warn('hidden');
    app.debug('hidden too');
    lib.emit({ body: 'hidden as well', severityNumber: SeverityNumber.INFO });
    quiet.error('shown');
    app.info('shown too');
  });
  setLevel('noisy.*', 'debug');
  assert.equal(quiet.isLevelEnabled('debug'), true);
  task('after change', () => quiet.debug('now shown'));
  const es = await h.drain();
  assert.deepEqual(es.map((e) => `${e.key?.split('@')[0]} ${e.message}`), ['0 levels', '1 shown', '2 shown too', '3 levels', '0 after change', '1 now shown', '2 after change']);
  assert.ok(es[0]!.key!.endsWith(T));
});
