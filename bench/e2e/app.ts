/**
 * The e2e benchmark's application process.
 *   node --import tsx app.ts <endpoint> <records> <encoding>
 * Prints one JSON report line (WorkloadResult) when everything was handed to ZeroMQ.
 */
import type { Encoding } from '../../src/protocol/index.js';
import { runWorkload } from './workload.js';

const [endpoint = 'tcp://127.0.0.1:5010', total = '1000000', encoding = 'J'] = process.argv.slice(2);
const result = await runWorkload(endpoint, Number(total), encoding as Encoding);
console.log(JSON.stringify(result));
