import type { CheckPool } from '../pool/pool.js';
import { readInputFile } from '../readers/read-input.js';
import { ReadError } from '../readers/types.js';
import type { Report } from '../report/schema.js';
import type { Input } from './files.js';

/**
 * Checks `inputs` through the pool and hands each outcome to `done` as soon as it is known: the report, or the
 * ReadError that kept the file from being read at all (no bytes, so no document). `lanes` files are in flight at
 * once (a few per thread keeps the threads busy), so a batch of large files is never all in memory at once, and
 * `done` is awaited before its lane reads the next file, so what it stores or prints keeps pace with the checks.
 */
export async function checkInputs(
  pool: CheckPool,
  inputs: readonly Input[],
  options: { maxBytes: number; lanes: number },
  done: (index: number, file: string, outcome: Report | ReadError) => Promise<void> | void,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < inputs.length) {
      const index = next++;
      const { path: file, unreadable } = inputs[index]!;
      const bytes = unreadable ?? (await readInputFile(file, options.maxBytes));
      await done(index, file, bytes instanceof ReadError ? bytes : await pool.check(file, bytes));
    }
  };
  await Promise.all(Array.from({ length: options.lanes }, lane));
}
