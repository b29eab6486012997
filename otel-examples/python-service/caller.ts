/**
 * The storefront service (Node, distlog): one task whose subtask `price items`
 * asks the Python pricing service for two prices. The trace headers of each
 * call are injected by distlog's propagator (register() installs it as the
 * global one): `traceparent` with the task id and a fresh parent-id, and
 * `tracestate` with `distlog=<slot>`, a subtask slot of `price items`.
 *
 *   PRICING_URL       the Python service (default http://127.0.0.1:8090)
 *   DISTLOG_ENDPOINT  collector endpoint (default tcp://127.0.0.1:5010)
 */
import { context, propagation } from '@opentelemetry/api';
import { getLogger, register, success, task, to } from 'distlog';
import { ZmqLogRecordExporter } from 'distlog/exporter';

const handle = register({
  serviceName: 'storefront',
  exporters: [new ZmqLogRecordExporter({ endpoint: process.env.DISTLOG_ENDPOINT ?? 'tcp://127.0.0.1:5010', system: 'T' })],
});
const log = getLogger('storefront');
const pricing = process.env.PRICING_URL ?? 'http://127.0.0.1:8090';

async function price(sku: string): Promise<number> {
  const headers: Record<string, string> = {};
  propagation.inject(context.active(), headers); // distlog's propagator: a new subtask slot per call
  const res = await fetch(`${pricing}/price?sku=${sku}`, { headers });
  if (!res.ok) throw new Error(`pricing answered ${res.status} for sku ${sku}`);
  return Number(await res.text());
}

await task('quote basket %s', 'B-7', { user: 'ana' }, async () => {
  const total = await to('price items', { items: 2 }, async () => {
    let sum = 0;
    for (const sku of ['42', '43']) {
      const cents = await price(sku);
      log.info('sku %s: %d cents', sku, cents);
      sum += cents;
    }
    success('priced 2 items: %d cents', sum);
    return sum;
  });
  log.info('quote total %d cents', total);
});

await handle.shutdown();
