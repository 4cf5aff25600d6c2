import type { FastifyInstance } from 'fastify';
import { QUEUE_UNAVAILABLE, type ServerDeps } from '../http.js';

/** The BullMQ dashboard at /admin/queues, in queue mode only; loaded on demand, as the in-process server needs none of it. */
export async function adminRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
if (deps.queues?.length) {
  const [{ createBullBoard }, { BullMQAdapter }, { FastifyAdapter }] = await Promise.all([
    import('@bull-board/api'),
    import('@bull-board/api/bullMQAdapter'),
    import('@bull-board/fastify'),
  ]);
  const serverAdapter = new FastifyAdapter();
  createBullBoard({
    queues: deps.queues.map((q) => new BullMQAdapter(q)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'crossfoot 队列' } },
  });
  serverAdapter.setBasePath('/admin/queues');
  await app.register(
    async (board) => {
      // Bull Board answers its own errors (500 "Connection is closed."); while Redis is down that is our 503
      board.addHook('onSend', async (request, reply, payload) => {
        if (reply.statusCode < 500 || (await deps.batches.ready())) return payload;
        request.log.warn({ url: request.url }, 'queue dashboard: Redis unavailable');
        reply.code(503).type('application/json; charset=utf-8');
        return JSON.stringify({ error: QUEUE_UNAVAILABLE });
      });
      await board.register(serverAdapter.registerPlugin());
    },
    { prefix: '/admin/queues' },
  );
}
}
