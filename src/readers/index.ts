/**
 * Entry point of the readers: bytes in, blocks out. Every failure is a ReadError with a code, so the caller
 * can always produce a `status: "failed"` report instead of crashing.
 */
import { sniff } from './sniff.js';
import { readTxt } from './txt.js';
import { DEFAULT_READ_LIMITS, ReadError, tooLargeError, type ExtractedDocument, type ReadLimits } from './types.js';

export * from './types.js';
export { sniff, type SniffResult } from './sniff.js';

/** `name`: the file's name, when known; its extension only words a refusal (see sniff). */
export async function readDocument(
  bytes: Uint8Array,
  limits: ReadLimits = DEFAULT_READ_LIMITS,
  name = '',
): Promise<ExtractedDocument> {
  if (bytes.length > limits.maxBytes) throw tooLargeError(bytes.length, limits.maxBytes);
  let doc: ExtractedDocument;
  try {
    const kind = sniff(bytes, /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '');
    switch (kind.format) {
      case 'pdf':
        // pdf.js and mammoth are loaded by the first document that needs them, not by every process that checks
        doc = await (await import('./pdf.js')).readPdf(bytes, kind.offset);
        break;
      case 'docx':
        doc = await (await import('./docx.js')).readDocx(bytes, limits);
        break;
      case 'txt':
        doc = readTxt(bytes);
        break;
    }
  } catch (error) {
    if (error instanceof ReadError) throw error;
    // A library crash on a hostile or broken file is still a document problem, never a raw exception.
    throw new ReadError('E_CORRUPT', '文件无法读取（格式错误或已损坏）', { cause: error });
  }
  // Readers number their own blocks, but the contract is "0..n-1 in document order", so enforce it here.
  doc.blocks.forEach((block, i) => (block.index = i));
  return doc;
}
