import { readDocument } from '../readers/index.js';
import { ReadError } from '../readers/types.js';

/**
 * The text of a document for the search index: its blocks, one per line. Reports do not carry their text yet,
 * so `archive add` reads the file a second time for it; '' for a file that cannot be read.
 */
export async function documentText(bytes: Uint8Array): Promise<string> {
  try {
    return (await readDocument(bytes)).blocks.map((b) => b.text).join('\n');
  } catch (error) {
    if (error instanceof ReadError) return '';
    throw error;
  }
}
