import type { Socket } from 'node:net';
import type { ServerOptions } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { ServerConfig } from './config.js';

/**
 * Timeouts for requests that arrive too slowly: a client that stops sending its body (idle) or sends it a byte
 * at a time (the whole request) would otherwise hold a socket, a file descriptor and a temporary file for ever.
 */
export function timeoutOptions(config: ServerConfig): { connectionTimeout: number; requestTimeout: number; http: ServerOptions } {
  return {
    // a socket with no traffic for this long times out; closeStalledRequests decides what that means
    connectionTimeout: config.idleTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    http: {
      // Node looks for requests over their time only this often (default 30 s); headers get the same bound
      connectionsCheckingInterval: Math.min(30_000, Math.max(250, Math.round(config.requestTimeoutMs / 4))),
      headersTimeout: Math.min(60_000, config.requestTimeoutMs),
    },
  };
}

/**
 * An idle socket is closed while its request is still arriving; once the request is complete the silence is
 * the server's own (a check running before the answer of `?wait=1`, an event stream between heartbeats) and the
 * socket stays. Node closes a timed-out socket only when nobody listens for the timeout, hence the listener.
 */
export function closeStalledRequests(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    reply.raw.on('timeout', (socket: Socket) => {
      if (request.raw.complete) return;
      request.log.warn({ url: request.url.split('?')[0] }, 'request stopped arriving: connection closed');
      socket.destroy();
    });
  });
}
