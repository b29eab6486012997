// Sends the pre-encoded messages it is given from a worker thread, so that a
// blocked main event loop cannot slow the sender itself.
import { workerData, parentPort } from 'node:worker_threads';
import { Push } from 'zeromq';

const push = new Push({ linger: 5000, sendHighWaterMark: 100 });
push.connect(workerData.endpoint);
for (const m of workerData.messages) await push.send([Buffer.from(m[0]), Buffer.from(m[1])]);
parentPort.postMessage('sent');
push.close();
