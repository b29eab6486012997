/**
 * Makes docs/web-view.png: runs `npm run demo` (its own distlogd on free
 * ports), opens the web view in Debian's chromium, opens the failed order's
 * task, unfolds its failed branch and shows the failing record's exception.
 *
 *   node --import tsx scripts/screenshot-web.ts [OUT.png]
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('../', import.meta.url));
const out = process.argv[2] ?? `${root}docs/web-view.png`;
const CHROMIUM = '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/install.sh`);

const demo = spawn(process.execPath, ['--conditions=distlog-src', '--import', 'tsx', 'otel-examples/basic/demo.ts'], {
  cwd: root,
  env: { ...process.env, DEMO_WEB_PORT: '0', DEMO_ENDPOINT: 'tcp://127.0.0.1:*', DEMO_DATA: mkdtempSync(join(tmpdir(), 'distlog-shot-')) },
  stdio: ['ignore', 'pipe', 'ignore'],
});
let text = '';
demo.stdout.on('data', (c: Buffer) => (text += c.toString()));
const deadline = Date.now() + 120_000;
while (!text.includes('demo: all examples done')) {
  if (demo.exitCode !== null || Date.now() > deadline) throw new Error(`the demo did not finish:\n${text}`);
  await new Promise((r) => setTimeout(r, 200));
}
const url = /distlog web view: (http:\/\/\S+\/)/.exec(text)![1]!;

const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 1360, height: 760 } });
  await page.goto(url);
  await page.locator('li.task', { hasText: 'checkout order B-2' }).click();
  const unfold = async (title: string) => {
    const row = page.locator('#tree .row.node', { has: page.locator('.node-title', { hasText: title }) }).first();
    await row.locator('button.toggle').click();
    await row.locator('button.toggle[title="fold"]').waitFor();
  };
  await unfold('charge card');
  await unfold('serve POST');
  await unfold('fraud check');
  await page.locator('#tree .row.record .message', { hasText: 'FAILED fraud check' }).click();
  await page.locator('#detail .exc-title').waitFor();
  await page.locator('#live-status.up').waitFor();
  await page.screenshot({ path: out });
  console.log(`screenshot: ${out}`);
} finally {
  await browser.close();
  demo.kill('SIGINT');
  await once(demo, 'exit');
}
