/**
 * The `web` plugin: a browser view of distlogd's tasks, records and counters.
 * consume() feeds the in-memory recent window (task trees, tail) and the live
 * feed; an HTTP server (node:http: no dependency, and the API is a handful of
 * GET routes) answers the page and its JSON API. Older tasks come from the
 * configured store (store-access.ts).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PluginContext, PluginInstance } from '../../plugins/api.js';
import type { LogEntry } from '../../protocol/log-entry.js';
import { loadAssets, type Asset } from './assets.js';
import { LiveFeed } from './live-feed.js';
import { RecentWindow } from './recent-window.js';
import { handle, type RouteDeps } from './routes.js';
import { isLoopbackHost, splitEndpoint, type WebOptions } from './schema.js';
import { StoreAccess } from './store-access.js';
import type { WebCounters } from './wire.js';

const TICK_MS = 5_000;

export class WebPlugin implements PluginInstance {
  private server: Server | undefined;
  private url = '';
  private readonly window: RecentWindow;
  private readonly feed: LiveFeed;
  private readonly store: StoreAccess;
  private tick: NodeJS.Timeout | undefined;
  private unauthorized = 0;

  constructor(
    private readonly options: WebOptions,
    private readonly ctx: PluginContext,
  ) {
    this.window = new RecentWindow(options.recent);
    this.feed = new LiveFeed(options.sse);
    this.store = new StoreAccess(options.store, ctx.stores, (m) => ctx.logger.warn(m));
  }

  /** The page's URL once started (http://HOST:PORT/). */
  get address(): string {
    return this.url;
  }

  async start(): Promise<void> {
    const loaded = loadAssets();
    let assets: Map<string, Asset> | undefined;
    let assetsProblem: string | undefined;
    if ('missing' in loaded) {
      assetsProblem = `the web page is not built (${loaded.missing} is missing): run \`npm run build\``;
      this.ctx.logger.warn(assetsProblem);
    } else assets = loaded.assets;

    const deps: RouteDeps = {
      token: this.options.token,
      assets,
      assetsProblem,
      window: this.window,
      store: this.store,
      feed: this.feed,
      collectorStats: this.ctx.stats,
      webCounters: () => this.counters(),
      onUnauthorized: () => this.unauthorized++,
    };
    const server = createServer((req, res) => {
      handle(deps, req, res).catch((err: Error) => {
        if (!res.headersSent) res.writeHead(500).end();
        this.ctx.logger.error(`request ${req.url ?? ''}: ${err.message}`);
      });
    });
    const { host, port } = splitEndpoint(this.options.endpoint);
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        reject(new Error(`cannot listen on ${this.options.endpoint}: ${err.code === 'EADDRINUSE' ? 'the address is in use' : err.message}`)),
      );
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    const bound = (server.address() as AddressInfo).port;
    this.url = `http://${host.includes(':') ? `[${host}]` : host}:${bound}/`;
    this.tick = setInterval(() => this.window.tick(Date.now()), TICK_MS);
    this.tick.unref();
  }

  describe(): string {
    const open = this.options.token === '' ? `open ${this.url}` : `token required: open ${this.url}?token=<options.token>`;
    const loopback = isLoopbackHost(splitEndpoint(this.options.endpoint).host) ? '' : ' (not loopback)';
    return `web view on ${this.url}${loopback}: ${open}`;
  }

  consume(batch: readonly LogEntry[]): void {
    const change = this.window.add(batch);
    // Rows are made only when some browser follows live.
    if (this.feed.size > 0) this.feed.publish(batch, this.window.rowsOf(change.touched), change.evicted);
  }

  counters(): WebCounters {
    const w = this.window.counts();
    return {
      store: this.store.describe(),
      windowTasks: w.tasks,
      windowRecords: w.records,
      evictedTasks: w.evictedTasks,
      evictedRecords: w.evictedRecords,
      liveClients: this.feed.size,
      liveQueuedBytes: this.feed.queuedBytes,
      skippedEvents: this.feed.skippedEvents,
      refusedClients: this.feed.refusedClients,
      unauthorized: this.unauthorized,
    };
  }

  flush(): void {
    // Nothing is buffered for anyone but browsers, and they follow live.
  }

  async shutdown(): Promise<void> {
    if (this.tick) clearInterval(this.tick);
    this.tick = undefined;
    this.feed.close();
    const server = this.server;
    this.server = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
    await this.store.close();
  }
}
