/**
 * The shapes of the tree model (tree-model.ts builds them; renderers read them).
 * Renderers get the live objects: treat them as read-only.
 */
import type { LogEntry } from '../protocol/log-entry.js';

/** running: no end record (yet); ok: exit record; failed: fail record. */
export type ScopeStatus = 'running' | 'ok' | 'failed';

/**
 * - scope: a distlog scope, placed by its subtask path ('' = the task itself);
 * - span: records that carry only an OTel span id (no distlog path), grouped by
 *   span and hung under the scope or span their parentSpan names;
 * - unattributed: the task's records whose place cannot be found (never lost).
 */
export type NodeKind = 'scope' | 'span' | 'unattributed';

export interface ScopeNode {
  /**
   * Unique within its task: `p:<path>` (the task's own scopes), `j:<span>:<path>`
   * (a scope that joined a foreign trace at '', and its subtasks), `s:<span id>`, `u`.
   */
  readonly id: string;
  readonly kind: NodeKind;
  readonly task: string;
  /** Subtask path of a scope node; undefined for span and unattributed nodes. */
  readonly path: string | undefined;
  /** Span ids its records carry (a scope node normally has one). */
  readonly spans: ReadonlySet<string>;
  readonly parent: ScopeNode | undefined;
  /** Scope children by path number, then span children by first time. */
  readonly children: readonly ScopeNode[];
  /** Every record of this node (enter and end included), ordered by seq (then time). */
  readonly records: readonly LogEntry[];
  /** The enter record: event 'enter', or seq 0 of a Python-original scope. */
  readonly enter: LogEntry | undefined;
  /** The exit or fail record, once known (see python-scopes.ts for inferred ends). */
  readonly end: LogEntry | undefined;
  /** True when `end` was inferred (a Python-original scope), not marked by its producer. */
  readonly endInferred: boolean;
  readonly status: ScopeStatus;
  /** From the end record's durationMs, else end time minus enter time. */
  readonly durationMs: number | undefined;
  /** service.name of its records, sorted. */
  readonly services: readonly string[];
  /** Records at ERROR or above in this node alone. */
  readonly errors: number;
  /** Records at ERROR or above in this node and every node below it: the bubbling error flag. */
  readonly subtreeErrors: number;
  /** Seq numbers missing between 0 and the highest seq seen (lost or not yet arrived). */
  readonly missingSeqs: number;
  /**
   * Enter records seen (event 'enter'). More than one means several scopes share
   * this path: e.g. two requests from a non-distlog caller each joined the trace
   * at path '' (their span ids tell them apart; the tree does not split them yet).
   */
  readonly enterCount: number;
  /** Some record of it comes from the 2018 Python distlog. */
  readonly python: boolean;
}

export interface TaskTree {
  readonly task: string;
  /** The scope at path '' (a placeholder when its records are missing). */
  readonly root: ScopeNode;
  /** Records of the task whose place cannot be found, and span groups with no known parent. */
  readonly unattributed: ScopeNode;
  /** Earliest and latest record time (ns, decimal strings). */
  readonly firstTime: string;
  readonly lastTime: string;
  readonly recordCount: number;
  /** Records at ERROR or above anywhere in the task. */
  readonly errorCount: number;
  readonly services: readonly string[];
  /** No more records are expected: Python scopes may take their last record as exit. */
  readonly sealed: boolean;
  /** Records of this task were evicted earlier (memory bound): the tree is incomplete. */
  readonly partial: boolean;
  /** Node by id. */
  node(id: string): ScopeNode | undefined;
}

/** What one add (or seal, or eviction) changed, for renderers that redraw in place. */
export interface TreeChange {
  /** The task concerned; undefined for a record outside any task. */
  task: string | undefined;
  /** The task appeared with this change. */
  createdTask: boolean;
  /** The task was evicted (memory bound) with this change. */
  evictedTask: boolean;
  /** Ids of the nodes whose content or aggregates changed (ancestors included), sorted. */
  nodes: string[];
}

export interface EvictionCounts {
  /** Whole tasks dropped to stay within maxTasks / maxRecords. */
  tasks: number;
  /** Records dropped with them, or dropped alone from a task over maxRecordsPerTask. */
  records: number;
  /** Records outside any task dropped beyond maxLooseRecords. */
  looseRecords: number;
}
