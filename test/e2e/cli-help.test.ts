import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { assertBuilt, BIN, ROOT, runCli } from './cli.js';

/** Runs main in this process with stdout and stderr captured. */
async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  const code = await main(args);
  vi.restoreAllMocks();
  return { code, stdout, stderr };
}

const USAGE: [string[], RegExp][] = [
  [['check'], /crossfoot check <files or folders…>[\s\S]*--max-warnings/],
  [['rules'], /crossfoot rules test/],
  [['rules', 'test'], /crossfoot rules test/],
  [['rules', 'list'], /crossfoot rules list/],
  [['rules', 'schema'], /crossfoot rules schema/],
  [['archive'], /crossfoot archive add/],
  [['archive', 'add'], /crossfoot archive add/],
  [['archive', 'list'], /crossfoot archive list/],
  [['archive', 'show'], /crossfoot archive show/],
  [['archive', 'export'], /crossfoot archive export/],
  [['search'], /crossfoot search/],
  [['serve'], /crossfoot serve \[--port N\]/],
  [['worker'], /crossfoot worker \[-j N\]/],
  [['submit'], /crossfoot submit <files or folders…>/],
  [['status'], /crossfoot status <batch id>/],
];

describe('help', () => {
  afterEach(() => vi.restoreAllMocks());

  for (const [command, usage] of USAGE) {
    it(`${command.join(' ')} --help and -h print its usage and exit 0`, async () => {
      for (const flag of ['--help', '-h']) {
        const got = await run([...command, flag]);
        expect(got.code, got.stderr).toBe(0);
        expect(got.stdout).toMatch(usage);
        expect(got.stderr).toBe('');
      }
    });
  }


  it('an unknown option still exits 2 and points at the command\'s help', async () => {
    const got = await run(['check', '--bogus', 'x.txt']);
    expect(got.code).toBe(2);
    expect(got.stderr).toMatch(/Run "crossfoot check --help"/);
  });

  describe('start-up', () => {
    beforeAll(assertBuilt);

    it('a help flag after "--" is a file name, not a request for help', async () => {
      // the built CLI: in this process the pool's threads would have no compiled worker to start
      const got = await runCli(['check', '--', '--help']);
      expect(got.code).toBe(1);
      expect(got.stdout).not.toMatch(/^Usage:/);
      expect(JSON.parse(got.stdout)).toMatchObject({ file: '--help', status: 'failed', error: { code: 'E_IO' } });
    });

    it('--version, --help and check --help load neither the pipeline nor any heavy dependency', async () => {
      const hook = path.join(ROOT, 'test', 'helpers', 'record-imports.mjs');
      for (const args of [['--version'], ['--help'], ['check', '--help']]) {
        const { stderr } = await promisify(execFile)(process.execPath, ['--import', hook, BIN, ...args], { encoding: 'utf8' });
        const loaded = stderr.split('\n').filter((l) => l.startsWith('loaded '));
        expect(loaded.length, args.join(' ')).toBeGreaterThan(3);
        const heavy = loaded.filter((l) => /node_modules|\/dist\/(pipeline|packs|checks|figures|text|archive|queue|server|pool|readers\/(index|pdf|docx))/.test(l));
        expect(heavy, args.join(' ')).toEqual([]);
      }
    });
  });
});
