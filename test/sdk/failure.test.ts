import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { getLogger, task, to } from '../../src/sdk/index.js';
import { setup, type Harness } from './helpers.js';

let h: Harness;
before(() => {
  h = setup('failure');
});
after(() => h.handle.shutdown());

class PaymentDeclined extends Error {}

it('a throwing body writes an ERROR record with the exception and rethrows the same error', async () => {
  const boom = new PaymentDeclined('card 4242 declined');
  let caught: unknown;
  try {
    task('charge card', { order: 'A-1' }, () => {
      to('call bank', () => {
        throw boom;
      });
    });
  } catch (err) {
    caught = err;
  }
  assert.equal(caught, boom);
  const es = await h.drain();
  assert.deepEqual(es.map((e) => `${e.path} ${e.event} ${e.level}`), [' enter INFO', '1 enter INFO', '1 fail ERROR', ' fail ERROR']);
  const fail = es[2]!;
  assert.equal(fail.message, 'FAILED call bank');
  assert.equal(fail.exception?.type, 'PaymentDeclined');
  assert.equal(fail.exception?.message, 'card 4242 declined');
  assert.match(String(fail.exception?.stack), /card 4242 declined\n\s+at /);
  assert.deepEqual(fail.attributes, {}, 'the exception is not repeated among the attributes');
  assert.equal(fail.severity, 17);
});

it('a rejecting async body fails the scope and the caller gets the same rejection', async () => {
  const boom = new RangeError('too far');
  await assert.rejects(
    task('async fail', async () => {
      await new Promise((r) => setTimeout(r, 1));
      throw boom;
    }),
    (err) => err === boom,
  );
  const es = await h.drain();
  assert.deepEqual(es.map((e) => e.event), ['enter', 'fail']);
  assert.equal(es[1]!.exception?.type, 'RangeError');
});

it('non-Error throwables are described too', async () => {
  assert.throws(() => task('throws a string', () => { throw 'nope'; }), (e) => e === 'nope');
  const es = await h.drain();
  assert.equal(es[1]!.exception?.message, 'nope');
});

it('logger.exception() records type, message and stack inside the scope', async () => {
  const log = getLogger('app');
  await task('job', async () => {
    try {
      JSON.parse('{');
    } catch (err) {
      log.exception(err, 'could not parse %s', 'config');
    }
  });
  const es = await h.drain();
  const rec = es[1]!;
  assert.equal(rec.level, 'ERROR');
  assert.equal(rec.message, 'could not parse config');
  assert.equal(rec.exception?.type, 'SyntaxError');
  assert.ok(rec.key!.startsWith('1@'));
});

it('the `using` form records a failure through scope.fail()', async () => {
  try {
    using t = task('manual');
    try {
      throw new Error('x');
    } catch (err) {
      t.fail(err);
    }
  } catch {
    assert.fail('must not throw');
  }
  const es = await h.drain();
  assert.deepEqual(es.map((e) => e.event), ['enter', 'fail']);
});
