/**
 * Every usage text of the CLI, in a module that imports nothing: `crossfoot --help`, `--version` and each
 * subcommand's `--help` are answered without loading the pipeline, the archive drivers, the queue or the server.
 */

/** The options of `check`, and its exit codes: in its own help and in the general one. */
const CHECK_OPTIONS = `Options for check:
  -f, --format jsonl|json|stylish   output format (default: stylish on a terminal, jsonl otherwise)
  -o, --output FILE                 write the output to FILE instead of stdout
      --rules PATH                  add a rule pack (a folder with pack.yaml, or the file); repeatable
  -c, --config FILE                 YAML/JSON config: packs, rule severities ('off' to disable), limits
  -j, --concurrency N               worker threads (default: the number of cores)
      --timeout MS                  per-document time limit (default 60000)
  -q, --quiet                       stylish: show errors only
      --timings                     put each stage's milliseconds in the reports (timingsMs); off by default,
                                    so that the same check run twice prints the same bytes
      --max-warnings N              exit 1 when there are more than N warnings
      --archive                     also store every report in the archive (--db PATH, CROSSFOOT_DB or
                                    DATABASE_URL; default ./crossfoot.db)
  -h, --help, -v, --version

Exit codes: 0 no error findings; 1 error findings or unreadable files (or too many warnings); 2 usage, config or internal failure (a rule that broke: E_RULE).`;

export const CHECK_HELP = `Usage:
  crossfoot check <files or folders…> [options]   check DOCX/PDF/TXT reports (folders: recursively)

${CHECK_OPTIONS}`;

export const RULES_HELP = `Usage:
  crossfoot rules test [--rules PATH]…            run every rule's valid/invalid examples (exit 1 when one fails)
  crossfoot rules list [--rules PATH]…            list the rules in force
  crossfoot rules schema [--report]               print the JSON Schema of rule packs (or of the report)`;

export const ARCHIVE_HELP = `Usage:
  crossfoot archive add <files or folders…> [--rules PATH]… [-c FILE] [-j N] [--timeout MS]
                                          check in N threads and store each report as it is checked
  crossfoot archive list [filters] [--sort year|org|errors] [--limit N] [--offset N] [-f table|json]
  crossfoot archive show <sha256 (6+ hex digits) | file> [-f jsonl|json|stylish]
  crossfoot archive export -f csv|xlsx|jsonl [--query WORDS] [filters] [-o FILE] [--link-base URL]
                                          xlsx (needs -o): sheets 文档, 发现, 字段; --link-base (or
                                          $CROSSFOOT_PUBLIC_URL): the web app, for a link to each report
  crossfoot search "<words>" [filters] [--sort relevance|year|org|errors] [--limit N] [--offset N] [-f table|json]

Filters:
  --year YYYY  --org TEXT (substring)  --type perf-eval|final-accounts|budget|sangong|unknown  --status ok|failed|not-a-report
  --has error|warning|info  --rule RULE-ID  --unreviewed  --field "KEY>=VALUE" (repeatable; ops >= <= > < =; 元)
  (--has, --rule and --unreviewed apply to one and the same finding; --rule 'cross/*': every cross-document finding)

Every command takes --db PATH (SQLite file; default $CROSSFOOT_DB or ./crossfoot.db) or --db postgres://… ;
without --db, DATABASE_URL selects PostgreSQL. --limit 0 lists everything. Snippets mark matches 【like this】
in tables; in JSON a snippet is {text, marks: [[start, end], …]} (offsets into text).

Exit codes: 0 done; 1 a file could not be read (add) or is not in the archive (show); 2 usage or archive failure.`;

export const QUEUE_HELP = `Queue (BullMQ on Redis; REDIS_URL, default redis://127.0.0.1:6379):
  crossfoot worker [-j N] [--db PATH|URL] [--rules PATH]… [-c FILE] [--timeout MS]
                                                  check queued documents and store them in the archive
                                                  (DATABASE_URL: the shared PostgreSQL archive)
  crossfoot submit <files or folders…> [--name TEXT] [--store DIR] [--detach] [--rules PATH]… [-c FILE]
                                                  queue a batch; prints its id, then waits for it
                                                  (progress on a terminal) unless --detach
  crossfoot status <batch id> [--documents] [-f text|json]
                                                  a batch's counts, failures with their codes, summary
  Queue settings from the environment: REDIS_URL, CROSSFOOT_QUEUE_PREFIX, CROSSFOOT_ATTEMPTS,
  CROSSFOOT_BACKOFF_MS, CROSSFOOT_LOCK_MS, CROSSFOOT_KEEP_{DONE,FAILED,BATCH}_SECONDS,
  CROSSFOOT_KEEP_{DONE,BATCH}_COUNT, CROSSFOOT_STORE (submit --store).`;

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

/** `crossfoot --help`: every command, then each command's options. */
export const overview = (version: string) => `crossfoot ${version} — checks the arithmetic and consistency of Chinese budget-performance reports

Usage:
  crossfoot check <files or folders…> [options]   check DOCX/PDF/TXT reports (folders: recursively)
  crossfoot rules test [--rules PATH]…            run every rule's valid/invalid examples
  crossfoot rules list [--rules PATH]…            list the rules in force
  crossfoot rules schema [--report]               print the JSON Schema of rule packs (or of the report)
  crossfoot archive add|list|show|export …        the archive of checked reports (see below)
  crossfoot search "<words>" [filters]            Chinese full-text and field search over the archive
  crossfoot serve [--port N] [--host H] [--db PATH] the review web app and REST API (see below)
  crossfoot worker | submit <paths…> | status <id>  queue workers on Redis for bulk checking (see below)

${CHECK_OPTIONS}

${ARCHIVE_HELP}

${QUEUE_HELP}

${SERVE_HELP}`;

/** The usage a command prints for `crossfoot <command> --help`; undefined for a command that does not exist. */
export function commandHelp(command: string): string | undefined {
  switch (command) {
    case 'check':
      return CHECK_HELP;
    case 'rules':
      return RULES_HELP;
    case 'archive':
    case 'search':
      return ARCHIVE_HELP;
    case 'worker':
    case 'submit':
    case 'status':
      return QUEUE_HELP;
    case 'serve':
      return SERVE_HELP;
    default:
      return undefined;
  }
}
