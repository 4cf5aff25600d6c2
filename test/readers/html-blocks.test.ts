import { describe, expect, it } from 'vitest';
import { htmlToBlocks } from '../../src/readers/html-blocks.js';

const cells = (html: string) =>
  htmlToBlocks(html)
    .blocks.filter((b) => b.cell)
    .map((b) => `${b.cell!.table}:${b.cell!.row},${b.cell!.col}=${b.text}`);

describe('htmlToBlocks (mammoth HTML)', () => {
  it('expands rowspan and colspan so every cell has its grid position', () => {
    // A | B (rowspan 2) | C
    // D |               | E
    // F (colspan 3)
    // G | H | I
    const html =
      '<table><tr><td>A</td><td rowspan="2">B</td><td>C</td></tr>' +
      '<tr><td>D</td><td>E</td></tr>' +
      '<tr><td colspan="3">F</td></tr>' +
      '<tr><td>G</td><td>H</td><td>I</td></tr></table>';
    expect(cells(html)).toEqual(['0:0,0=A', '0:0,1=B', '0:0,2=C', '0:1,0=D', '0:1,2=E', '0:2,0=F', '0:3,0=G', '0:3,1=H', '0:3,2=I']);
  });

  it('numbers tables in order and keeps a nested table out of the outer cell text, in document order', () => {
    const html =
      '<p>前言</p><table><tr><td><p>外层</p><table><tr><td>内层1</td><td>内层2</td></tr></table></td><td>右</td></tr></table>' +
      '<table><tr><td>第二表</td></tr></table>';
    const { blocks } = htmlToBlocks(html);
    expect(blocks.map((b) => [b.index, b.text, b.cell?.table])).toEqual([
      [0, '前言', undefined],
      [1, '外层', 0],
      [2, '内层1', 1],
      [3, '内层2', 1],
      [4, '右', 0],
      [5, '第二表', 2],
    ]);
  });

  it('nested lists give one list-item each; <br> becomes a line break; footnote back-links are dropped', () => {
    const html =
      '<ul><li>一级<ul><li>二级</li></ul></li></ul><p>第一行<br />第二行</p>' +
      '<ol><li id="footnote-1"><p>资料来源：财政局 <a href="#footnote-ref-1">↑</a></p></li></ol>';
    expect(htmlToBlocks(html).blocks.map((b) => [b.kind, b.text])).toEqual([
      ['list-item', '一级'],
      ['list-item', '二级'],
      ['paragraph', '第一行\n第二行'],
      ['list-item', '资料来源：财政局'],
    ]);
  });

  it('decodes entities, counts images, skips empty paragraphs', () => {
    const { blocks, images } = htmlToBlocks('<p>A &amp; B &lt;C&gt; &#x4E2D;</p><p></p><p><img src="" /></p><h2>二、目标</h2>');
    expect(blocks.map((b) => [b.kind, b.text])).toEqual([
      ['paragraph', 'A & B <C> 中'],
      ['heading', '二、目标'],
    ]);
    expect(images).toBe(1);
  });
});
