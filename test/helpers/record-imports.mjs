// Preloaded with `node --import`: prints every module URL the process loads to stderr as "loaded <url>", so that
// a test can tell which modules a command pulled in.
import { register } from 'node:module';

register(
  'data:text/javascript,' +
    encodeURIComponent(
      'export async function resolve(s, c, next) { const r = await next(s, c); process.stderr.write("loaded " + r.url + "\\n"); return r; }',
    ),
);
