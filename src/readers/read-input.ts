/**
 * Reading an input file from disk, safely: whatever the path names (a FIFO, a device, a 3 GB file, a folder), the
 * answer is the file's bytes or a ReadError naming the cause, soon and in bounded memory.
 */
import { constants, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { ReadError, tooLargeError } from './types.js';

/** A system error's cause in a few words, for a failed report's message. */
export function ioCause(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (e.code === 'ENOENT') return 'no such file';
  if (e.code === 'EISDIR') return 'is a folder';
  if (e.code === 'EACCES' || e.code === 'EPERM') return `permission denied (${e.code})`;
  if (e.code === 'ELOOP') return 'too many levels of symlinks (ELOOP)';
  return e.message;
}

function kindOf(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isSocket()) return 'a socket';
  return 'not a file';
}

/**
 * Why a path that stat describes cannot be read as a document, or undefined for a regular file: the same code and
 * words wherever a path is taken (check, archive add, submit, the queue worker).
 */
export function notAFile(stats: Stats): ReadError | undefined {
  if (stats.isDirectory()) return new ReadError('E_IO', 'cannot read file: is a folder');
  if (!stats.isFile()) return new ReadError('E_UNSUPPORTED', `not a regular file (${kindOf(stats)})`);
  return undefined;
}

/** Reads to the end, or until one byte past `maxBytes`; starts with room for the size stat gave, plus one byte. */
async function readUpTo(handle: FileHandle, size: number, maxBytes: number): Promise<Uint8Array | ReadError> {
  let buffer = Buffer.alloc(Math.min(size, maxBytes) + 1);
  let length = 0;
  for (;;) {
    const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
    if (bytesRead === 0) return new Uint8Array(buffer.buffer, buffer.byteOffset, length);
    length += bytesRead;
    if (length > maxBytes) return tooLargeError(length, maxBytes, 'at least ');
    // the file grew since stat: more room, never more than one byte past the limit
    if (length === buffer.length) buffer = Buffer.concat([buffer], Math.min(buffer.length * 2, maxBytes + 1));
  }
}

/**
 * The bytes of a regular file of at most `maxBytes`. The size is known before anything is read (a larger file is
 * refused unread), and at most maxBytes + 1 bytes are read, so a file that grows meanwhile is caught too.
 */
export async function readInputFile(path: string, maxBytes: number): Promise<Uint8Array | ReadError> {
  let handle;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, for ever
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return new ReadError('E_IO', `cannot read file: ${ioCause(error)}`);
  }
  try {
    const stats = await handle.stat();
    const refused = notAFile(stats);
    if (refused) return refused;
    if (stats.size > maxBytes) return tooLargeError(stats.size, maxBytes);
    return await readUpTo(handle, stats.size, maxBytes);
  } catch (error) {
    return new ReadError('E_IO', `cannot read file: ${ioCause(error)}`);
  } finally {
    await handle.close();
  }
}
