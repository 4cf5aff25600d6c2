/** The archive's pure parts: indexed text forms, query terms, snippets, field filters, configuration, write plans. */
import { describe, expect, it } from 'vitest';
import { resolveTarget } from '../../src/archive/config.js';
import { ArchiveError } from '../../src/archive/errors.js';
import { highlightText, snippetOf, withMarks } from '../../src/archive/highlight.js';
import { pending } from '../../src/archive/migrations/migration.js';
import { parseFieldRange } from '../../src/archive/query.js';
import { planWrite } from '../../src/archive/write-plan.js';
import { indexGrams, parseTerms, plainForm, segmentWords } from '../../src/archive/search-text.js';
import { displayWidth, fit, renderTable } from '../../src/archive/text-table.js';
import { ftsExpression } from '../../src/archive/sqlite.js';

describe('indexed text', () => {
  it('indexes the jieba words, with the finance dictionary, joined by spaces', () => {
    expect(segmentWords('“三公”经费支出决算276.10万元，开展毛发检测和社区戒毒。')).toBe('三公 经费支出 决算 276.10 万元 开展 毛发 检测 和 社区戒毒');
  });

  it('indexes Han bigrams (with each run’s last character), quotes and line breaks inside Chinese ignored', () => {
    expect(indexGrams('“三公”经费\n支出 ABC 2024年')).toBe('三公 公经 经费 费支 支出 出 abc 2024 年');
    expect(plainForm('“三公”经费\n支出 A股')).toBe('三公经费支出 a股');
  });

  it('turns a query into terms: jieba words, consecutive grams, and a lone character as a prefix', () => {
    const [three, one] = parseTerms('三公经费  药 三公经费');
    expect(three).toMatchObject({ tokens: ['三公经费'], grams: [{ text: '三公' }, { text: '公经' }, { text: '经费' }] });
    expect(one!.grams).toEqual([{ text: '药', prefix: true }]);
    expect(parseTerms('，。 ！')).toEqual([]);
    expect(ftsExpression(parseTerms('毛发检测'))).toBe('({head body} : "毛发 检测" OR grams : "毛发" + "发检" + "检测")');
  });
});

describe('snippets', () => {
  it('marks every query word in title, organization or text, or shows the opening', () => {
    const snippet = snippetOf(['2025年度报告', null, '开展毛发\n检测和禁毒宣传'], parseTerms('毛发检测 禁毒'));
    expect(snippet).toEqual({ text: '2025年度报告 开展毛发 检测和禁毒宣传', marks: [[11, 16], [17, 19]] });
    expect(withMarks(snippet, '<mark>', '</mark>')).toBe('2025年度报告 开展<mark>毛发 检测</mark>和<mark>禁毒</mark>宣传');
    expect(snippetOf(['标题', '某局', '正文'], parseTerms('量子'))).toEqual({ text: '标题 某局 正文', marks: [] });
  });

  it('sends matches as offsets: markup in the text stays text, whitespace runs are one space', () => {
    const snippet = highlightText('  检索框 提交 <mark>x</mark>\n\n和<script>alert(1)</script>  ', parseTerms('检索框'))!;
    expect(snippet).toEqual({ text: '检索框 提交 <mark>x</mark> 和<script>alert(1)</script>', marks: [[0, 3]] });
  });

  it('highlights a word across quotes in the original text, around its first occurrence', () => {
    const text = `${'前文'.repeat(40)}2025年度“三公”经费预算9.60万元，三公经费比上年减少。`;
    const snippet = withMarks(highlightText(text, parseTerms('三公经费'))!, '<mark>', '</mark>');
    expect(snippet.startsWith('…')).toBe(true);
    expect(snippet).toContain('“<mark>三公”经费</mark>预算');
    expect(snippet).toContain('<mark>三公经费</mark>比上年');
    expect(highlightText(text, parseTerms('量子'))).toBeUndefined();
  });
});

describe('field filters', () => {
  it('parses key(op)value with exact decimals', () => {
    expect(parseFieldRange('expenditure.total>=1000000')).toEqual({ key: 'expenditure.total', op: '>=', value: '1000000' });
    expect(parseFieldRange(' threePublic.total < 50000.5 ')).toEqual({ key: 'threePublic.total', op: '<', value: '50000.5' });
    for (const bad of ['expenditure.total', 'x=>1', '>=1', 'x>=1万', 'x>=1e6']) expect(() => parseFieldRange(bad)).toThrow(ArchiveError);
  });
});

describe('configuration', () => {
  it('chooses PostgreSQL for a URL, SQLite otherwise; options win over the environment', () => {
    expect(resolveTarget({}, {})).toEqual({ backend: 'sqlite', path: './crossfoot.db' });
    expect(resolveTarget({}, { CROSSFOOT_DB: '/var/x.db' })).toEqual({ backend: 'sqlite', path: '/var/x.db' });
    expect(resolveTarget({}, { DATABASE_URL: 'postgres://h/db', CROSSFOOT_DB: 'x.db' })).toEqual({ backend: 'postgres', url: 'postgres://h/db' });
    expect(resolveTarget({ db: 'a.db' }, { DATABASE_URL: 'postgres://h/db' })).toEqual({ backend: 'sqlite', path: 'a.db' });
    expect(resolveTarget({ databaseUrl: 'postgresql://u@h:5433/db' }, {})).toEqual({ backend: 'postgres', url: 'postgresql://u@h:5433/db' });
    expect(() => resolveTarget({}, { DATABASE_URL: 'mysql://h/db' })).toThrow(ArchiveError);
    expect(() => resolveTarget({ databaseUrl: 'http://h' }, {})).toThrow(ArchiveError);
  });
});

describe('write plans and migrations', () => {
  const packs = [{ id: 'core', version: '1.2.0' }];
  it('adds, keeps, replaces, or refuses an older check', () => {
    expect(planWrite(undefined, 'd', packs)).toBe('insert');
    expect(planWrite({ digest: 'd', packs }, 'd', packs)).toBe('unchanged');
    expect(planWrite({ digest: 'd', packs }, 'e', [{ id: 'core', version: '1.10.0' }])).toBe('replace');
    expect(planWrite({ digest: 'd', packs }, 'e', packs)).toBe('replace');
    expect(planWrite({ digest: 'd', packs }, 'e', [{ id: 'core', version: '1.1.9' }])).toBe('stale');
    expect(planWrite({ digest: 'd', packs }, 'e', [{ id: 'core', version: '1.1.9' }, { id: 'mine', version: '1.0.0' }])).toBe('replace');
  });

  it('orders pre-release pack versions as semver does: a release is newer than its release candidates', () => {
    const rc = [{ id: 'core', version: '1.1.0-rc.1' }];
    const release = [{ id: 'core', version: '1.1.0' }];
    expect(planWrite({ digest: 'd', packs: rc }, 'e', release)).toBe('replace');
    expect(planWrite({ digest: 'd', packs: release }, 'e', rc)).toBe('stale');
    expect(planWrite({ digest: 'd', packs: [{ id: 'core', version: '1.1.0-rc.2' }] }, 'e', [{ id: 'core', version: '1.1.0-rc.10' }])).toBe('replace');
  });

  it('applies the missing migrations in order and refuses a newer database', () => {
    const ms = [2, 1, 3].map((version) => ({ version, name: `m${version}`, statements: [] }));
    expect(pending(ms, [1]).map((m) => m.version)).toEqual([2, 3]);
    expect(() => pending(ms, [1, 2, 3, 4])).toThrow(/newer/);
  });
});

describe('terminal tables', () => {
  it('aligns Chinese text by display width', () => {
    expect(displayWidth('某市a')).toBe(5);
    expect(fit('某市第二中学', 7)).toBe('某市第…');
    expect(renderTable(['a', 'b'], [['某市', 'x'], ['abcdef', 'y']])).toBe('a       b\n某市    x\nabcdef  y\n');
  });
});
