/** The viewer: records → task trees (pure, incremental), and their renderings. */
export { TreeModel, buildTrees, type TreeModelOptions, type TreeListener } from './tree-model.js';
export type { ScopeNode, ScopeStatus, NodeKind, TaskTree, TreeChange, EvictionCounts } from './tree-types.js';
export { canonicalTask } from './canonical.js';
export { summarize, type TaskSummary } from './summary.js';
export { compareRecords, isPythonOriginal } from './record-order.js';
export { renderTask, renderLoose, type RenderOptions } from './render-text.js';
export { renderTaskList } from './render-list.js';
export { type RecordSource, type ReadProblem } from './record-source.js';
export { FileRecordSource, parseFromOption } from './file-source.js';
export { StoreRecordSource } from './store-source.js';
