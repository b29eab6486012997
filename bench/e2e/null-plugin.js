/**
 * A distlogd plugin that takes every batch and does nothing with it: the
 * collector's ingest ceiling (receive + decode + route) for bench/e2e. It takes
 * records as JSON lines too (consumeLines), as the file plugin does, so with it
 * alone distlogd transcodes OTLP to lines and builds no LogEntry objects.
 * When it has taken BENCH_NULL_EXPECT entries it prints
 * `bench-null: done <entries> <ms>` on stderr, the benchmark's finish line.
 * Plain JavaScript, loaded by path (`type: /…/bench/e2e/null-plugin.js`) like any
 * third-party plugin, so the compiled distlogd needs no TypeScript loader.
 */
import { Type } from '@sinclair/typebox';

const expect = Number(process.env.BENCH_NULL_EXPECT ?? 0);
const nowMs = () => performance.timeOrigin + performance.now();

/** @type {import('../../src/plugins/api.js').PluginFactory} */
const factory = {
  type: 'bench-null',
  configSchema: Type.Object({}, { additionalProperties: false }),
  create: () => {
    let taken = 0;
    const count = (n) => {
      const before = taken;
      taken += n;
      if (expect > 0 && before < expect && taken >= expect) process.stderr.write(`bench-null: done ${taken} ${nowMs()}\n`);
    };
    return {
      start() {},
      consume(batch) {
        count(batch.length);
      },
      consumeLines(lines) {
        count(lines.ends.length);
      },
      flush() {},
      shutdown() {},
      describe: () => `nothing (counts entries; finish line at ${expect})`,
    };
  },
};
export default factory;
