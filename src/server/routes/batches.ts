import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { BatchStatus } from '../batches.js';
import { notFound, parse, type ServerDeps } from '../http.js';

/** Batches: the list, one batch's status, a retry, and its progress as server-sent events. */
export async function batchRoutes(app: FastifyInstance, { batches }: ServerDeps): Promise<void> {
app.get('/api/batches', async () => ({ mode: batches.mode, batches: (await batches.list()).map(({ documents: _d, ...rest }) => rest) }));

const batchParam = (request: FastifyRequest) => parse(z.string().regex(/^[\w-]{1,100}$/), (request.params as { id: string }).id, '批次编号');

app.get('/api/batches/:id', async (request) => {
  const status = await batches.status(batchParam(request));
  if (!status) throw notFound('没有这个批次（进程内模式下，服务重启后批次记录不保留）');
  return status;
});

app.post('/api/batches/:id/retry', async (request) => {
  const status = await batches.retry(batchParam(request));
  if (!status) throw notFound(`没有这个批次，无法重试${batches.mode === 'in-process' ? '（本机检查模式下，服务重启后批次记录不保留）' : ''}`);
  return status;
});

/** Server-sent events: `status` with the whole BatchStatus on every change, `end` once it has completed. */
app.get('/api/batches/:id/events', async (request, reply) => {
  const id = batchParam(request);
  const first = await batches.status(id);
  if (!first) throw notFound('没有这个批次');
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-content-type-options': 'nosniff',
  });
  let closed = false;
  let pending: BatchStatus | null = null;
  let timer: NodeJS.Timeout | null = null;
  const send = (status: BatchStatus) => {
    if (closed) return;
    res.write(`event: status\ndata: ${JSON.stringify(status)}\n\n`);
    if (status.completed) finish();
  };
  // at most a few updates a second: a batch of thousands of small files would otherwise flood the browser
  const onChange = (status: BatchStatus) => {
    pending = status;
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      if (pending) send(pending);
      pending = null;
    }, 250);
  };
  const heartbeat = setInterval(() => !closed && res.write(': keep-alive\n\n'), 15_000);
  const stop = batches.watch(id, onChange);
  const finish = () => {
    if (closed) return;
    res.write('event: end\ndata: {}\n\n');
    cleanup();
    res.end();
  };
  const cleanup = () => {
    closed = true;
    clearInterval(heartbeat);
    if (timer) clearTimeout(timer);
    stop();
  };
  request.raw.on('close', cleanup);
  res.write('retry: 2000\n\n');
  // the state may have moved between the first read and the subscription
  send((await batches.status(id)) ?? first);
});
}
