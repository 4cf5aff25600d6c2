import { test } from 'vitest';
import { readDocument, ReadError } from '../../src/readers/index.js';
import { makeDocx, makePdf, makeStSongPdf } from './make-files.js';
test('fuzz', async () => {
  let seed = 42; const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const bases = [await makeDocx([{ title: '标题报告' }, { p: '正文内容'.repeat(50) }, { table: [['a', 'b'], ['1', '2']] }]), await makePdf(['标题报告', '正文内容，'.repeat(100)]), makeStSongPdf(['正文内容测试文字行'])];
  const codes: Record<string, number> = {}; let bad = 0;
  for (let i = 0; i < 300; i++) {
    const base = bases[i % 3]!; const b = base.slice();
    const n = 1 + Math.floor(rnd() * 20);
    for (let k = 0; k < n; k++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
    const t = Date.now();
    try { const d = await readDocument(rnd() < 0.2 ? b.subarray(0, Math.floor(rnd() * b.length)) : b); codes['ok-' + d.format] = (codes['ok-' + d.format] ?? 0) + 1; }
    catch (e) { if (e instanceof ReadError) codes[e.code] = (codes[e.code] ?? 0) + 1; else { bad++; console.log('RAW', e); } }
    if (Date.now() - t > 2000) console.log('slow', i, Date.now() - t);
  }
  console.log(codes, 'raw errors', bad);
}, 120000);
