/** `crossfoot worker -c FILE` honours the configuration as `check -c` does: its limits, not only its packs. */
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../archive/backends.js';
import { assertBuilt } from '../e2e/cli.js';
import { redisAnswers, SHARED_REDIS, startWorker, waitForBatch, withQueue } from './harness.js';

const REDIS_UP = await redisAnswers(SHARED_REDIS);

describe.skipIf(!REDIS_UP)('worker configuration', () => {
  let dir: string;
  beforeAll(() => {
    assertBuilt();
    dir = mkdtempSync(path.join(tmpdir(), 'crossfoot-worker-config-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a file over the configured maxBytes is refused E_TOO_LARGE by the worker, one under it is checked', async () => {
    await withQueue(BACKENDS[0]!, async ({ scratch, client, config, workers }) => {
      const configFile = path.join(dir, 'crossfoot.yaml');
      writeFileSync(configFile, 'limits:\n  maxBytes: 400\n');
      const small = path.join(dir, 'small.txt');
      const large = path.join(dir, 'large.txt');
      writeFileSync(small, '某单位2024年度部门整体支出绩效自评报告\n2024年度总支出100.00万元。\n');
      writeFileSync(large, `某单位2024年度部门整体支出绩效自评报告\n${'2024年度总支出100.00万元。\n'.repeat(40)}`);
      workers.push(await startWorker(config, scratch.db, 1, ['-c', configFile]));
      const { batchId } = await client.submit([small, large].map((p) => ({ path: p, name: path.basename(p) })));
      const status = await waitForBatch(client, batchId);
      const byName = Object.fromEntries(status.documents.map((d) => [d.name, d]));
      expect(byName['large.txt']).toMatchObject({ status: 'failed', errorCode: 'E_TOO_LARGE' });
      expect(byName['small.txt']).toMatchObject({ status: 'ok' });
    });
  });

  it('reads a job file with the cap: a 3 GB file is refused E_TOO_LARGE unread, not retried as an infrastructure error', async () => {
    await withQueue(BACKENDS[0]!, async ({ scratch, client, config, workers }) => {
      const file = path.join(dir, 'grows.txt');
      writeFileSync(file, '某单位2024年度部门整体支出绩效自评报告\n2024年度总支出100.00万元。\n');
      const { batchId } = await client.submit([{ path: file, name: 'grows.txt' }]);
      // sparse: no disk used, but reading it whole would take 3 GB (Node refuses past 2 GB)
      truncateSync(file, 3 * 1024 ** 3);
      workers.push(await startWorker(config, scratch.db, 1));
      const status = await waitForBatch(client, batchId, undefined, 60_000);
      expect(status.documents[0]).toMatchObject({ state: 'done', status: 'failed', errorCode: 'E_TOO_LARGE' });
    });
  });
});
