import type { FastifyInstance } from 'fastify';
import type { ArchiveRepository } from '../../archive/repository.js';
import { type BatchStatus, LocalBatches, rejectedDocument, rejectedReport } from '../batches.js';
import { HttpError, notFound, parse, type ServerDeps } from '../http.js';
import { cleanQuery, UploadQuerySchema } from '../schemas.js';
import { UploadSlots } from '../upload-slots.js';
import type { UploadOutcome } from '../uploads.js';

/** The sha256s among `shas` that the archive holds already: the files a reviewer uploads again. */
async function archivedAmong(archive: ArchiveRepository, shas: readonly string[]): Promise<Set<string>> {
  const found = await Promise.all([...new Set(shas)].map(async (sha) => ((await archive.resolve(sha)).includes(sha) ? sha : null)));
  return new Set(found.filter((s): s is string => s !== null));
}

/** The upload response's `alreadyChecked`: the names of the files checked before (the same bytes), for the uploader to hear. */
const alreadyChecked = (status: BatchStatus): string[] => status.documents.filter((d) => d.duplicate).map((d) => d.name);

/** POST /api/documents: a multipart upload becomes a batch (or continues one), checked in process or queued. */
export async function uploadRoutes(app: FastifyInstance, { config, archive, batches, uploads }: ServerDeps): Promise<void> {
const uploadSlots = new UploadSlots(config.maxConcurrentUploads);
app.post('/api/documents', { onRequest: uploadSlots.claim }, async (request, reply) => {
  const query = parse(UploadQuerySchema, cleanQuery(request.query), '参数');
  if (!request.isMultipart()) throw new HttpError(415, 'E_INPUT', '请以 multipart/form-data 上传文件（字段名 file，可多个）');
  // a continuation of a drop larger than one request: the batch must exist before anything is stored
  if (query.batch !== undefined && !(await batches.status(query.batch))) throw notFound('没有这个批次，无法向其追加文件');
  const outcomes: UploadOutcome[] = [];
  // a batch that could not be made (Redis down: 503) checks none of its files, so none of them stays
  const discardingOnFailure = async <T>(submit: () => Promise<T>): Promise<T> => {
    try {
      return await submit();
    } catch (error) {
      const removed = await uploads.discard(outcomes);
      request.log.warn({ err: error, removed }, 'upload not submitted: the files it stored were removed');
      throw error;
    }
  };
  let name = query.name;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const file = part.file;
        outcomes.push(...(await uploads.receive(part.filename, file, () => file.truncated)));
      } else if (part.fieldname === 'name' && typeof part.value === 'string' && part.value.trim()) {
        name = part.value.trim().slice(0, 100);
      }
    }
  } catch (error) {
    // refused part-way (too many files, the client gone): nothing of it is checked, so nothing of it stays
    const removed = await uploads.discard(outcomes);
    request.log.warn({ err: error, removed }, 'upload refused part-way: the files it stored were removed');
    throw error;
  }
  if (!outcomes.length) throw new HttpError(400, 'E_INPUT', '请求中没有文件：请用 multipart 字段 file 上传 .docx、.pdf、.txt 或 .zip');
  if (query.batch !== undefined) {
    for (const o of outcomes) if (o.kind === 'rejected') request.log.info({ file: o.name, code: o.code }, 'upload refused');
    const appended = await discardingOnFailure(() => batches.append(query.batch!, outcomes));
    if (!appended) {
      await uploads.discard(outcomes);
      throw notFound('没有这个批次，无法向其追加文件');
    }
    return reply.code(202).send({ batchId: appended.batchId, mode: batches.mode, batch: appended });
  }
  const accepted = outcomes.filter((o) => o.kind === 'accepted');
  for (const o of outcomes) if (o.kind === 'rejected') request.log.info({ file: o.name, code: o.code }, 'upload refused');
  if (!accepted.length) {
    const codes = new Set(outcomes.map((o) => (o.kind === 'rejected' ? o.code : '')));
    const status = codes.size === 1 && codes.has('E_TOO_LARGE') ? 413 : codes.size === 1 && codes.has('E_UNSUPPORTED') ? 415 : 400;
    const rejected = outcomes.filter((o) => o.kind === 'rejected');
    return reply.code(status).send({
      error: { code: status === 413 ? 'E_TOO_LARGE' : status === 415 ? 'E_UNSUPPORTED' : 'E_INPUT', message: `没有可检查的文件：${rejected.map((o) => `${o.name}：${o.message}`).join('；')}` },
      documents: rejected.map(rejectedDocument),
      reports: rejected.map(rejectedReport),
    });
  }
  const wait = (query.wait ?? true) && batches instanceof LocalBatches;
  const archived = await archivedAmong(archive, accepted.map((o) => o.sha256));
  const submitted = await discardingOnFailure(() => batches.submit(outcomes, { ...(name ? { name } : {}), keepReports: wait, archived }));
  if (wait && batches instanceof LocalBatches) {
    const settled = (await batches.settled(submitted.batchId))!;
    return reply.code(200).send({ batchId: settled.batchId, mode: batches.mode, batch: settled, alreadyChecked: alreadyChecked(settled), reports: batches.takeReports(settled.batchId) });
  }
  return reply.code(202).send({ batchId: submitted.batchId, mode: batches.mode, batch: submitted, alreadyChecked: alreadyChecked(submitted) });
});
}
