import type { FastifyRequest } from 'fastify';

/**
 * Where the server may send a browser after a login or a `?token=` visit: a path on this server only. The target
 * is read as a browser would read it — the WHATWG URL parser, which drops tabs and newlines and takes `\` for `/`
 * — against the server's own origin, so `/\t/evil.example` is seen for what it is (`//evil.example`, another
 * host). Anything that leaves the origin, or does not parse, becomes '/'. The answer is re-serialised by the
 * parser, so it carries no control characters into a Location header.
 */
export function localTarget(target: unknown, request: FastifyRequest): string {
  if (typeof target !== 'string' || target === '') return '/';
  let origin: URL;
  try {
    origin = new URL(`${request.protocol}://${request.host}`);
  } catch {
    return '/';
  }
  let resolved: URL;
  try {
    resolved = new URL(target, origin);
  } catch {
    return '/';
  }
  if (resolved.origin !== origin.origin) return '/';
  return `${resolved.pathname}${resolved.search}${resolved.hash}`;
}
