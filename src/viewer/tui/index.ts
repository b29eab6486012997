/** The interactive terminal viewer's pure parts (`distlog view`): state, keys, rows, screen. */
export { LEVEL_CYCLE, type ViewState } from './state-types.js';
export { initialState, reduce, withTasks } from './view-state.js';
export { visibleRows, type Row } from './rows.js';
export { renderScreen, fitWidth, HELP, type ScreenOptions } from './screen.js';
