import type { ChildProcess } from 'node:child_process';

/** The first line a child process prints on stdout (where the examples print their address). */
export async function firstLine(child: ChildProcess): Promise<string> {
  let text = '';
  for await (const chunk of child.stdout!) {
    text += String(chunk);
    if (text.includes('\n')) return text.slice(0, text.indexOf('\n'));
  }
  throw new Error(`process ended before printing a line: ${text}`);
}
