import type { FastifyInstance, FastifyRequest } from 'fastify';
import { buildPackSet } from '../../checks/pack-set.js';
import { regroup } from '../../cross/archive.js';
import { HttpError, notFound, parse, type ServerDeps } from '../http.js';
import { RegroupBodySchema, Sha256Schema } from '../schemas.js';

/** A reviewer's correction of a document's grouping for the cross-document checks. */
export async function unitRoutes(app: FastifyInstance, { archive, packs }: ServerDeps): Promise<void> {
  const shaParam = (request: FastifyRequest) => parse(Sha256Schema, (request.params as { sha256: string }).sha256, '文档编号');

  /** With another document's unit, alone, or back to the unit read from the document (auto); both units re-checked. */
  app.put('/api/documents/:sha256/unit', async (request) => {
    if (!/^application\/json\s*(;|$)/i.test(request.headers['content-type'] ?? '')) {
      throw new HttpError(415, 'E_INPUT', '归组请以 JSON 提交（Content-Type: application/json）');
    }
    const sha256 = shaParam(request);
    const change = parse(RegroupBodySchema, request.body ?? {}, '归组');
    if ('with' in change && change.with === sha256) throw new HttpError(400, 'E_INPUT', '不能与文档自身归为一组');
    // without packs (a server built for tests of other parts) the grouping is still recorded, with no rule to run
    const report = await regroup(archive, sha256, change, packs ?? buildPackSet([]));
    if (!report) throw notFound('档案库中没有这份文档（或它未能读取、没有单位信息）');
    request.log.info({ sha256, change }, 'document regrouped');
    return report;
  });
}
