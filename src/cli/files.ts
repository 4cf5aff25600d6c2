import { type Dirent, readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { extname, join } from 'node:path';
import { ioCause } from '../readers/read-input.js';
import { ReadError } from '../readers/types.js';

const CHECKED_EXTENSIONS = new Set(['.docx', '.pdf', '.txt']);

/** One input of a run: a path to read, or one already known to be unreadable (its failed report's cause). */
export interface Input {
  path: string;
  unreadable?: ReadError;
}

const isChecked = (name: string) => CHECKED_EXTENSIONS.has(extname(name).toLowerCase());

/**
 * The inputs of a run: files as given (whatever their extension: the reader sniffs content), and inside folders,
 * recursively, the .docx/.pdf/.txt entries. Nothing is dropped silently: a path that does not exist is kept, so
 * it gets its own failed report, and so is a folder that cannot be listed or a dangling symlink. Symlinks are
 * followed; one leading back to a folder being walked (a loop) is not, since that folder's files are listed once
 * already. Entries that are not regular files (a FIFO named x.txt) are kept for the reader to refuse by name.
 */
export function collectInputs(paths: readonly string[]): Input[] {
  const found = new Map<string, Input>();
  const add = (input: Input) => {
    if (!found.has(input.path)) found.set(input.path, input);
  };
  /** `ancestors`: the real paths of the folders from the top down to this one. */
  const walk = (dir: string, ancestors: ReadonlySet<string>) => {
    let entries: Dirent[];
    let real: string;
    try {
      real = realpathSync(dir);
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      add({ path: dir, unreadable: new ReadError('E_IO', `无法读取文件夹：${ioCause(error)}`) });
      return;
    }
    if (ancestors.has(real)) return;
    const inside = new Set(ancestors).add(real);
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      let target: Dirent | Stats = entry;
      if (entry.isSymbolicLink()) {
        try {
          target = statSync(path);
        } catch (error) {
          if (isChecked(entry.name)) add({ path, unreadable: new ReadError('E_IO', `符号链接无法打开（${ioCause(error)}）`) });
          continue;
        }
      }
      if (target.isDirectory()) walk(path, inside);
      else if (isChecked(entry.name)) add({ path });
    }
  };
  for (const p of paths) {
    let isDir = false;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      isDir = false;
    }
    if (isDir) walk(p, new Set());
    else add({ path: p });
  }
  return [...found.values()];
}
