import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** Which areas each area of `src/` may import from, as the README's "Import map" table states it. */
export type ImportMap = Map<string, Set<string>>;

/** One import that crosses the map: the file, what it imports, and the two areas. */
export interface ImportViolation {
  file: string;
  specifier: string;
  from: string;
  to: string;
}

const ROW = /^\|\s*`([a-z-]+)`\s*\|\s*(.*?)\s*\|\s*$/;

/** Reads the table under `### Import map` (area | may import), from its header to the first non-table line. */
export function readImportMap(readme: string): ImportMap {
  const section = readme.split(/^### Import map\s*$/m)[1];
  if (section === undefined) throw new Error('README has no "### Import map" section');
  const map: ImportMap = new Map();
  for (const line of section.slice(section.indexOf('|')).split('\n')) {
    if (!line.startsWith('|')) break;
    const row = ROW.exec(line);
    if (row) map.set(row[1]!, new Set([...row[2]!.matchAll(/`([a-z-]+)`/g)].map((m) => m[1]!)));
  }
  return map;
}

/** A file's area: its first folder under src/, or the file's own name for top-level files (pipeline.ts → pipeline). */
export function areaOf(srcRoot: string, path: string): string {
  const parts = relative(srcRoot, path).split('/');
  return parts.length === 1 ? parts[0]!.replace(/\.[jt]s$/, '') : parts[0]!;
}

// static imports and re-exports (also multi-line and `import type`), side-effect imports, dynamic import('…')
const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^;'"]*?\bfrom\s+'([^']+)'|(?:^|\n)\s*import\s+'([^']+)'|\bimport\(\s*'([^']+)'\s*\)/g;

/** The relative module specifiers a TypeScript source imports. */
export function importSpecifiers(source: string): string[] {
  return [...source.matchAll(IMPORT)].map((m) => (m[1] ?? m[2] ?? m[3])!).filter((s) => s.startsWith('.'));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Every import in `srcRoot` from one area into another that the map does not allow (an unmapped area allows none). */
export function importViolations(srcRoot: string, map: ImportMap): ImportViolation[] {
  const violations: ImportViolation[] = [];
  for (const file of sourceFiles(srcRoot)) {
    const from = areaOf(srcRoot, file);
    for (const specifier of importSpecifiers(readFileSync(file, 'utf8'))) {
      const to = areaOf(srcRoot, resolve(dirname(file), specifier));
      if (to !== from && !map.get(from)?.has(to)) violations.push({ file: relative(srcRoot, file), specifier, from, to });
    }
  }
  return violations;
}

/** The areas of `srcRoot` (folders and top-level files). */
export function areas(srcRoot: string): string[] {
  return readdirSync(srcRoot).map((name) => areaOf(srcRoot, join(srcRoot, name)));
}
