import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { areas, importSpecifiers, importViolations, readImportMap } from '../helpers/import-map.js';

const SRC = join(import.meta.dirname, '../../src');
const map = readImportMap(readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8'));

describe('the README import map holds for src/', () => {
  it('names every area of src/', () => {
    expect(areas(SRC).filter((a) => !map.has(a))).toEqual([]);
  });

  it('no import crosses it', () => {
    expect(importViolations(SRC, map)).toEqual([]);
  });

  it('is acyclic: no area may import one that may import it back', () => {
    const reaches = (from: string, to: string, seen = new Set<string>()): boolean =>
      [...(map.get(from) ?? [])].some((n) => n === to || (!seen.has(n) && (seen.add(n), reaches(n, to, seen))));
    expect([...map.keys()].filter((a) => reaches(a, a))).toEqual([]);
  });
});

describe('the import-map check itself', () => {
  const root = mkdtempSync(join(tmpdir(), 'crossfoot-imports-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reads every form of import', () => {
    const source = [
      "import type { A } from '../a/x.js';",
      "import {\n  b,\n  c,\n} from '../b/y.js';",
      "export { d } from './d.js';",
      "import '../e/side.js';",
      "const f = await import('../f/lazy.js');",
      "import { z } from 'zod';",
    ].join('\n');
    expect(importSpecifiers(source)).toEqual(['../a/x.js', '../b/y.js', './d.js', '../e/side.js', '../f/lazy.js']);
  });

  it('reports an import the map does not allow, and allows one it does', () => {
    mkdirSync(join(root, 'readers'));
    mkdirSync(join(root, 'checks'));
    writeFileSync(join(root, 'readers/a.ts'), "import type { Rule } from '../checks/b.js';\n");
    writeFileSync(join(root, 'checks/b.ts'), "import { read } from '../readers/a.js';\n");
    writeFileSync(join(root, 'pipeline.ts'), "import { read } from './readers/a.js';\n");
    const small = readImportMap('### Import map\n\n| area | may import |\n|---|---|\n| `readers` | — |\n| `checks` | `readers` |\n');
    expect(importViolations(root, small)).toEqual([
      { file: 'pipeline.ts', specifier: './readers/a.js', from: 'pipeline', to: 'readers' },
      { file: 'readers/a.ts', specifier: '../checks/b.js', from: 'readers', to: 'checks' },
    ]);
  });
});
