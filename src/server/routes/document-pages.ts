import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { notFound, parse, type ServerDeps } from '../http.js';
import { documentBoxes } from '../page-boxes.js';
import { pageImage } from '../page-images.js';
import type { Report } from '../../report/schema.js';
import { Sha256Schema } from '../schemas.js';

/**
 * A PDF's pages for the report view: the page as an image, and where its figures stand on it. Only for documents
 * whose file the server keeps (uploaded ones); a document added by `crossfoot archive add` has its text only.
 */
export async function documentPageRoutes(app: FastifyInstance, { archive, uploads }: ServerDeps): Promise<void> {
  const PageSchema = z.coerce.number().int().min(1).max(10_000);

  async function pdfOf(request: FastifyRequest): Promise<{ sha256: string; page: number; file: string; report: Report }> {
    const params = request.params as { sha256: string; page: string };
    const sha256 = parse(Sha256Schema, params.sha256, '文档编号');
    const page = parse(PageSchema, params.page.replace(/\.png$/, ''), '页码');
    const [report] = await archive.reports([sha256]);
    if (!report) throw notFound('档案库中没有这份文档');
    if (report.format !== 'pdf') throw notFound('这份文档不是 PDF，没有原文页面');
    if (report.pages && page > report.pages) throw notFound(`这份文档只有 ${report.pages} 页`);
    const file = uploads.pathOf(sha256, 'pdf');
    if (!(await stat(file).then((s) => s.isFile(), () => false))) throw notFound('服务器未保存这份文档的原文件（例如由命令行入库），只能查看提取的文字');
    return { sha256, page, file, report };
  }

  app.get('/api/documents/:sha256/pages/:page', async (request, reply) => {
    if (!(request.params as { page: string }).page.endsWith('.png')) throw notFound('页面图像的地址应以 .png 结尾');
    const { sha256, page, file } = await pdfOf(request);
    const image = await pageImage(file, path.join(uploads.dir, '.pages'), sha256, page);
    // a document's bytes never change under its hash: the browser may keep the image
    return reply.type('image/png').header('cache-control', 'private, max-age=86400, immutable').send(createReadStream(image));
  });

  app.get('/api/documents/:sha256/pages/:page/boxes', async (request) => {
    const { page, file, report } = await pdfOf(request);
    const boxes = (await documentBoxes(file, path.join(uploads.dir, '.pages'), report)).find((p) => p.page === page);
    if (!boxes) throw notFound(`没有第 ${page} 页`);
    return boxes;
  });
}
