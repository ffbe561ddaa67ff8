// The demo page (www/demo) with the <jiansuo-search> widget in headless Chromium, against build-index's
// bundle of sample/_posts served from 127.0.0.1.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { HOSTILE_POSTS, SAMPLE_POSTS } from '../js/helpers/bundle.mjs';
import { SCREENSHOTS, demoSite, shared, waitForAnswer, widget } from './helpers.mjs';

const env = shared(SAMPLE_POSTS);
const open = (...args) => env.open(...args);

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
      hrefs: [...root.querySelectorAll('[role=option]')].map((a) => a.getAttribute('href')),
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
    const ids = await ui.options.evaluateAll((els) => els.map((el) => el.id));
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
    assert.equal(view.value, '长春'); // the first Esc only leaves the list
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const href = (await shown(page)).hrefs[1];
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

  test('category chips: counts from the engine, filtering, kept in the URL', async () => {
    const page = await open();
    const { total } = await typeQuery(page, '长春');
    const chips = page.locator('#search >> [part=facet-chip]');
    const labels = await chips.evaluateAll((els) => els.map((el) => [el.dataset.value, +el.querySelector('.count').textContent]));
    assert.ok(labels.length >= 2, JSON.stringify(labels));
    const [value, count] = labels.find(([, n]) => n < total);
    await chips.filter({ hasText: value }).first().click();
    const answer = await waitForAnswer(page, '长春', { count: 2 });
    assert.equal(answer.total, count);
    const params = new URL(page.url()).searchParams;
    assert.equal(params.get('q'), '长春');
    assert.deepEqual(params.getAll('category'), [value]);
    const categories = await page.$$eval('#search >> [role=option]', (els) =>
      els.map((li) => [...li.querySelectorAll('[part=result-category]')].map((c) => c.textContent)),
    );
    assert.ok(categories.every((list) => list.includes(value)), JSON.stringify(categories));
    assert.match(await widget(page).status.textContent(), /已筛选/);
    // The shared URL restores the filter.
    const shared = await open(new URL(page.url()).search);
    assert.equal((await waitForAnswer(shared, '长春')).total, count);
    assert.equal(await shared.locator(`#search >> [part=facet-chip][aria-pressed=true]`).count(), 1);
    await shared.locator('#search >> [part=facet-reset]').click();
    assert.equal((await waitForAnswer(shared, '长春', { count: 2 })).total, total);
    assert.equal(new URL(shared.url()).searchParams.has('category'), false);
    await shared.close();
    await page.close();
  });

  test('completions: chips that finish the keyword; choosing one searches for it', async () => {
    const page = await open();
    await typeQuery(page, 'ip');
    const chip = page.locator('#search >> [part=suggestion]', { hasText: 'iphone' });
    await chip.first().waitFor();
    await chip.first().click();
    const answer = await waitForAnswer(page, 'iphone');
    assert.ok(answer.total >= 1);
    assert.equal((await shown(page)).value, 'iphone');
    assert.equal(new URL(page.url()).searchParams.get('q'), 'iphone');
    await page.close();
  });

  test('a newer query supersedes a slower older one', async () => {
    const slow = await demoSite(SAMPLE_POSTS, { delay: 250 });
    try {
      const page = await env.browser.page();
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
      await page.close();
    } finally {
      await slow.close();
    }
  });

  test('no layout shift: the search box stays put while the index loads and results arrive', async () => {
    const slow = await demoSite(SAMPLE_POSTS, { delay: 300 });
    try {
      const page = await env.browser.page();
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
      await page.close();
    } finally {
      await slow.close();
    }
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
          tags: [...new Set([...list.querySelectorAll('*')].map((el) => el.localName))].sort(),
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
      assert.ok(view.marks.every((m) => m === '长春'), view.marks.join(' '));
      await page.waitForTimeout(300);
      assert.deepEqual(dialogs, []);
      await page.close();
    } finally {
      await hostile.close();
    }
  });
});

describe('when the bundle cannot be loaded', () => {
  test('a missing index shows a clear message (and the error code for the site owner)', async () => {
    const broken = await demoSite(SAMPLE_POSTS, { prepare: (dir) => rmSync(join(dir, 'search/manifest.bin')) });
    try {
      const page = await env.browser.page();
      await page.goto(broken.url);
      const ui = widget(page);
      await ui.input.click();
      await ui.input.pressSequentially('长春', { delay: 20 });
      const answer = await waitForAnswer(page, '长春');
      assert.equal(answer.error, 'missing');
      const status = ui.status;
      assert.equal(await status.getAttribute('role'), 'alert');
      assert.match(await status.textContent(), /搜索暂时无法使用：没有找到搜索索引/);
      assert.match(await status.textContent(), /missing · manifest\.bin · 404/);
      assert.equal(await ui.options.count(), 0);
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.locator('main').screenshot({ path: join(SCREENSHOTS, 'demo-error-missing-index.png') });
      await page.close();
    } finally {
      await broken.close();
    }
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
