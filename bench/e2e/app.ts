/**
 * The e2e benchmark's application process.
 *   node --import tsx app.ts <endpoint> <records> <encoding> <small|2kb> [--barrier]
 * Prints one JSON report line (WorkloadResult) when everything was handed to ZeroMQ.
 * With --barrier it prints `ready` once set up and starts logging when a line
 * arrives on stdin (the harness's start barrier, see workload.ts).
 */
import { once } from 'node:events';
import type { Encoding } from '../../src/protocol/index.js';
import { isShape } from './shapes.js';
import { runWorkload } from './workload.js';

const [endpoint = 'tcp://127.0.0.1:5010', total = '1000000', encoding = 'O', shape = 'small'] = process.argv.slice(2);
if (!isShape(shape)) throw new Error(`unknown shape ${shape}`);
const barrier = process.argv.includes('--barrier')
  ? async () => {
      console.log('ready');
      await once(process.stdin, 'data');
      process.stdin.destroy();
    }
  : undefined;
const result = await runWorkload(endpoint, Number(total), encoding as Encoding, shape, barrier);
console.log(JSON.stringify(result));
