import { serverInfo } from './api.js';
import { $, h, message, replace } from './dom.js';
import { loadLabels } from './labels.js';
import { batchPage, batchesPage } from './pages/batches.js';
import { dashboardPage } from './pages/dashboard.js';
import { documentsPage } from './pages/documents.js';
import { exportPage } from './pages/export.js';
import { reportPage } from './pages/report.js';
import { searchPage } from './pages/search.js';
import { uploadPage } from './pages/upload.js';

/** One shell for every page; the address decides which page renders into <main>. */

type Page = (main: HTMLElement, params: string[]) => Promise<void> | void;

const ROUTES: [RegExp, Page, string][] = [
  [/^\/(dashboard\/?)?$/, dashboardPage, 'dashboard'],
  [/^\/upload\/?$/, uploadPage, 'upload'],
  [/^\/batches\/?$/, batchesPage, 'batches'],
  [/^\/batches\/([\w-]+)\/?$/, batchPage, 'batches'],
  [/^\/documents\/?$/, documentsPage, 'documents'],
  [/^\/documents\/([0-9a-f]{64})\/?$/, reportPage, 'documents'],
  [/^\/search\/?$/, searchPage, 'search'],
  [/^\/export\/?$/, exportPage, 'export'],
];

async function start(): Promise<void> {
  const main = $('#main')!;
  const route = ROUTES.find(([re]) => re.test(location.pathname));
  for (const link of Array.from(document.querySelectorAll<HTMLAnchorElement>('nav.top a[data-nav]'))) {
    if (route && link.dataset.nav === route[2]) link.setAttribute('aria-current', 'page');
  }
  void serverInfo()
    .then((info) => {
      const mode = $('#mode');
      if (mode) replace(mode, info.mode === 'queue' ? '队列模式' : '本机检查', info.queueDashboard ? h('a', { href: info.queueDashboard, class: 'dash' }, '队列面板') : null);
    })
    .catch(() => undefined);
  if (!route) {
    replace(main, message('error', '页面不存在。'), h('p', {}, h('a', { href: '/documents' }, '返回文档列表')));
    return;
  }
  const [re, page] = route;
  const params = re.exec(location.pathname)!.slice(1);
  try {
    // every page names the report's keys; a page that cannot have them fails like one that cannot have its data
    await loadLabels();
    await page(main, params);
  } catch (error) {
    replace(main, message('error', `页面加载失败：${(error as Error).message}`));
  }
}

void start();
