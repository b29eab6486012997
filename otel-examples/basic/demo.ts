/**
 * `npm run demo`: runs the basic example against distlogd and shows the task
 * tree. If a distlogd already listens on 127.0.0.1:5010 (you ran `npm start`),
 * the tree appears in that terminal; otherwise this starts one on its default
 * config, lets its console plugin print the tree here, and stops it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const node = (args: string[], stdio: 'inherit' | 'pipe'): ChildProcess =>
  spawn(process.execPath, ['--conditions=distlog-src', '--import', 'tsx', ...args], { cwd: root, stdio: ['ignore', stdio, 'inherit'] });

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

let collector: ChildProcess | undefined;
if (await listening(5010)) {
  console.log('demo: distlogd is already running on tcp://127.0.0.1:5010; the tree appears in its console');
} else {
  collector = node(['src/cli/distlogd.ts'], 'pipe');
  collector.stdout!.pipe(process.stdout);
  // wait for the daemon to bind before the app sends
  for (let i = 0; i < 100 && !(await listening(5010)); i++) await new Promise((r) => setTimeout(r, 100));
}

const app = node(['otel-examples/basic/main.ts'], 'inherit');
const [code] = (await once(app, 'exit')) as [number | null];

if (collector) {
  await new Promise((r) => setTimeout(r, 500)); // let the console plugin print the last records
  collector.kill('SIGTERM');
  await once(collector, 'exit');
}
process.exit(code ?? 1);
