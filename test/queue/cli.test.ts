/** `crossfoot submit` and `status` as a user runs them, against a real worker process and the shared Redis. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, FIXTURES, runCli } from '../e2e/cli.js';
import { configEnv, dropPrefix, redisAnswers, SHARED_REDIS, startWorker, testConfig, type WorkerProcess } from './harness.js';

const REDIS_UP = await redisAnswers(SHARED_REDIS);

describe('queue commands without Redis', () => {
  beforeAll(assertBuilt);
  it('say which Redis they could not reach, and check never needs one', async () => {
    process.env.REDIS_URL = 'redis://127.0.0.1:1';
    try {
      const submit = await runCli(['submit', path.join(FIXTURES, 'reports')]);
      expect(submit.code).toBe(2);
      expect(submit.stderr).toMatch(/cannot reach Redis at redis:\/\/127\.0\.0\.1:1\/?: connect ECONNREFUSED/);
      const check = await runCli(['check', path.join(FIXTURES, 'reports'), '--format', 'jsonl']);
      expect(check.code).toBe(0);
      expect(check.stdout.trim().split('\n').length).toBeGreaterThan(3);
    } finally {
      delete process.env.REDIS_URL;
    }
  });
});

describe.skipIf(!REDIS_UP)('crossfoot submit / status', () => {
  const config = testConfig();
  let dir: string;
  let worker: WorkerProcess;
  beforeAll(async () => {
    assertBuilt();
    dir = mkdtempSync(path.join(tmpdir(), 'crossfoot-submit-'));
    Object.assign(process.env, configEnv(config));
    worker = await startWorker(config, path.join(dir, 'archive.db'));
  });
  afterAll(async () => {
    worker.child.kill('SIGKILL');
    await dropPrefix(config);
    rmSync(dir, { recursive: true, force: true });
  });

  it('submit waits for the batch and prints its summary; status shows it again; the exit code follows the findings', async () => {
    const missing = path.join(dir, 'missing.docx');
    const submit = await runCli(['submit', path.join(FIXTURES, 'reports'), missing, '--name', '十一月报送', '--store', path.join(dir, 'store')]);
    expect(submit.code).toBe(1);
    const [batchId, ...lines] = submit.stdout.trim().split('\n');
    expect(batchId).toMatch(/^batch-[0-9a-f]{16}$/);
    expect(submit.stderr).toContain(`${missing}: E_IO 无法读取：文件不存在`);
    expect(lines.join('\n')).toMatch(/summary: \d+ ok, 1 unreadable \(E_IO 1\), 0 not checked/);

    const status = await runCli(['status', batchId!, '-f', 'json']);
    expect(status.code).toBe(1);
    const parsed = JSON.parse(status.stdout);
    expect(parsed).toMatchObject({ batchId, name: '十一月报送', completed: true, pending: 0 });
    expect(parsed.documents.find((d: { name: string }) => d.name === missing)).toMatchObject({ state: 'done', status: 'failed', errorCode: 'E_IO' });

    const text = await runCli(['status', batchId!, '--documents']);
    expect(text.stdout.split('\n').filter((l) => l.startsWith('  · ')).length).toBe(parsed.summary.ok);

    const detached = await runCli(['submit', path.join(FIXTURES, 'reports'), missing, '--detach']);
    expect(detached).toMatchObject({ code: 0, stdout: `${batchId}\n` });
    expect(detached.stderr).toContain('submitted before');
  });

  it('submit refuses a FIFO with the code check gives it, instead of blocking on it', async () => {
    const fifo = path.join(dir, 'pipe.txt');
    execFileSync('mkfifo', [fifo]);
    const submit = await runCli(['submit', fifo, path.join(FIXTURES, 'reports', 'final-school-2025.txt')], { timeoutMs: 60_000 });
    expect(submit.code).toBe(1);
    expect(submit.stderr).toContain(`${fifo}: E_UNSUPPORTED 不是普通文件（命名管道（FIFO））`);
    const check = await runCli(['check', fifo, '--format', 'jsonl']);
    expect(check.stdout).toContain('不是普通文件（命名管道（FIFO））');
  });

  it('status of an unknown batch exits 1 and says why', async () => {
    const status = await runCli(['status', 'batch-0000000000000000']);
    expect(status.code).toBe(1);
    expect(status.stderr).toContain('no batch batch-0000000000000000');
  });
});
