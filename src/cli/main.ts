import { readFileSync } from 'node:fs';
import { commandHelp, overview } from './help.js';
import { dropOutputWhenStdoutCloses } from './output.js';
import { UsageError } from './usage.js';

const VERSION = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version as string;

type Command = (args: string[]) => Promise<number>;

/**
 * Each command's module, imported only when that command runs: `--version`, `--help` and a command's `--help`
 * load none of them, and `check` never loads the server, the queue or exceljs.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  check: async () => (await import('./check.js')).checkCommand,
  rules: async () => (await import('./rules.js')).rulesCommand,
  archive: async () => {
    const { archiveCommand } = await import('./archive.js');
    return (args) => archiveCommand(args);
  },
  search: async () => {
    const { searchCommand } = await import('./archive.js');
    return (args) => searchCommand(args);
  },
  worker: async () => (await import('./queue.js')).workerCommand,
  submit: async () => (await import('./queue.js')).submitCommand,
  status: async () => (await import('./queue.js')).statusCommand,
  serve: async () => {
    const { serveCommand } = await import('./serve.js');
    return (args) => serveCommand(args, VERSION);
  },
};

/** `-h`/`--help` anywhere among a command's options (not after `--`, where every word is a file). */
function asksForHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === '-h' || a === '--help');
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  dropOutputWhenStdoutCloses();
  try {
    if (!command || command === '-h' || command === '--help' || command === 'help') {
      process.stdout.write(overview(VERSION) + '\n');
      return command ? 0 : 2;
    }
    if (command === '-v' || command === '--version') {
      process.stdout.write(VERSION + '\n');
      return 0;
    }
    const load = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (!load) throw new UsageError(`unknown command ${command}`);
    if (asksForHelp(rest)) {
      process.stdout.write(commandHelp(command) + '\n');
      return 0;
    }
    return await (await load())(rest);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`crossfoot: ${(error as Error).message}\nRun "crossfoot${command && Object.hasOwn(COMMANDS, command) ? ` ${command}` : ''} --help" for usage.\n`);
      return 2;
    }
    // the classes of the expected failures are imported only now: most of them live beside heavy modules
    const { isExpectedFailure } = await import('./failures.js');
    if (isExpectedFailure(error)) {
      process.stderr.write(`crossfoot: ${(error as Error).message}\n`);
      return 2;
    }
    process.stderr.write(`crossfoot: internal error: ${(error as Error).stack ?? String(error)}\n`);
    return 2;
  }
}
