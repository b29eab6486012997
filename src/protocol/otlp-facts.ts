/**
 * What an OTLP ScopeLogs and ResourceLogs say about each of their records, and
 * how those facts land on a LogEntry: shared by the object decoder
 * (otlp-decode.ts) and the JSON-lines transcoder (otlp-lines.ts).
 */
import type { LogEntry, SystemCode } from './log-entry.js';

/** What a ScopeLogs says about each of its records (proto3: '' and 0 mean absent). */
export interface ScopeFacts {
  logger: string;
  version: string;
  schemaUrl: string;
  attributes: Record<string, unknown> | undefined;
  dropped: number;
}

export function setScopeFields(e: LogEntry, s: ScopeFacts): void {
  e.logger = s.logger;
  if (s.version !== '') e.loggerVersion = s.version;
  if (s.schemaUrl !== '') e.loggerSchemaUrl = s.schemaUrl;
  if (s.attributes !== undefined) e.loggerAttributes = s.attributes;
  if (s.dropped !== 0) e.loggerDroppedAttributesCount = s.dropped;
}

/** What a ResourceLogs says about each of its records. */
export interface ResourceFacts {
  resource: Record<string, unknown>;
  system: SystemCode;
  schemaUrl: string;
  dropped: number;
}

export function setResourceFields(e: LogEntry, r: ResourceFacts): void {
  e.resource = r.resource;
  e.system = r.system;
  if (r.schemaUrl !== '') e.resourceSchemaUrl = r.schemaUrl;
  if (r.dropped !== 0) e.resourceDroppedAttributesCount = r.dropped;
}
