/**
 * The daemon in one object: builds and starts the plugins, wires them through
 * the router to the receiver, prints where it listens and writes, runs the
 * stats timer and performs the orderly stop (stop receiving → drain queues
 * within the deadline → flush and shut down every plugin).
 */
import type { ConfiguredStore, PluginInstance, PluginLogger } from '../plugins/api.js';
import { DeliveryAccounting } from './accounting.js';
import { BadInputReporter } from './bad-input.js';
import type { CollectorConfig } from './config-types.js';
import { ControlChannel } from './control.js';
import { deliveryRecords } from './delivery-record.js';
import { PluginPipeline } from './pipeline.js';
import { DEFAULT_OTLP_HTTP, OtlpHttpReceiver } from './otlp-http-receiver.js';
import { ZmqReceiver } from './receiver.js';
import { Router } from './router.js';
import { formatStatsLine, type CollectorStats } from './stats.js';

export interface StartOptions {
  /** Where the daemon's own lines go (default: stderr, prefixed `distlogd: `). */
  log?: (line: string) => void;
}

export interface PluginInfo {
  name: string;
  type: string;
  /** Where it writes, as the plugin describes itself. */
  target: string;
}

export interface CollectorHandle {
  /** Endpoints actually bound (a `:*` port resolved to the real one). */
  readonly endpoints: string[];
  /** The OTLP/HTTP receiver's base URL (http://host:port), or undefined when it is off. */
  readonly otlpHttpUrl: string | undefined;
  /** The control channel's bound endpoint, or undefined when it is off. */
  readonly controlEndpoint: string | undefined;
  readonly plugins: PluginInfo[];
  stats(): CollectorStats;
  /** Orderly stop; safe to call more than once. Resolves with the final stats. */
  stop(): Promise<CollectorStats>;
}

function defaultLog(line: string): void {
  process.stderr.write(`distlogd: ${line}\n`);
}

/** Bounds a plugin call at shutdown so one stuck plugin cannot hold the exit. */
async function bounded(what: string, fn: () => Promise<void> | void, deadline: number, log: (l: string) => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), Math.max(100, deadline - Date.now()))));
  try {
    const done = Promise.resolve().then(fn).then(() => 'ok' as const);
    if ((await Promise.race([done, late])) === 'late') log(`${what} did not finish before the shutdown deadline`);
  } catch (err) {
    log(`${what} failed: ${(err as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}

export async function startCollector(config: CollectorConfig, options: StartOptions = {}): Promise<CollectorHandle> {
  const log = options.log ?? defaultLog;
  const started = Date.now();
  const instances: { name: string; type: string; inst: PluginInstance }[] = [];
  const shutdownAll = async (deadline: number) => {
    for (const p of instances) await bounded(`plugin ${p.name}: shutdown()`, () => p.inst.shutdown(), deadline, log);
  };

  // What plugins may read of each other (PluginContext.stores) and of the counters (stats, defined below).
  const stores = (): ConfiguredStore[] =>
    instances.flatMap(({ name, type, inst }) => (inst.reader ? [{ name, type, reader: () => inst.reader!() }] : []));
  for (const p of config.plugins) {
    const logger: PluginLogger = {
      info: (m) => log(`plugin ${p.name}: ${m}`),
      warn: (m) => log(`plugin ${p.name}: warning: ${m}`),
      error: (m) => log(`plugin ${p.name}: error: ${m}`),
    };
    try {
      const inst = p.factory.create(p.options, { name: p.name, logger, baseDir: config.baseDir, stats: () => stats(), stores });
      instances.push({ name: p.name, type: p.type, inst });
      await inst.start();
    } catch (err) {
      await shutdownAll(Date.now() + 5_000);
      throw new Error(`plugin ${p.name} (${p.type}) failed to start: ${(err as Error).message}`);
    }
  }

  const lanes = config.plugins.map((p, i) => new PluginPipeline(p, instances[i]!.inst, log));
  const router = new Router(lanes);
  const bad = new BadInputReporter(log, config.receiver.reportIntervalSeconds * 1000);
  const accounting = new DeliveryAccounting();
  const receiver = new ZmqReceiver(config.receiver, router, bad, log, accounting);
  let endpoints: string[];
  try {
    endpoints = await receiver.start();
  } catch (err) {
    await shutdownAll(Date.now() + 5_000);
    throw err;
  }
  const otlp = config.receiver.otlpHttp?.enabled
    ? new OtlpHttpReceiver({ ...DEFAULT_OTLP_HTTP, ...config.receiver.otlpHttp }, router, bad, log, config.receiver.maxEntriesPerMessage)
    : undefined;
  let otlpHttpUrl: string | undefined;
  try {
    otlpHttpUrl = await otlp?.start();
  } catch (err) {
    await receiver.stop(Date.now());
    await shutdownAll(Date.now() + 5_000);
    throw err;
  }

  const ownCounters = (): Record<string, Readonly<Record<string, number | string>>> => {
    const out: Record<string, Readonly<Record<string, number | string>>> = {};
    for (const { name, inst } of instances) {
      try {
        const c = inst.counters?.();
        if (c) out[name] = c;
      } catch {
        // a plugin's counters are a report, never a reason for stats to fail
      }
    }
    return out;
  };
  const stats = (): CollectorStats => ({
    uptimeSeconds: (Date.now() - started) / 1000,
    receiver: receiver.counters(),
    plugins: router.counters(),
    pluginOwn: ownCounters(),
    ...(otlp ? { otlpHttp: otlp.counters() } : {}),
    badInput: bad.counts(),
    delivery: accounting.stats(),
  });

  let control: ControlChannel | undefined;
  let controlEndpoint: string | undefined;
  if (config.control.endpoint !== '') {
    control = new ControlChannel(config.control, stats, log);
    try {
      controlEndpoint = await control.start();
    } catch (err) {
      await receiver.stop(Date.now());
      await otlp?.stop();
      await router.drain(Date.now());
      await shutdownAll(Date.now() + 5_000);
      throw err;
    }
  }

  const plugins: PluginInfo[] = instances.map(({ name, type, inst }) => ({ name, type, target: inst.describe?.() ?? type }));
  for (const ep of endpoints) log(`listening on ${ep} (ZeroMQ PULL)`);
  if (otlpHttpUrl) log(`listening on ${otlpHttpUrl}/v1/logs (OTLP/HTTP)`);
  if (controlEndpoint) log(`control on ${controlEndpoint} (distlog stats --from ${controlEndpoint})`);
  for (const p of plugins) log(`plugin ${p.name} (${p.type}): ${p.target}`);

  // With the stats line, the delivery accounting goes out as records of its own
  // (see delivery-record.ts), for the producers seen since the previous one.
  let prev: CollectorStats | undefined;
  let emittedAt = 0;
  const emitDelivery = () => {
    const t = Date.now();
    router.dispatch(deliveryRecords(accounting.stats(), emittedAt, t));
    emittedAt = t;
  };
  const interval = config.stats.intervalSeconds * 1000;
  const timer = interval > 0 ? setInterval(() => {
    const now = stats();
    log(formatStatsLine(now, prev));
    emitDelivery();
    prev = now;
  }, interval) : undefined;
  timer?.unref();

  let stopping: Promise<CollectorStats> | undefined;
  const stop = (): Promise<CollectorStats> => {
    stopping ??= (async () => {
      if (timer) clearInterval(timer);
      const deadline = Date.now() + config.shutdown.drainTimeoutSeconds * 1000;
      await receiver.stop(deadline);
      await otlp?.stop();
      if (interval > 0) emitDelivery();
      await router.drain(deadline);
      for (const p of instances) await bounded(`plugin ${p.name}: flush()`, () => p.inst.flush(), deadline, log);
      await shutdownAll(deadline);
      await control?.stop();
      const final = stats();
      log(`stopped; ${formatStatsLine(final, undefined)}`);
      return final;
    })();
    return stopping;
  };

  return { endpoints, otlpHttpUrl, controlEndpoint, plugins, stats, stop };
}
