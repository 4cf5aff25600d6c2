import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';

const CHECKED_EXTENSIONS = new Set(['.docx', '.pdf', '.txt']);

/**
 * The inputs of a run: files as given (whatever their extension: the reader sniffs content), and inside folders,
 * recursively, the .docx/.pdf/.txt files. A path that does not exist is kept, so it gets its own failed report.
 */
export function collectInputs(paths: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && CHECKED_EXTENSIONS.has(extname(entry.name).toLowerCase())) out.push(path);
    }
  };
  for (const p of paths) {
    let isDir = false;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      isDir = false;
    }
    if (isDir) walk(p);
    else out.push(p);
  }
  return [...new Set(out)];
}
