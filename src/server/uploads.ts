import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { inflateEntryCapped, listZipEntries, type ZipEntry, ZipFormatError, ZipSizeError } from '../readers/zip.js';
import { megabytes, type ReadErrorCode } from '../readers/types.js';

/**
 * Uploads: each file is streamed to the upload folder while it is hashed, and kept under a name the server
 * chooses (`<sha256>.<ext>`), never the client's. A zip is expanded member by member with the reader's capped
 * inflater (a zip bomb stops at the cap), directories ignored, members with unsafe paths refused.
 */

export const DOCUMENT_EXTENSIONS = ['docx', 'pdf', 'txt'] as const;
export type DocumentExtension = (typeof DOCUMENT_EXTENSIONS)[number];

/** A file that was stored and can be checked. */
export interface AcceptedUpload {
  kind: 'accepted';
  /** The display name: the client's name (a zip member: `archive.zip/folder/file.docx`), cleaned. Never a path. */
  name: string;
  sha256: string;
  /** Where it is stored (inside the upload folder). */
  path: string;
  bytes: number;
  /** This upload wrote the file (the same bytes were not stored already). */
  fresh: boolean;
}

/** A file that was refused before checking: wrong type, too large, an unsafe or unreadable zip. */
export interface RejectedUpload {
  kind: 'rejected';
  name: string;
  /** sha256 of the file when it was received whole; '' when it was not (over the size limit). */
  sha256: string;
  code: ReadErrorCode;
  /** For reviewers (Chinese), naming the cause. */
  message: string;
}

export type UploadOutcome = AcceptedUpload | RejectedUpload;

export interface UploadLimits {
  maxFileBytes: number;
  maxZipEntries: number;
  maxZipInflatedBytes: number;
}

// oxlint-disable-next-line no-control-regex -- refusing control characters in names is this pattern's job
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g;
const HAS_CONTROL = new RegExp(CONTROL.source);

/**
 * A client-supplied file name made safe to show and log: path separators unified, empty / `.` / `..` segments
 * and control or bidi characters dropped, length capped. It is only ever a label; files are stored by hash.
 */
export function cleanName(raw: string | undefined): string {
  const segments = (raw ?? '')
    .normalize('NFC')
    .replace(CONTROL, '')
    .split(/[\\/]+/)
    .map((s) => s.trim())
    .filter((s) => s && s !== '.' && s !== '..');
  let name = segments.join('/');
  if (name.length > 240) name = `…${name.slice(-239)}`;
  return name || '未命名文件';
}

export function extensionOf(name: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

const isDocumentExtension = (ext: string): ext is DocumentExtension => (DOCUMENT_EXTENSIONS as readonly string[]).includes(ext);

function unsupported(name: string, ext: string): RejectedUpload {
  const what = ext ? `“.${ext}”` : '（无扩展名）';
  return { kind: 'rejected', name, sha256: '', code: 'E_UNSUPPORTED', message: `不支持的文件类型${what}：仅接受 .docx、.pdf、.txt 文件或包含它们的 .zip 压缩包` };
}

/** A zip member path that would climb out of a folder or is absolute. */
function unsafeZipPath(name: string): boolean {
  return name.startsWith('/') || name.startsWith('\\') || /^[A-Za-z]:/.test(name) || name.split(/[\\/]/).some((s) => s === '..') || HAS_CONTROL.test(name);
}

/**
 * A member's name: UTF-8 when the zip says so or the bytes are valid UTF-8; otherwise GB18030 (GBK), which is what
 * Windows' own "send to compressed folder" writes on a Chinese system.
 */
function memberName(entry: ZipEntry): string {
  if (entry.utf8 || !entry.rawName) return entry.name;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(entry.rawName);
  } catch {
    return new TextDecoder('gb18030').decode(entry.rawName);
  }
}

/** macOS resource forks and Finder files, which every zip made on a Mac carries: not documents, not shown. */
const isJunk = (name: string) => /(^|\/)__MACOSX\//.test(name) || /(^|\/)\.DS_Store$/.test(name) || /(^|\/)Thumbs\.db$/i.test(name);

export class UploadStore {
  constructor(
    readonly dir: string,
    private readonly limits: UploadLimits,
  ) {}

  async init(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
  }

  /** Where a document with this hash is stored. */
  pathOf(sha256: string, ext: DocumentExtension): string {
    return path.join(this.dir, `${sha256}.${ext}`);
  }

  /**
   * Receives one uploaded file. `truncated()` tells, after the stream ended, whether the multipart parser cut it
   * at the size limit. A zip yields one outcome per member (none for directories).
   */
  async receive(rawName: string | undefined, stream: Readable, truncated: () => boolean): Promise<UploadOutcome[]> {
    const name = cleanName(rawName);
    const ext = extensionOf(name);
    if (ext !== 'zip' && !isDocumentExtension(ext)) {
      stream.resume();
      await new Promise<void>((resolve) => (stream.readableEnded ? resolve() : stream.once('end', resolve).once('error', () => resolve())));
      return [unsupported(name, ext)];
    }
    const temp = path.join(this.dir, `.upload-${randomBytes(8).toString('hex')}`);
    const hash = createHash('sha256');
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      size += chunk.length;
    });
    try {
      await pipeline(stream, createWriteStream(temp, { flags: 'wx' }));
      if (truncated() || size > this.limits.maxFileBytes) {
        return [{ kind: 'rejected', name, sha256: '', code: 'E_TOO_LARGE', message: `文件超过上传大小上限（${megabytes(this.limits.maxFileBytes)}）` }];
      }
      const sha256 = hash.digest('hex');
      if (ext === 'zip') return this.expandZip(name, sha256, await readFile(temp));
      return [await this.keep(name, sha256, ext, temp, size)];
    } finally {
      await rm(temp, { force: true });
    }
  }

  /** Moves (or writes) a document into place under its hash; the same bytes uploaded twice are kept once. */
  private async keep(name: string, sha256: string, ext: DocumentExtension, source: string | Uint8Array, bytes: number): Promise<AcceptedUpload> {
    const target = this.pathOf(sha256, ext);
    const exists = await stat(target).then(
      (s) => s.size === bytes,
      () => false,
    );
    if (!exists) {
      if (typeof source === 'string') await rename(source, target);
      else {
        const temp = `${target}.${randomBytes(4).toString('hex')}.part`;
        await writeFile(temp, source, { flag: 'wx' });
        await rename(temp, target);
      }
    }
    return { kind: 'accepted', name, sha256, path: target, bytes, fresh: !exists };
  }

  /**
   * Removes what a refused request stored: the files it wrote itself (not those that were already there for an
   * earlier upload). Returns how many were removed.
   */
  async discard(outcomes: readonly UploadOutcome[]): Promise<number> {
    const paths = new Set(outcomes.flatMap((o) => (o.kind === 'accepted' && o.fresh ? [o.path] : [])));
    await Promise.all([...paths].map((p) => rm(p, { force: true })));
    return paths.size;
  }

  private async expandZip(zipName: string, zipSha: string, bytes: Uint8Array): Promise<UploadOutcome[]> {
    let entries;
    try {
      entries = listZipEntries(bytes);
    } catch (error) {
      if (!(error instanceof ZipFormatError)) throw error;
      return [{ kind: 'rejected', name: zipName, sha256: zipSha, code: 'E_CORRUPT', message: '压缩包已损坏，无法读取' }];
    }
    const members = entries.filter((e) => !e.name.endsWith('/') && !e.name.endsWith('\\') && !isJunk(e.name));
    if (members.length > this.limits.maxZipEntries) {
      return [{ kind: 'rejected', name: zipName, sha256: zipSha, code: 'E_TOO_LARGE', message: `压缩包内文件过多（${members.length} 个，上限 ${this.limits.maxZipEntries} 个）` }];
    }
    if (!members.length) return [{ kind: 'rejected', name: zipName, sha256: zipSha, code: 'E_NO_TEXT', message: '压缩包内没有文件' }];
    const out: UploadOutcome[] = [];
    let budget = this.limits.maxZipInflatedBytes;
    for (const entry of members) {
      const inner = cleanName(memberName(entry));
      const name = `${zipName}/${inner}`;
      const ext = extensionOf(inner);
      if (unsafeZipPath(entry.name)) {
        out.push({ kind: 'rejected', name, sha256: '', code: 'E_UNSUPPORTED', message: `压缩包内的路径不安全（“${memberName(entry).replace(CONTROL, '')}”），已拒绝` });
        continue;
      }
      if (ext === 'zip') {
        out.push({ kind: 'rejected', name, sha256: '', code: 'E_UNSUPPORTED', message: '不处理压缩包内嵌套的压缩包，请解压后上传' });
        continue;
      }
      if (!isDocumentExtension(ext)) {
        out.push(unsupported(name, ext));
        continue;
      }
      if (entry.encrypted) {
        out.push({ kind: 'rejected', name, sha256: '', code: 'E_ENCRYPTED', message: '压缩包内的文件已加密，无法读取' });
        continue;
      }
      if (budget <= 0) {
        out.push({ kind: 'rejected', name, sha256: '', code: 'E_TOO_LARGE', message: `压缩包解压后的总大小超过上限（${megabytes(this.limits.maxZipInflatedBytes)}），未解压` });
        continue;
      }
      const cap = Math.min(this.limits.maxFileBytes, budget);
      try {
        const data = inflateEntryCapped(bytes, entry, cap);
        budget -= data.length;
        const sha256 = createHash('sha256').update(data).digest('hex');
        out.push(await this.keep(name, sha256, ext, data, data.length));
      } catch (error) {
        if (error instanceof ZipSizeError) {
          const overall = cap < this.limits.maxFileBytes;
          if (overall) budget = 0;
          out.push({
            kind: 'rejected',
            name,
            sha256: '',
            code: 'E_TOO_LARGE',
            message: overall ? `压缩包解压后的总大小超过上限（${megabytes(this.limits.maxZipInflatedBytes)}），疑似压缩炸弹` : `解压后超过单个文件大小上限（${megabytes(this.limits.maxFileBytes)}）`,
          });
        } else if (error instanceof ZipFormatError) {
          out.push({ kind: 'rejected', name, sha256: '', code: 'E_CORRUPT', message: '压缩包内的这个文件已损坏，无法解压' });
        } else throw error;
      }
    }
    return out;
  }
}
