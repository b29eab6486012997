/**
 * The tree of records the distlog SDK really writes (through register() and
 * the in-memory exporter), arriving in any order.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { logs, SeverityNumber } from '@opentelemetry/api-logs';
import { foreignTask, getLogger, importTask, register, success, task, to } from '../../src/sdk/index.js';
import { InMemoryLogRecordExporter } from '../../src/exporter/testing.js';
import { buildTrees, canonicalTask, renderTask } from '../../src/viewer/index.js';
import { rng, shuffle } from './helpers.js';

it('builds the tree of real SDK records: scopes, a remote subtask, a plain OTel logger, a failure with its exception', async () => {
  const mem = new InMemoryLogRecordExporter();
  const handle = register({ serviceName: 'orders', exporters: [mem], level: 'trace', flushOnExit: false });
  const log = getLogger('orders.http');
  let carrier: ReturnType<typeof foreignTask> | undefined;
  await task('checkout %s', 'A-1', { user: 'leo' }, async () => {
    log.info('validating');
    await to('reserve stock', async () => {
      log.debug('rows %d', 3);
      success('reserved %d', 3);
    });
    carrier = foreignTask();
    logs.getLogger('plain-otel').emit({ severityNumber: SeverityNumber.WARN, severityText: 'WARN', body: 'from a plain OTel logger' });
  });
  // the remote half, as the called service would run it
  await assert.rejects(
    importTask(carrier!, 'charge card', async () => {
      log.info('calling the issuer');
      throw new RangeError('no funds');
    }),
  );
  await handle.flush();
  const records = mem.entries();
  await handle.shutdown();

  const ordered = buildTrees(records);
  assert.equal(ordered.tasks().length, 1);
  const t = ordered.tasks()[0]!;
  for (const seed of [1, 2, 3]) assert.equal(canonicalTask(buildTrees(shuffle(records, rng(seed))).task(t.task)!), canonicalTask(t));

  const text = renderTask(t).replace(/\d+(\.\d+)? ms/g, 'N ms').replace(/\n {10}at .*/g, '');
  assert.equal(
    text,
    [
      `task ${t.task} · orders · 10 records · 1 error`,
      '✔ checkout A-1 [orders] user=leo · N ms',
      '  INFO  validating',
      '  ✔ 1 reserve stock [orders] · reserved 3 · N ms',
      '    DEBUG rows 3',
      '  WARN  from a plain OTel logger',
      '  ✘ 2 charge card [orders] · FAILED charge card · N ms',
      '    ! RangeError: no funds',
      '    INFO  calling the issuer',
    ].join('\n'),
  );
  assert.equal(t.node('p:2')!.status, 'failed');
  assert.equal(t.root.subtreeErrors, 1);
});
