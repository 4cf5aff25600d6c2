/** What a reader hands to the text stage: the document as a list of blocks with provenance. */
export type DocumentFormat = 'docx' | 'pdf' | 'txt';

export type BlockKind = 'heading' | 'paragraph' | 'list-item' | 'table-cell';

export interface TableCellRef {
  /** 0-based table ordinal within the document. */
  table: number;
  row: number;
  col: number;
}

export interface Block {
  /** 0-based position of the block in the document. */
  index: number;
  kind: BlockKind;
  /** The block's text exactly as extracted (after reader-level clean-up such as PDF line re-joining). */
  text: string;
  /** 1-based page number (PDF only). */
  page?: number;
  /** 1-based line of the block's first character in the source (TXT); absent for DOCX/PDF. */
  sourceLine?: number;
  cell?: TableCellRef;
}

/** A table as the reader found it: rows of cell texts (ragged for PDF, merged cells expanded for DOCX). */
export interface RawTable {
  /** 1-based page of its first row (PDF); a table continued over pages is merged into one. */
  page?: number;
  rows: string[][];
  /** DOCX: the block index of each cell (merged cells repeat the index of their top-left block). */
  cellBlocks?: (number | undefined)[][];
  /** Index of the first block after which the table stands (for its title and unit note). */
  afterBlock: number;
  /** Rebuilt from a PDF's text lines (rows may be lost or cells shifted), not read cell by cell. */
  rebuilt?: boolean;
  /** For a rebuilt table: whether each row's cells were placed by their positions or filled every column. */
  placedRows?: boolean[];
  /** The page of each row, for a table continued over pages. */
  rowPages?: number[];
  /**
   * Per column, the name a header that could not be kept as rows prints over it ('' where none is certain): the
   * label of the cells of a row without one (a 三公 sheet's single row of amounts).
   */
  columnNames?: string[];
}

export interface ExtractedDocument {
  format: DocumentFormat;
  /** Page count (PDF only). */
  pages?: number;
  blocks: Block[];
  /** Non-fatal extraction problems (mammoth messages, skipped content); English, for logs and the report. */
  warnings: string[];
  tables?: RawTable[];
  /** Title from the file's own metadata, when it has one. */
  metadataTitle?: string;
}

export const READ_ERROR_CODES = [
  'E_CORRUPT',
  'E_ENCRYPTED',
  'E_NO_TEXT',
  'E_TOO_LARGE',
  'E_UNSUPPORTED',
  'E_TIMEOUT',
  'E_IO',
] as const;
export type ReadErrorCode = (typeof READ_ERROR_CODES)[number];

/** A document problem (not a program bug): it becomes a `status: "failed"` report, never a crash. */
export class ReadError extends Error {
  constructor(
    readonly code: ReadErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ReadError';
  }
}

/** A file over the size limit; `atLeast` when only a lower bound of its size is known (it was read in part). */
export function tooLargeError(bytes: number, maxBytes: number, atLeast = false): ReadError {
  return new ReadError('E_TOO_LARGE', `文件过大：${atLeast ? '至少 ' : ''}${megabytes(bytes)}，上限为 ${megabytes(maxBytes)}`);
}

/** A size for a reviewer: MB with one decimal, bytes below 1 MB, so a limit reads the way it was configured. */
export function megabytes(bytes: number): string {
  return bytes < 1024 * 1024 ? `${bytes} 字节` : `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
}

export interface ReadLimits {
  /** Largest input accepted, in bytes. */
  maxBytes: number;
  /** Largest total inflated size of a DOCX's parts, in bytes (zip-bomb guard). */
  maxInflatedBytes: number;
}

export const DEFAULT_READ_LIMITS: ReadLimits = {
  maxBytes: 50 * 1024 * 1024,
  maxInflatedBytes: 200 * 1024 * 1024,
};
