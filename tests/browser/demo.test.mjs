// The demo page (www/demo) with the <jiansuo-search> widget in headless Chromium, against build-index's
// bundle of sample/_posts served from 127.0.0.1.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { HOSTILE_POSTS, SAMPLE_POSTS, nextPublication, realBundle, tempDir } from '../js/helpers/bundle.mjs';
import { SCREENSHOTS, demoSite, shared, waitForAnswer, widget } from './helpers.mjs';

const env = shared(SAMPLE_POSTS);
const open = (...args) => env.open(...args);

/** The same search through the API in Node, on the served bundle: what the widget should show. */
let api = null;
async function expected(query, options = {}) {
  if (!api) {
    const { openIndex } = await import(pathToFileURL(join(env.site.dir, 'search/jiansuo.js')).href);
    api = await openIndex(join(env.site.dir, 'search'));
  }
  return api.search(query, options);
}

/** Opens the filter panel with its button; returns the panel's locator. */
async function openPanel(page, selector = '#search') {
  const toggle = page.locator(`${selector} >> [part=filter-toggle]`);
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  const panel = page.locator(`${selector} >> [part=facets]`);
  await panel.waitFor({ state: 'visible' });
  assert.equal(await toggle.getAttribute('aria-controls'), await panel.getAttribute('id'));
  return panel;
}

/** The days (YYYY-MM-DD, the post's own) of the results shown. */
const shownDays = (page) => page.$$eval('#search >> [role=option] time', (els) => els.map((t) => t.getAttribute('datetime').slice(0, 10)));

/** Runs `body(page, site)` on a page of the demo served with `delay` ms before each answer; closes the site (and the page when `body` succeeds). */
async function onSlowSite(delay, body) {
  const slow = await demoSite(SAMPLE_POSTS, { delay });
  try {
    const page = await env.browser.page();
    await body(page, slow);
    await page.close();
  } finally {
    await slow.close();
  }
}

async function typeQuery(page, query, ui = widget(page)) {
  await ui.input.click();
  await ui.input.pressSequentially(query, { delay: 20 });
  return waitForAnswer(page, query);
}

/** What the widget shows: the titles, the status line, the active option. */
function shown(page, selector = '#search') {
  return page.evaluate((sel) => {
    const root = document.querySelector(sel).shadowRoot;
    const input = root.querySelector('input');
    return {
      titles: [...root.querySelectorAll('[role=option] [part=result-title]')].map((t) => t.textContent),
      hrefs: [...root.querySelectorAll('[role=option][part=result]')].map((a) => a.getAttribute('href')),
      suggestions: [...root.querySelectorAll('[role=option][part=suggestion]')].map((o) => o.id),
      options: [...root.querySelectorAll('[role=option]')].map((o) => o.id),
      marks: [...root.querySelectorAll('[role=option] mark')].map((m) => m.textContent),
      status: root.querySelector('[part=status]').textContent,
      expanded: input.getAttribute('aria-expanded'),
      active: input.getAttribute('aria-activedescendant'),
      selected: [...root.querySelectorAll('[aria-selected=true]')].map((o) => o.id),
      value: input.value,
    };
  }, selector);
}

describe('search on the demo page', () => {
  test('typing 长春 lists the posts about 长春, with the hits marked', async () => {
    const page = await open();
    const answer = await typeQuery(page, '长春');
    assert.ok(answer.total >= 10, `total ${answer.total}`);
    const view = await shown(page);
    assert.equal(view.status, `共 ${answer.total} 条结果`);
    assert.equal(view.titles.length, 10);
    assert.equal(view.expanded, 'true');
    assert.ok(view.titles.includes('长春地铁6号线开通初期运营 城市轨道交通线网再扩容'), view.titles.join('\n'));
    assert.ok(view.titles.includes('长春马拉松鸣枪开跑 三万名跑者穿越春城街巷'));
    assert.ok(view.marks.length >= 10 && view.marks.every((m) => /^(长春|長春)$/.test(m)), view.marks.join(' '));
    // In the engine's order (relevance), each with its title, date (in Chinese), categories and excerpt.
    const want = await expected('长春', { limit: 10 });
    assert.deepEqual(view.titles, want.results.map((r) => r.title));
    const rows = await page.$$eval('#search >> [role=option][part=result]', (els) =>
      els.map((el) => ({
        day: el.querySelector('time').textContent,
        categories: [...el.querySelectorAll('[part=result-category]')].map((c) => c.textContent),
        excerpt: el.querySelector('[part=result-excerpt]').textContent.length > 20,
      })),
    );
    const zhDay = (iso) => iso.replace(/^(\d{4})-0?(\d+)-0?(\d+).*/, '$1年$2月$3日');
    assert.deepEqual(rows, want.results.map((r) => ({ day: zhDay(r.date), categories: r.categories, excerpt: true })));
    // The combobox owns the listbox, and the count is announced from a polite live region it points to.
    const aria = await page.evaluate(() => {
      const root = document.querySelector('#search').shadowRoot;
      const input = root.querySelector('input');
      const status = root.getElementById(input.getAttribute('aria-describedby'));
      return {
        label: input.getAttribute('aria-label'),
        controls: root.getElementById(input.getAttribute('aria-controls'))?.getAttribute('role'),
        autocomplete: input.getAttribute('aria-autocomplete'),
        status: [status?.getAttribute('role'), status?.getAttribute('aria-live'), status?.textContent],
      };
    });
    assert.deepEqual(aria, { label: '搜索', controls: 'listbox', autocomplete: 'list', status: ['status', 'polite', `共 ${answer.total} 条结果`] });
    // The engine runs in a worker: typing never waits on the page's thread.
    assert.ok(page.workers().length >= 1, 'no search worker');
    await page.close();
  });

  test('IME: nothing is searched while composing; the committed text is', async () => {
    const page = await open();
    const ui = widget(page);
    await ui.input.click();
    const cdp = await page.context().newCDPSession(page);
    for (const text of ['c', 'ch', 'chang', 'changc', 'changchun']) {
      await cdp.send('Input.imeSetComposition', { text, selectionStart: text.length, selectionEnd: text.length });
      await page.waitForTimeout(60);
    }
    await page.waitForTimeout(400); // longer than the debounce: a search would have happened by now
    assert.equal(await ui.input.inputValue(), 'changchun');
    assert.deepEqual(await page.evaluate(() => window.__answers), []);
    await cdp.send('Input.insertText', { text: '长春' }); // the IME commits
    const answer = await waitForAnswer(page, '长春');
    assert.ok(answer.total >= 10);
    const queries = await page.evaluate(() => window.__answers.map((a) => a.query));
    assert.ok(queries.every((q) => !/[a-z]/.test(q)), `searched while composing: ${queries}`);
    await page.close();
  });

  test('keyboard: ↓ ↑ move the active option, Esc clears it, Enter opens it', async () => {
    const page = await open();
    await typeQuery(page, '长春');
    const ui = widget(page);
    await page.keyboard.press('ArrowDown');
    let view = await shown(page);
    // The options: the completions of 长春 first (if any), then the results; ↓ ↑ go through both.
    const ids = await ui.options.evaluateAll((els) => els.map((el) => el.id));
    assert.deepEqual(ids, [...view.suggestions, ...(await ui.results.evaluateAll((els) => els.map((el) => el.id)))]);
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(view.active, ids[0]);
    assert.deepEqual(view.selected, [ids[0]]);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    view = await shown(page);
    assert.equal(view.active, ids[1]);
    assert.deepEqual(view.selected, [ids[1]]);
    // Focus never left the input (aria-activedescendant pattern).
    assert.equal(await ui.input.evaluate((el) => el.getRootNode().activeElement === el), true);
    await page.keyboard.press('Escape');
    view = await shown(page);
    assert.equal(view.active, null);
    assert.equal(view.value, '长春'); // the first Esc only leaves the list (and closes the completions)
    assert.deepEqual(view.suggestions, []);
    assert.equal(view.expanded, 'true');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    view = await shown(page);
    assert.equal(view.active, view.options[1]);
    const href = view.hrefs[1];
    await Promise.all([page.waitForURL((url) => url.href === new URL(href, env.site.url).href), page.keyboard.press('Enter')]);
    // Back from the article: the search is still there.
    await page.goBack();
    await waitForAnswer(page, '长春');
    assert.equal((await shown(page)).value, '长春');
    await page.close();
  });

  test('keyboard: Tab leaves the input for the next control; Esc twice clears the search', async () => {
    const page = await open();
    await typeQuery(page, '长春');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.querySelector('#search').shadowRoot.activeElement?.getAttribute('part'));
    assert.equal(focused, 'clear');
    assert.equal((await shown(page)).active, null);
    await widget(page).input.focus();
    await page.keyboard.press('Escape');
    assert.equal((await shown(page)).value, '');
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('q'));
    assert.equal((await shown(page)).expanded, 'false');
    await page.close();
  });

  test('URL state: ?q= is written, shared links open the search, Back restores the previous search', async () => {
    const page = await open();
    const { total } = await typeQuery(page, '长春');
    assert.equal(new URL(page.url()).searchParams.get('q'), '长春');
    await page.keyboard.press('Enter'); // commits: the next search gets its own history entry
    const ui = widget(page);
    await ui.input.fill('');
    await ui.input.pressSequentially('人工智能', { delay: 20 });
    await waitForAnswer(page, '人工智能');
    assert.equal(new URL(page.url()).searchParams.get('q'), '人工智能');
    await page.goBack();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === '长春');
    await waitForAnswer(page, '长春', { count: 2 });
    assert.equal((await shown(page)).value, '长春');
    await page.goBack();
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('q'));
    await page.waitForFunction(() => document.querySelector('#search').shadowRoot.querySelector('input').value === '');
    assert.equal((await shown(page)).titles.length, 0);
    // A shared link, in traditional characters: same results as 长春.
    const shared = await open('?q=' + encodeURIComponent('長春'));
    const answer = await waitForAnswer(shared, '長春');
    assert.equal(answer.total, total);
    assert.equal((await shown(shared)).value, '長春');
    await shared.close();
    await page.close();
  });

  test('nothing found: 没有找到…, no list, no toolbar', async () => {
    const page = await open();
    assert.equal((await typeQuery(page, '龘')).total, 0);
    const view = await shown(page);
    assert.equal(view.status, '没有找到与“龘”相关的结果');
    assert.deepEqual([view.titles, view.expanded], [[], 'false']);
    assert.equal(await page.locator('#search >> [part=sort]').isVisible(), false);
    assert.equal(await page.locator('#search >> [part=filter-toggle]').isVisible(), false);
    await page.close();
  });

  test('load more and sort by date', async () => {
    const page = await open();
    const { total } = await typeQuery(page, '长春');
    assert.ok(total > 10);
    const ui = widget(page);
    assert.equal(await ui.more.isVisible(), true);
    await ui.more.click();
    await page.waitForFunction(() => window.__answers.some((a) => a.append));
    let view = await shown(page);
    assert.equal(view.titles.length, Math.min(total, 20));
    assert.equal(view.status, `已显示 ${view.titles.length} 条，共 ${total} 条`);
    assert.equal(new Set(view.hrefs).size, view.hrefs.length, 'a result listed twice');
    await page.locator('#search >> [part=sort] button[data-sort=date]').click();
    await page.waitForFunction(() => window.__answers.filter((a) => a.query === '长春').length >= 3);
    const dates = await page.$$eval('#search >> [role=option] time', (els) => els.map((t) => t.getAttribute('datetime')));
    const times = dates.map((d) => Date.parse(d));
    assert.deepEqual(times, [...times].sort((a, b) => b - a));
    assert.equal(await page.locator('#search >> [data-sort=date]').getAttribute('aria-pressed'), 'true');
    view = await shown(page);
    assert.equal(view.titles.length, 10);
    await page.close();
  });

  test('the last 加载更多, pressed from the keyboard, leaves focus in the box on the first result it brought', async () => {
    const page = await open();
    const { total } = await typeQuery(page, '长春');
    assert.ok(total > 10 && total <= 20, `${total} results: one more page expected`);
    const ui = widget(page);
    await ui.more.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => window.__answers.some((a) => a.append));
    assert.equal(await ui.more.isVisible(), false);
    const focus = await page.evaluate(() => {
      const root = document.querySelector('#search').shadowRoot;
      const input = root.querySelector('input[role=combobox]');
      const active = root.getElementById(input.getAttribute('aria-activedescendant'));
      return { focused: root.activeElement === input, index: active?.dataset.index };
    });
    assert.deepEqual(focus, { focused: true, index: '10' });
    await page.close();
  });

  test('lang and strings changed at run time: the status line follows, and an English error reads as English', async () => {
    const page = await open();
    const { total } = await typeQuery(page, '长春');
    const ui = widget(page);
    await page.evaluate(() => document.querySelector('#search').setAttribute('lang', 'en'));
    await waitForAnswer(page, '长春', { count: 2 });
    assert.equal(await ui.status.textContent(), `${total} results`);
    await page.evaluate(() => {
      document.querySelector('#search').strings = { total: 'found {n}' };
    });
    await waitForAnswer(page, '长春', { count: 3 });
    assert.equal(await ui.status.textContent(), `found ${total}`);
    await page.evaluate(() => {
      document.querySelector('#search').searchOptions = { from: '2025/01/01' };
    });
    await page.waitForFunction(() => document.querySelector('#search').shadowRoot.querySelector('[part=status]').getAttribute('role') === 'alert');
    assert.match(await ui.status.textContent(), /^Search is unavailable: Something went wrong; please try again\.bad-options$/);
    await page.close();
  });

  test('errors: a failure without a message of its own says so once; the box holds no more than the engine takes', async () => {
    const page = await open();
    await typeQuery(page, '长春');
    const ui = widget(page);
    await page.evaluate(() => {
      document.querySelector('#search').searchOptions = { from: '2025/01/01' };
    });
    await page.waitForFunction(() => window.__errors?.length || document.querySelector('#search').shadowRoot.querySelector('[part=status]').getAttribute('role') === 'alert');
    const status = await ui.status.textContent();
    assert.match(status, /^搜索暂时无法使用：搜索出错，请稍后重试。bad-options$/, status);
    await page.evaluate(() => {
      document.querySelector('#search').searchOptions = {};
    });
    await ui.input.fill('长'.repeat(1200));
    assert.equal((await ui.input.inputValue()).length, 1000, 'the box holds what the engine accepts');
    await page.close();
  });

  test('category chips: counts from the engine, filtering, kept in the URL', async () => {
    const page = await open();
    const { total } = await typeQuery(page, '长春');
    await openPanel(page);
    const chips = page.locator('#search >> [part=facet-chip][data-kind=categories]');
    await chips.first().waitFor();
    const labels = await chips.evaluateAll((els) => els.map((el) => [el.dataset.value, +el.querySelector('.count').textContent]));
    assert.ok(labels.length >= 2, JSON.stringify(labels));
    const [value, count] = labels.find(([, n]) => n < total);
    await chips.filter({ hasText: value }).first().click();
    const answer = await waitForAnswer(page, '长春', { count: 2 });
    assert.equal(answer.total, count);
    const params = new URL(page.url()).searchParams;
    assert.equal(params.get('q'), '长春');
    assert.deepEqual(params.getAll('category'), [value]);
    const categories = await page.$$eval('#search >> [role=option][part=result]', (els) =>
      els.map((li) => [...li.querySelectorAll('[part=result-category]')].map((c) => c.textContent)),
    );
    assert.ok(categories.every((list) => list.includes(value)), JSON.stringify(categories));
    assert.match(await widget(page).status.textContent(), /已筛选/);
    // The chosen chip's count is its filtered total; the counts are the engine's for this query.
    const want = await expected('长春', { categories: [value], facets: true });
    const counts = await chips.evaluateAll((els) => els.map((el) => [el.dataset.value, +el.querySelector('.count').textContent]));
    assert.deepEqual(counts, want.facets.categories.slice(0, 12).map((c) => [c.value, c.count]));
    // The shared URL restores the filter, in the panel opened for it.
    const shared = await open(new URL(page.url()).search);
    assert.equal((await waitForAnswer(shared, '长春')).total, count);
    assert.equal(await shared.locator('#search >> [part=filter-toggle]').getAttribute('aria-expanded'), 'true');
    assert.equal(await shared.locator(`#search >> [part=facet-chip][aria-pressed=true]`).count(), 1);
    await shared.locator('#search >> [part=facet-reset]').click();
    assert.equal((await waitForAnswer(shared, '长春', { count: 2 })).total, total);
    assert.equal(new URL(shared.url()).searchParams.has('category'), false);
    await shared.close();
    await page.close();
  });

  test('tag chips: a tag and a category together; each dimension counted without its own filter', async () => {
    const page = await open();
    const { total } = await typeQuery(page, '长春');
    await openPanel(page);
    const tags = page.locator('#search >> [part=facet-chip][data-kind=tags]');
    await tags.first().waitFor();
    const [tag, count] = await tags.first().evaluate((el) => [el.dataset.value, +el.querySelector('.count').textContent]);
    assert.ok(count < total, `${tag} ${count} of ${total}`);
    await tags.first().click();
    assert.equal((await waitForAnswer(page, '长春', { count: 2 })).total, count);
    assert.deepEqual(new URL(page.url()).searchParams.getAll('tag'), [tag]);
    // A category on top: the results are in both; the tag chips still count without the tag filter.
    const category = page.locator('#search >> [part=facet-chip][data-kind=categories]').first();
    const value = await category.getAttribute('data-value');
    await category.click();
    const answer = await waitForAnswer(page, '长春', { count: 3 });
    const want = await expected('长春', { tags: [tag], categories: [value], facets: true });
    assert.equal(answer.total, want.total);
    assert.deepEqual((await shown(page)).hrefs, want.results.map((r) => new URL(r.url, env.site.url).href));
    const tagCounts = await tags.evaluateAll((els) => els.map((el) => [el.dataset.value, +el.querySelector('.count').textContent]));
    const wantCounts = want.facets.tags.slice(0, 12).map((c) => [c.value, c.count]);
    if (!wantCounts.some(([v]) => v === tag)) wantCounts.push([tag, 0]); // a chosen value stays listed
    assert.deepEqual(tagCounts, wantCounts);
    assert.equal(await page.locator('#search >> [part=filter-toggle] .count').textContent(), '2');
    // Each chip is a step of its own in the history: Back takes the category off, then the tag.
    await page.goBack();
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('category'));
    assert.equal((await waitForAnswer(page, '长春', { count: 4 })).total, count);
    assert.deepEqual(new URL(page.url()).searchParams.getAll('tag'), [tag]);
    await page.goBack();
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('tag'));
    assert.equal((await waitForAnswer(page, '长春', { count: 5 })).total, total);
    assert.equal(new URL(page.url()).searchParams.get('q'), '长春');
    await page.close();
  });

  test('completions: options of the listbox that finish the keyword; clicking one searches for it', async () => {
    const page = await open();
    await typeQuery(page, 'ip');
    const option = widget(page).suggestions.filter({ hasText: 'iphone' });
    await option.first().waitFor();
    // In the listbox, above the results; no chips beside it.
    assert.equal(await option.first().evaluate((el) => el.parentElement.getAttribute('role')), 'listbox');
    assert.equal(await page.locator('#search >> [part=suggestions]').count(), 0);
    await option.first().click();
    const answer = await waitForAnswer(page, 'iphone');
    assert.ok(answer.total >= 1);
    assert.equal((await shown(page)).value, 'iphone');
    assert.equal(new URL(page.url()).searchParams.get('q'), 'iphone');
    await page.close();
  });

  test('a newer query supersedes a slower older one', async () => {
    await onSlowSite(250, async (page, slow) => {
      await page.goto(slow.url);
      const ui = widget(page);
      await ui.input.click();
      await waitForWorker(page);
      await ui.input.pressSequentially('黄', { delay: 10 });
      await page.waitForTimeout(150); // its search is now waiting on the slow server
      await ui.input.pressSequentially('金价格', { delay: 10 });
      const answer = await waitForAnswer(page, '黄金价格');
      assert.ok(answer.total >= 1);
      await page.waitForTimeout(600);
      const queries = await page.evaluate(() => window.__answers.map((a) => a.query));
      assert.deepEqual(queries, ['黄金价格'], 'the stale answer was shown');
    });
  });

  test('a box cleared while its search is on the way stays empty', async () => {
    await onSlowSite(250, async (page, slow) => {
      await page.goto(slow.url);
      const ui = widget(page);
      await ui.input.click();
      await ui.input.pressSequentially('长春', { delay: 10 });
      await page.waitForTimeout(400); // typed, and its search waiting on the slow server
      await page.keyboard.press('Escape');
      assert.equal(await ui.input.inputValue(), '');
      await page.waitForTimeout(2000); // longer than the search takes
      assert.equal(await ui.options.count(), 0);
      assert.equal((await ui.status.textContent()).trim(), '');
      assert.deepEqual(await page.evaluate(() => window.__answers.map((a) => a.query)), []);
      assert.equal(new URL(page.url()).searchParams.get('q'), null);
    });
  });

  test('no layout shift: the search box stays put while the index loads and results arrive', async () => {
    await onSlowSite(300, async (page, slow) => {
      await page.setViewportSize({ width: 1280, height: 900 });
      const boxes = [];
      const box = async () => boxes.push(JSON.stringify(await page.locator('#search').evaluate((el) => {
        const r = el.getBoundingClientRect();
        return [r.x, r.y, r.width];
      })));
      await page.goto(slow.url, { waitUntil: 'commit' });
      await page.waitForSelector('#search');
      await box(); // possibly before the element is defined
      await page.waitForFunction(() => customElements.get('jiansuo-search'));
      const inputBox = async () => {
        const r = await widget(page).input.boundingBox();
        return JSON.stringify([r.x, r.y, r.width, r.height]);
      };
      await box();
      const before = await inputBox();
      await widget(page).input.click();
      await widget(page).input.pressSequentially('长春', { delay: 10 });
      await page.waitForTimeout(400); // loading
      assert.equal(await inputBox(), before);
      await box();
      await waitForAnswer(page, '长春');
      assert.equal(await inputBox(), before);
      await box();
      assert.equal(new Set(boxes).size, 1, boxes.join(' '));
    });
  });
});

describe('the filter panel: facet counts and the date range', () => {
  const toggle = (page) => page.locator('#search >> [part=filter-toggle]');
  const fromField = (page) => page.locator('#search >> [part~=date-from]');
  const toField = (page) => page.locator('#search >> [part~=date-to]');
  const preset = (page, key) => page.locator(`#search >> [part=date-preset][data-preset=${key}]`);
  const facetFiles = (requests) => requests.filter((path) => path.startsWith('/search/f/'));

  test('facet data is fetched only once the panel is opened', async () => {
    const seen = env.site.requests.length;
    const page = await open();
    await typeQuery(page, '长春');
    await widget(page).input.pressSequentially(' 人工智能', { delay: 20 }); // another query, still no counts needed
    await waitForAnswer(page, '长春 人工智能');
    assert.equal(await page.locator('#search >> [part=facets]').isVisible(), false);
    assert.equal(await toggle(page).isVisible(), true);
    assert.deepEqual(facetFiles(env.site.requests.slice(seen)), []);
    await openPanel(page);
    await page.locator('#search >> [part=facet-chip]').first().waitFor();
    assert.ok(facetFiles(env.site.requests.slice(seen)).length > 0, env.site.requests.slice(seen).join(' '));
    // The counts came without searching again: the list was not redrawn.
    assert.deepEqual((await page.evaluate(() => window.__answers)).map((a) => a.query), ['长春', '长春 人工智能']);
    await toggle(page).click();
    assert.equal(await toggle(page).getAttribute('aria-expanded'), 'false');
    assert.equal(await page.locator('#search >> [part=facets]').isVisible(), false);
    await page.close();
  });

  test('a date range changes the count and the results; it is in the URL; Back and a shared link restore it', async () => {
    const page = await open();
    const { total } = await typeQuery(page, '长春');
    await openPanel(page);
    await fromField(page).fill('2024-01-01');
    const since = await waitForAnswer(page, '长春', { count: 2 });
    assert.equal(since.total, (await expected('长春', { from: '2024-01-01' })).total);
    await toField(page).fill('2025-12-31');
    const range = await waitForAnswer(page, '长春', { count: 3 });
    const want = await expected('长春', { from: '2024-01-01', to: '2025-12-31' });
    assert.ok(want.total > 0 && want.total < since.total && since.total < total, `${want.total} < ${since.total} < ${total}`);
    assert.equal(range.total, want.total);
    const view = await shown(page);
    assert.deepEqual(view.hrefs, want.results.map((r) => new URL(r.url, env.site.url).href));
    const days = await shownDays(page);
    assert.ok(days.length > 0 && days.every((d) => d >= '2024-01-01' && d <= '2025-12-31'), days.join(' '));
    assert.equal(view.status, `共 ${want.total} 条结果（已筛选）`);
    assert.equal(await toggle(page).locator('.count').textContent(), '1');
    const params = new URL(page.url()).searchParams;
    assert.deepEqual([params.get('q'), params.get('from'), params.get('to')], ['长春', '2024-01-01', '2025-12-31']);
    // The fields bound each other, so the browser's picker offers only a sensible range.
    assert.equal(await fromField(page).getAttribute('max'), '2025-12-31');
    assert.equal(await toField(page).getAttribute('min'), '2024-01-01');

    // A shared link: the same results, the range in the fields, the panel open.
    const shared = await open(new URL(page.url()).search);
    assert.equal((await waitForAnswer(shared, '长春')).total, want.total);
    assert.equal(await fromField(shared).inputValue(), '2024-01-01');
    assert.equal(await toField(shared).inputValue(), '2025-12-31');
    assert.equal(await toggle(shared).getAttribute('aria-expanded'), 'true');
    assert.deepEqual((await shown(shared)).titles, view.titles);
    await shared.close();

    // Back: first the range without its end, then the search without a range.
    await page.goBack();
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('to'));
    assert.equal((await waitForAnswer(page, '长春', { count: 4 })).total, since.total);
    assert.equal(new URL(page.url()).searchParams.get('from'), '2024-01-01');
    assert.equal(await toField(page).inputValue(), '');
    await page.goBack();
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('from'));
    assert.equal((await waitForAnswer(page, '长春', { count: 5 })).total, total);
    assert.equal(await fromField(page).inputValue(), '');
    assert.equal((await shown(page)).status, `共 ${total} 条结果`);
    assert.equal(await toggle(page).locator('.count').isVisible(), false);
    await page.goForward();
    await waitForAnswer(page, '长春', { count: 6 });
    await page.goForward();
    assert.equal((await waitForAnswer(page, '长春', { count: 7 })).total, want.total);
    assert.equal(await toField(page).inputValue(), '2025-12-31');
    await page.close();
  });

  test('presets: 最近一周/一月/一年 count back from today; 不限 clears the range', async () => {
    const page = await env.browser.page();
    await page.clock.setFixedTime(new Date('2026-08-01T12:00:00Z')); // the 1st of August wherever the browser is
    await page.goto(env.site.url);
    const { total } = await typeQuery(page, '长春');
    await openPanel(page);
    const pressed = () => page.$$eval('#search >> [part=date-preset]', (els) => els.filter((b) => b.getAttribute('aria-pressed') === 'true').map((b) => b.dataset.preset));
    assert.deepEqual(await pressed(), ['anyDate']);
    assert.deepEqual(
      await page.$$eval('#search >> [part=date-preset]', (els) => els.map((b) => b.textContent)),
      ['不限', '最近一周', '最近一月', '最近一年'],
    );
    let count = 1;
    for (const [key, from] of [['lastYear', '2025-08-01'], ['lastMonth', '2026-07-02'], ['lastWeek', '2026-07-25']]) {
      await preset(page, key).click();
      const answer = await waitForAnswer(page, '长春', { count: ++count });
      assert.equal(answer.total, (await expected('长春', { from })).total, key);
      assert.equal(new URL(page.url()).searchParams.get('from'), from);
      assert.equal(new URL(page.url()).searchParams.has('to'), false);
      assert.equal(await fromField(page).inputValue(), from);
      assert.deepEqual(await pressed(), [key]);
      assert.ok((await shownDays(page)).every((d) => d >= from));
    }
    assert.ok((await expected('长春', { from: '2025-08-01' })).total < total);
    await preset(page, 'anyDate').click();
    assert.equal((await waitForAnswer(page, '长春', { count: ++count })).total, total);
    assert.equal(new URL(page.url()).searchParams.has('from'), false);
    assert.deepEqual(await pressed(), ['anyDate']);
    // A custom range is no preset.
    await fromField(page).fill('2025-08-02');
    await waitForAnswer(page, '长春', { count: ++count });
    assert.deepEqual(await pressed(), []);
    await page.close();
  });

  test('without keywords, a date range lists the posts of those days; an empty range says so', async () => {
    const page = await open('?from=2026-01-01&to=2026-12-31');
    const want = await expected('', { from: '2026-01-01', to: '2026-12-31' });
    assert.ok(want.total > 0);
    assert.equal((await waitForAnswer(page, '')).total, want.total);
    const view = await shown(page);
    assert.equal(view.value, '');
    assert.equal(view.status, `共 ${want.total} 条结果（已筛选）`);
    assert.deepEqual(view.hrefs, want.results.map((r) => new URL(r.url, env.site.url).href));
    assert.ok((await shownDays(page)).every((d) => d.startsWith('2026-')));
    await page.close();

    const none = await open('?from=2099-01-01&to=not-a-day&category=体育');
    assert.equal((await waitForAnswer(none, '')).total, 0);
    assert.equal((await shown(none)).status, '没有符合筛选条件的结果（已筛选）');
    // A malformed day in the URL is dropped, not sent to the engine.
    assert.equal(await toField(none).inputValue(), '');
    assert.equal(await toggle(none).locator('.count').textContent(), '2');
    await none.locator('#search >> [part=facet-reset]').click();
    await none.waitForFunction(() => new URL(location.href).search === '');
    assert.equal((await shown(none)).status, '');
    assert.equal(await toggle(none).isVisible(), false);
    // The reset button went away with the panel: the focus is back in the input.
    assert.equal(await widget(none).input.evaluate((el) => el.getRootNode().activeElement === el), true);
    await none.close();
  });

  test('keyboard: the panel button, a chip chosen with Enter keeps the focus, visible focus rings', async () => {
    const page = await open();
    await typeQuery(page, '长春');
    const active = () => page.evaluate(() => {
      const el = document.querySelector('#search').shadowRoot.activeElement;
      const style = el && getComputedStyle(el);
      return el && { part: el.getAttribute('part'), value: el.dataset.value ?? null, pressed: el.getAttribute('aria-pressed'), outline: `${style.outlineStyle} ${style.outlineWidth}` };
    });
    await page.keyboard.press('Tab'); // the clear button
    assert.deepEqual(await active(), { part: 'clear', value: null, pressed: null, outline: 'solid 2px' });
    await page.keyboard.press('Tab');
    assert.equal((await active()).part, 'filter-toggle');
    assert.equal((await active()).outline, 'solid 2px');
    await page.keyboard.press('Enter');
    assert.equal(await toggle(page).getAttribute('aria-expanded'), 'true');
    const chip = page.locator('#search >> [part=facet-chip][data-kind=categories]').nth(1);
    await chip.waitFor();
    const value = await chip.getAttribute('data-value');
    await chip.focus();
    await page.keyboard.press('Enter');
    await waitForAnswer(page, '长春', { count: 2 });
    assert.deepEqual(await active(), { part: 'facet-chip', value, pressed: 'true', outline: 'solid 2px' });
    await page.keyboard.press('Space'); // and off again
    await waitForAnswer(page, '长春', { count: 3 });
    assert.deepEqual(await active(), { part: 'facet-chip', value, pressed: 'false', outline: 'solid 2px' });
    // The date fields are labelled and focusable like any field.
    const labels = await page.$$eval('#search >> [part~=date-input]', (els) => els.map((el) => el.labels[0].textContent.trim()));
    assert.deepEqual(labels, ['从', '至']);
    assert.equal(await page.locator('#search >> [part~=dates]').getAttribute('aria-label'), '日期');
    await page.close();
  });
});

async function waitForWorker(page) {
  // Focus starts loading the index; wait until it is open so the test measures searches only.
  await page.waitForFunction(() => performance.getEntriesByType('resource').length > 0);
  await page.waitForTimeout(300);
}

describe('anywhere on any static host', () => {
  test('the demo and its bundle moved under /news/2026/ work unchanged', async () => {
    const moved = await demoSite(SAMPLE_POSTS, {
      prepare: (dir) => {
        mkdirSync(join(dir, 'news'));
        renameSync(join(dir, 'index.html'), join(dir, 'news/index.html'));
        renameSync(join(dir, 'search'), join(dir, 'news/2026'));
        const page = readFileSync(join(dir, 'news/index.html'), 'utf8').replaceAll('./search/', './2026/');
        writeFileSync(join(dir, 'news/index.html'), page);
      },
    });
    try {
      const page = await env.browser.page();
      await page.goto(`${moved.url}news/?q=${encodeURIComponent('长春')}`);
      const answer = await waitForAnswer(page, '长春');
      assert.ok(answer.total >= 10);
      assert.ok(moved.requests.some((path) => path === '/news/2026/manifest.bin'), moved.requests.join(' '));
      assert.ok(moved.requests.every((path) => !path.startsWith('/search/')));
      await page.close();
    } finally {
      await moved.close();
    }
  });
});

describe('modal mode (the header search of the demo)', () => {
  test('/ and Ctrl-K open it; results show in the dialog; Esc closes it; the URL is left alone', async () => {
    const page = await open();
    await page.keyboard.press('/');
    const dialog = page.locator('jiansuo-search[mode=modal] >> dialog');
    await dialog.waitFor({ state: 'visible' });
    const ui = widget(page, 'jiansuo-search[mode=modal]');
    assert.equal(await ui.input.evaluate((el) => el.getRootNode().activeElement === el), true);
    await ui.input.pressSequentially('人工智能', { delay: 20 });
    const answer = await waitForAnswer(page, '人工智能');
    assert.ok(answer.total >= 3);
    assert.ok((await ui.titles.count()) >= 3);
    assert.equal(new URL(page.url()).search, '');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await page.keyboard.press('Control+k');
    await dialog.waitFor({ state: 'visible' });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await page.keyboard.press('Meta+k'); // ⌘-K
    await dialog.waitFor({ state: 'visible' });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    // In a text field, / is typed, not a shortcut.
    await widget(page).input.click();
    await page.keyboard.press('/');
    assert.equal(await dialog.isVisible(), false);
    assert.equal(await widget(page).input.inputValue(), '/');
    await page.close();
  });
});

describe('hostile content', () => {
  test('titles, categories and excerpts are shown as text; nothing runs', async () => {
    const hostile = await demoSite(HOSTILE_POSTS);
    try {
      const page = await env.browser.page();
      const dialogs = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        d.dismiss();
      });
      await page.goto(hostile.url);
      const ui = widget(page);
      await ui.input.click();
      await ui.input.pressSequentially('长春', { delay: 20 });
      const answer = await waitForAnswer(page, '长春');
      assert.equal(answer.total, 3);
      const view = await page.evaluate(() => {
        const list = document.querySelector('#search').shadowRoot.querySelector('[role=listbox]');
        return {
          titles: [...list.querySelectorAll('[part=result-title]')].map((t) => t.textContent),
          categories: [...list.querySelectorAll('[part=result-category]')].map((c) => c.textContent),
          excerpts: [...list.querySelectorAll('[part=result-excerpt]')].map((p) => p.textContent),
          tags: [...new Set([...list.querySelectorAll('[part=result], [part=result] *')].map((el) => el.localName))].sort(),
          suggestionTags: [...new Set([...list.querySelectorAll('[part=suggestion] *')].map((el) => el.localName))],
          marks: [...list.querySelectorAll('mark')].map((m) => m.textContent),
        };
      });
      assert.ok(view.titles.includes('<img src=x onerror=alert(1)>'), view.titles.join('\n'));
      assert.ok(view.titles.some((t) => t.startsWith('</mark><svg onload=alert(6)>')), view.titles.join('\n'));
      assert.ok(view.titles.includes('普通的长春新闻 & 引号“测试”'));
      assert.ok(view.categories.includes('<b onmouseover=alert(2)>分类</b>'), view.categories.join('\n'));
      assert.ok(view.excerpts.some((e) => e.includes('<img src=x onerror=alert(4)>')), view.excerpts.join('\n'));
      assert.ok(view.excerpts.some((e) => e.includes('<mark>')), 'a literal <mark> in the text is shown as text');
      // Only the widget's own elements: no img, svg, script or b from the content.
      assert.deepEqual(view.tags, ['a', 'mark', 'span', 'time']);
      assert.ok(view.suggestionTags.every((t) => ['svg', 'path', 'span'].includes(t)), view.suggestionTags.join(' '));
      assert.ok(view.marks.every((m) => m === '长春'), view.marks.join(' '));
      await page.waitForTimeout(300);
      assert.deepEqual(dialogs, []);
      await page.close();
    } finally {
      await hostile.close();
    }
  });
});

/** The demo site's next publication (helpers/bundle.mjs: one post more) written over its bundle in `dir`. */
function publishAgain(dir) {
  const posts = nextPublication(tempDir());
  try {
    realBundle(posts, join(dir, 'search'));
  } finally {
    rmSync(dirname(posts), { recursive: true, force: true });
  }
}

/** Clears the inline widget, types `query` and waits for its answer. */
async function searchAgain(page, ui, query) {
  await ui.input.fill('');
  await ui.input.pressSequentially(query, { delay: 20 });
  return waitForAnswer(page, query);
}

describe('when the bundle cannot be loaded, or is published again', () => {
  /**
   * Searches 长春 on a demo site served with `siteOptions` (demoSite's: `prepare` breaks it), and hands the page, the
   * widget, its answer and the site's folder to `check`.
   */
  async function searchDemo(siteOptions, check) {
    const site = await demoSite(SAMPLE_POSTS, siteOptions);
    try {
      const page = await env.browser.page();
      await page.goto(site.url);
      const ui = widget(page);
      await ui.input.click();
      await ui.input.pressSequentially('长春', { delay: 20 });
      await check(page, ui, await waitForAnswer(page, '长春'), site.dir);
      await page.close();
    } finally {
      await site.close();
    }
  }

  test('a missing index shows a clear message (and the error code for the site owner)', async () => {
    await searchDemo(
      { prepare: (dir) => rmSync(join(dir, 'search/manifest.bin')) },
      async (page, ui, answer) => {
        assert.equal(answer.error, 'missing');
        const status = ui.status;
        assert.equal(await status.getAttribute('role'), 'alert');
        assert.match(await status.textContent(), /搜索暂时无法使用：没有找到搜索索引/);
        assert.match(await status.textContent(), /missing · manifest\.bin · 404/);
        assert.equal(await ui.options.count(), 0);
        mkdirSync(SCREENSHOTS, { recursive: true });
        await page.locator('main').screenshot({ path: join(SCREENSHOTS, 'demo-error-missing-index.png') });
      },
    );
  });

  test('a manifest missing for a while (the site being published): the next search opens the index', async () => {
    await searchDemo(
      { prepare: (dir) => renameSync(join(dir, 'search/manifest.bin'), join(dir, 'manifest.away')) },
      async (page, ui, answer, dir) => {
        assert.equal(answer.error, 'missing');
        renameSync(join(dir, 'manifest.away'), join(dir, 'search/manifest.bin'));
        assert.ok((await searchAgain(page, ui, '黄金')).total > 0);
      },
    );
  });

  test('a file of the index missing (a half-published bundle): incomplete, not "no index"', async () => {
    await searchDemo(
      {
        prepare: (dir) => {
          for (const folder of readdirSync(join(dir, 'search/d'))) rmSync(join(dir, 'search/d', folder), { recursive: true });
        },
      },
      async (page, ui, answer) => {
        assert.equal(answer.error, 'missing');
        const text = await ui.status.textContent();
        assert.match(text, /搜索暂时无法使用：搜索索引不完整/);
        assert.doesNotMatch(text, /没有找到搜索索引/);
        assert.match(text, /missing · d\/[0-9a-f]+\/\d+\.bin · 404/);
      },
    );
  });

  test('the site published again while the page is open: the next search reads the new index', async () => {
    // Files kept 10 minutes in the browser's cache, as GitHub Pages sends them: the manifest must be asked again.
    await searchDemo({ cacheControl: 'max-age=600' }, async (page, ui, before, dir) => {
      assert.ok(before.total > 0, JSON.stringify(before));
      publishAgain(dir);
      assert.equal((await searchAgain(page, ui, '猫头鹰')).total, 1);
      assert.equal(await ui.titles.first().textContent(), '南湖公园再现猫头鹰');
    });
  });

  test('the site published again by a jiansuo of another index format while the page is open: reload, not "damaged"', async () => {
    await searchDemo({}, async (page, ui, before, dir) => {
      assert.ok(before.total > 0);
      publishAgain(dir);
      // The header's version byte (src/format.rs), as another format version writes it.
      const manifest = join(dir, 'search/manifest.bin');
      const bytes = inflateRawSync(readFileSync(manifest));
      bytes[4]++;
      writeFileSync(manifest, deflateRawSync(bytes));
      assert.equal((await searchAgain(page, ui, '猫头鹰')).error, 'damaged');
      const text = await ui.status.textContent();
      assert.match(text, /请刷新页面/);
      assert.match(text, /version-mismatch/);
    });
  });

  test('the engine file missing: the general message, neither "incomplete" nor "no index"', async () => {
    await searchDemo(
      { prepare: (dir) => rmSync(join(dir, 'search/jiansuo_engine_bg.wasm.deflate')) },
      async (page, ui, answer) => {
        assert.equal(answer.error, 'missing');
        const text = await ui.status.textContent();
        assert.doesNotMatch(text, /不完整|没有找到搜索索引/);
        assert.match(text, /missing · jiansuo_engine_bg\.wasm\.deflate/);
      },
    );
  });

  test('a bundle attribute pointing nowhere: the same message', async () => {
    const page = await open();
    await page.evaluate(() => {
      const el = document.createElement('jiansuo-search');
      el.id = 'elsewhere';
      el.setAttribute('bundle', './no-such-bundle/');
      el.setAttribute('param', '');
      document.querySelector('main').prepend(el);
    });
    const ui = widget(page, '#elsewhere');
    await ui.input.click();
    await ui.input.pressSequentially('长春', { delay: 20 });
    assert.equal((await waitForAnswer(page, '长春')).error, 'missing');
    assert.match(await ui.status.textContent(), /没有找到搜索索引/);
    await page.close();
  });
});

describe('screenshots', () => {
  for (const width of [1280, 360]) {
    for (const scheme of ['light', 'dark']) {
      test(`demo at ${width} px, ${scheme}`, async () => {
        const page = await open('', { width, height: width === 360 ? 800 : 900, scheme });
        await typeQuery(page, '长春');
        await page.keyboard.press('ArrowDown');
        mkdirSync(SCREENSHOTS, { recursive: true });
        await page.screenshot({ path: join(SCREENSHOTS, `demo-${width}-${scheme}.png`), fullPage: width > 400 });
        // Readable at 360 px: nothing wider than the viewport.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
        assert.ok(overflow <= 0, `page is ${overflow} px wider than the viewport`);
        await page.close();
      });
    }
  }

  for (const width of [1280, 360]) {
    for (const scheme of ['light', 'dark']) {
      test(`filter panel open with a date range at ${width} px, ${scheme}`, async () => {
        const page = await open('?q=长春&from=2024-01-01&to=2025-12-31&category=长春本地', { width, height: width === 360 ? 800 : 900, scheme });
        await waitForAnswer(page, '长春');
        await page.locator('#search >> [part=facet-chip]').first().waitFor();
        assert.equal(await page.locator('#search >> [part~=dates]').isVisible(), true);
        mkdirSync(SCREENSHOTS, { recursive: true });
        await page.screenshot({ path: join(SCREENSHOTS, `demo-filters-${width}-${scheme}.png`), fullPage: width > 400 });
        // Nothing of the panel sticks out of the page, nor out of the panel itself.
        const overflow = await page.evaluate(() => {
          const root = document.querySelector('#search').shadowRoot;
          const panel = root.querySelector('[part=facets]').getBoundingClientRect();
          const out = [...root.querySelectorAll('[part~=dates] *')].filter((el) => {
            const r = el.getBoundingClientRect();
            return r.width > 0 && el.closest('.presets') === null && (r.left < panel.left || r.right > panel.right);
          });
          return { page: document.documentElement.scrollWidth - innerWidth, dates: out.map((el) => el.outerHTML.slice(0, 60)) };
        });
        assert.deepEqual(overflow, { page: 0, dates: [] });
        await page.close();
      });
    }
  }

  test('modal at 1280 px (light) and 360 px (dark)', async () => {
    for (const [width, scheme] of [
      [1280, 'light'],
      [360, 'dark'],
    ]) {
      const page = await open('', { width, height: 800, scheme });
      await page.keyboard.press('Control+k');
      const ui = widget(page, 'jiansuo-search[mode=modal]');
      await ui.input.pressSequentially('人工智能', { delay: 20 });
      await waitForAnswer(page, '人工智能');
      await page.keyboard.press('ArrowDown');
      await page.screenshot({ path: join(SCREENSHOTS, `demo-modal-${width}-${scheme}.png`) });
      await page.close();
    }
  });
});
