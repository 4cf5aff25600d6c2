/**
 * The archive repository, one suite for both backends: storing (idempotence, re-checks and reviews, atomic
 * writes) and searching real Chinese reports (hits, misses, highlights, the bigram fallback, filters, order).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveError } from '../../src/archive/errors.js';
import type { ArchiveRepository, SearchQuery } from '../../src/archive/index.js';
import { plainForm } from '../../src/archive/search-text.js';
import { checkDocument } from '../../src/pipeline.js';
import { tokenize } from '../../src/text/tokenize.js';
import { marked } from '../helpers/snippet.js';
import { BACKENDS, type Scratch } from './backends.js';
import { bumpPacks, corpus, type Doc, variant } from './corpus.js';

const shas = (hits: { sha256: string }[]) => hits.map((h) => h.sha256).sort();

describe.each(BACKENDS)('archive repository on $name', ({ scratch }) => {
  describe('storing', () => {
    let s: Scratch;
    let archive: ArchiveRepository;
    let docs: Doc[];

    beforeAll(async () => {
      docs = await corpus();
      s = await scratch();
      archive = await s.open();
    });
    afterAll(async () => {
      await archive?.close();
      await s?.dispose();
    });

    it('stores each report as checked and gives it back in the contract', async () => {
      for (const d of docs) expect((await archive.addReport(d.report, d.text)).status).toBe('added');
      expect(await archive.reports(docs.map((d) => d.report.sha256))).toEqual(docs.map((d) => d.report));
    });

    it('lists every document with its fields, exactly as the report states them', async () => {
      const { total, hits } = await archive.search({});
      expect(total).toBe(docs.length);
      for (const d of docs) {
        const hit = hits.find((h) => h.sha256 === d.report.sha256)!;
        expect(hit.fields).toEqual(d.report.fields);
        expect(hit).toMatchObject({ file: d.report.file, fiscalYear: d.report.fiscalYear, organization: d.report.organization, status: 'ok' });
        expect(hit.errors).toBe(d.report.findings.filter((f) => f.severity === 'error').length);
        expect(hit.warnings).toBe(d.report.findings.filter((f) => f.severity === 'warning').length);
      }
    });

    it('is idempotent: the same report again changes nothing', async () => {
      const before = await archive.search({ limit: 100 });
      for (const d of docs) expect((await archive.addReport(d.report, d.text)).status).toBe('unchanged');
      // the same bytes under another path are the same document
      expect((await archive.addReport({ ...docs[0]!.report, file: 'elsewhere/copy.txt' }, docs[0]!.text)).status).toBe('unchanged');
      const after = await archive.search({ limit: 100 });
      expect(after).toEqual(before);
    });

    it('a re-check with newer packs replaces the findings and keeps every review, orphaning the ones whose finding is gone', async () => {
      const base = docs.find((d) => d.report.file.includes('agri-summary-part-changed'))!;
      const v1 = variant(base.report, 'recheck');
      expect(v1.findings.length).toBeGreaterThanOrEqual(2);
      await archive.addReport(v1, base.text);
      const [kept, dropped] = v1.findings;
      await archive.addReview({ sha256: v1.sha256, fingerprint: kept!.id, decision: 'accepted', reviewer: '张三' });
      await archive.addReview({ sha256: v1.sha256, fingerprint: dropped!.id, decision: 'false-positive', reviewer: '张三' });
      await archive.addReview({ sha256: v1.sha256, fingerprint: kept!.id, decision: 'comment', comment: '已与单位核实', reviewer: '李四' });

      const v2 = { ...v1, packs: bumpPacks(v1), findings: [kept!] };
      expect(await archive.addReport(v2, base.text)).toEqual({ status: 'replaced', sha256: v1.sha256, orphanedReviews: 1 });
      const reviews = await archive.reviews(v1.sha256);
      expect(reviews.map((r) => [r.fingerprint, r.decision, r.orphaned])).toEqual([
        [kept!.id, 'accepted', false],
        [dropped!.id, 'false-positive', true],
        [kept!.id, 'comment', false],
      ]);
      expect(reviews[2]!.comment).toBe('已与单位核实');
      const findings = await archive.findings([v1.sha256]);
      expect(findings.map((f) => [f.fingerprint, f.decision])).toEqual([[kept!.id, 'accepted']]);
      expect((await archive.reports([v1.sha256]))[0]).toEqual(v2);

      // a worker still on the old packs cannot overwrite the newer result
      expect((await archive.addReport(v1, base.text)).status).toBe('stale');
      expect((await archive.reports([v1.sha256]))[0]).toEqual(v2);
    });

    it('a write that fails half-way leaves the previous state, never half a report', async () => {
      const base = docs.find((d) => d.report.file.includes('school-basic-restated'))!;
      const v1 = variant(base.report, 'atomic');
      await archive.addReport(v1, base.text);
      const findingsBefore = await archive.findings([v1.sha256]);
      // the second finding repeats the first one's fingerprint: the findings insert violates the primary key
      // after the document row, figures and fields have been written
      const broken = { ...v1, packs: bumpPacks(v1), fields: { 'expenditure.total': 1 }, findings: [v1.findings[0]!, v1.findings[0]!] };
      await expect(archive.addReport(broken, `${base.text}\n独一无二的鸿雁词`)).rejects.toThrow();
      expect((await archive.reports([v1.sha256]))[0]).toEqual(v1);
      expect(await archive.findings([v1.sha256])).toEqual(findingsBefore);
      expect((await archive.search({ text: '鸿雁' })).total).toBe(0);
      const again = await archive.search({ text: '校舍维修', fields: [{ key: 'expenditure.total', op: '=', value: String(v1.fields['expenditure.total']) }] });
      expect(shas(again.hits)).toContain(v1.sha256);

      // a new document whose write fails is not there at all
      const fresh = { ...variant(base.report, 'atomic-new'), findings: [v1.findings[0]!, v1.findings[0]!] };
      await expect(archive.addReport(fresh, base.text)).rejects.toThrow();
      expect(await archive.resolve(fresh.sha256)).toEqual([]);
    });

    it('stores a batch in one transaction, all or nothing', async () => {
      const base = docs[2]!;
      const batch = ['batch-1', 'batch-2', 'batch-3'].map((tag) => ({ report: variant(base.report, tag), text: base.text }));
      const broken = { report: { ...variant(base.report, 'batch-4'), findings: [base.report.findings[0] ?? docs[8]!.report.findings[0]!, base.report.findings[0] ?? docs[8]!.report.findings[0]!] }, text: base.text };
      await expect(archive.addReports([...batch, broken])).rejects.toThrow();
      for (const b of [...batch, broken]) expect(await archive.resolve(b.report.sha256)).toEqual([]);
      const outcomes = await archive.addReports([...batch, batch[0]!]);
      expect(outcomes.map((o) => o.status)).toEqual(['added', 'added', 'added', 'unchanged']);
      expect(await archive.reports(batch.map((b) => b.report.sha256))).toEqual(batch.map((b) => b.report));
    });

    it('refuses a report that breaks the contract and a review of a finding that does not exist', async () => {
      const bad = { ...docs[0]!.report, status: 'maybe' } as unknown as Doc['report'];
      await expect(archive.addReport(bad)).rejects.toBeInstanceOf(ArchiveError);
      await expect(archive.addReview({ sha256: docs[0]!.report.sha256, fingerprint: 'nope', decision: 'accepted', reviewer: 'x' })).rejects.toBeInstanceOf(ArchiveError);
    });

    it('keeps amounts exact: cents compare equal, not nearly equal', async () => {
      const exact = variant(docs[0]!.report, 'cents', { fields: { 'expenditure.total': 12345.67, 'threePublic.total': 0.1 } });
      await archive.addReport(exact, docs[0]!.text);
      const found = (q: SearchQuery) => archive.search(q).then((r) => shas(r.hits).includes(exact.sha256));
      expect(await found({ fields: [{ key: 'expenditure.total', op: '=', value: '12345.67' }] })).toBe(true);
      expect(await found({ fields: [{ key: 'expenditure.total', op: '>', value: '12345.67' }] })).toBe(false);
      expect(await found({ fields: [{ key: 'expenditure.total', op: '<', value: '12345.68' }] })).toBe(true);
      expect(await found({ fields: [{ key: 'threePublic.total', op: '=', value: '0.1' }] })).toBe(true);
      const hit = (await archive.search({ fields: [{ key: 'threePublic.total', op: '=', value: '0.1' }] })).hits[0]!;
      expect(hit.fields).toEqual({ 'expenditure.total': 12345.67, 'threePublic.total': 0.1 });
    });

    it('compares field filters exactly, past the precision of a double', async () => {
      const exact = variant(docs[0]!.report, 'beyond-doubles', { fields: { 'expenditure.total': 2761000, 'threePublic.total': 12345.67 } });
      await archive.addReport(exact, docs[0]!.text);
      const found = (key: string, op: '>=' | '<=' | '>' | '<' | '=', value: string) =>
        archive.search({ fields: [{ key, op, value }] }).then((r) => shas(r.hits).includes(exact.sha256));
      // each literal rounds to the stored double: a float comparison gets every one of these wrong
      expect(await found('expenditure.total', '>=', '2761000.0000000001')).toBe(false);
      expect(await found('expenditure.total', '=', '2761000.0000000001')).toBe(false);
      expect(await found('expenditure.total', '<', '2761000.0000000001')).toBe(true);
      expect(await found('expenditure.total', '>', '2760999.9999999999')).toBe(true);
      expect(await found('expenditure.total', '<=', '2760999.9999999999')).toBe(false);
      expect(await found('threePublic.total', '=', '12345.670000000000001')).toBe(false);
      expect(await found('threePublic.total', '>', '12345.669999999999999')).toBe(true);
      expect(await found('threePublic.total', '<', '12345.670000000000001')).toBe(true);
      expect(await found('expenditure.total', '=', '2761000.000')).toBe(true);
      expect(await found('expenditure.total', '<', '99999999999999999999999999')).toBe(true);
      expect(await found('expenditure.total', '>', '-99999999999999999999999999')).toBe(true);
    });

    it('stores unreadable documents with their error', async () => {
      const failed = await checkDocument(new TextEncoder().encode('%PDF-1.7\n broken'), { file: 'scans/broken.pdf' });
      expect(failed.status).toBe('failed');
      expect((await archive.addReport(failed)).status).toBe('added');
      const { hits } = await archive.search({ status: 'failed' });
      expect(hits.map((h) => [h.file, h.status, h.error?.code])).toEqual([['scans/broken.pdf', 'failed', failed.error!.code]]);
    });

    it('finds documents by file and by sha256 prefix', async () => {
      const d = docs[1]!.report;
      expect(await archive.resolve(d.file)).toEqual([d.sha256]);
      expect(await archive.resolve(d.sha256.slice(0, 10).toUpperCase())).toEqual([d.sha256]);
      expect(await archive.resolve('nothing-like-it')).toEqual([]);
    });
  });

  describe('search', () => {
    let s: Scratch;
    let archive: ArchiveRepository;
    let docs: Doc[];
    /** Documents whose title, organization or text contain `word` (quotes and line breaks ignored). */
    const containing = (word: string) =>
      docs.filter((d) => plainForm([d.report.title, d.report.organization, d.text].join('\n')).includes(plainForm(word))).map((d) => d.report.sha256).sort();

    beforeAll(async () => {
      docs = await corpus();
      s = await scratch();
      archive = await s.open();
      for (const d of docs) await archive.addReport(d.report, d.text);
    });
    afterAll(async () => {
      await archive?.close();
      await s?.dispose();
    });

    it.each(['冷链', '公务接待', '政府采购', '中小企业', '绩效自评', '流感样病例', '核酸提取', '某市第二中学', '疫病监测'])(
      'finds every report that mentions %s, and only those',
      async (word) => {
        const expected = containing(word);
        expect(expected.length).toBeGreaterThan(0);
        const { total, hits } = await archive.search({ text: word, limit: 100 });
        expect(shas(hits)).toEqual(expected);
        expect(total).toBe(expected.length);
      },
    );

    it('finds nothing for words that are not there', async () => {
      for (const word of ['量子计算', '航空母舰', '区块链']) {
        expect(containing(word)).toEqual([]);
        expect(await archive.search({ text: word })).toEqual({ total: 0, hits: [] });
      }
      expect((await archive.search({ text: '冷链 量子计算' })).total).toBe(0);
    });

    it('marks the word in the snippet', async () => {
      const { hits } = await archive.search({ text: '冷链' });
      expect(marked(hits[0]!)).toContain('<mark>冷链</mark>');
      expect(hits[0]!.snippet!.text).not.toContain('\u200b');
      expect(hits[0]!.score).toBeGreaterThan(0);
    });

    it('finds words jieba cuts differently in the text (bigram fallback), marked in the snippet', async () => {
      // “三公”经费 is cut 三公 | 经费支出 in the text, while the query 三公经费 is one word; in context jieba cuts
      // 疾病预防控制中心 and 市场监督管理局 into other words than 预防 | 控制 and 监督管理
      for (const word of ['三公经费', '预防控制', '监督管理']) {
        const expected = containing(word);
        expect(expected.length).toBeGreaterThan(0);
        const words = tokenize(word);
        for (const sha of expected) {
          const inText = ` ${tokenize(docs.find((d) => d.report.sha256 === sha)!.text).join(' ')} `;
          expect(inText.includes(` ${words.join(' ')} `), `${word} would be found without the fallback`).toBe(false);
        }
        const { hits } = await archive.search({ text: word, limit: 100 });
        expect(shas(hits)).toEqual(expected);
        for (const h of hits) expect(marked(h)).toMatch(new RegExp(`<mark>${[...word].join('[“”]?')}</mark>`));
      }
    });

    it('needs every word of the query', async () => {
      const both = containing('三公经费').filter((sha) => containing('公务用车').includes(sha));
      expect(both.length).toBeGreaterThan(0);
      expect(shas((await archive.search({ text: '三公经费 公务用车', limit: 100 })).hits)).toEqual(both);
    });

    it('returns the text of a hostile document as text (the UI escapes it)', async () => {
      const { hits } = await archive.search({ text: 'script' });
      expect(hits).toHaveLength(1);
      expect(marked(hits[0]!)).toContain('<mark>script</mark>');
    });

    it('filters by year, organization, type and status', async () => {
      const by = (pred: (d: Doc) => boolean) => docs.filter(pred).map((d) => d.report.sha256).sort();
      expect(shas((await archive.search({ fiscalYear: 2026 })).hits)).toEqual(by((d) => d.report.fiscalYear === 2026));
      expect(shas((await archive.search({ organization: '第二中学', limit: 100 })).hits)).toEqual(by((d) => !!d.report.organization?.includes('第二中学')));
      expect(shas((await archive.search({ documentType: 'sangong' })).hits)).toEqual(by((d) => d.report.documentType === 'sangong'));
      expect((await archive.search({ status: 'failed' })).total).toBe(0);
      expect(shas((await archive.search({ text: '公务接待', fiscalYear: 2025, limit: 100 })).hits)).toEqual(
        containing('公务接待').filter((sha) => by((d) => d.report.fiscalYear === 2025).includes(sha)),
      );
    });

    it('filters by findings: severity and rule', async () => {
      const withFinding = (pred: (f: Doc['report']['findings'][number]) => boolean) => docs.filter((d) => d.report.findings.some(pred)).map((d) => d.report.sha256).sort();
      const errors = withFinding((f) => f.severity === 'error');
      // two planted slips are errors; cdc-execution-rate's budget is found a sentence before its rate, by label, so
      // that one is a warning
      expect(errors.length).toBe(2);
      expect(shas((await archive.search({ has: 'error', limit: 100 })).hits)).toEqual(errors);
      expect(shas((await archive.search({ has: 'warning', limit: 100 })).hits)).toEqual(withFinding((f) => f.severity === 'warning'));
      expect(shas((await archive.search({ rule: 'core/budget-execution-rate' })).hits)).toEqual(withFinding((f) => f.ruleId === 'core/budget-execution-rate'));
      expect((await archive.search({ has: 'info', rule: 'core/budget-execution-rate' })).total).toBe(0);
    });

    it('filters by field ranges, combined', async () => {
      const by = (pred: (f: Record<string, number>) => boolean) => docs.filter((d) => pred(d.report.fields)).map((d) => d.report.sha256).sort();
      const big = by((f) => (f['expenditure.total'] ?? -1) >= 30_000_000);
      expect(big.length).toBeGreaterThan(0);
      expect(shas((await archive.search({ fields: [{ key: 'expenditure.total', op: '>=', value: '30000000' }], limit: 100 })).hits)).toEqual(big);
      const small = by((f) => f['threePublic.total'] !== undefined && f['threePublic.total'] < 50_000);
      expect(small.length).toBeGreaterThan(0);
      expect(shas((await archive.search({ fields: [{ key: 'threePublic.total', op: '<', value: '50000' }], limit: 100 })).hits)).toEqual(small);
      const both = by((f) => (f['expenditure.total'] ?? -1) >= 30_000_000 && f['threePublic.total'] !== undefined && f['threePublic.total'] < 50_000);
      const q = { fields: [{ key: 'expenditure.total', op: '>=', value: '30000000' }, { key: 'threePublic.total', op: '<', value: '50000' }] } as const;
      expect(shas((await archive.search({ ...q, fields: [...q.fields], limit: 100 })).hits)).toEqual(both);
    });

    it('keeps only documents with unreviewed findings; a comment does not settle a finding', async () => {
      const errorDocs = docs.filter((d) => d.report.findings.some((f) => f.severity === 'error'));
      const [settled, commented] = errorDocs;
      for (const f of settled!.report.findings.filter((x) => x.severity === 'error')) {
        await archive.addReview({ sha256: settled!.report.sha256, fingerprint: f.id, decision: 'accepted', reviewer: 'r' });
      }
      const anError = commented!.report.findings.find((x) => x.severity === 'error')!;
      await archive.addReview({ sha256: commented!.report.sha256, fingerprint: anError.id, decision: 'comment', comment: '待核', reviewer: 'r' });
      const open = shas((await archive.search({ has: 'error', unreviewed: true, limit: 100 })).hits);
      expect(open).toEqual(errorDocs.filter((d) => d !== settled).map((d) => d.report.sha256).sort());
      // its warnings are still unreviewed
      const settledWarnings = settled!.report.findings.some((f) => f.severity !== 'error');
      expect(shas((await archive.search({ unreviewed: true, limit: 100 })).hits).includes(settled!.report.sha256)).toBe(settledWarnings);
      // reopened: undecided again in the filter, the finding list and the dashboard's overview; the history stays
      const reopened = settled!.report.findings.find((x) => x.severity === 'error')!;
      const revision = await archive.revision();
      await archive.addReview({ sha256: settled!.report.sha256, fingerprint: reopened.id, decision: 'reopened', reviewer: 'r' });
      // a review changes the archive's revision, which the dashboard's cache is keyed on
      expect(await archive.revision()).not.toBe(revision);
      expect(shas((await archive.search({ has: 'error', unreviewed: true, limit: 100 })).hits)).toContain(settled!.report.sha256);
      expect((await archive.findings([settled!.report.sha256])).find((f) => f.fingerprint === reopened.id)?.decision).toBeNull();
      const overview = await archive.overview([settled!.report.sha256]);
      expect(overview.documents.map((d) => d.sha256)).toEqual([settled!.report.sha256]);
      expect(overview.findings.filter((f) => f.decision === 'accepted')).toHaveLength(settled!.report.findings.filter((x) => x.severity === 'error').length - 1);
      const history = (await archive.reviews(settled!.report.sha256)).filter((r) => r.fingerprint === reopened.id);
      expect(history.map((r) => r.decision)).toEqual(['accepted', 'reopened']);
    });

    it('sorts by year, organization, errors and relevance', async () => {
      const year = (await archive.search({ sort: 'year', limit: 100 })).hits.map((h) => h.fiscalYear!);
      expect(year).toEqual([...year].sort((a, b) => b - a));
      const org = (await archive.search({ sort: 'org', limit: 100 })).hits.map((h) => h.organization ?? '');
      expect(org).toEqual([...org].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      const errors = (await archive.search({ sort: 'errors', limit: 100 })).hits.map((h) => h.errors);
      expect(errors).toEqual([...errors].sort((a, b) => b - a));
      expect(errors[0]).toBeGreaterThan(0);
      const relevance = (await archive.search({ text: '公务接待', limit: 100 })).hits.map((h) => h.score!);
      expect(relevance).toEqual([...relevance].sort((a, b) => b - a));
    });

    it('pages through results', async () => {
      const all = await archive.search({ sort: 'year', limit: 100 });
      const pages = [];
      for (let offset = 0; offset < all.total; offset += 3) {
        const page = await archive.search({ sort: 'year', limit: 3, offset });
        expect(page.total).toBe(all.total);
        pages.push(...page.hits);
      }
      expect(pages).toEqual(all.hits);
      expect(await archive.search({ sort: 'year', limit: 3, offset: 1000 })).toEqual({ total: all.total, hits: [] });
      const text = await archive.search({ text: '公务接待', limit: 1, offset: 1000 });
      expect(text.total).toBe(containing('公务接待').length);
    });

    it('treats a query of punctuation only as matching nothing, and rejects bad queries', async () => {
      expect(await archive.search({ text: '，。！' })).toEqual({ total: 0, hits: [] });
      // query syntax of either database is just text here
      for (const text of ['冷链" OR "x', 'NEAR(冷链 *', "冷链' & !", '{head} : 冷链', '\\ 冷链']) await expect(archive.search({ text })).resolves.toBeDefined();
      expect((await archive.search({ text: '"冷链"' })).total).toBe(containing('冷链').length);
      await expect(archive.search({ has: 'fatal' } as unknown as SearchQuery)).rejects.toBeInstanceOf(ArchiveError);
    });
  });
});
