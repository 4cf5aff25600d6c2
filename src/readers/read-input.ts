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
  if (e.code === 'ENOENT') return '文件不存在';
  if (e.code === 'EISDIR') return '这是一个文件夹';
  if (e.code === 'EACCES' || e.code === 'EPERM') return `没有读取权限（${e.code}）`;
  if (e.code === 'ELOOP') return `符号链接层数过多（ELOOP）`;
  return `系统错误（${e.code ?? e.message}）`;
}

function kindOf(stats: Stats): string {
  if (stats.isFIFO()) return '命名管道（FIFO）';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return '设备文件';
  if (stats.isSocket()) return '套接字（socket）';
  return '特殊文件';
}

/**
 * Why a path that stat describes cannot be read as a document, or undefined for a regular file: the same code and
 * words wherever a path is taken (check, archive add, submit, the queue worker).
 */
export function notAFile(stats: Stats): ReadError | undefined {
  if (stats.isDirectory()) return new ReadError('E_IO', '无法读取：这是一个文件夹');
  if (!stats.isFile()) return new ReadError('E_UNSUPPORTED', `不是普通文件（${kindOf(stats)}）`);
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
    if (length > maxBytes) return tooLargeError(length, maxBytes, true);
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
    return new ReadError('E_IO', `无法读取：${ioCause(error)}`);
  }
  try {
    const stats = await handle.stat();
    const refused = notAFile(stats);
    if (refused) return refused;
    if (stats.size > maxBytes) return tooLargeError(stats.size, maxBytes);
    return await readUpTo(handle, stats.size, maxBytes);
  } catch (error) {
    return new ReadError('E_IO', `无法读取：${ioCause(error)}`);
  } finally {
    await handle.close();
  }
}
