/**
 * The 2018 Python distlog tutorial, rebuilt on distlog for Node.js:
 * a task `toplevel` (user=leo) with one subtask (arg=42) that sets its own
 * success message. Records go over ZeroMQ to distlogd.
 *
 *   DISTLOG_ENDPOINT  collector endpoint (default tcp://127.0.0.1:5010)
 */
import { getLogger, register, success, task, to } from 'distlog';
import { ZmqLogRecordExporter } from 'distlog/exporter';

const handle = register({
  serviceName: 'basic-example',
  exporters: [new ZmqLogRecordExporter({ endpoint: process.env.DISTLOG_ENDPOINT ?? 'tcp://127.0.0.1:5010', system: 'T' })],
});
const logger = getLogger('example');

async function main(): Promise<void> {
  await task('toplevel', { user: 'leo' }, async () => {
    console.log('into task');
    logger.info('into task');
    await to('subtask', { arg: 42 }, async () => {
      console.log('into subtask');
      logger.info('into task');
      success('subtask done');
    });
  });
  console.log('all done');
  logger.info('all done');
}

await main();
await handle.shutdown();
