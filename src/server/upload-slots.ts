import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * A cap on uploads in progress (received, stored, and — with `?wait=1` — checked): each holds a socket, files
 * being written and memory, so beyond the cap the server says it is busy (503, Retry-After) before reading a
 * byte of the body. A slot is free again when the answer is sent or the connection is gone, whichever is first.
 */
export class UploadSlots {
  private inUse = 0;

  constructor(private readonly max: number) {}

  /** A route's onRequest hook. */
  readonly claim = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (this.inUse >= this.max) {
      request.log.warn({ uploads: this.inUse }, 'upload refused: too many at once');
      return reply
        .code(503)
        .header('retry-after', '5')
        .send({ error: { code: 'E_BUSY', message: `同时进行的上传已达上限（${this.max} 个），请稍后重试` } });
    }
    this.inUse++;
    reply.raw.once('close', () => this.inUse--);
  };
}
