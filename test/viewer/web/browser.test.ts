/**
 * The web view in a real browser (Debian's chromium via playwright-core) on a
 * real distlogd fed by two real app processes (otel-examples/web-view: the
 * storefront calls the payments service, whose fraud check fails): the task
 * appears live, unfolds, filters to its failed branch, its waterfall is in
 * start order with children inside their parents, and a message carrying
 * `<script>` shows as text without running.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { ensureWebBuilt, launchBrowser, screenshotPath, startDaemon, startServices, type Daemon } from './stack.js';

const SCRIPT = '<script>alert(1)</script>';
let browser: Browser;
let daemon: Daemon;

before(async () => {
  browser = await launchBrowser();
  await ensureWebBuilt();
  daemon = await startDaemon();
});

after(async () => {
  await browser?.close();
  await daemon?.stop();
});

interface NodeBox {
  title: string;
  depth: number;
  status: string;
  left: number;
  right: number;
}

/** The tree's scope rows as shown: title, depth, status and the bar's horizontal extent on screen. */
async function visibleNodes(page: Page): Promise<NodeBox[]> {
  const rows = page.locator('#tree .row.node');
  const out: NodeBox[] = [];
  for (let i = 0; i < (await rows.count()); i++) {
    const row = rows.nth(i);
    const box = (await row.locator('.bar').boundingBox())!;
    out.push({
      title: (await row.locator('.node-title').textContent()) ?? '',
      depth: Number(await row.getAttribute('data-depth')),
      status: (await row.getAttribute('data-status')) ?? '',
      left: box.x,
      right: box.x + box.width,
    });
  }
  return out;
}

async function unfold(page: Page, title: string): Promise<void> {
  const row = page.locator('#tree .row.node', { has: page.locator('.node-title', { hasText: title }) }).first();
  await row.locator('button.toggle').click();
  await row.locator('button.toggle[title="fold"]').waitFor();
}

it('shows a live 3-level task from two processes as a foldable waterfall tree, filters to the failed branch, and escapes log content', async () => {
  const page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
  const dialogs: string[] = [];
  const consoleErrors: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));

  const res = await page.goto(daemon.url);
  assert.equal(res?.status(), 200);
  assert.match(res!.headers()['content-security-policy'] ?? '', /script-src 'self'/);
  await page.locator('#live-status.up').waitFor({ timeout: 30_000 });
  assert.equal(await page.locator('li.task').count(), 0, 'no task before the apps run');

  // The apps start after the page is open: the task must arrive over the live feed.
  const services = await startServices(daemon.endpoint, { ORDERS: 'B-2:250', NOTE: SCRIPT, PAUSE_MS: '0' });
  try {
    const row = page.locator('li.task', { hasText: 'checkout order B-2' });
    await row.waitFor({ timeout: 60_000 });
    assert.match(await services.done, /order B-2: failed/);
  } finally {
    await services.stop(); // payments flushes its last records on SIGTERM
  }
  const row = page.locator('li.task', { hasText: 'checkout order B-2' });
  await page.locator('li.task[data-status="failed"]', { hasText: 'checkout order B-2' }).waitFor({ timeout: 30_000 });
  assert.match(await row.innerText(), /payments, storefront/);

  await row.click();
  await page.locator('#tree .row.node[data-depth="0"]').waitFor();
  // Folded below the root at first: the root's children show, the remote scope does not.
  assert.deepEqual((await visibleNodes(page)).map((n) => n.title), ['checkout order B-2', 'validate cart', 'reserve stock', 'charge card']);

  await unfold(page, 'charge card');
  await unfold(page, 'serve POST');
  const nodes = await visibleNodes(page);
  assert.deepEqual(
    nodes.map((n) => [n.depth, n.title, n.status]),
    [
      [0, 'checkout order B-2', 'failed'],
      [1, 'validate cart', 'ok'],
      [1, 'reserve stock', 'ok'],
      [1, 'charge card', 'failed'],
      [2, 'serve POST /charge?amount=250', 'failed'],
      [3, 'authorize card', 'ok'],
      [3, 'fraud check', 'failed'],
    ],
  );
  // The waterfall: siblings in start order, each child's bar inside its parent's.
  const stack: NodeBox[] = [];
  const lastChildLeft = new Map<NodeBox | undefined, number>();
  for (const n of nodes) {
    while (stack.length > n.depth) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent) {
      assert.ok(n.left >= parent.left - 0.5, `${n.title} starts inside ${parent.title} (${n.left} >= ${parent.left})`);
      assert.ok(n.right <= parent.right + 1, `${n.title} ends inside ${parent.title} (${n.right} <= ${parent.right})`);
    }
    const prev = lastChildLeft.get(parent);
    if (prev !== undefined) assert.ok(n.left >= prev, `${n.title} starts after its previous sibling`);
    lastChildLeft.set(parent, n.left);
    stack.push(n);
  }
  assert.ok(nodes[6]!.left > nodes[5]!.left + 10, 'fraud check runs after authorize card: its bar is further right');
  await page.screenshot({ path: screenshotPath('web-tree.png'), fullPage: true });

  // Untrusted content: the <script> note is text in the tree, the tail and the details, and never runs.
  await unfold(page, 'validate cart');
  const note = page.locator('#tree .row.record .message', { hasText: SCRIPT });
  assert.equal(await note.textContent(), `customer note: ${SCRIPT}`);
  await note.click();
  await page.locator('#detail .detail-message', { hasText: SCRIPT }).waitFor();
  assert.equal(await page.locator('#detail table.kv pre', { hasText: SCRIPT }).first().textContent(), SCRIPT);
  assert.ok((await page.locator('#tail .message', { hasText: SCRIPT }).count()) >= 1, 'the tail shows it as text too');
  assert.equal(await page.locator('script').count(), 1, 'only the page bundle is a script element');
  assert.equal(await page.locator('#tree script, #tail script, #detail script').count(), 0);

  // The failed branch's exception on demand.
  await unfold(page, 'fraud check');
  await page.locator('#tree .row.record .message', { hasText: 'FAILED fraud check' }).click();
  await page.locator('#detail .exc-title', { hasText: 'FraudSuspected: amount 250 EUR is above the 100 EUR limit' }).waitFor();
  assert.match((await page.locator('#detail .stack').textContent()) ?? '', /payments\.ts/);

  // Failed only: the branch that failed, nothing else.
  await page.locator('#f-failed').check();
  await page.locator('#tree .row.node[data-status="ok"]').first().waitFor({ state: 'detached' });
  assert.deepEqual(
    (await visibleNodes(page)).map((n) => n.title),
    ['checkout order B-2', 'charge card', 'serve POST /charge?amount=250', 'fraud check'],
  );
  // Level filter: only ERROR and above among the records.
  await page.locator('#f-level').selectOption('error');
  await page.locator('#tree .row.record .level', { hasText: 'INFO' }).first().waitFor({ state: 'detached' });
  const levels = await page.locator('#tree .row.record .level').allTextContents();
  assert.ok(levels.length >= 1 && levels.every((l) => l === 'ERROR' || l === 'FATAL'), `levels shown: ${levels.join(' ')}`);
  assert.ok((await page.locator('#tree .row.record').count()) >= 1);

  // Text search: folded scopes holding a match open by themselves.
  await page.locator('#f-failed').uncheck();
  await page.locator('#f-level').selectOption('');
  await page.getByRole('button', { name: 'Collapse all' }).click();
  await page.locator('#f-text').fill('authorized 250');
  await page.locator('#tree .row.record .message', { hasText: 'authorized 250 EUR' }).waitFor();
  assert.equal(await page.locator('#tree .row.record').count(), 1, 'only the matching record');

  // Counters pane: per plugin received / written / dropped / errors.
  const fileRow = page.locator('#counters tr[data-plugin="file"]');
  await fileRow.waitFor();
  const cells = await fileRow.locator('td').allTextContents();
  assert.equal(cells[0], 'file');
  assert.ok(Number(cells[1]!.replaceAll(',', '')) >= 18, `file received ${cells[1]}`);
  await page.locator('#counters tr[data-plugin="web"]').waitFor();

  await page.screenshot({ path: screenshotPath('web-failed-only.png'), fullPage: true });
  assert.deepEqual(dialogs, [], 'no script from log content ran');
  assert.deepEqual(consoleErrors, [], 'no console errors (CSP violations included)');
  await page.close();
});
