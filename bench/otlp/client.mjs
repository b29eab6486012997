/**
 * The OTLP/HTTP client of bench/otlp, in a worker thread so that it does not
 * share the event loop of the distlogd it measures: pre-encoded
 * ExportLogsServiceRequest bodies (workerData.bodies) POSTed with keep-alive,
 * `concurrency` requests in flight. A 503/429 (backpressure) is retried after
 * 5 ms and counted. Posts back { throttled } when every body got a 200.
 */
import { request, Agent } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const bodies = workerData.bodies.map((b) => Buffer.from(b));

function post(url, body, agent) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end(body);
  });
}

parentPort.on('message', async ({ url, concurrency }) => {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  let next = 0;
  let throttled = 0;
  const lane = async () => {
    while (next < bodies.length) {
      const body = bodies[next++];
      for (;;) {
        const status = await post(url, body, agent);
        if (status === 200) break;
        if (status !== 503 && status !== 429) throw new Error(`${url}: HTTP ${status}`);
        throttled++;
        await new Promise((r) => setTimeout(r, 5));
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, lane));
    parentPort.postMessage({ throttled });
  } catch (err) {
    parentPort.postMessage({ error: String(err) });
  } finally {
    agent.destroy();
  }
});
