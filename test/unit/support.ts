/** Shared builders for the unit tests: real text in, real pipeline out (no mocks). */
import { documentPrecision, type PrecisionMap } from '../../src/checks/precision.js';
import { extractFigures } from '../../src/figures/extract.js';
import type { Figure } from '../../src/figures/types.js';
import { checkDocument } from '../../src/pipeline.js';
import type { Block } from '../../src/readers/types.js';
import type { Finding, Report } from '../../src/report/schema.js';
import { buildTextDocument, type TextDocument } from '../../src/text/document.js';

export const paragraph = (text: string, index = 0): Block => ({ index, kind: 'paragraph', text });

/** A TextDocument with one paragraph block per line of `text`. */
export function textDoc(text: string, strip: readonly RegExp[] = []): TextDocument {
  const blocks = text.split('\n').map((line, index) => paragraph(line, index));
  return buildTextDocument({ format: 'txt', blocks, warnings: [] }, strip);
}

export function figuresOf(text: string): Figure[] {
  return extractFigures(textDoc(text));
}

/** The figures of `text` with the document precision they imply. */
export function factsOf(text: string): { figures: Figure[]; precision: PrecisionMap; byText: (t: string) => Figure } {
  const figures = figuresOf(text);
  const byText = (t: string): Figure => {
    const hit = figures.find((f) => f.text === t);
    if (!hit) throw new Error(`no figure "${t}" in: ${figures.map((f) => f.text).join(' | ')}`);
    return hit;
  };
  return { figures, precision: documentPrecision(figures), byText };
}

export interface Checked {
  report: Report;
  findings: Finding[];
  /** The printed texts of the figures a finding cites, in the finding's order. */
  cites(finding: Finding): string[];
}

/** Runs one rule of the core pack over a TXT document. */
export async function check(rule: string, text: string): Promise<Checked> {
  const report = await checkDocument(Buffer.from(text, 'utf8'), { onlyRule: `core/${rule}` });
  if (report.status !== 'ok') throw new Error(`check failed: ${report.error?.message}`);
  const cites = (finding: Finding) => finding.figures.map((id) => report.figures.find((f) => f.id === id)!.text);
  return { report, findings: report.findings, cites };
}
