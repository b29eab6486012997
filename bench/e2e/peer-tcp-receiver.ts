/**
 * Receiver for the pino + pino-socket peer: a TCP server that appends what it
 * receives, raw (pino's JSON lines as sent), to one file. The benchmark counts
 * the lines in that file, as it does for distlogd's files.
 *
 *   node --import tsx peer-tcp-receiver.ts <out file>
 * Prints `ready <port>`.
 */
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';

const [out = ''] = process.argv.slice(2);
const file = createWriteStream(out, { flags: 'a' });
const server = createServer((socket) => {
  // pipe() honours backpressure: a slow disk slows the sender, nothing is dropped here.
  socket.pipe(file, { end: false });
});
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  console.log(`ready ${typeof addr === 'object' && addr ? addr.port : 0}`);
});
process.on('SIGTERM', () => file.end(() => process.exit(0)));
