/**
 * Load with `node --import ./instrumentation.ts app.ts` (here through tsx;
 * with plain JavaScript: `--import ./instrumentation.mjs`). It must run before
 * the app's first import: ESM modules bind `node:http`'s exports when they are
 * imported, so an instrumentation that patches them later silently does
 * nothing. The loader hook lets the instrumentations patch ESM imports.
 */
import { register as registerLoaderHook } from 'node:module';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';

registerLoaderHook('@opentelemetry/instrumentation/hook.mjs', import.meta.url);

registerInstrumentations({
  instrumentations: [
    new HttpInstrumentation(), // node:http / node:https clients (and servers)
    new UndiciInstrumentation(), // fetch() and undici
  ],
});
