#!/usr/bin/env node
/**
 * Peak RSS of `crossfoot archive add` against the number of documents (after `npm run build`).
 *
 *   node bench/archive-add-rss.mjs [--counts 50,200,800] [-j 2]
 *
 * For each count, generates that many DOCX reports (bench/corpus.mjs), runs `node bin/crossfoot.js archive add`
 * on them into a fresh SQLite archive, and samples the process's VmHWM (peak resident set, all its threads) from
 * /proc. Memory should stay flat: reports are stored as they are checked, none is kept for the end.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { makeReport, renderDocx } from './corpus.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'crossfoot.js');
const { values } = parseArgs({ options: { counts: { type: 'string', default: '50,200,800' }, concurrency: { type: 'string', short: 'j', default: '2' } } });
const counts = values.counts.split(',').map(Number);

const hwmKb = (pid) => {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
};

const work = await mkdtemp(path.join(tmpdir(), 'crossfoot-bench-add-'));
const results = [];
try {
  for (const count of counts) {
    const dir = path.join(work, `n${count}`);
    await mkdir(dir);
    for (let i = 0; i < count; i++) await writeFile(path.join(dir, `r${String(i).padStart(5, '0')}.docx`), await renderDocx(makeReport(20261207 + i).text));
    const started = performance.now();
    const child = spawn(process.execPath, [BIN, 'archive', 'add', dir, '-j', values.concurrency, '--db', path.join(work, `n${count}.db`)], { stdio: ['ignore', 'pipe', 'inherit'] });
    // one line per stored report; the failed ones say why (a time limit under load, say)
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    let peak = 0;
    // VmHWM is the kernel's own peak, so sampling only has to catch the process before it exits
    const timer = setInterval(() => (peak = Math.max(peak, hwmKb(child.pid))), 100);
    const code = await new Promise((resolve) => child.on('exit', resolve));
    clearInterval(timer);
    const row = { documents: count, peakRssMB: Math.round(peak / 1024), seconds: Math.round((performance.now() - started) / 100) / 10, exit: code, failed: out.split('\n').filter((l) => / failed E_/.test(l)).map((l) => l.replace(/^\S+\s+\S+\s+/, '')) };
    console.error(JSON.stringify(row));
    results.push(row);
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
console.log(JSON.stringify(results, null, 2));
