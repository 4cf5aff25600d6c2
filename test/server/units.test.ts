/** The server's pure parts: file-name cleaning, query parameters to archive searches, configuration. */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { FindingRow, OverviewDocument, OverviewFinding } from '../../src/archive/repository.js';
import { INFRASTRUCTURE_ERROR } from '../../src/batch/summary.js';
import { READ_ERROR_CODES } from '../../src/readers/types.js';
import { isLoopback, serverConfig } from '../../src/server/config.js';
import { dashboardOf } from '../../src/server/dashboard.js';
import { progressOf } from '../../src/server/routes/review-progress.js';
import { archiveQuery, cleanQuery, ListQuerySchema } from '../../src/server/schemas.js';
import { cleanName, extensionOf } from '../../src/server/uploads.js';
import { ROOT } from '../e2e/cli.js';

describe('cleanName', () => {
  it('keeps a readable label and drops path tricks and control characters', () => {
    expect(cleanName('../../etc/passwd.txt')).toBe('etc/passwd.txt');
    expect(cleanName('C:\\Users\\张三\\报告.docx')).toBe('C:/Users/张三/报告.docx');
    expect(cleanName('/abs/./x/../y.pdf')).toBe('abs/x/y.pdf');
    expect(cleanName('a\u0000b\u202ecod.exe.txt')).toBe('abcod.exe.txt');
    expect(cleanName('')).toBe('未命名文件');
    expect(cleanName('x'.repeat(500)).length).toBe(240);
    expect(extensionOf('报告.DOCX')).toBe('docx');
    expect(extensionOf('dir.v2/README')).toBe('');
  });
});

describe('list query parameters', () => {
  it('become an archive search: empty values ignored, last value wins, field repeats', () => {
    const q = ListQuerySchema.parse(cleanQuery({ q: ' 三公经费 ', year: ['2024', '2025'], org: '', has: 'error', unreviewed: '1', field: ['expenditure.total>=1000000', ''], page: '3', limit: '20', token: 'secret' }));
    expect(archiveQuery(q, q)).toEqual({
      text: '三公经费',
      fiscalYear: 2025,
      has: 'error',
      unreviewed: true,
      fields: [{ key: 'expenditure.total', op: '>=', value: '1000000' }],
      sort: 'relevance',
      limit: 20,
      offset: 40,
    });
    expect(archiveQuery(ListQuerySchema.parse({}))).toMatchObject({ sort: 'year', fields: [], unreviewed: false });
    expect(ListQuerySchema.safeParse({ limit: '0' }).success).toBe(false);
    expect(ListQuerySchema.safeParse({ sort: 'random' }).success).toBe(false);
  });
});

describe('server configuration', () => {
  it('takes flags over the environment and validates them', () => {
    const config = serverConfig({ port: '9000' }, { CROSSFOOT_PORT: '8000', CROSSFOOT_HOST: '0.0.0.0', CROSSFOOT_MAX_UPLOAD_MB: '10', CROSSFOOT_TOKEN: 'abcdefgh12' });
    expect(config).toMatchObject({ port: 9000, host: '0.0.0.0', maxFileBytes: 10 * 1024 * 1024, token: 'abcdefgh12', uploadDir: './uploads' });
    expect(() => serverConfig({ port: 'eighty' }, {})).toThrow(/--port must be a number/);
    expect(() => serverConfig({ port: '70000' }, {})).toThrow(/invalid server configuration/);
    expect(() => serverConfig({}, { CROSSFOOT_TOKEN: 'short' })).toThrow(/at least 8/);
    expect(() => serverConfig({}, { REDIS_URL: 'http://x' })).toThrow(/redis/);
    expect(serverConfig({}, {})).toMatchObject({ host: '127.0.0.1', port: 8080 });
    expect([isLoopback('127.0.0.1'), isLoopback('localhost'), isLoopback('::1'), isLoopback('0.0.0.0'), isLoopback('192.168.1.5')]).toEqual([true, true, true, false, false]);
  });

  it('names the flag or environment variable a wrong setting came from', () => {
    const message = (flags: Record<string, string>, env: Record<string, string>) => {
      try {
        serverConfig(flags, env);
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('no error');
    };
    expect(message({ port: '70000' }, {})).toMatch(/--port: /);
    expect(message({}, { CROSSFOOT_PORT: '70000' })).toMatch(/CROSSFOOT_PORT: /);
    expect(message({}, { PORT: '-1' })).toMatch(/\bPORT: /);
    expect(message({}, { CROSSFOOT_PORT: 'eighty' })).toMatch(/CROSSFOOT_PORT must be a number/);
    expect(message({}, { REDIS_URL: 'http://x' })).toMatch(/REDIS_URL: must be a redis/);
    expect(message({}, { CROSSFOOT_TOKEN: 'short' })).toMatch(/CROSSFOOT_TOKEN: must have at least 8/);
    expect(message({ concurrency: '0' }, {})).toMatch(/--concurrency: /);
    expect(message({}, { CROSSFOOT_TIMEOUT_MS: '0' })).toMatch(/CROSSFOOT_TIMEOUT_MS: /);
    expect(message({ 'max-files': '0' }, {})).toMatch(/--max-files: /);
    expect(message({}, { CROSSFOOT_MAX_UPLOAD_MB: '0' })).toMatch(/CROSSFOOT_MAX_UPLOAD_MB: /);
    for (const m of [message({ port: '70000' }, {}), message({}, { REDIS_URL: 'http://x' })]) expect(m).not.toMatch(/at (port|redisUrl)/);
    expect(serverConfig({ 'max-files': '3' }, { CROSSFOOT_MAX_FILES: '9' }).maxFiles).toBe(3);
    expect(serverConfig({}, { CROSSFOOT_MAX_FILES: '9' }).maxFiles).toBe(9);
    expect(message({ 'idle-timeout': '0' }, {})).toMatch(/--idle-timeout: /);
    expect(message({}, { CROSSFOOT_LOGIN_ATTEMPTS: '0' })).toMatch(/CROSSFOOT_LOGIN_ATTEMPTS: /);
    expect(serverConfig({ 'request-timeout': '2.5', 'max-concurrent-uploads': '3' }, { CROSSFOOT_IDLE_TIMEOUT: '7' })).toMatchObject({ requestTimeoutMs: 2500, maxConcurrentUploads: 3, idleTimeoutMs: 7000 });
    expect(message({}, { CROSSFOOT_TRUST_PROXY: 'maybe' })).toMatch(/CROSSFOOT_TRUST_PROXY must be 1 or 0/);
    expect([serverConfig({}, {}).trustProxy, serverConfig({ 'trust-proxy': true }, {}).trustProxy, serverConfig({}, { CROSSFOOT_TRUST_PROXY: '1' }).trustProxy]).toEqual([false, true, true]);
  });
});

describe('error codes in the UI', () => {
  it('have a Chinese label for every code a document can end with, the queue’s E_INFRASTRUCTURE included, the detail after it', async () => {
    // the compiled browser module (its types need the DOM library, which the tests do without)
    const dom = (await import(pathToFileURL(path.join(ROOT, 'dist', 'web', 'dom.js')).href)) as { ERROR_CODES: Record<string, string>; errorText(code?: string, message?: string): string };
    for (const code of [...READ_ERROR_CODES, INFRASTRUCTURE_ERROR, 'E_INTERNAL']) expect(dom.ERROR_CODES[code], code).toMatch(/^[^A-Za-z]*[\u4e00-\u9fff]/);
    expect(dom.errorText(INFRASTRUCTURE_ERROR, 'Connection is closed.')).toBe('队列处理失败（已多次重试）：Connection is closed.');
  });
});

describe('the dashboard and review counts', () => {
  const doc = (sha256: string, over: Partial<OverviewDocument> = {}): OverviewDocument => ({ sha256, organization: '某局', fiscalYear: 2024, documentType: 'final-accounts', status: 'ok', errors: 1, checkedAt: '2026-01-01T00:01:00.000Z', ...over });
  const finding = (sha256: string, ruleId: string, decision: OverviewFinding['decision']): OverviewFinding => ({ sha256, ruleId, severity: 'error', decision });

  it('counts documents, review progress and false-positive rates by rule', () => {
    const d = dashboardOf(
      [doc('a'), doc('b', { fiscalYear: 2023 }), doc('c', { status: 'failed', errors: 0, organization: null })],
      [finding('a', 'core/growth-rate', 'false-positive'), finding('a', 'core/share-of-total', 'accepted'), finding('b', 'core/growth-rate', 'accepted'), finding('b', 'core/growth-rate', null)],
      [],
    );
    expect(d.documents).toEqual({ total: 3, checked: 2, unreadable: 1, withErrors: 2, withFindings: 2, reviewed: 1 });
    expect(d.findings).toEqual({ total: 4, open: 1, accepted: 2, falsePositive: 1 });
    expect(d.byRule[0]).toEqual({ ruleId: 'core/growth-rate', findings: 3, open: 1, accepted: 1, falsePositive: 1, falsePositiveRate: 0.5 });
    expect(d.byYear.map((y) => [y.label, y.documents, y.findings])).toEqual([['2023', 1, 2], ['2024', 2, 2]]);
    expect(d.byUnit.map((u) => u.label)).toEqual(['某局', '单位未识别']);
  });

  it("times a batch from its creation to its last report, leaving out documents checked before it", () => {
    const batch = { batchId: 'x', name: '第一批', createdAt: '2026-01-01T00:00:00.000Z', total: 2, done: 2, failed: 0, pending: 0, completed: true, retryable: 0, summary: null, documents: [{ name: 'a', sha256: 'a', state: 'done' as const }, { name: 'old', sha256: 'old', state: 'done' as const }] };
    const d = dashboardOf([doc('a', { checkedAt: '2026-01-01T00:00:30.000Z' }), doc('old', { checkedAt: '2025-12-31T00:00:00.000Z' })], [], [batch]);
    expect(d.batches).toEqual([{ batchId: 'x', name: '第一批', createdAt: batch.createdAt, documents: 2, seconds: 30, perMinute: 4 }]);
  });

  it('gives each document its reviewed share and each rule its open findings', () => {
    const row = (sha256: string, ruleId: string, decision: FindingRow['decision']) => ({ sha256, ruleId, decision }) as FindingRow;
    const p = progressOf(['a', 'b'], [row('a', 'core/x', 'accepted'), row('a', 'core/y', null), row('a', 'core/y', null)]);
    expect(p.documents).toEqual({ a: { findings: 3, reviewed: 1 }, b: { findings: 0, reviewed: 0 } });
    expect(p.rules).toEqual([{ ruleId: 'core/y', findings: 2, open: 2 }, { ruleId: 'core/x', findings: 1, open: 0 }]);
  });
});
