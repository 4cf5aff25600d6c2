import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { type Pack, PackSchema } from './pack-schema.js';

/** A rule pack that cannot be used: bad YAML, a schema violation, or failing examples. */
export class PackError extends Error {
  constructor(readonly origin: string, message: string) {
    super(`${origin}: ${message}`);
    this.name = 'PackError';
  }
}

/** The packs shipped with crossfoot (rules/<id>/pack.yaml beside src/ and dist/). */
export const BUILTIN_RULES_DIR = fileURLToPath(new URL('../../rules/', import.meta.url));

export function parsePack(source: string, origin: string): Pack {
  let data: unknown;
  try {
    data = parse(source);
  } catch (error) {
    throw new PackError(origin, `invalid YAML: ${(error as Error).message}`);
  }
  const result = PackSchema.safeParse(data);
  if (!result.success) throw new PackError(origin, `invalid rule pack:\n${z.prettifyError(result.error)}`);
  return result.data;
}

/** A pack from a pack.yaml file, or from a folder holding one. */
export function readPack(path: string): Pack {
  const file = existsSync(join(path, 'pack.yaml')) ? join(path, 'pack.yaml') : path;
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (error) {
    throw new PackError(path, `cannot read: ${(error as Error).message}`);
  }
  return parsePack(source, file);
}

/** Every pack folder under a rules directory, in name order. */
export function packFolders(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'pack.yaml')))
    .map((d) => join(dir, d.name))
    .sort();
}
