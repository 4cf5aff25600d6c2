import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { FindingRow } from '../../archive/repository.js';
import { HttpError, parse, type ServerDeps } from '../http.js';
import { Sha256Schema } from '../schemas.js';

/**
 * Review progress over a set of documents (a page of the list, a batch) and bulk decisions: one rule's undecided
 * findings across those documents confirmed or rejected at once. A bulk decision never overrides a decision a
 * reviewer made finding by finding.
 */

/** A progress query names its documents in the address, which Node caps at 16 KB of headers: 200 hashes fit. */
const ProgressDocuments = z.array(Sha256Schema).min(1).max(200);
/** A bulk decision names them in its JSON body (1 MB): a batch of 10,000 documents fits. */
const BulkDocuments = z.array(Sha256Schema).min(1).max(10_000);

const BulkSchema = z.strictObject({
  documents: BulkDocuments,
  ruleId: z.string().min(1).max(200),
  decision: z.enum(['accepted', 'false-positive']),
  comment: z.string().trim().max(2000).optional(),
  reviewer: z.string().trim().min(1, '请填写审核人').max(100),
});

export interface ReviewProgress {
  documents: Record<string, { findings: number; reviewed: number }>;
  rules: { ruleId: string; findings: number; open: number }[];
}

export function progressOf(sha256s: readonly string[], rows: readonly FindingRow[]): ReviewProgress {
  const documents: ReviewProgress['documents'] = Object.fromEntries(sha256s.map((s) => [s, { findings: 0, reviewed: 0 }]));
  const rules = new Map<string, { ruleId: string; findings: number; open: number }>();
  for (const row of rows) {
    const doc = (documents[row.sha256] ??= { findings: 0, reviewed: 0 });
    doc.findings++;
    if (row.decision) doc.reviewed++;
    const rule = rules.get(row.ruleId) ?? { ruleId: row.ruleId, findings: 0, open: 0 };
    rule.findings++;
    if (!row.decision) rule.open++;
    rules.set(row.ruleId, rule);
  }
  return { documents, rules: [...rules.values()].sort((a, b) => b.open - a.open || a.ruleId.localeCompare(b.ruleId)) };
}

export async function reviewProgressRoutes(app: FastifyInstance, { archive }: ServerDeps): Promise<void> {
  app.get('/api/reviews/progress', async (request) => {
    const raw = String((request.query as { documents?: unknown }).documents ?? '');
    const sha256s = parse(ProgressDocuments, raw.split(',').filter(Boolean), '文档列表');
    return progressOf(sha256s, await archive.findings(sha256s));
  });

  app.post('/api/reviews/bulk', async (request) => {
    if (!/^application\/json\s*(;|$)/i.test(request.headers['content-type'] ?? '')) {
      throw new HttpError(415, 'E_INPUT', '审核意见请以 JSON 提交（Content-Type: application/json）');
    }
    const body = parse(BulkSchema, request.body ?? {}, '批量审核');
    const open = (await archive.findings(body.documents)).filter((f) => f.ruleId === body.ruleId && !f.decision);
    for (const f of open) {
      await archive.addReview({ sha256: f.sha256, fingerprint: f.fingerprint, decision: body.decision, reviewer: body.reviewer, ...(body.comment ? { comment: body.comment } : {}) });
    }
    request.log.info({ ruleId: body.ruleId, decision: body.decision, findings: open.length }, 'bulk review stored');
    return { reviewed: open.length };
  });
}
