import { totalmem } from 'node:os';

const MIB = 1024 * 1024;
/** A generous cap: a tight heap makes V8 collect garbage all the time (about twice the CPU per document). */
const MAX_HEAP_MB = 4096;
/** Below this a real 公开表 PDF cannot be read at all; a host this small should run fewer threads instead. */
const MIN_HEAP_MB = 512;
/** What the checking threads may take together; the rest is for the main thread, native buffers and the OS. */
const HOST_SHARE = 0.6;

/** The memory this process may use: the container's limit when there is one, else the machine's. */
function availableMemory(): number {
  const constrained = process.constrainedMemory?.() ?? 0;
  return constrained > 0 && constrained < totalmem() ? constrained : totalmem();
}

/**
 * The heap cap for each of `threads` checking threads, sized so that all of them at their cap still fit the host:
 * one huge document then fails alone (E_TOO_LARGE/E_TIMEOUT), instead of the host swapping or the OOM killer taking
 * the whole process.
 */
export function heapPerThreadMb(threads: number, memoryBytes = availableMemory()): number {
  const share = Math.floor((memoryBytes * HOST_SHARE) / Math.max(1, threads) / MIB);
  return Math.max(MIN_HEAP_MB, Math.min(MAX_HEAP_MB, share));
}
