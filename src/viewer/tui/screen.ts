/**
 * One full screen of the interactive viewer as lines (pure): a header, the
 * rows around the selection, a status line. The shell writes the lines as they
 * are; with `color: false` they carry no escape sequences at all.
 */
import { DIM, RED, painter, safeText } from '../render-style.js';
import { visibleRows } from './rows.js';
import { LEVEL_CYCLE, type ViewState } from './state-types.js';

const INVERSE = '\x1b[7m';
const RESET = '\x1b[0m';
export const HELP = '↑↓/jk move · space fold · enter open · esc back · / search · n next · f failed · l level · t follow · q quit';

/** Cut to `cols` visible characters (our SGR sequences take no room), with … when cut. */
export function fitWidth(text: string, cols: number): string {
  let out = '';
  let width = 0;
  let styled = false;
  for (let i = 0; i < text.length; ) {
    // eslint-disable-next-line no-control-regex
    const esc = /^\x1b\[[0-9;]*m/.exec(text.slice(i, i + 16));
    if (esc) {
      out += esc[0];
      styled = esc[0] !== RESET;
      i += esc[0].length;
      continue;
    }
    const ch = String.fromCodePoint(text.codePointAt(i)!);
    if (width === cols - 1 && i + ch.length < text.length && visibleAfter(text, i + ch.length)) {
      out += '…';
      width++;
      break;
    }
    if (width >= cols) break;
    out += ch;
    width++;
    i += ch.length;
  }
  return styled || out.includes('\x1b[') ? out + RESET : out;
}

/** Some visible character follows position i (not only closing colour codes). */
function visibleAfter(text: string, i: number): boolean {
  // eslint-disable-next-line no-control-regex
  return text.slice(i).replace(/\x1b\[[0-9;]*m/g, '') !== '';
}

// eslint-disable-next-line no-control-regex
const strip = (s: string): string => s.replace(/\x1b\[[0-9;]*m/g, '');

export interface ScreenOptions {
  /** ANSI colours and the inverse selection bar. Default true. */
  color?: boolean;
}

export function renderScreen(s: ViewState, rows: number, cols: number, opts: ScreenOptions = {}): string[] {
  const color = opts.color !== false;
  const paint = painter(color);
  const all = visibleRows(s);
  const body = Math.max(0, rows - 2);
  const top = Math.max(0, Math.min(s.selected - Math.floor(body / 2), all.length - body));

  const flags: string[] = [`level ≥ ${LEVEL_CYCLE[s.level]!.name}`];
  if (s.failedOnly) flags.push(paint(RED, 'failed only'));
  if (s.search) flags.push(`search ${JSON.stringify(s.search)}`);
  if (s.follow) flags.push('following');
  let head: string;
  if (s.openTask === undefined) head = `distlog view · ${safeText(s.source)} · ${all.length} task${all.length === 1 ? '' : 's'}${s.failedOnly ? ' failed' : ''}`;
  else {
    const t = s.tasks.find((x) => x.task === s.openTask);
    head = `task ${safeText(s.openTask)}${t ? ` · ${t.recordCount} records${t.errorCount ? ` · ${paint(RED, `${t.errorCount} errors`)}` : ''}` : ''}`;
  }
  const lines = [fitWidth(`${head} · ${flags.join(' · ')}`, cols)];

  for (let i = top; i < top + body; i++) {
    const r = all[i];
    if (!r) {
      lines.push(i === 0 && all.length === 0 ? paint(DIM, s.openTask === undefined ? (s.failedOnly ? '(no failed tasks)' : '(no tasks yet)') : '(nothing to show)') : '');
      continue;
    }
    if (i !== s.selected) lines.push(fitWidth(`  ${color ? r.text : strip(r.text)}`, cols));
    else if (color) {
      // the bar: the row without its colours, in inverse video across the whole width
      const fitted = fitWidth(`› ${strip(r.text)}`, cols);
      lines.push(`${INVERSE}${fitted}${' '.repeat(Math.max(0, cols - [...fitted].length))}${RESET}`);
    }
    else lines.push(fitWidth(`› ${strip(r.text)}`, cols));
  }

  const where = all.length ? `${s.selected + 1}/${all.length}` : '0/0';
  const status = s.searchInput !== undefined ? `/${safeText(s.searchInput)}▏  (enter: find · esc: cancel)` : s.notice ? `${s.notice} · ${where}` : `${where} · ${HELP}`;
  lines.push(fitWidth(paint(DIM, status), cols));
  return lines;
}
