// The blocking plugin's consume() body, run in a worker thread: receives a
// batch (structured clone), burns `blockMs` of CPU, replies.
import { parentPort, workerData } from 'node:worker_threads';

parentPort.on('message', (batch) => {
  const end = Date.now() + workerData.blockMs;
  while (Date.now() < end);
  parentPort.postMessage(batch.length);
});
