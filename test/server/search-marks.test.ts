/**
 * Search highlights are offsets, not markup (issue 12, item 10): a report whose text contains `<mark>x</mark>`
 * and `<script>` comes back from /api/search with that text as it is and only the searched word's offsets
 * marked, on both archives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snippet } from '../../src/archive/highlight.js';
import { BACKENDS, type Scratch } from '../archive/backends.js';
import { marked } from '../helpers/snippet.js';
import { formOf, markupReport, startServer, type Served } from './harness.js';

describe.each(BACKENDS)('search highlights as offsets on $name', ({ scratch }) => {
  let s: Scratch;
  let server: Served;
  beforeAll(async () => {
    s = await scratch();
    server = await startServer({ db: s.db });
    const up = await fetch(`${server.url}/api/documents`, { method: 'POST', body: formOf([{ name: 'markup.txt', bytes: new TextEncoder().encode(await markupReport()) }]) });
    expect(up.status, await up.clone().text()).toBe(200);
  });
  afterAll(async () => {
    await server?.stop();
    await s?.dispose();
  });

  it('keeps <mark> and <script> of the text as text; only the match is marked', async () => {
    const body = (await (await fetch(`${server.url}/api/search?q=${encodeURIComponent('高亮')}`)).json()) as { hits: { snippet: Snippet }[] };
    expect(body.hits).toHaveLength(1);
    const { snippet } = body.hits[0]!;
    expect(snippet.text).toContain('<mark>x</mark>显示为高亮，并执行<script>alert(2)</script>');
    expect(snippet.marks.map(([a, b]) => snippet.text.slice(a, b))).toEqual(['高亮']);
    expect(marked(body.hits[0]!)).toContain('<mark>x</mark>显示为<mark>高亮</mark>');
  });
});
