/**
 * The payments service of the web-view demo: an HTTP server whose every
 * request continues the caller's task (importTask with the request headers).
 * Charges above 100 fail the fraud check: the failing branch of the tree.
 *
 *   PORT              port to listen on (default 0: any free port; the URL is printed)
 *   DISTLOG_ENDPOINT  collector endpoint (default tcp://127.0.0.1:5010)
 */
import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { getLogger, importTask, register, success, to } from 'distlog';
import { ZmqLogRecordExporter } from 'distlog/exporter';

const handle = register({
  serviceName: 'payments',
  exporters: [new ZmqLogRecordExporter({ endpoint: process.env.DISTLOG_ENDPOINT ?? 'tcp://127.0.0.1:5010', system: 'T' })],
});
const log = getLogger('payments.api');

class FraudSuspected extends Error {
  override name = 'FraudSuspected';
}

const server = createServer((req, res) => {
  const amount = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('amount') ?? 0);
  // The caller's traceparent/tracestate name the subtask slot this request fills.
  importTask(req.headers, 'serve %s %s', req.method, req.url, { amount }, async () => {
    log.info('charge request for %d EUR', amount);
    await to('authorize card', { bank: 'acme' }, async () => {
      await sleep(30);
      log.debug('bank answered in %d ms', 28, { bank: 'acme' });
      success('authorized %d EUR', amount);
    });
    await to('fraud check', { rules: 12 }, async () => {
      await sleep(20);
      if (amount > 100) throw new FraudSuspected(`amount ${amount} EUR is above the 100 EUR limit for new customers`);
      success('no fraud suspected');
    });
    return 'charged';
  }).then(
    (body) => res.end(body),
    (err: Error) => {
      res.statusCode = 402;
      res.end(err.message);
    },
  );
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const addr = server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
  process.stdout.write(`listening on http://127.0.0.1:${port}\n`);
});

process.on('SIGTERM', () => {
  server.close(() => {
    void handle.shutdown().then(() => process.exit(0));
  });
});
