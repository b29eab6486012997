/**
 * The storefront service of the web-view demo: one task per order that
 * validates the cart, reserves stock and charges the card through the
 * payments service (a remote subtask: the scope rides the request headers from
 * foreignTask()). An order over 100 EUR fails there, and its task with it.
 *
 *   PAYMENTS_URL      the payments service (required)
 *   ORDERS            orders to place, ID:AMOUNT comma-separated (default A-1:12.5,B-2:250,C-3:40)
 *   NOTE              the customer's delivery note, logged as is (default: leave at the door)
 *   PAUSE_MS          pause between orders (default 1000)
 *   DISTLOG_ENDPOINT  collector endpoint (default tcp://127.0.0.1:5010)
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { foreignTask, getLogger, register, success, task, to } from 'distlog';
import { ZmqLogRecordExporter } from 'distlog/exporter';

const handle = register({
  serviceName: 'storefront',
  exporters: [new ZmqLogRecordExporter({ endpoint: process.env.DISTLOG_ENDPOINT ?? 'tcp://127.0.0.1:5010', system: 'T' })],
});
const log = getLogger('storefront.checkout');
const payments = process.env.PAYMENTS_URL;
if (!payments) throw new Error('PAYMENTS_URL is not set');
const orders = (process.env.ORDERS ?? 'A-1:12.5,B-2:250,C-3:40').split(',').map((o) => {
  const [id, amount] = o.split(':');
  return { id: id!, amount: Number(amount) };
});
const note = process.env.NOTE ?? 'leave at the door';
const pause = Number(process.env.PAUSE_MS ?? 1000);

async function checkout(order: { id: string; amount: number }): Promise<void> {
  await task('checkout order %s', order.id, { user: 'leo', amount: order.amount }, async () => {
    await to('validate cart', async () => {
      log.info('cart has %d items', 3, { items: 3 });
      log.info('customer note: %s', note, { note });
      await sleep(15);
    });
    await to('reserve stock', { sku: 'sku-42' }, async () => {
      await sleep(25);
      log.debug('reserved %d of sku-42', 3, { table: 'stock' });
      success('reserved 3 items');
    });
    await to('charge card', { amount: order.amount }, async () => {
      // The payments service continues this scope: foreignTask() gives the headers.
      const res = await fetch(`${payments}/charge?amount=${order.amount}`, { method: 'POST', headers: { ...foreignTask() } });
      const body = await res.text();
      if (!res.ok) {
        log.error('payments refused: %s', body, { status: res.status });
        throw new Error(`payment refused (${res.status})`);
      }
      success('charged %d EUR', order.amount);
    });
  });
}

for (const [i, order] of orders.entries()) {
  if (i > 0) await sleep(pause);
  try {
    await checkout(order);
    process.stdout.write(`order ${order.id}: ok\n`);
  } catch (err) {
    process.stdout.write(`order ${order.id}: failed (${(err as Error).message})\n`);
  }
}
await handle.shutdown();
