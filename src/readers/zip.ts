/**
 * Minimal ZIP central-directory reader and a size-capped inflater.
 *
 * Why not just `fflate.unzipSync`: it inflates whole entries into buffers sized from the *declared* sizes, and
 * it gives no way to stop half-way. A zip bomb can lie about its sizes, so we read the central directory
 * ourselves (cheap: no decompression) and inflate only in small steps while counting the real output.
 */
import { Inflate, inflateSync } from 'fflate';

export interface ZipEntry {
  name: string;
  /** 0 = stored, 8 = deflate; anything else we cannot read. */
  method: number;
  compressedSize: number;
  /** Size the archive *declares*; only trustworthy after `inflateEntryCapped` has checked it. */
  uncompressedSize: number;
  localHeaderOffset: number;
  /** General-purpose flag bit 0: the entry is encrypted (ZipCrypto/AES). */
  encrypted: boolean;
  /** Flag bit 11: the name is UTF-8. Without it, zips made on Chinese Windows hold GBK names. */
  utf8?: boolean;
  /** The name's bytes as stored (for a caller that decodes a legacy encoding itself). */
  rawName?: Uint8Array;
}

/** Thrown for any structural problem; callers map it to their own error code. */
export class ZipFormatError extends Error {
  override name = 'ZipFormatError';
}

/** Thrown when the real inflated size passes the cap. */
export class ZipSizeError extends Error {
  override name = 'ZipSizeError';
}

const SIG_EOCD = 0x06054b50;
const SIG_EOCD64 = 0x06064b50;
const SIG_EOCD64_LOCATOR = 0x07064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;
const U32_MAX = 0xffffffff;

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** 64-bit little-endian read; sizes above 2^53 are absurd for us, so Number is fine. */
function u64(dv: DataView, at: number): number {
  return dv.getUint32(at, true) + dv.getUint32(at + 4, true) * 0x1_0000_0000;
}

function findEocd(dv: DataView): number {
  // The EOCD record is 22 bytes plus a comment of at most 65535 bytes, at the very end of the file.
  const last = dv.byteLength - 22;
  const first = Math.max(0, last - 0xffff);
  for (let at = last; at >= first; at--) {
    if (dv.getUint32(at, true) === SIG_EOCD) return at;
  }
  return -1;
}

/** Lists the entries from the central directory. Throws ZipFormatError if the archive is not readable. */
export function listZipEntries(bytes: Uint8Array): ZipEntry[] {
  try {
    return readCentralDirectory(bytes);
  } catch (error) {
    // Bogus lengths in a hostile file make DataView read past the end; that is a format problem too.
    if (error instanceof RangeError) throw new ZipFormatError('malformed ZIP structure', { cause: error });
    throw error;
  }
}

function readCentralDirectory(bytes: Uint8Array): ZipEntry[] {
  const dv = view(bytes);
  if (dv.byteLength < 22) throw new ZipFormatError('too short to be a ZIP archive');
  const eocd = findEocd(dv);
  if (eocd < 0) throw new ZipFormatError('no end-of-central-directory record (truncated ZIP?)');

  let count = dv.getUint16(eocd + 10, true);
  let cdSize = dv.getUint32(eocd + 12, true);
  let cdOffset = dv.getUint32(eocd + 16, true);

  // ZIP64: the classic fields hold 0xFFFF/0xFFFFFFFF and the real values live in the ZIP64 EOCD record.
  if (count === 0xffff || cdSize === U32_MAX || cdOffset === U32_MAX) {
    const loc = eocd - 20;
    if (loc < 0 || dv.getUint32(loc, true) !== SIG_EOCD64_LOCATOR) {
      throw new ZipFormatError('ZIP64 markers without a ZIP64 locator');
    }
    const eocd64 = u64(dv, loc + 8);
    if (eocd64 + 56 > dv.byteLength || dv.getUint32(eocd64, true) !== SIG_EOCD64) {
      throw new ZipFormatError('bad ZIP64 end-of-central-directory record');
    }
    count = u64(dv, eocd64 + 32);
    cdSize = u64(dv, eocd64 + 40);
    cdOffset = u64(dv, eocd64 + 48);
  }
  if (cdOffset + cdSize > dv.byteLength) throw new ZipFormatError('central directory lies outside the file');

  const decoder = new TextDecoder('utf-8');
  const entries: ZipEntry[] = [];
  let at = cdOffset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > dv.byteLength || dv.getUint32(at, true) !== SIG_CENTRAL) {
      throw new ZipFormatError(`bad central directory entry #${i}`);
    }
    const flags = dv.getUint16(at + 8, true);
    const method = dv.getUint16(at + 10, true);
    let compressedSize = dv.getUint32(at + 20, true);
    let uncompressedSize = dv.getUint32(at + 24, true);
    const nameLen = dv.getUint16(at + 28, true);
    const extraLen = dv.getUint16(at + 30, true);
    const commentLen = dv.getUint16(at + 32, true);
    let localHeaderOffset = dv.getUint32(at + 42, true);
    const nameStart = at + 46;
    const extraStart = nameStart + nameLen;
    const next = extraStart + extraLen + commentLen;
    if (next > dv.byteLength) throw new ZipFormatError(`central directory entry #${i} overruns the file`);
    // Names in OOXML packages are ASCII; UTF-8 (flag bit 11) covers the rest well enough for a lookup.
    const name = decoder.decode(bytes.subarray(nameStart, extraStart));

    // ZIP64 extended information: present only for the fields that overflowed, in this fixed order.
    for (let x = extraStart; x + 4 <= extraStart + extraLen; ) {
      const id = dv.getUint16(x, true);
      const size = dv.getUint16(x + 2, true);
      if (id === 0x0001) {
        let p = x + 4;
        if (uncompressedSize === U32_MAX && p + 8 <= x + 4 + size) {
          uncompressedSize = u64(dv, p);
          p += 8;
        }
        if (compressedSize === U32_MAX && p + 8 <= x + 4 + size) {
          compressedSize = u64(dv, p);
          p += 8;
        }
        if (localHeaderOffset === U32_MAX && p + 8 <= x + 4 + size) localHeaderOffset = u64(dv, p);
      }
      x += 4 + size;
    }

    entries.push({
      name,
      method,
      compressedSize,
      uncompressedSize,
      localHeaderOffset,
      encrypted: (flags & 1) !== 0,
      utf8: (flags & 0x800) !== 0,
      rawName: bytes.subarray(nameStart, extraStart),
    });
    at = next;
  }
  return entries;
}

/** The entry's compressed bytes (a view, not a copy). */
function compressedData(bytes: Uint8Array, entry: ZipEntry): Uint8Array {
  const dv = view(bytes);
  const at = entry.localHeaderOffset;
  if (at + 30 > dv.byteLength || dv.getUint32(at, true) !== SIG_LOCAL) {
    throw new ZipFormatError(`bad local header for ${entry.name}`);
  }
  // The local header's name/extra lengths may differ from the central directory's, so read them here.
  const start = at + 30 + dv.getUint16(at + 26, true) + dv.getUint16(at + 28, true);
  const end = start + entry.compressedSize;
  if (end > dv.byteLength) throw new ZipFormatError(`data of ${entry.name} overruns the file`);
  return bytes.subarray(start, end);
}

/** Compressed input is fed in steps this big, so a single step can inflate to at most ~64 MB (1032:1). */
const STEP = 64 * 1024;

/**
 * Inflates one entry, throwing ZipSizeError as soon as the output passes `maxBytes`.
 * Memory stays bounded even when the central directory lies about the size.
 */
export function inflateEntryCapped(bytes: Uint8Array, entry: ZipEntry, maxBytes: number): Uint8Array {
  const data = compressedData(bytes, entry);
  if (entry.method === 0) {
    if (data.length > maxBytes) throw new ZipSizeError(`${entry.name} is larger than ${maxBytes} bytes`);
    return data;
  }
  if (entry.method !== 8) throw new ZipFormatError(`${entry.name} uses unsupported compression method ${entry.method}`);

  // One call into a buffer one byte larger than the declared size: bounded by what the caller already capped, and
  // without the streaming path's growing buffers (the DOCX guard's main cost). Output that fills the buffer means
  // the declared size lies, and the stepwise inflate below measures the real one.
  if (entry.uncompressedSize < maxBytes) {
    let once: Uint8Array | undefined;
    try {
      once = inflateSync(data, { out: new Uint8Array(entry.uncompressedSize + 1) });
    } catch {
      // corrupt data: the stepwise inflate reports it with its cause
    }
    if (once && once.length <= entry.uncompressedSize) return once;
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const inflater = new Inflate((chunk) => {
    total += chunk.length;
    if (total > maxBytes) throw new ZipSizeError(`${entry.name} inflates to more than ${maxBytes} bytes`);
    chunks.push(chunk);
  });
  try {
    if (data.length === 0) inflater.push(data, true);
    for (let at = 0; at < data.length; at += STEP) {
      inflater.push(data.subarray(at, at + STEP), at + STEP >= data.length);
    }
  } catch (error) {
    if (error instanceof ZipSizeError) throw error;
    throw new ZipFormatError(`cannot inflate ${entry.name}: ${(error as Error).message}`);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
