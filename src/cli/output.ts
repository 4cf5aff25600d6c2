import { accessSync, constants, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ioCause } from '../readers/read-input.js';
import { UsageError } from './usage.js';

/** The output file could not be written after the run: the reports are lost, so the exit code says failure (2). */
export class OutputError extends Error {}

let guarded = false;

/**
 * `crossfoot … | head`: once the reader has gone (EPIPE), the rest of the output has nowhere to go; that is the
 * reader's choice, not a failure, so further writes are dropped and the command ends with its own exit code.
 */
export function dropOutputWhenStdoutCloses(): void {
  if (guarded) return;
  guarded = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
    process.stderr.write(`crossfoot: cannot write to stdout: ${error.message}\n`);
    process.exitCode = 2;
  });
}

/**
 * Refuses an `-o` that cannot be written before any document is checked, rather than losing a batch's reports
 * at the end: a folder, a missing folder, no permission.
 */
export function assertWritableOutput(file: string): void {
  let exists = true;
  try {
    if (statSync(file).isDirectory()) throw new UsageError(`-o ${file}: is a folder (give a file name)`);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    exists = false;
  }
  try {
    accessSync(exists ? file : dirname(file), constants.W_OK);
  } catch (error) {
    throw new UsageError(`-o ${file}: cannot write there: ${ioCause(error)}`);
  }
}

export function writeOutputFile(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (error) {
    throw new OutputError(`cannot write ${file}: ${ioCause(error)}`);
  }
}
