/**
 * One benchmark measurement in a process of its own (one core, one document at a time: what one CLI worker
 * does), so that its peak RSS is its own. Usage: node bench/measure.mjs <mode> <list.json>
 *
 *   check     crossfoot's checkDocument (dist/pipeline.js): read → text → figures → checks → report
 *   mammoth   mammoth.convertToHtml alone (DOCX)
 *   pdfparse  pdf-parse getText alone, with the CMaps as in src/readers/pdf.ts (PDF)
 *   idle      loads crossfoot's modules and does nothing (baseline RSS)
 *   pair-mammoth / pair-pdfparse
 *             per document, the library alone and then checkDocument, alternately: the ratio of the two is
 *             then robust to other load on the machine drifting during the run
 *
 * The first `warmup` documents are run once untimed first (JIT, lazy module loads, pdf.js worker set-up).
 * Prints one JSON object on stdout.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const [mode, listFile, warmupArg] = process.argv.slice(2);
const files = listFile ? JSON.parse(readFileSync(listFile, 'utf8')) : [];
const warmup = Math.min(files.length, Number(warmupArg ?? 5));
const root = new URL('..', import.meta.url);

async function makeRunner(mode) {
  if (mode.startsWith('pair-')) {
    const library = await makeRunner(mode.slice('pair-'.length));
    const check = await makeRunner('check');
    return async (bytes, file) => {
      const timed = async (fn) => {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        const result = await fn(bytes, file);
        const cpu = process.cpuUsage(c0);
        return { ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, read: result.timings?.read };
      };
      const lib = await timed(library);
      const cf = await timed(check);
      return { library: lib, crossfoot: cf };
    };
  }
  if (mode === 'check' || mode === 'idle') {
    const { checkDocument } = await import(new URL('dist/pipeline.js', root).href);
    return async (bytes, file) => {
      const report = await checkDocument(bytes, { file, includeTimings: true });
      return {
        status: report.status,
        code: report.error?.code,
        timings: report.timingsMs ?? {},
        errors: report.findings.filter((f) => f.severity === 'error').length,
        warnings: report.findings.filter((f) => f.severity === 'warning').length,
      };
    };
  }
  if (mode === 'mammoth') {
    const mammoth = (await import('mammoth')).default;
    return async (bytes) => {
      const result = await mammoth.convertToHtml({ buffer: Buffer.from(bytes) });
      return { chars: result.value.length };
    };
  }
  if (mode === 'pdfparse') {
    const { PDFParse } = await import('pdf-parse');
    // the same asset resolution as src/readers/pdf.ts
    const fromHere = createRequire(new URL('dist/readers/pdf.js', root));
    const fromPdfParse = createRequire(fromHere.resolve('pdf-parse'));
    const pdfjsRoot = path.dirname(fromPdfParse.resolve('pdfjs-dist/package.json'));
    const cMapUrl = path.join(pdfjsRoot, 'cmaps') + path.sep;
    const standardFontDataUrl = path.join(pdfjsRoot, 'standard_fonts') + path.sep;
    return async (bytes) => {
      const parser = new PDFParse({ data: bytes.slice(), cMapUrl, cMapPacked: true, standardFontDataUrl, isEvalSupported: false });
      try {
        const result = await parser.getText({ pageJoiner: '' });
        return { chars: result.text.length, pages: result.total };
      } finally {
        await parser.destroy();
      }
    };
  }
  throw new Error(`unknown mode ${mode}`);
}

const run = await makeRunner(mode);
const docs = [];
if (mode !== 'idle') {
  for (const file of files.slice(0, warmup)) await run(readFileSync(file), file);
  for (const file of files) {
    const bytes = readFileSync(file);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const result = await run(bytes, file);
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(c0);
    // CPU time (all threads of this process): unlike wall time, barely affected by other load on the machine
    docs.push({ file, bytes: bytes.length, ms, cpuMs: (cpu.user + cpu.system) / 1000, ...result });
  }
}
const usage = process.resourceUsage();
process.stdout.write(
  JSON.stringify({ mode, docs, maxRssMb: usage.maxRSS / 1024, cpuUserMs: usage.userCPUTime / 1000, cpuSystemMs: usage.systemCPUTime / 1000 }) + '\n',
);
