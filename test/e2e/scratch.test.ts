import { writeFile } from 'node:fs/promises';
import { it } from 'vitest';
import { renderDocx, renderPdfKit, renderPdfOffice } from '../helpers/render.js';
import { fixtureText } from './cli.js';
import { readdirSync } from 'node:fs';
it('scratch', async () => {
  for (const name of readdirSync('fixtures/reports')) {
    const text = await fixtureText(name);
    let t = performance.now();
    const docx = await renderDocx(text);
    const a = performance.now() - t; t = performance.now();
    const pdf = await renderPdfKit(text);
    const b = performance.now() - t; t = performance.now();
    await writeFile(`/tmp/scratch/${name}.docx`, docx);
    await writeFile(`/tmp/scratch/${name}.pdf`, pdf);
    await writeFile(`/tmp/scratch/${name}`, text);
    console.log(name, a.toFixed(0), b.toFixed(0), pdf.length);
  }
  for (const name of ['sangong-market-2025.txt', 'mixed-media-center-2025.txt']) {
    const t = performance.now();
    const pdf = await renderPdfOffice(await renderDocx(await fixtureText(name)));
    console.log('office', name, (performance.now() - t).toFixed(0));
    await writeFile(`/tmp/scratch/${name}.office.pdf`, pdf);
  }
}, 120000);
