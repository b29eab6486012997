/** The recent-tasks list: one aligned line per task. */
import { DIM, GREEN, RED, formatDuration, formatTime, painter, safeText } from './render-style.js';
import type { TaskSummary } from './summary.js';

const TITLE_MAX = 60;

function statusWord(s: TaskSummary): string {
  if (s.status === 'running') return s.incomplete ? 'no end' : 'running';
  return s.status;
}

export function renderTaskList(summaries: readonly TaskSummary[], opts: { color?: boolean } = {}): string {
  const paint = painter(opts.color === true);
  const header = ['TASK', 'STATUS', 'START', 'DURATION', 'ERRORS', 'SERVICES', 'FIRST MESSAGE'];
  const rows = summaries.map((s) => {
    const title = safeText(s.title.split('\n')[0]!);
    return [
      s.task,
      statusWord(s),
      formatTime(s.start),
      s.durationMs === undefined ? '-' : `${s.durationAtLeast ? '≥' : ''}${formatDuration(s.durationMs)}`,
      String(s.errorCount),
      safeText(s.services.join(',')) || '-',
      (title.length > TITLE_MAX ? `${title.slice(0, TITLE_MAX - 1)}…` : title) + (s.partial ? ' (partial)' : ''),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[], row?: TaskSummary): string =>
    cells
      .map((cell, i) => {
        const text = i === cells.length - 1 ? cell : cell.padEnd(widths[i]!);
        if (!row) return paint(DIM, text);
        if (i === 1) return paint(row.status === 'failed' ? RED : row.status === 'ok' ? GREEN : DIM, text);
        if (i === 4 && row.errorCount > 0) return paint(RED, text);
        return text;
      })
      .join('  ');
  return [line(header), ...rows.map((r, i) => line(r, summaries[i]))].join('\n');
}
