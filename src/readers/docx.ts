/**
 * DOCX reader: zip-bomb guard → mammoth (DOCX → HTML) → htmlparser2 (HTML → blocks).
 *
 * mammoth's HTML keeps headings, lists and tables with rowspan/colspan, which its raw-text mode loses.
 */
import { Parser } from 'htmlparser2';
import mammoth from 'mammoth';
import { tablesOf, withTextTables } from './cell-tables.js';
import { htmlToBlocks } from './html-blocks.js';
import { ReadError, type ExtractedDocument, type ReadLimits } from './types.js';
import { inflateEntryCapped, listZipEntries, ZipFormatError, ZipSizeError, type ZipEntry } from './zip.js';

/** The library's own words (a JSZip or mammoth message) stay in the error's cause, for logs. */
const CORRUPT_DOCX = 'Word 文件（DOCX）已损坏，无法读取';

const STYLE_MAP = [
  // mammoth renders Word's Title style as <p> with a warning; it is the document title.
  "p[style-name='Title'] => h1.title:fresh",
  "p[style-name='Subtitle'] => h2.subtitle:fresh",
  // WPS and Chinese Word templates often carry localized style names instead of the built-in English ones.
  "p[style-name='标题'] => h1.title:fresh",
  "p[style-name='副标题'] => h2.subtitle:fresh",
  "p[style-name='标题 1'] => h1:fresh",
  "p[style-name='标题 2'] => h2:fresh",
  "p[style-name='标题 3'] => h3:fresh",
  "p[style-name='标题 4'] => h4:fresh",
  "p[style-name='标题 5'] => h5:fresh",
  "p[style-name='标题 6'] => h6:fresh",
];

/** A part inflating more than 200× and past 10 MB is not a real document part (XML compresses ~10–20×). */
const MAX_RATIO = 200;
const RATIO_MIN_BYTES = 10 * 1024 * 1024;

/** Parts mammoth actually reads. Media and embeddings are never inflated (images are not converted). */
const isXmlPart = (name: string): boolean => /\.(xml|rels)$/i.test(name);

interface GuardResult {
  /** docProps/core.xml, inflated during the check (the only part we read ourselves). */
  coreXml?: Uint8Array;
}

/**
 * Refuses zip bombs before mammoth (JSZip) inflates anything: JSZip trusts the declared sizes and only
 * compares them after inflating the whole part, which is too late for memory.
 */
function guardZip(bytes: Uint8Array, limits: ReadLimits): GuardResult {
  let entries: ZipEntry[];
  try {
    entries = listZipEntries(bytes);
  } catch (error) {
    throw new ReadError('E_CORRUPT', CORRUPT_DOCX, { cause: error });
  }
  if (!entries.some((e) => e.name === 'word/document.xml')) {
    throw new ReadError('E_CORRUPT', 'Word 文件（DOCX）已损坏：缺少正文部分（word/document.xml）');
  }
  if (entries.some((e) => e.encrypted)) {
    throw new ReadError('E_ENCRYPTED', 'Word 文件（DOCX）已加密，请去除密码后重新上传');
  }

  let declared = 0;
  for (const e of entries) {
    declared += e.uncompressedSize;
    const ratio = e.uncompressedSize / Math.max(1, e.compressedSize);
    if (ratio > MAX_RATIO && e.uncompressedSize > RATIO_MIN_BYTES) {
      throw new ReadError(
        'E_TOO_LARGE',
        `Word 文件（DOCX）的部件 ${e.name} 压缩比达 ${Math.round(ratio)}:1（解压后 ${e.uncompressedSize} 字节），疑似压缩炸弹`,
      );
    }
  }
  if (declared > limits.maxInflatedBytes) {
    throw new ReadError(
      'E_TOO_LARGE',
      `Word 文件（DOCX）解压后共 ${declared} 字节，超过 ${limits.maxInflatedBytes} 字节的上限`,
    );
  }

  // The declared sizes may lie; inflate the XML parts with a running cap so the real size is checked too.
  let coreXml: Uint8Array | undefined;
  let budget = limits.maxInflatedBytes;
  for (const e of entries.filter((x) => isXmlPart(x.name))) {
    try {
      const data = inflateEntryCapped(bytes, e, budget);
      budget -= data.length;
      if (e.name === 'docProps/core.xml') coreXml = data;
    } catch (error) {
      if (error instanceof ZipSizeError) {
        throw new ReadError('E_TOO_LARGE', `Word 文件（DOCX）解压后超过 ${limits.maxInflatedBytes} 字节的上限（疑似压缩炸弹）`, {
          cause: error,
        });
      }
      if (error instanceof ZipFormatError) {
        throw new ReadError('E_CORRUPT', CORRUPT_DOCX, { cause: error });
      }
      throw error;
    }
  }
  return coreXml ? { coreXml } : {};
}

/** `dc:title` from docProps/core.xml, or undefined when absent or blank. */
function coreTitle(coreXml: Uint8Array | undefined): string | undefined {
  if (!coreXml) return undefined;
  let inTitle = false;
  let title = '';
  const parser = new Parser(
    {
      onopentag: (name) => void (inTitle = inTitle || name === 'dc:title'),
      ontext: (text) => void (inTitle && (title += text)),
      onclosetag: (name) => void (name === 'dc:title' && (inTitle = false)),
    },
    { xmlMode: true, decodeEntities: true },
  );
  parser.write(new TextDecoder('utf-8').decode(coreXml));
  parser.end();
  const trimmed = title.trim();
  return trimmed === '' ? undefined : trimmed;
}

export async function readDocx(bytes: Uint8Array, limits: ReadLimits): Promise<ExtractedDocument> {
  const { coreXml } = guardZip(bytes, limits);

  let result: Awaited<ReturnType<typeof mammoth.convertToHtml>>;
  try {
    result = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
      {
        styleMap: STYLE_MAP,
        // Do not read image bytes: we only want text, and base64 images would bloat the HTML.
        convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: '' })),
      },
    );
  } catch (error) {
    throw new ReadError('E_CORRUPT', CORRUPT_DOCX, { cause: error });
  }

  const read = htmlToBlocks(result.value);
  const { images } = read;
  const blocks = withTextTables(read.blocks);
  const warnings = [...new Set(result.messages.map((m) => `mammoth ${m.type}: ${m.message}`))];
  if (images > 0) warnings.push(`${images} image(s) skipped: any text inside images is not read`);
  if (!blocks.some((b) => b.text.trim() !== '')) throw new ReadError('E_NO_TEXT', 'Word 文件（DOCX）中没有文字');

  const metadataTitle = coreTitle(coreXml);
  return { format: 'docx', blocks, tables: tablesOf(blocks), warnings, ...(metadataTitle ? { metadataTitle } : {}) };
}
