import type { FastifyInstance } from 'fastify';
import type { ServerDeps } from '../http.js';

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
  await app.register(serverAdapter.registerPlugin(), { prefix: '/admin/queues' });
}
}
