/**
 * The files of a JSON-lines store (the file plugin's `directory`): every `*.jsonl`
 * below a folder, rotated ones included, in name order. Shared by the file plugin's
 * StoreReader and the viewer's file source, which may both import the plugin API.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

export async function jsonlFilesUnder(dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const d of entries) {
    const p = join(dir, d.name);
    if (d.isDirectory()) await jsonlFilesUnder(p, out);
    else if (d.isFile() && d.name.endsWith('.jsonl')) out.push(p);
  }
}
