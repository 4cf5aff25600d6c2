import { execFile } from 'node:child_process';
import { mkdir, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * A PDF page as a PNG, rendered by poppler's pdftoppm (the tests' renderer too) and cached next to the uploads:
 * `<cache>/<sha256>-<page>.png`. A page is rendered once; concurrent requests for it wait for the same render.
 */

const run = promisify(execFile);
/** 120 dpi: an A4 page is 992 px wide, sharp in a half-screen pane at 1366 px and still ~100–200 KB. */
const DPI = 120;

const rendering = new Map<string, Promise<string>>();

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

export function pageImage(pdf: string, cacheDir: string, sha256: string, page: number): Promise<string> {
  const target = path.join(cacheDir, `${sha256}-${page}.png`);
  const pending = rendering.get(target);
  if (pending) return pending;
  const job = (async () => {
    if (await exists(target)) return target;
    await mkdir(cacheDir, { recursive: true });
    const prefix = path.join(cacheDir, `.render-${sha256}-${page}-${process.pid}`);
    await run('pdftoppm', ['-f', String(page), '-l', String(page), '-r', String(DPI), '-png', '-singlefile', pdf, prefix], { timeout: 30_000 });
    // rename: a reader never sees a half-written image
    await rename(`${prefix}.png`, target);
    return target;
  })().finally(() => rendering.delete(target));
  rendering.set(target, job);
  return job;
}
