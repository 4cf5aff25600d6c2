import { parseArgs } from 'node:util';
import { redactUrl } from '../archive/config.js';
import { SERVE_HELP } from './help.js';
import { commandSettings } from '../packs.js';
import { createServer, generateToken, isLoopback, serverConfig, ServerConfigError } from '../server/index.js';


/** Request logs without the access token a browser may have passed once as ?token=…. */
const redactToken = (url: string | undefined) => (url ?? '').replace(/([?&]token=)[^&]*/g, '$1***');

export async function serveCommand(args: string[], version: string): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      db: { type: 'string' },
      'upload-dir': { type: 'string' },
      'max-upload-mb': { type: 'string' },
      'max-files': { type: 'string' },
      concurrency: { type: 'string', short: 'j' },
      timeout: { type: 'string' },
      'trust-proxy': { type: 'boolean' },
      'idle-timeout': { type: 'string' },
      'request-timeout': { type: 'string' },
      'max-concurrent-uploads': { type: 'string' },
      'login-attempts': { type: 'string' },
      rules: { type: 'string', multiple: true },
      config: { type: 'string', short: 'c' },
      quiet: { type: 'boolean', short: 'q' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${SERVE_HELP}\n`);
    return 0;
  }
  if (positionals.length) throw new ServerConfigError(`serve takes no arguments (got ${positionals.join(' ')})`);
  const config = serverConfig(values);
  if (!config.token && !isLoopback(config.host)) {
    config.token = generateToken();
    process.stderr.write(
      `crossfoot serve: listening beyond this machine (${config.host}) without CROSSFOOT_TOKEN: generated access token\n  ${config.token}\n` +
        `  (browser: open any page with ?token=<token> once, or log in at /login; scripts: Authorization: Bearer <token>)\n`,
    );
  }
  const { source, limits, timeoutMs } = commandSettings(values);
  if (timeoutMs && !values.timeout && !process.env.CROSSFOOT_TIMEOUT_MS) config.timeoutMs = timeoutMs;

  const server = await createServer(config, {
    version,
    source,
    limits,
    notice: (line) => process.stderr.write(`crossfoot serve: ${line}\n`),
    logger: values.quiet
      ? false
      : {
          level: 'info',
          stream: process.stderr,
          serializers: {
            req: (req: { method?: string; url?: string; ip?: string }) => ({ method: req.method, url: redactToken(req.url), remoteAddress: req.ip }),
          },
        },
  });
  let address: string;
  try {
    address = await server.app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await server.close();
    throw new ServerConfigError(`cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`);
  }
  const mode = server.mode === 'queue' ? `queue mode (${redactUrl(config.redisUrl!)}; dashboard ${address}/admin/queues)` : `in-process checking, ${config.concurrency} worker thread(s)`;
  process.stderr.write(`crossfoot serve: listening on ${address} — ${mode}${config.token ? ', access token required' : ''}\n`);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      process.stderr.write(`crossfoot serve: ${signal}, closing\n`);
      void server.close().then(() => {
        process.stderr.write('crossfoot serve: closed\n');
        resolve(0);
      });
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}


