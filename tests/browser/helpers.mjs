// Shared by the browser tests: Debian's Chromium through playwright-core (never a downloaded browser),
// a demo site (www/demo + a search bundle) served on 127.0.0.1 by scripts/serve.mjs.
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/serve.mjs';
import { ROOT, realBundle, remove, tempDir } from '../js/helpers/bundle.mjs';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const SCREENSHOTS = join(ROOT, 'target/screenshots');

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A Chromium with a fresh profile; close() also removes the profile. */
export async function launch(options = {}) {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/setup.sh (Debian's chromium)`);
  const profile = tempDir('jiansuo-chromium-');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
    locale: 'zh-CN',
    ...options,
  });
  return {
    context,
    async page() {
      const page = await context.newPage();
      // Every answer the widgets show, in order: { query, total, error }.
      await page.addInitScript(() => {
        window.__answers = [];
        document.addEventListener('jiansuo-results', (e) =>
          window.__answers.push({ query: e.detail.query, total: e.detail.page.total, append: e.detail.append }),
        );
        document.addEventListener('jiansuo-error', (e) =>
          window.__answers.push({ query: e.detail.query, error: e.detail.error?.code ?? String(e.detail.error) }),
        );
      });
      page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
      return page;
    },
    async close() {
      await context.close();
      remove(profile);
    },
  };
}

/**
 * The demo site: www/demo/* at the root and a bundle of `posts` in search/. `prepare(dir)` may change the
 * site before it is served (remove files, …); `cacheControl` as scripts/serve.mjs takes it. Returns
 * { url, dir, requests, close }.
 */
export async function demoSite(posts, { prepare, delay = 0, cacheControl } = {}) {
  const dir = tempDir('jiansuo-site-');
  cpSync(join(ROOT, 'www/demo'), dir, { recursive: true });
  mkdirSync(join(dir, 'search'));
  realBundle(posts, join(dir, 'search'));
  await prepare?.(dir);
  const requests = [];
  const server = await serve({ root: dir, delay, cacheControl, onRequest: (path) => requests.push(path) });
  return {
    url: server.url,
    dir,
    requests,
    async close() {
      await server.close();
      remove(dir);
    },
  };
}

/**
 * One browser and one demo site of `posts` for a whole test file (node:test hooks); the returned object's
 * `browser` and `site` are set once the hooks ran, and open(path, { width, height, scheme }) gives a page.
 */
export function shared(posts, siteOptions = {}) {
  const env = {
    browser: null,
    site: null,
    async open(path = '', { width = 1280, height = 900, scheme = 'light' } = {}) {
      const page = await env.browser.page();
      await page.setViewportSize({ width, height });
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(new URL(path, env.site.url).href);
      return page;
    },
  };
  before(async () => {
    env.browser = await launch();
    env.site = await demoSite(posts, siteOptions);
  });
  after(async () => {
    await env.browser?.close();
    await env.site?.close();
  });
  return env;
}

/** Elements inside the widget's shadow root: `#search` is the demo's inline box. */
export function widget(page, selector = '#search') {
  const inner = (css) => page.locator(`${selector} >> ${css}`); // Playwright pierces open shadow roots
  return {
    input: inner('input[role=combobox]'),
    status: inner('[part=status]'),
    options: inner('[role=option]'), // the completions first, then the results
    results: inner('[role=option][part=result]'),
    suggestions: inner('[role=option][part=suggestion]'),
    titles: inner('[role=option] [part=result-title]'),
    more: inner('[part=more]'),
    list: inner('[role=listbox]'),
  };
}

/** Waits until the widget has shown an answer (results or error) for `query`; returns that answer. */
export async function waitForAnswer(page, query, { count = 1 } = {}) {
  const handle = await page.waitForFunction(
    ([q, n]) => {
      const answers = window.__answers.filter((a) => a.query === q);
      return answers.length >= n && answers[n - 1];
    },
    [query, count],
    { timeout: 15_000 },
  );
  return handle.jsonValue();
}
