// Issue #7 in the demo page (headless Chromium, build-index's bundle of sample/_posts): pinyin and initials, a typo,
// completions while typing, and one story told by three feeds shown once.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SAMPLE_POSTS } from '../js/helpers/bundle.mjs';
import { shared, waitForAnswer, widget } from './helpers.mjs';

const env = shared(SAMPLE_POSTS);

/** Opens the demo and records what the engine searched for every answer the inline widget shows. */
async function open() {
  const page = await env.open();
  await page.evaluate(() => {
    window.__pages = [];
    document.querySelector('#search').addEventListener('jiansuo-results', (e) =>
      window.__pages.push({ query: e.detail.query, rewrite: e.detail.page.rewrite ?? null, total: e.detail.page.total }),
    );
  });
  return page;
}

async function typeQuery(page, query) {
  const ui = widget(page);
  await ui.input.click();
  await ui.input.pressSequentially(query, { delay: 20 });
  await waitForAnswer(page, query);
  const pages = await page.evaluate((q) => window.__pages.filter((p) => p.query === q), query);
  return pages.at(-1);
}

/** The titles, status line and marked hits the inline widget shows. */
function shown(page) {
  return page.evaluate(() => {
    const root = document.querySelector('#search').shadowRoot;
    return {
      titles: [...root.querySelectorAll('[role=option] [part=result-title]')].map((t) => t.textContent),
      marks: [...root.querySelectorAll('[role=option] mark')].map((m) => m.textContent),
      status: root.querySelector('[part=status]').textContent,
      duplicates: [...root.querySelectorAll('[role=option]')].map(
        (o) => o.querySelector('[part=result-duplicates]')?.textContent ?? null,
      ),
    };
  });
}

describe('pinyin', () => {
  test('changchun shows the posts about 长春 and says it searched 长春', async () => {
    const page = await open();
    const answer = await typeQuery(page, 'changchun');
    assert.deepEqual(answer.rewrite, { query: '长春', kind: 'pinyin' });
    assert.ok(answer.total >= 10, `total ${answer.total}`);
    const view = await shown(page);
    assert.equal(view.status, `共 ${answer.total} 条结果，以下为“长春”的结果`);
    assert.ok(view.titles.includes('长春马拉松鸣枪开跑 三万名跑者穿越春城街巷'), view.titles.join('\n'));
    assert.ok(view.marks.length > 0 && view.marks.every((m) => /^(长春|長春)$/.test(m)), view.marks.join(' '));
    await page.close();
  });

  test('initials: rgzn shows the posts about 人工智能 and says so', async () => {
    const page = await open();
    const answer = await typeQuery(page, 'rgzn');
    assert.deepEqual(answer.rewrite, { query: '人工智能', kind: 'pinyin' });
    const view = await shown(page);
    assert.equal(view.status, `共 ${answer.total} 条结果，以下为“人工智能”的结果`);
    assert.ok(answer.total >= 4, `total ${answer.total}`);
    assert.ok(view.titles.includes('DeepSeek推理模型引发全球关注 开源大模型路线受热议'), view.titles.join('\n'));
    assert.ok(view.marks.length > 0 && view.marks.every((m) => /^(人工智能|人工智慧)$/.test(m)), view.marks.join(' '));
    await page.close();
  });
});

describe('typos', () => {
  test('iphnoe shows the iPhone posts and says it searched iphone', async () => {
    const page = await open();
    const answer = await typeQuery(page, 'iphnoe');
    assert.deepEqual(answer.rewrite, { query: 'iphone', kind: 'typo' });
    const view = await shown(page);
    assert.equal(view.status, `共 ${answer.total} 条结果，以下为“iphone”的结果`);
    assert.ok(view.titles.includes('iPhone 15系列发布 全系改用USB-C接口'), view.titles.join('\n'));
    assert.ok(view.marks.length > 0 && view.marks.every((m) => m.toLowerCase() === 'iphone'), view.marks.join(' '));
    await page.close();
  });

  test('a word spelt right is searched as typed: no note', async () => {
    const page = await open();
    const answer = await typeQuery(page, 'iphone');
    assert.equal(answer.rewrite, null);
    assert.equal((await shown(page)).status, `共 ${answer.total} 条结果`);
    await page.close();
  });
});

describe('completions', () => {
  test('typing 人工 offers 人工智能; choosing it searches for it', async () => {
    const page = await open();
    await typeQuery(page, '人工');
    // The widget shows completions as chips beside the results (its `completions` attribute), not as options.
    const chips = page.locator('#search >> [part=suggestions] [part=suggestion]');
    await chips.first().waitFor();
    const offered = await chips.evaluateAll((els) => els.map((el) => el.dataset.query));
    assert.ok(offered.includes('人工智能'), offered.join(' '));
    assert.ok(offered.length <= 8, offered.join(' '));
    const group = page.locator('#search >> [part=suggestions]');
    assert.equal(await group.getAttribute('role'), 'group');
    assert.equal(await group.getAttribute('aria-label'), '你可能想搜');
    await chips.filter({ hasText: '人工智能' }).first().click();
    const answer = await waitForAnswer(page, '人工智能');
    assert.ok(answer.total >= 4);
    assert.equal(await widget(page).input.inputValue(), '人工智能');
    await page.close();
  });
});

describe('duplicate stories', () => {
  test('one story told by three feeds is listed once, with 另有 2 个来源', async () => {
    const page = await open();
    const answer = await typeQuery(page, '期铜');
    assert.equal(answer.total, 1);
    const view = await shown(page);
    assert.equal(view.titles.length, 1, view.titles.join('\n'));
    assert.match(view.titles[0], /期铜/);
    assert.deepEqual(view.duplicates, ['另有 2 个来源']);
    assert.equal(view.status, '共 1 条结果');
    await page.close();
  });

  test('posts that only share a few words are not folded', async () => {
    const page = await open();
    const answer = await typeQuery(page, '长春');
    const view = await shown(page);
    assert.ok(answer.total >= 10);
    assert.ok(view.duplicates.every((d) => d === null), JSON.stringify(view.duplicates));
    await page.close();
  });
});
