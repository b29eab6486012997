/**
 * The shop service: one task that calls the inventory service twice, once
 * with node:http (inside a subtask) and once with fetch(). The HTTP and
 * undici instrumentations inject the distlog propagator's headers into both
 * calls, so the inventory's records join this task's tree.
 *
 *   CALLEE_URL        the inventory service (default http://127.0.0.1:8081)
 *   DISTLOG_ENDPOINT  collector endpoint (default tcp://127.0.0.1:5010)
 */
import { get } from 'node:http';
import { getLogger, register, task, to } from 'distlog';
import { ZmqLogRecordExporter } from 'distlog/exporter';

const handle = register({
  serviceName: 'shop',
  exporters: [new ZmqLogRecordExporter({ endpoint: process.env.DISTLOG_ENDPOINT ?? 'tcp://127.0.0.1:5010', system: 'T' })],
});
const log = getLogger('shop');
const inventory = process.env.CALLEE_URL ?? 'http://127.0.0.1:8081';

function httpGet(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

await task('checkout order %s', 'A-1', { user: 'leo' }, async () => {
  await to('reserve stock', async () => {
    log.info('reserve answered %s', await httpGet(`${inventory}/reserve?sku=42`)); // node:http
  });
  const res = await fetch(`${inventory}/charge`, { method: 'POST' }); // fetch (undici)
  log.info('charge answered %s', await res.text());
});

await handle.shutdown();
