import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { figureBoxes, type PageBoxes } from '../readers/pdf-boxes.js';
import type { Report } from '../report/schema.js';

/**
 * The figure boxes of a stored PDF, worked out once per document (every page in one pdf.js pass) and kept as
 * `<cache>/<sha256>-<figures' digest>.boxes.json` beside the page images; concurrent requests wait for the same
 * pass. A re-check that numbers the figures differently gets its own file.
 */

const working = new Map<string, Promise<PageBoxes[]>>();

/** Each page's figures in reading order: a repeated text is told apart by its rank among them. */
function figuresByPage(report: Report): Map<number, { id: string; text: string }[]> {
  const out = new Map<number, { id: string; text: string }[]>();
  const sorted = [...report.figures].sort((a, b) => a.loc.block - b.loc.block || a.loc.start - b.loc.start);
  for (const f of sorted) {
    if (f.loc.page === undefined) continue;
    out.set(f.loc.page, [...(out.get(f.loc.page) ?? []), { id: f.id, text: f.text }]);
  }
  return out;
}

export function documentBoxes(pdf: string, cacheDir: string, report: Report): Promise<PageBoxes[]> {
  const pages = figuresByPage(report);
  const digest = createHash('sha256').update(JSON.stringify([...pages])).digest('hex').slice(0, 16);
  const target = path.join(cacheDir, `${report.sha256}-${digest}.boxes.json`);
  const pending = working.get(target);
  if (pending) return pending;
  const job = (async () => {
    const cached = await readFile(target, 'utf8').then(
      (text) => JSON.parse(text) as PageBoxes[],
      () => null,
    );
    if (cached) return cached;
    const boxes = await figureBoxes(new Uint8Array(await readFile(pdf)), pages);
    await mkdir(cacheDir, { recursive: true });
    const temp = `${target}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(boxes));
    await rename(temp, target);
    return boxes;
  })().finally(() => working.delete(target));
  working.set(target, job);
  return job;
}
