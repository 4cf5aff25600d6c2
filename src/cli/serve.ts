import { parseArgs } from 'node:util';
import { redactUrl } from '../archive/config.js';
import { commandSettings } from '../packs.js';
import { createServer, generateToken, isLoopback, serverConfig, ServerConfigError } from '../server/index.js';

export const SERVE_HELP = `Usage:
  crossfoot serve [--port N] [--host H] [--db PATH|postgres://…] [options]   the review web app and its REST API

Options for serve:
      --port N              port (default 8080; 0 picks a free one; env CROSSFOOT_PORT)
      --host H              address to bind (default 127.0.0.1; env CROSSFOOT_HOST). Beyond loopback an access
                            token is required: CROSSFOOT_TOKEN, or one is generated and printed on stderr
      --db PATH             the archive (SQLite file or postgres:// URL; default DATABASE_URL, CROSSFOOT_DB,
                            ./crossfoot.db)
      --upload-dir DIR      where uploads are kept, named by sha256 (default ./uploads; env CROSSFOOT_UPLOAD_DIR)
      --max-upload-mb N     per file and per zip member (default 50; env CROSSFOOT_MAX_UPLOAD_MB)
      --max-files N         file parts per upload request (default 1000; env CROSSFOOT_MAX_FILES); the page
                            sends a larger drop as several requests into one batch
  -j, --concurrency N       worker threads for in-process checking (default: cores, at most 4)
      --timeout MS          per-document time limit in-process (default 60000)
      --rules PATH, -c FILE rule packs and configuration for in-process checking (as for check)
      --trust-proxy         behind one TLS-terminating reverse proxy: believe its X-Forwarded-Proto (the session
                            cookie gets Secure) and X-Forwarded-For (env CROSSFOOT_TRUST_PROXY=1)
      --idle-timeout S      close a request whose body stops arriving for S seconds (default 30; env
                            CROSSFOOT_IDLE_TIMEOUT)
      --request-timeout S   a request's headers and body must arrive within S seconds (default 600; env
                            CROSSFOOT_REQUEST_TIMEOUT)
      --max-concurrent-uploads N  uploads received or checked at once, beyond them 503 (default 16; env
                            CROSSFOOT_MAX_CONCURRENT_UPLOADS)
      --login-attempts N    wrong tokens per client address per 15 minutes before 429 (default 10; env
                            CROSSFOOT_LOGIN_ATTEMPTS)
  -q, --quiet               no request log
With REDIS_URL set, uploads go to the queue (run "crossfoot worker" somewhere) and Bull Board is at /admin/queues.`;

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


