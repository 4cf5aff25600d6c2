/**
 * E2E (c): unreadable and hostile input through the real CLI, mixed with good files, in one run. Every input
 * gets exactly one report (the path as given), failed ones carry the right error code, the exit code is 1,
 * and stdout carries nothing but jsonl.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/schema.js';
import { renderDocx, renderPdfKit } from '../helpers/render.js';
import { lieAboutSizes, makePdf, makeShapesPdf, makeZipBomb } from '../readers/make-files.js';
import { assertBuilt, byFile, type CliResult, fixtureText, makeTempDir, parseJsonl, runCli } from './cli.js';

/** A real 1×1 PNG (signature, IHDR, IDAT, IEND with correct CRCs). */
function makePng(): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const pixels = deflateSync(Buffer.from([0, 0xff, 0x80, 0x00])); // filter byte + one RGB pixel
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('IDAT', pixels),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  );
}

/** What each input must come out as: a failure code, or ok. */
const EXPECTED: Record<string, { status: 'ok' } | { status: 'failed'; code: string }> = {
  'good.txt': { status: 'ok' },
  'good.docx': { status: 'ok' },
  'good.pdf': { status: 'ok' },
  '预算 说明（GBK）.txt': { status: 'ok' },
  'empty.txt': { status: 'failed', code: 'E_NO_TEXT' },
  'empty.docx': { status: 'failed', code: 'E_NO_TEXT' },
  'truncated.docx': { status: 'failed', code: 'E_CORRUPT' },
  'bomb.docx': { status: 'failed', code: 'E_TOO_LARGE' },
  /** declares tiny sizes: only a guard that counts real inflated bytes catches it */
  'bomb-lying.docx': { status: 'failed', code: 'E_TOO_LARGE' },
  'encrypted.pdf': { status: 'failed', code: 'E_ENCRYPTED' },
  'image-only.pdf': { status: 'failed', code: 'E_NO_TEXT' },
  'really-a-png.pdf': { status: 'failed', code: 'E_UNSUPPORTED' },
  'setup-renamed.pdf': { status: 'failed', code: 'E_UNSUPPORTED' },
  'no/such/file.docx': { status: 'failed', code: 'E_IO' },
  // folder contents: only .docx/.pdf/.txt (any case), recursively
  'folder/a.docx': { status: 'ok' },
  'folder/sub/b.pdf': { status: 'ok' },
  'folder/sub/deeper/c.txt': { status: 'ok' },
  'folder/sub/deeper/UPPER.TXT': { status: 'ok' },
  'folder/sub/broken.pdf': { status: 'failed', code: 'E_CORRUPT' },
};
/** Files inside the folder that must NOT be picked up. */
const IGNORED_IN_FOLDER = ['folder/notes.md', 'folder/scan.png', 'folder/sub/data.json', 'folder/sub/README', 'folder/sub/deeper/report.doc'];

describe('bad input through the CLI, mixed with good files, in one run', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let result: CliResult;
  let reports: Report[];

  beforeAll(async () => {
    assertBuilt();
    ({ dir, cleanup } = await makeTempDir('bad'));
    const text = await fixtureText('xss-archives-2025.txt');
    const other = await fixtureText('sangong-market-2025.txt');
    const docx = await renderDocx(text);
    const pdf = await renderPdfKit(text);
    const files: Record<string, Uint8Array | string> = {
      'good.txt': text,
      'good.docx': docx,
      'good.pdf': pdf,
      '预算 说明（GBK）.txt': iconv.encode(other, 'gbk'),
      'empty.txt': new Uint8Array(),
      'empty.docx': new Uint8Array(),
      'truncated.docx': docx.subarray(0, Math.floor(docx.length / 2)),
      'bomb.docx': makeZipBomb(300),
      'bomb-lying.docx': lieAboutSizes(makeZipBomb(300), 4096),
      'encrypted.pdf': await makePdf(['加密的报告', '2025年度支出合计50.00万元，全部为基本支出。'], { userPassword: 'secret' }),
      'image-only.pdf': await makeShapesPdf(2),
      'really-a-png.pdf': makePng(),
      // a Windows program's MZ header and padding: neither a known format nor text
      'setup-renamed.pdf': new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, 0, 0, 0xb8, ...Array.from({ length: 40 }, () => 0)]),
      'folder/a.docx': await renderDocx(other),
      'folder/sub/b.pdf': await renderPdfKit(other),
      'folder/sub/deeper/c.txt': other,
      'folder/sub/deeper/UPPER.TXT': text,
      'folder/sub/broken.pdf': pdf.subarray(0, 600),
      'folder/notes.md': '# notes\n2025年度支出合计50.00万元。\n',
      'folder/scan.png': makePng(),
      'folder/sub/data.json': '{"a":1}\n',
      'folder/sub/README': '说明\n',
      'folder/sub/deeper/report.doc': docx,
    };
    for (const [name, data] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
      await writeFile(path.join(dir, name), data);
    }
    const args = [
      'check',
      'good.txt',
      'good.docx',
      'good.pdf',
      '预算 说明（GBK）.txt',
      'empty.txt',
      'empty.docx',
      'truncated.docx',
      'bomb.docx',
      'bomb-lying.docx',
      'encrypted.pdf',
      'image-only.pdf',
      'really-a-png.pdf',
      'setup-renamed.pdf',
      'no/such/file.docx',
      'folder',
      // also named on its own: still one report
      'folder/a.docx',
      '--format',
      'jsonl',
      '--concurrency',
      '2',
    ];
    result = await runCli(args, { cwd: dir });
    reports = parseJsonl(result.stdout);
  });

  afterAll(async () => {
    await cleanup?.();
  });

  it('exits 1 and writes nothing but schema-valid jsonl to stdout', () => {
    expect(result.code, result.stderr).toBe(1);
    const lines = result.stdout.split('\n');
    expect(lines.pop()).toBe('');
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(lines).toHaveLength(reports.length);
  });

  it('reports every input exactly once, under the path as given, sorted by file', () => {
    const files = reports.map((r) => r.file);
    expect(new Set(files).size, 'no duplicates').toBe(files.length);
    expect([...files].sort()).toEqual(Object.keys(EXPECTED).sort());
    expect(files).toEqual([...files].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    for (const ignored of IGNORED_IN_FOLDER) expect(files).not.toContain(ignored);
  });

  it.each(Object.entries(EXPECTED))('%s', (file, expected) => {
    const report = byFile(reports).get(file);
    expect(report, `${file} in the output`).toBeDefined();
    if (expected.status === 'ok') {
      expect(report!.status, JSON.stringify(report!.error)).toBe('ok');
      expect(report!.error).toBeUndefined();
      expect(report!.findings.filter((f) => f.severity !== 'info')).toEqual([]);
      expect(report!.fiscalYear).toBe(2025);
    } else {
      expect(report!.status).toBe('failed');
      expect(report!.error?.code, report!.error?.message).toBe(expected.code);
      expect(report!.error?.message).toBeTruthy();
      expect(report!.findings).toEqual([]);
      expect(report!.figures).toEqual([]);
    }
    expect(report!.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('decodes the GBK text file correctly (same figures as the UTF-8 original)', () => {
    const map = byFile(reports);
    const gbk = map.get('预算 说明（GBK）.txt')!;
    const utf8 = map.get('folder/sub/deeper/c.txt')!;
    expect(gbk.title).toBe('某县市场监督管理局2025年度“三公”经费决算说明');
    expect(gbk.documentType).toBe('sangong');
    expect(gbk.figures.map((f) => f.text)).toEqual(utf8.figures.map((f) => f.text));
    expect(gbk.fields).toEqual(utf8.fields);
    expect(gbk.sha256).not.toBe(utf8.sha256);
  });

  it('names the problem on the failed reports in a useful way', () => {
    const map = byFile(reports);
    expect(map.get('no/such/file.docx')!.error!.message).toBe('无法读取：文件不存在');
    expect(map.get('really-a-png.pdf')!.error!.message).toMatch(/PNG 图片/);
    expect(map.get('setup-renamed.pdf')!.error!.message).toMatch(/^不是有效的 PDF 文件/);
    expect(map.get('empty.docx')!.error!.message).toBe('文件为空（0 字节）');
    expect(map.get('truncated.docx')!.error!.message).toBe('Word 文件（DOCX）已损坏，无法读取');
    expect(map.get('folder/sub/broken.pdf')!.error!.message).toBe('PDF 文件已损坏，无法读取');
    expect(map.get('bomb.docx')!.error!.message).toMatch(/压缩炸弹|上限/);
    expect(map.get('bomb-lying.docx')!.error!.message).toMatch(/压缩炸弹|上限/);
    // a reviewer reads these: Chinese, with no English sentence (or a library's words) tacked on
    for (const r of reports.filter((x) => x.error)) {
      expect(r.error!.message, r.file).toMatch(/[\u4e00-\u9fff]/);
      expect(r.error!.message, r.file).not.toMatch(/[A-Za-z]+ [a-z]+ [a-z]+/);
    }
  });

  it('stylish output of the same run summarises the unreadable files', async () => {
    const stylish = await runCli(['check', 'good.txt', 'empty.txt', 'really-a-png.pdf', 'no/such/file.docx', '--format', 'stylish'], { cwd: dir });
    expect(stylish.code).toBe(1);
    expect(stylish.stdout).toMatch(/E_NO_TEXT/);
    expect(stylish.stdout).toMatch(/E_UNSUPPORTED/);
    expect(stylish.stdout).toMatch(/E_IO/);
    expect(stylish.stdout.trimEnd().split('\n').pop()).toBe('✔ 共 4 个文件：错误 0 条，警告 0 条，无法读取 3 个');
  });
});
