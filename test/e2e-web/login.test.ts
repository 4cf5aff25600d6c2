/**
 * Logging in through the login form in real headless Chromium against the real server with an access token: the
 * form posts from the server's own page and must get through the cross-site guard (issue 12, item 3), and `next`
 * never sends the browser to another host (item 4).
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type Served } from '../server/harness.js';

const CHROMIUM = process.env.CROSSFOOT_CHROMIUM ?? '/usr/bin/chromium';
const TOKEN = 'browser-login-token-0123';

let server: Served;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (.ci/run does)`);
  server = await startServer({ env: { CROSSFOOT_TOKEN: TOKEN } });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** A fresh browser profile (no cookie) on the login page for `next`, the token typed in and the form sent. */
async function logIn(next: string, token = TOKEN): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(`${server.url}/login?next=${encodeURIComponent(next)}`);
  await page.fill('#token', token);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  return page;
}

describe('the login form in Chromium', () => {
  it('logs in with the right token and lands on the page asked for', async () => {
    const page = await logIn('/search?q=2025');
    const url = new URL(page.url());
    expect(url.origin).toBe(server.url);
    expect(`${url.pathname}${url.search}`).toBe('/search?q=2025');
    expect(await page.locator('body').innerText()).not.toContain('E_ORIGIN');
    const api = await page.evaluate(async () => (await fetch('/api/info')).status);
    expect(api).toBe(200);
    await page.context().close();
  });

  it('goes back to the form with a wrong token', async () => {
    const page = await logIn('/search', 'not-the-token-at-all');
    const url = new URL(page.url());
    expect(url.pathname).toBe('/login');
    expect(await page.locator('.error').innerText()).toContain('令牌不正确');
    await page.context().close();
  });

  it('stays on the server when `next` hides another host behind a tab', async () => {
    const page = await logIn('/\t/evil.example/x');
    const url = new URL(page.url());
    expect(url.origin).toBe(server.url);
    // refused targets go to '/', the dashboard
    expect(url.pathname).toBe('/');
    await page.context().close();
  });
});
