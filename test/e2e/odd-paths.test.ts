/**
 * E2E: odd things on the file system through the real CLI — an unreadable subfolder (run as an unprivileged user,
 * since root ignores permissions), a FIFO, /dev/zero, a huge sparse file, symlinks (to files, to folders, in a
 * loop, dangling), stdout closed early (`| head`) and `-o` naming a folder. Each bad input gets its own failed
 * report naming the path and the cause, and the rest of the batch is checked.
 */
import { spawn, execFileSync } from 'node:child_process';
import { chmod, mkdir, open, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/schema.js';
import { assertBuilt, BIN, byFile, fixtureText, makeTempDir, NOBODY, parseJsonl, ROOT, runCli } from './cli.js';

/** A hang (FIFO) must show up as a failed test, not as a stuck run. */
const RUN_LIMIT_MS = 30_000;

describe('odd paths through the CLI', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let text: string;

  beforeAll(async () => {
    assertBuilt();
    ({ dir, cleanup } = await makeTempDir('odd'));
    text = await fixtureText('xss-archives-2025.txt');
  });

  afterAll(async () => {
    // the locked folder must be opened again, or the clean-up cannot remove it
    await chmod(path.join(dir, 'locked-tree', 'locked'), 0o755).catch(() => undefined);
    await cleanup?.();
  });

  const failure = (report: Report | undefined) => `${report?.status} ${report?.error?.code} ${report?.error?.message}`;

  it('reports an unreadable subfolder (EACCES) and checks the rest of the folder', async () => {
    const tree = path.join(dir, 'locked-tree');
    await mkdir(path.join(tree, 'locked'), { recursive: true });
    await writeFile(path.join(tree, 'a.txt'), text);
    await writeFile(path.join(tree, 'locked', 'hidden.txt'), text);
    await chmod(dir, 0o755);
    await chmod(path.join(tree, 'locked'), 0o000);
    // the unprivileged user must be able to run the built CLI from the repository as it is
    execFileSync(process.execPath, [BIN, '--version'], { ...NOBODY, cwd: ROOT });

    const result = await runCli(['check', 'locked-tree'], { cwd: dir, user: NOBODY, timeoutMs: RUN_LIMIT_MS });
    expect(result.stderr).not.toMatch(/internal error/);
    expect(result.code, result.stderr).toBe(1);
    const reports = byFile(parseJsonl(result.stdout));
    expect([...reports.keys()].sort()).toEqual(['locked-tree/a.txt', 'locked-tree/locked']);
    expect(reports.get('locked-tree/a.txt')!.status).toBe('ok');
    const locked = reports.get('locked-tree/locked');
    expect(locked?.status, failure(locked)).toBe('failed');
    expect(locked!.error!.code).toBe('E_IO');
    expect(locked!.error!.message).toMatch(/文件夹/);
    expect(locked!.error!.message).toMatch(/permission denied|EACCES/);
  });

  it('refuses a FIFO, named or inside a folder, without waiting for a writer', async () => {
    await mkdir(path.join(dir, 'fifo-tree'), { recursive: true });
    execFileSync('mkfifo', [path.join(dir, 'pipe.txt'), path.join(dir, 'fifo-tree', 'inside.txt')]);
    await writeFile(path.join(dir, 'fifo-tree', 'good.txt'), text);

    const result = await runCli(['check', 'pipe.txt', 'fifo-tree'], { cwd: dir, timeoutMs: RUN_LIMIT_MS });
    expect(result.code, result.stderr).toBe(1);
    const reports = byFile(parseJsonl(result.stdout));
    expect([...reports.keys()].sort()).toEqual(['fifo-tree/good.txt', 'fifo-tree/inside.txt', 'pipe.txt']);
    expect(reports.get('fifo-tree/good.txt')!.status).toBe('ok');
    for (const fifo of ['pipe.txt', 'fifo-tree/inside.txt']) {
      const report = reports.get(fifo);
      expect(report?.error?.code, failure(report)).toBe('E_UNSUPPORTED');
      expect(report!.error!.message).toMatch(/不是普通文件/);
    }
  });

  it('refuses /dev/zero at once, in bounded memory', async () => {
    await writeFile(path.join(dir, 'beside-zero.txt'), text);
    const result = await runCli(['check', '/dev/zero', 'beside-zero.txt'], { cwd: dir, timeoutMs: RUN_LIMIT_MS });
    expect(result.code, result.stderr).toBe(1);
    const reports = byFile(parseJsonl(result.stdout));
    const zero = reports.get('/dev/zero');
    expect(zero?.error?.code, failure(zero)).toBe('E_UNSUPPORTED');
    expect(zero!.error!.message).toMatch(/不是普通文件/);
    expect(reports.get('beside-zero.txt')!.status).toBe('ok');
  });

  it('refuses a file over the size limit by its size, without reading it (a 3 GB sparse file)', async () => {
    const huge = await open(path.join(dir, 'huge.txt'), 'w');
    await huge.truncate(3 * 1024 ** 3);
    await huge.close();
    const result = await runCli(['check', 'huge.txt'], { cwd: dir, timeoutMs: RUN_LIMIT_MS });
    const [report] = parseJsonl(result.stdout);
    expect(report?.error?.code, failure(report)).toBe('E_TOO_LARGE');
    expect(report!.error!.message).toBe('文件过大：3072 MB，上限为 50 MB');
  });

  it('follows symlinks inside folders, reports a dangling one and does not loop', async () => {
    const tree = path.join(dir, 'link-tree');
    await mkdir(path.join(dir, 'elsewhere', 'sub'), { recursive: true });
    await mkdir(tree, { recursive: true });
    await writeFile(path.join(dir, 'elsewhere', 'target.txt'), text);
    await writeFile(path.join(dir, 'elsewhere', 'sub', 'deep.txt'), text);
    await symlink('../elsewhere/target.txt', path.join(tree, 'linked.txt'));
    await symlink('../elsewhere/sub', path.join(tree, 'linked-folder'));
    await symlink('../link-tree', path.join(tree, 'loop'));
    await symlink('../elsewhere/gone.txt', path.join(tree, 'dangling.txt'));

    const result = await runCli(['check', 'link-tree'], { cwd: dir, timeoutMs: RUN_LIMIT_MS });
    expect(result.stderr).not.toMatch(/internal error/);
    const reports = byFile(parseJsonl(result.stdout));
    expect([...reports.keys()].sort()).toEqual(['link-tree/dangling.txt', 'link-tree/linked-folder/deep.txt', 'link-tree/linked.txt']);
    expect(reports.get('link-tree/linked.txt')!.status).toBe('ok');
    expect(reports.get('link-tree/linked-folder/deep.txt')!.status).toBe('ok');
    const dangling = reports.get('link-tree/dangling.txt');
    expect(dangling?.error?.code, failure(dangling)).toBe('E_IO');
    expect(dangling!.error!.message).toMatch(/符号链接无法打开（文件不存在）/);
  });

  it('exits quietly when stdout is closed early (| head)', async () => {
    const tree = path.join(dir, 'many');
    await mkdir(tree, { recursive: true });
    // well over a pipe's 64 KiB buffer, so the output is still being written when the reader goes away
    for (let i = 0; i < 40; i++) await writeFile(path.join(tree, `r${String(i).padStart(2, '0')}.txt`), text);
    // a real pipe into head, as on the command line (a socket pair, which spawn would give, buffers it all)
    const child = spawn('bash', ['-c', `"$0" "$1" check many -j 2 | head -c 100 > /dev/null; exit \${PIPESTATUS[0]}`, process.execPath, BIN], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
      // its own process group, so that a hang is stopped with the CLI inside it
      detached: true,
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), RUN_LIMIT_MS);
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    clearTimeout(timer);
    expect(stderr).not.toMatch(/EPIPE|Error|at /);
    expect(code).toBe(0);
  });

  it('-o naming a folder is a clear error (exit 2, no stack trace)', async () => {
    await writeFile(path.join(dir, 'for-output.txt'), text);
    await mkdir(path.join(dir, 'out-folder'), { recursive: true });
    const result = await runCli(['check', 'for-output.txt', '-o', 'out-folder'], { cwd: dir, timeoutMs: RUN_LIMIT_MS });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/out-folder/);
    expect(result.stderr).toMatch(/is a folder/);
    expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
  });
});
