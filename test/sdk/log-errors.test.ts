/** An Error passed to a log call becomes the record's exception, not text in its message. */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { getLogger, task } from '../../src/sdk/index.js';
import { setup, type Harness } from './helpers.js';

let h: Harness;
before(() => {
  h = setup('log-errors');
});
after(() => h.handle.shutdown());

class DbTimeout extends Error {}

it("log.error('failed', err) fills exception.type/message/stacktrace and keeps the message clean", async () => {
  const log = getLogger('db');
  const err = new DbTimeout('query took 30 s');
  task('load order', () => log.error('failed', err));
  const [, rec] = await h.drain();
  assert.equal(rec!.message, 'failed');
  assert.equal(rec!.level, 'ERROR');
  assert.equal(rec!.exception?.type, 'DbTimeout');
  assert.equal(rec!.exception?.message, 'query took 30 s');
  assert.match(String(rec!.exception?.stack), /query took 30 s\n\s+at /);
  assert.ok(!rec!.message.includes('at '), 'no stack in the message');
});

it('format arguments, the error and a data object combine: (msg, ...args, err, data)', async () => {
  const log = getLogger('db');
  log.warn('retry %d of %s failed', 2, 'orders', new TypeError('socket closed'), { table: 'orders' });
  const [rec] = await h.drain();
  assert.equal(rec!.message, 'retry 2 of orders failed');
  assert.equal(rec!.exception?.type, 'TypeError');
  assert.equal(rec!.exception?.message, 'socket closed');
  assert.equal(rec!.attributes.table, 'orders');
});

it("pino's order works too: log.error(err) and log.error(err, 'msg %s', x)", async () => {
  const log = getLogger('db');
  log.error(new RangeError('bad page') as unknown as string);
  log.error(new RangeError('bad page') as unknown as string, 'page %d', 7);
  const [a, b] = await h.drain();
  assert.equal(a!.message, 'bad page');
  assert.equal(a!.exception?.type, 'RangeError');
  assert.equal(b!.message, 'page 7');
  assert.equal(b!.exception?.message, 'bad page');
});

it('an error a placeholder consumes is formatted into the message, as util.format does', async () => {
  getLogger('db').error('failed: %s', new Error('nope'));
  const [rec] = await h.drain();
  assert.match(rec!.message, /^failed: Error: nope/);
  assert.equal(rec!.exception, undefined);
});
