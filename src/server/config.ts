import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { z } from 'zod';

/**
 * The web server's configuration: command-line flags over environment variables over defaults, validated by
 * zod. Sizes are in MB on the outside (flags, environment) and bytes inside.
 */
export const ServerConfigSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(8080),
  /** Access token for the API and the UI; generated when binding beyond loopback without one. */
  token: z.string().min(8, 'must have at least 8 characters').max(512).optional(),
  /** Where uploads are stored, under server-chosen names (sha256). */
  uploadDir: z.string().min(1).default('./uploads'),
  /** Per file (and per zip member, inflated). */
  maxFileBytes: z.number().int().positive().default(50 * 1024 * 1024),
  /** File parts per upload request. */
  maxFiles: z.number().int().positive().default(1000),
  /** Members of one zip (directories not counted). */
  maxZipEntries: z.number().int().positive().default(2000),
  /** All members of one zip together, inflated: the zip-bomb guard. */
  maxZipInflatedBytes: z.number().int().positive().default(1024 * 1024 * 1024),
  /** Worker threads for in-process checking. */
  concurrency: z.number().int().positive().default(Math.max(1, Math.min(4, availableParallelism()))),
  /** Per-document time limit for in-process checking. */
  timeoutMs: z.number().int().positive().default(60_000),
  /** Archive: a SQLite path or a postgres:// URL; absent: DATABASE_URL, CROSSFOOT_DB or ./crossfoot.db. */
  db: z.string().min(1).optional(),
  /** With a Redis URL, uploads go to the queue (issue 5's workers) instead of being checked in-process. */
  redisUrl: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').optional(),
  /** In-process batches kept in memory (oldest dropped first). */
  maxBatches: z.number().int().positive().default(500),
  /**
   * One reverse proxy (TLS-terminating) in front: believe its X-Forwarded-Proto (the session cookie gets
   * Secure) and the client address it appends to X-Forwarded-For. Off, a client could claim either.
   */
  trustProxy: z.boolean().default(false),
  /** A request whose body stops arriving for this long is closed (a stalled upload holds a socket and a file). */
  idleTimeoutMs: z.number().int().positive().default(30_000),
  /** The whole request, headers and body, must have arrived within this (an upload trickling in byte by byte). */
  requestTimeoutMs: z.number().int().positive().default(600_000),
  /** Uploads received or checked at once; beyond them 503. */
  maxConcurrentUploads: z.number().int().positive().default(16),
  /** Wrong tokens one client address may try per quarter hour before it gets 429. */
  loginAttempts: z.number().int().positive().default(10),
});
export type ServerConfig = z.output<typeof ServerConfigSchema>;
export type ServerConfigInput = z.input<typeof ServerConfigSchema>;

export class ServerConfigError extends Error {
  override name = 'ServerConfigError';
}

const MB = 1024 * 1024;

/** Whether `host` only accepts connections from this machine. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export interface ServeFlags {
  port?: string;
  host?: string;
  db?: string;
  token?: string;
  'upload-dir'?: string;
  'max-upload-mb'?: string;
  'max-files'?: string;
  concurrency?: string;
  timeout?: string;
  'trust-proxy'?: boolean;
  'idle-timeout'?: string;
  'request-timeout'?: string;
  'max-concurrent-uploads'?: string;
  'login-attempts'?: string;
}

const numberOf = (name: string, raw: string | undefined) => {
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new ServerConfigError(`${name} must be a number (got "${raw}")`);
  return n;
};

/** Where each setting was taken from: the flag when given, else the environment variable that was set. */
type Sources = Partial<Record<keyof ServerConfig, string>>;

/** Flags win over the environment (CROSSFOOT_PORT, CROSSFOOT_HOST, CROSSFOOT_TOKEN, …). */
export function serverConfig(flags: ServeFlags, env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const sources: Sources = {};
  /** The first of `candidates` ([name, value]) that is set, remembered as the setting's source. */
  const pick = (key: keyof ServerConfig, ...candidates: [string, string | undefined][]): string | undefined => {
    const found = candidates.find(([, v]) => v !== undefined && v !== '');
    sources[key] = (found ?? candidates[0]!)[0];
    return found?.[1];
  };
  const numberFrom = (key: keyof ServerConfig, ...candidates: [string, string | undefined][]) => {
    const raw = pick(key, ...candidates);
    return numberOf(sources[key]!, raw);
  };
  /** An on/off environment variable: 1/true/yes or 0/false/no. */
  const flagOn = (key: keyof ServerConfig, ...candidates: [string, string | undefined][]) => {
    const raw = pick(key, ...candidates);
    if (raw === undefined) return undefined;
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    throw new ServerConfigError(`${sources[key]!} must be 1 or 0 (got "${raw}")`);
  };
  const maxMb = numberFrom('maxFileBytes', ['--max-upload-mb', flags['max-upload-mb']], ['CROSSFOOT_MAX_UPLOAD_MB', env.CROSSFOOT_MAX_UPLOAD_MB]);
  const idleS = numberFrom('idleTimeoutMs', ['--idle-timeout', flags['idle-timeout']], ['CROSSFOOT_IDLE_TIMEOUT', env.CROSSFOOT_IDLE_TIMEOUT]);
  const requestS = numberFrom('requestTimeoutMs', ['--request-timeout', flags['request-timeout']], ['CROSSFOOT_REQUEST_TIMEOUT', env.CROSSFOOT_REQUEST_TIMEOUT]);
  const raw = {
    host: pick('host', ['--host', flags.host], ['CROSSFOOT_HOST', env.CROSSFOOT_HOST]),
    port: numberFrom('port', ['--port', flags.port], ['CROSSFOOT_PORT', env.CROSSFOOT_PORT], ['PORT', env.PORT]),
    token: pick('token', ['--token', flags.token], ['CROSSFOOT_TOKEN', env.CROSSFOOT_TOKEN]),
    uploadDir: pick('uploadDir', ['--upload-dir', flags['upload-dir']], ['CROSSFOOT_UPLOAD_DIR', env.CROSSFOOT_UPLOAD_DIR]),
    maxFileBytes: maxMb === undefined ? undefined : Math.round(maxMb * MB),
    maxFiles: numberFrom('maxFiles', ['--max-files', flags['max-files']], ['CROSSFOOT_MAX_FILES', env.CROSSFOOT_MAX_FILES]),
    concurrency: numberFrom('concurrency', ['--concurrency', flags.concurrency], ['CROSSFOOT_CONCURRENCY', env.CROSSFOOT_CONCURRENCY]),
    timeoutMs: numberFrom('timeoutMs', ['--timeout', flags.timeout], ['CROSSFOOT_TIMEOUT_MS', env.CROSSFOOT_TIMEOUT_MS]),
    db: pick('db', ['--db', flags.db]),
    redisUrl: pick('redisUrl', ['REDIS_URL', env.REDIS_URL]),
    idleTimeoutMs: idleS === undefined ? undefined : Math.round(idleS * 1000),
    requestTimeoutMs: requestS === undefined ? undefined : Math.round(requestS * 1000),
    maxConcurrentUploads: numberFrom('maxConcurrentUploads', ['--max-concurrent-uploads', flags['max-concurrent-uploads']], ['CROSSFOOT_MAX_CONCURRENT_UPLOADS', env.CROSSFOOT_MAX_CONCURRENT_UPLOADS]),
    loginAttempts: numberFrom('loginAttempts', ['--login-attempts', flags['login-attempts']], ['CROSSFOOT_LOGIN_ATTEMPTS', env.CROSSFOOT_LOGIN_ATTEMPTS]),
    trustProxy: flags['trust-proxy'] || flagOn('trustProxy', ['CROSSFOOT_TRUST_PROXY', env.CROSSFOOT_TRUST_PROXY]),
  };
  const parsed = ServerConfigSchema.safeParse(Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)));
  if (!parsed.success) {
    const detail = parsed.error.issues
      .map((issue) => {
        const key = issue.path[0] as keyof ServerConfig | undefined;
        const where = key === undefined ? 'configuration' : (sources[key] ?? String(key));
        // sizes are given in MB
        const message = key === 'maxFileBytes' ? issue.message.replace(/(\d+)$/, (n) => `${Number(n) / MB} MB`) : issue.message;
        return `${where}: ${message}`;
      })
      .join('; ');
    throw new ServerConfigError(`invalid server configuration: ${detail}`);
  }
  return parsed.data;
}

/** A token for a server reachable from other machines when none was configured (printed once on stderr). */
export function generateToken(): string {
  return randomBytes(24).toString('base64url');
}
