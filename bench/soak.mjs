#!/usr/bin/env node
/**
 * Soak test (`npm run soak`, after `npm run build`; not in CI, not in `npm test`).
 *
 *   node bench/soak.mjs [--minutes 30] [--keep]
 *
 * Runs `crossfoot serve` in queue mode and one `crossfoot worker` against a private redis-server (AOF on, random
 * port) and a scratch PostgreSQL database (crossfoot_test_soak_…, on CROSSFOOT_TEST_PG's server), uploads a mix
 * of TXT, DOCX, PDF, zips of them, corrupt DOCX and re-uploads for `--minutes`, appending some uploads to an open
 * batch, while at random it terminates that database's backends and restarts its Redis. Then it waits for every
 * accepted batch and compares them with the archive. Prints documents submitted, archived, lost, duplicated, peak
 * RSS per process and error responses by status; writes bench/out/soak.json.
 *
 * Every process is started as `node bin/crossfoot.js` (or redis-server) and stopped by its own pid; only the
 * scratch database's backends are ever terminated.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { zipSync } from 'fflate';
import pg from 'pg';
import { Redis } from 'ioredis';
import { makeReport, renderDocx, renderPdf } from './corpus.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'crossfoot.js');
const OUT_DIR = path.join(ROOT, 'bench', 'out');
if (!existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'))) {
  console.error('soak: dist/ is missing, run "npm run build" first');
  process.exit(2);
}

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '30' }, keep: { type: 'boolean', default: false } } });
const MINUTES = Number(values.minutes);
if (!(MINUTES > 0)) {
  console.error('soak: --minutes takes a positive number');
  process.exit(2);
}
const PG_ADMIN_URL = process.env.CROSSFOOT_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
const started = Date.now();
const log = (line) => console.error(`soak ${((Date.now() - started) / 1000).toFixed(0).padStart(5)}s: ${line}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const between = (lo, hi) => lo + Math.random() * (hi - lo);

async function admin(work) {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

// ------------------------------------------------------------------------------------------- processes

/** Peak resident set of every process the soak started, sampled each second (a restarted Redis keeps its label). */
const peakRssKb = {};
const watched = new Map();
function rssKb(pid) {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}
const sampler = setInterval(() => {
  for (const [label, child] of watched) if (child.exitCode === null) peakRssKb[label] = Math.max(peakRssKb[label] ?? 0, rssKb(child.pid));
}, 1_000);

function startNode(label, args, env) {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let out = '';
  child.stderr.on('data', (c) => {
    out += c;
    // keep the tail only: a 30-minute log is not needed, its last lines are
    if (out.length > 200_000) out = out.slice(-100_000);
  });
  child.on('exit', (code, signal) => {
    if (!stopping) log(`${label} (pid ${child.pid}) EXITED: code ${code} signal ${signal}\n${out.slice(-4000)}`);
  });
  watched.set(label, child);
  return { child, out: () => out };
}

async function waitFor(what, test, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen in ${ms} ms`);
    await sleep(100);
  }
}

class PrivateRedis {
  constructor(dir) {
    this.port = 20_000 + Math.floor(Math.random() * 20_000);
    this.dir = dir;
    this.url = `redis://127.0.0.1:${this.port}`;
  }
  async answers() {
    const redis = new Redis(this.url, { lazyConnect: true, connectTimeout: 1_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => {});
    try {
      await redis.connect();
      return (await redis.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      redis.disconnect();
    }
  }
  async start() {
    this.child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '', '--maxmemory-policy', 'noeviction'], { stdio: 'ignore' });
    watched.set('redis-server', this.child);
    await waitFor('redis-server start', () => this.answers(), 30_000);
  }
  async stop() {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}

// ------------------------------------------------------------------------------------------- documents

let seed = Number(process.env.SOAK_SEED ?? Date.now() % 1_000_000_000);
/** Documents sent so far, for re-uploads (a re-upload must not become a second archived document). */
const sent = [];

async function freshDocument() {
  const { text } = makeReport(seed++);
  // the seed line makes every document's bytes (and sha256) distinct even where two seeds give the same report
  const body = `${text}\n（浸泡测试序号：${seed}）\n`;
  const kind = Math.random();
  if (kind < 0.45) return { name: `s${seed}.txt`, bytes: Buffer.from(body) };
  if (kind < 0.85) return { name: `s${seed}.docx`, bytes: Buffer.from(await renderDocx(body)) };
  if (kind < 0.93) return { name: `s${seed}.pdf`, bytes: Buffer.from(await renderPdf(body)) };
  return { name: `s${seed}-broken.docx`, bytes: Buffer.concat([Buffer.from('PK\u0003\u0004'), randomBytes(300)]) };
}

/** One upload's files: 1–4 documents, sometimes as a zip, sometimes with a document sent before. */
async function uploadFiles() {
  const count = 1 + Math.floor(Math.random() * 4);
  const docs = [];
  for (let i = 0; i < count; i++) docs.push(sent.length && Math.random() < 0.05 ? sent[Math.floor(Math.random() * sent.length)] : await freshDocument());
  if (Math.random() < 0.2) {
    const zip = Buffer.from(zipSync(Object.fromEntries(docs.map((d) => [`soak/${d.name}`, new Uint8Array(d.bytes)]))));
    return { files: [{ name: `s${seed}-batch.zip`, bytes: zip }], docs };
  }
  return { files: docs, docs };
}

// ------------------------------------------------------------------------------------------- the run

const work = await mkdtemp(path.join(tmpdir(), 'crossfoot-soak-'));
const dbName = `crossfoot_test_soak_${randomBytes(5).toString('hex')}`;
await admin((c) => c.query(`CREATE DATABASE ${dbName}`));
const dbUrl = Object.assign(new URL(PG_ADMIN_URL), { pathname: `/${dbName}` }).toString();
const redis = new PrivateRedis(path.join(work, 'redis'));
await mkdir(redis.dir, { recursive: true });
let stopping = false;

const counts = { uploads: 0, byStatus: {}, networkErrors: 0, backendsTerminated: 0, terminations: 0, redisRestarts: 0, statusPolls: 0 };
const countStatus = (status) => (counts.byStatus[status] = (counts.byStatus[status] ?? 0) + 1);
/** sha256 → name of every document a 202 answer accepted into a batch. */
const submitted = new Map();
const batchIds = new Set();
let openBatch;

let serve;
let worker;
try {
  await redis.start();
  // every batch stays readable to the end (the default keeps the last 1,000 completed, then answers 404)
  const env = { REDIS_URL: redis.url, CROSSFOOT_QUEUE_PREFIX: 'soak', CROSSFOOT_KEEP_BATCH_COUNT: '1000000', DATABASE_URL: '', CROSSFOOT_TOKEN: '' };
  worker = startNode('worker', ['worker', '-j', '1', '--db', dbUrl], env);
  await waitFor('worker start', () => worker.out().includes('started'));
  serve = startNode('serve', ['serve', '--port', '0', '--db', dbUrl, '--upload-dir', path.join(work, 'uploads'), '-q'], env);
  await waitFor('serve start', () => /listening on http:\/\/\S+/.test(serve.out()));
  const base = /listening on (http:\/\/\S+)/.exec(serve.out())[1];
  log(`serve ${serve.child.pid} at ${base}, worker ${worker.child.pid}, redis ${redis.url}, database ${dbName}; ${MINUTES} min`);

  const until = started + MINUTES * 60_000;

  const uploader = async () => {
    while (Date.now() < until) {
      const { files, docs } = await uploadFiles();
      const form = new FormData();
      for (const f of files) form.append('file', new Blob([f.bytes]), f.name);
      const append = openBatch && Math.random() < 0.2;
      try {
        const r = await fetch(`${base}/api/documents${append ? `?batch=${openBatch}` : ''}`, { method: 'POST', body: form, signal: AbortSignal.timeout(120_000) });
        counts.uploads++;
        countStatus(r.status);
        const body = await r.json().catch(() => null);
        if (r.status === 202) {
          batchIds.add(body.batchId);
          openBatch = body.batchId;
          for (const d of docs) if (!sent.includes(d)) sent.push(d);
          // the batch lists what it accepted: corrupt files are accepted (they become failed reports)
          for (const d of body.batch.documents) submitted.set(d.sha256, d.name);
        }
      } catch {
        counts.networkErrors++;
      }
      await sleep(between(200, 1_200));
    }
  };

  const poller = async () => {
    while (Date.now() < until) {
      await sleep(2_000);
      const ids = [...batchIds];
      if (!ids.length) continue;
      try {
        const r = await fetch(`${base}/api/batches/${ids[Math.floor(Math.random() * ids.length)]}`, { signal: AbortSignal.timeout(30_000) });
        counts.statusPolls++;
        if (r.status !== 200) countStatus(r.status);
        await r.arrayBuffer();
      } catch {
        counts.networkErrors++;
      }
    }
  };

  const chaos = async () => {
    for (;;) {
      await sleep(between(15_000, 45_000));
      if (Date.now() >= until) return;
      if (Math.random() < 0.5) {
        const name = new URL(dbUrl).pathname.slice(1);
        const cut = await admin((c) => c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]));
        counts.terminations++;
        counts.backendsTerminated += cut.rows.length;
        log(`terminated ${cut.rows.length} backend(s) of ${name}`);
      } else {
        const down = between(1_000, 8_000);
        await redis.stop();
        counts.redisRestarts++;
        log(`redis stopped for ${(down / 1000).toFixed(1)} s`);
        await sleep(down);
        await redis.start();
      }
    }
  };

  const progress = setInterval(() => log(`${counts.uploads} uploads, ${submitted.size} documents accepted, statuses ${JSON.stringify(counts.byStatus)}, load ${loadavg()[0].toFixed(2)}`), 60_000);
  await Promise.all([uploader(), uploader(), poller(), chaos()]);
  clearInterval(progress);

  log(`uploads stopped; waiting for ${batchIds.size} batches`);
  const pendingBatches = new Set(batchIds);
  const infrastructureFailures = new Set();
  const deadline = Date.now() + 15 * 60_000;
  while (pendingBatches.size && Date.now() < deadline) {
    for (const id of pendingBatches) {
      try {
        const r = await fetch(`${base}/api/batches/${id}`, { signal: AbortSignal.timeout(30_000) });
        if (r.status !== 200) {
          countStatus(r.status);
          continue;
        }
        const status = await r.json();
        if (status.completed) {
          pendingBatches.delete(id);
          for (const d of status.documents) if (d.state === 'failed') infrastructureFailures.add(d.sha256);
        }
      } catch {
        counts.networkErrors++;
      }
    }
    if (pendingBatches.size) await sleep(2_000);
  }

  const archive = new pg.Client({ connectionString: dbUrl });
  await archive.connect();
  const { rows } = await archive.query('SELECT sha256, status, count(*) OVER (PARTITION BY sha256) AS copies FROM documents').finally(() => archive.end());
  const archived = new Set(rows.map((r) => r.sha256));
  const lost = [...submitted.keys()].filter((s) => !archived.has(s));
  const duplicated = rows.filter((r) => Number(r.copies) > 1).length + rows.filter((r) => !submitted.has(r.sha256)).length;
  const peakHwm = {};
  for (const [label, child] of watched) {
    if (child.exitCode !== null) continue;
    const hwm = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0);
    peakHwm[label] = Math.max(hwm, peakRssKb[label] ?? 0);
  }
  const results = {
    started: new Date(started).toISOString(),
    ended: new Date().toISOString(),
    minutes: MINUTES,
    uploads: counts.uploads,
    documentsSubmitted: submitted.size,
    archived: rows.length,
    archivedFailedReports: rows.filter((r) => r.status === 'failed').length,
    lost: lost.length,
    duplicated,
    infrastructureFailures: infrastructureFailures.size,
    batches: batchIds.size,
    batchesNotCompleted: pendingBatches.size,
    backendTerminations: counts.terminations,
    backendsTerminated: counts.backendsTerminated,
    redisRestarts: counts.redisRestarts,
    statusPolls: counts.statusPolls,
    responsesByStatus: counts.byStatus,
    networkErrors: counts.networkErrors,
    peakRssMB: Object.fromEntries(Object.entries(peakHwm).map(([k, v]) => [k, Math.round(v / 1024)])),
    processesAlive: { serve: serve.child.exitCode === null, worker: worker.child.exitCode === null },
    loadavgEnd: loadavg().map((x) => Math.round(x * 100) / 100),
  };
  if (lost.length) results.lostSample = lost.slice(0, 10).map((s) => `${submitted.get(s)} ${s}`);
  await mkdir(OUT_DIR, { recursive: true });
  await writeFile(path.join(OUT_DIR, 'soak.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(JSON.stringify(results, null, 2));
  process.exitCode = lost.length || duplicated || pendingBatches.size ? 1 : 0;
} finally {
  stopping = true;
  clearInterval(sampler);
  const stops = [serve, worker].filter(Boolean).map(({ child }) => (child.exitCode !== null ? Promise.resolve() : new Promise((r) => (child.once('exit', r), child.kill('SIGTERM')))));
  await Promise.all(stops);
  await redis.stop();
  if (!values.keep) {
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`));
    await rm(work, { recursive: true, force: true });
  } else log(`kept ${work} and database ${dbName}`);
}
