/**
 * The inventory service: an HTTP server whose every request continues the
 * caller's task as a subtask (importTask with the request headers).
 *
 *   PORT              port to listen on (default 0: any free port; the URL is printed)
 *   DISTLOG_ENDPOINT  collector endpoint (default tcp://127.0.0.1:5010)
 */
import { createServer } from 'node:http';
import { getLogger, importTask, register, to } from 'distlog';
import { ZmqLogRecordExporter } from 'distlog/exporter';

const handle = register({
  serviceName: 'inventory',
  exporters: [new ZmqLogRecordExporter({ endpoint: process.env.DISTLOG_ENDPOINT ?? 'tcp://127.0.0.1:5010', system: 'T' })],
});
const log = getLogger('inventory.http');

const server = createServer((req, res) => {
  // The caller's traceparent/tracestate name the subtask slot this request fills.
  void importTask(req.headers, 'serve %s %s', req.method, req.url, async () => {
    log.info('request for %s', req.url);
    if (req.url?.startsWith('/reserve')) {
      await to('check stock', async () => {
        log.info('42 in stock');
      });
    }
    return 'ok';
  }).then((body) => res.end(body));
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
