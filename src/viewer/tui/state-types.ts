/** The interactive viewer's state (view-state.ts changes it, rows.ts and screen.ts read it). */
import type { TaskTree } from '../tree-types.js';

/** The minimum levels `l` cycles through, with their lowest severity number. */
export const LEVEL_CYCLE = [
  { name: 'TRACE', severity: 1 },
  { name: 'DEBUG', severity: 5 },
  { name: 'INFO', severity: 9 },
  { name: 'WARN', severity: 13 },
  { name: 'ERROR', severity: 17 },
] as const;

export interface ViewState {
  /** Every task known, oldest first (TreeModel.tasks()). */
  readonly tasks: readonly TaskTree[];
  /** The task shown as a tree; undefined: the task list. */
  readonly openTask: string | undefined;
  /** Index of the selected row among visibleRows(state). */
  readonly selected: number;
  /** Ids of the unfolded scope nodes of the open task. */
  readonly unfolded: ReadonlySet<string>;
  readonly failedOnly: boolean;
  /** Index into LEVEL_CYCLE. */
  readonly level: number;
  /** The search in force ('' = none), matched case-insensitively against a row's text. */
  readonly search: string;
  /** Being typed after `/`; undefined when not searching. */
  readonly searchInput: string | undefined;
  readonly follow: boolean;
  /** A short message for the status line (e.g. "no match"). */
  readonly notice: string;
  readonly quit: boolean;
  /** Where the records come from, for the header. */
  readonly source: string;
}

