/**
 * Receiver for the OpenTelemetry SDK peer: a node:http server taking OTLP/HTTP
 * protobuf log exports and appending each raw body to one file, answering only
 * once the body is written (so an exporter's success means "on disk", as a
 * line in distlogd's file does).
 *
 *   node --import tsx peer-http-receiver.ts <out file>
 * Prints `ready <port>`.
 */
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:http';

const [out = ''] = process.argv.slice(2);
const file = createWriteStream(out, { flags: 'a' });
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    file.write(Buffer.concat(chunks), () => {
      // An empty ExportLogsServiceResponse: full success.
      res.writeHead(200, { 'content-type': 'application/x-protobuf', 'content-length': '0' });
      res.end();
    });
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  console.log(`ready ${typeof addr === 'object' && addr ? addr.port : 0}`);
});
process.on('SIGTERM', () => file.end(() => process.exit(0)));
