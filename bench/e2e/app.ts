/**
 * The e2e benchmark's application process.
 *   node --import tsx app.ts <endpoint> <records> <encoding> <small|2kb>
 * Prints one JSON report line (WorkloadResult) when everything was handed to ZeroMQ.
 */
import type { Encoding } from '../../src/protocol/index.js';
import { isShape } from './shapes.js';
import { runWorkload } from './workload.js';

const [endpoint = 'tcp://127.0.0.1:5010', total = '1000000', encoding = 'O', shape = 'small'] = process.argv.slice(2);
if (!isShape(shape)) throw new Error(`unknown shape ${shape}`);
const result = await runWorkload(endpoint, Number(total), encoding as Encoding, shape);
console.log(JSON.stringify(result));
