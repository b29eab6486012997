/** The viewer: records → task trees (pure), and their renderings. */
export { buildForest, orderedItems, type Forest, type ScopeNode, type TaskTree } from './tree.js';
export { renderForest, type RenderOptions } from './render-text.js';
