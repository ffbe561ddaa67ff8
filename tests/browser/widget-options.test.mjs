// The element's attributes and properties on a page of their own: lang, strings, page-size, sort, theme,
// placeholder, facets, searchOptions, search(), the filters slot, no-worker, and theming (custom properties,
// ::part).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { SAMPLE_POSTS } from '../js/helpers/bundle.mjs';
import { shared, waitForAnswer, widget } from './helpers.mjs';

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script type="module" src="./search/widget.js"></script>
<style>
  #themed { --jiansuo-accent: rgb(1, 2, 3); --jiansuo-radius: 3px; }
  #themed::part(result-title) { font-size: 21px; }
  #themed::part(date-input) { border-color: rgb(4, 5, 6); }
</style></head>
<body>
  <jiansuo-search id="en" lang="en" param="" page-size="3" sort="date" theme="dark" placeholder="Find posts" facets></jiansuo-search>
  <jiansuo-search id="themed" param="" facets="dates" strings='{"lastYear":"近一年"}'></jiansuo-search>
  <jiansuo-search id="custom" param="" no-worker strings='{"total":"找到 {n} 篇"}'>
    <label slot="filters"><input type="checkbox" id="finance"> 只看财经</label>
  </jiansuo-search>
</body></html>`;

const env = shared(SAMPLE_POSTS, { prepare: (dir) => writeFileSync(join(dir, 'options.html'), PAGE) });

test('lang=en, page-size, sort=date, theme=dark, placeholder', async () => {
  const page = await env.open('options.html');
  const ui = widget(page, '#en');
  assert.equal(await ui.input.getAttribute('placeholder'), 'Find posts');
  assert.equal(await ui.input.getAttribute('aria-label'), 'Search');
  await ui.input.click();
  await ui.input.pressSequentially('长春', { delay: 20 });
  const { total } = await waitForAnswer(page, '长春');
  assert.equal(await ui.status.textContent(), `${total} results`);
  assert.equal(await ui.options.count(), 3);
  assert.equal(await ui.more.textContent(), 'Load more');
  const dates = await page.$$eval('#en >> [role=option] time', (els) => els.map((t) => t.getAttribute('datetime')));
  assert.deepEqual([...dates].sort().reverse(), dates);
  assert.match(await page.$eval('#en >> [role=option] time', (t) => t.textContent), /^\d{4}-\d{2}-\d{2}$/);
  // theme=dark: dark background whatever the system says (the page is light).
  const background = await page.$eval('#en >> [part=form]', (el) => getComputedStyle(el).backgroundColor);
  assert.equal(background, 'rgb(22, 24, 29)');
  // facets="" (empty): categories and the date range, in English.
  const toggle = page.locator('#en >> [part=filter-toggle]');
  assert.equal(await toggle.textContent(), 'Filters');
  await toggle.click();
  await page.locator('#en >> [part=facet-chip]').first().waitFor();
  const panel = await page.$eval('#en', (el) => {
    const root = el.shadowRoot;
    const texts = (css) => [...root.querySelectorAll(css)].map((e) => e.textContent);
    return {
      groups: [...root.querySelectorAll('[part~=facet]')].map((g) => g.getAttribute('aria-label')),
      presets: texts('[part=date-preset]'),
      labels: [...root.querySelectorAll('[part~=date-input]')].map((i) => i.labels[0].textContent),
      kinds: [...new Set([...root.querySelectorAll('[part=facet-chip]')].map((c) => c.dataset.kind))],
    };
  });
  assert.deepEqual(panel, {
    groups: ['Date', 'Categories'],
    presets: ['Any time', 'Past week', 'Past month', 'Past year'],
    labels: ['From', 'To'],
    kinds: ['categories'],
  });
  await page.locator('#en >> [part~=date-to]').fill('2021-12-31');
  const filtered = await waitForAnswer(page, '长春', { count: 2 });
  assert.ok(filtered.total > 0 && filtered.total < total);
  assert.match(await ui.status.textContent(), / \(filtered\)$/);
  await page.close();
});

test('theming: --jiansuo-* custom properties and ::part() reach inside; facets="dates" needs no facet data', async () => {
  const page = await env.open('options.html');
  const seen = env.site.requests.length;
  await page.waitForFunction(() => customElements.get('jiansuo-search'));
  await page.evaluate(() => document.querySelector('#themed').search('长春'));
  await waitForAnswer(page, '长春');
  const style = (css, property) => page.$eval(`#themed >> ${css}`, (el, p) => getComputedStyle(el)[p], property);
  assert.equal(await style('[part=result-title]', 'color'), 'rgb(1, 2, 3)');
  assert.equal(await style('[part=result-title]', 'fontSize'), '21px');
  assert.equal(await style('[part=form]', 'borderTopLeftRadius'), '3px');
  // The strings property relabels at once, over the attribute and the built-in table.
  await page.evaluate(() => (document.querySelector('#themed').strings = { filters: '过滤条件', more: '更多结果' }));
  assert.equal(await page.locator('#themed >> [part=filter-toggle]').textContent(), '过滤条件');
  assert.equal(await page.locator('#themed >> [part=more]').textContent(), '更多结果');
  await page.locator('#themed >> [part=filter-toggle]').click();
  assert.equal(await style('[part~=date-from]', 'borderTopColor'), 'rgb(4, 5, 6)');
  // The strings attribute overrides one label; only the date range is offered.
  const presets = await page.$$eval('#themed >> [part=date-preset]', (els) => els.map((b) => b.textContent));
  assert.deepEqual(presets, ['不限', '最近一周', '最近一月', '近一年']);
  await page.locator('#themed >> [part=date-preset][data-preset=lastYear]').click();
  await waitForAnswer(page, '长春', { count: 2 });
  assert.equal(await page.locator('#themed >> [part=facet-chip]').count(), 0);
  assert.deepEqual(env.site.requests.slice(seen).filter((path) => path.startsWith('/search/f/')), []);
  await page.close();
});

test('strings override, searchOptions from the host page, search() from code, no-worker', async () => {
  const page = await env.open('options.html');
  await page.waitForFunction(() => customElements.get('jiansuo-search'));
  await page.evaluate(() => {
    const el = document.querySelector('#custom');
    document.querySelector('#finance').addEventListener('change', (e) => {
      el.searchOptions = e.target.checked ? { categories: ['财经'] } : {};
    });
    el.search('长春');
  });
  const { total } = await waitForAnswer(page, '长春');
  const ui = widget(page, '#custom');
  assert.equal(await ui.status.textContent(), `找到 ${total} 篇`);
  assert.equal(await ui.input.inputValue(), '长春');
  await page.locator('#finance').check(); // the slotted control, shown inside the widget
  const filtered = await waitForAnswer(page, '长春', { count: 2 });
  assert.ok(filtered.total < total && filtered.total > 0, `${filtered.total} of ${total}`);
  const categories = await page.$$eval('#custom >> [role=option]', (els) =>
    els.map((el) => [...el.querySelectorAll('[part=result-category]')].map((c) => c.textContent)),
  );
  assert.ok(categories.every((list) => list.includes('财经')), JSON.stringify(categories));
  assert.equal(page.workers().length, 0, 'no-worker ran the engine in a worker');
  await page.close();
});

test('excerpt sanitizer: only <mark> elements and text, whatever the string holds', async () => {
  const page = await env.open('options.html');
  const out = await page.evaluate(async () => {
    const { excerptFragment } = await import('./search/widget.js');
    const cases = [
      '前文<mark>长春</mark>后文',
      '<mark><img src=x onerror=alert(1)></mark>',
      '&lt;script&gt;alert(1)&lt;/script&gt; &amp;amp; &#x3C;b&#62; &#0; &#x110000; &bogus;',
      '<mark>a<mark>b</mark>c</mark>',
      '<MARK>upper</MARK><mark class=x>attr</mark><script>alert(2)</script>',
      '<svg onload=alert(3)>',
    ];
    return cases.map((html) => {
      const box = document.createElement('div');
      box.append(excerptFragment(html));
      return { tags: [...box.querySelectorAll('*')].map((el) => el.localName), text: box.textContent, marks: [...box.querySelectorAll('mark')].map((m) => m.textContent) };
    });
  });
  assert.deepEqual(out[0], { tags: ['mark'], text: '前文长春后文', marks: ['长春'] });
  assert.deepEqual(out[1], { tags: ['mark'], text: '<img src=x onerror=alert(1)>', marks: ['<img src=x onerror=alert(1)>'] });
  assert.deepEqual(out[2].tags, []);
  assert.equal(out[2].text, '<script>alert(1)</script> &amp; <b> \ufffd \ufffd &bogus;');
  assert.deepEqual(out[3], { tags: ['mark'], text: 'abc', marks: ['ab'] });
  assert.deepEqual(out[4].tags, []);
  // A stray </mark> is markup (dropped); every other tag-like text stays text.
  assert.equal(out[4].text, '<MARK>upper</MARK><mark class=x>attr<script>alert(2)</script>');
  assert.deepEqual(out[5], { tags: [], text: '<svg onload=alert(3)>', marks: [] });
  await page.close();
});
