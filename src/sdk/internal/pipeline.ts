/**
 * The pipeline distlog's own emitters (facade, scope records, perf) write to:
 * register() fills the slot, shutdown() empties it. One object holds it, so the
 * state is explicit and has one owner.
 */
import type { Resource } from '@opentelemetry/resources';
import type { LogRecordProcessor } from '@opentelemetry/sdk-logs';

export interface Pipeline {
  resource: Resource;
  head: LogRecordProcessor;
}

export class PipelineSlot {
  current: Pipeline | undefined;
}

export const pipelineSlot = new PipelineSlot();

export function setPipeline(p: Pipeline | undefined): void {
  pipelineSlot.current = p;
}
