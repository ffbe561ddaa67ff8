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
      duplicates: [...root.querySelectorAll('[role=option][part=result]')].map(
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

/** The combobox's state: its options (completions, then results), the active one and the selected ones. */
function combobox(page) {
  return page.evaluate(() => {
    const root = document.querySelector('#search').shadowRoot;
    const input = root.querySelector('input[role=combobox]');
    const list = root.getElementById(input.getAttribute('aria-controls'));
    const options = [...list.querySelectorAll('[role=option]')];
    return {
      expanded: input.getAttribute('aria-expanded'),
      listRole: list.getAttribute('role'),
      hidden: list.hidden,
      kinds: options.map((o) => o.getAttribute('part')),
      ids: options.map((o) => o.id),
      queries: options.filter((o) => o.getAttribute('part') === 'suggestion').map((o) => o.dataset.query),
      names: options.filter((o) => o.getAttribute('part') === 'suggestion').map((o) => o.textContent),
      active: input.getAttribute('aria-activedescendant'),
      selected: options.filter((o) => o.getAttribute('aria-selected') === 'true').map((o) => o.id),
      chips: root.querySelectorAll('[part=suggestions], button[part=suggestion]').length,
      focused: root.activeElement === input,
    };
  });
}

describe('completions', () => {
  test('typing 人工 offers 人工智能 as an option of the listbox, above the results', async () => {
    const page = await open();
    const answer = await typeQuery(page, '人工');
    await widget(page).suggestions.first().waitFor();
    const box = await combobox(page);
    assert.equal(box.listRole, 'listbox');
    assert.equal(box.hidden, false);
    assert.equal(box.expanded, 'true');
    assert.ok(box.queries.includes('人工智能'), box.queries.join(' '));
    assert.ok(box.queries.length <= 8, box.queries.join(' '));
    // The completions come first, then the results; each option has its own id; no chips besides.
    const n = box.queries.length;
    assert.ok(n >= 1);
    assert.deepEqual(box.kinds, [...Array(n).fill('suggestion'), ...Array(box.kinds.length - n).fill('result')]);
    assert.ok(box.kinds.length > n, `no results for 人工 (total ${answer.total})`);
    assert.equal(new Set(box.ids).size, box.ids.length);
    assert.ok(box.ids.every((id) => id));
    assert.equal(box.chips, 0);
    // Each completion is read as a search (搜索 …) and shows its document count, as text.
    const i = box.queries.indexOf('人工智能');
    assert.match(box.names[i], /^搜索 人工智能\d+$/);
    assert.deepEqual(box.selected, []);
    assert.equal(box.active, null);
    await page.close();
  });

  test('↓ goes through the completions then the results; Enter on a completion searches it', async () => {
    const page = await open();
    await typeQuery(page, '人工');
    await widget(page).suggestions.first().waitFor();
    const before = await combobox(page);
    const i = before.queries.indexOf('人工智能');
    assert.ok(i >= 0, before.queries.join(' '));
    // ↓ past every completion onto the first result, then ↑ back to 人工智能.
    for (let k = 0; k <= before.queries.length; k++) await page.keyboard.press('ArrowDown');
    let box = await combobox(page);
    assert.equal(box.active, before.ids[before.queries.length]);
    assert.deepEqual(box.selected, [box.active]);
    assert.equal(box.kinds[box.ids.indexOf(box.active)], 'result');
    for (let k = before.queries.length; k > i; k--) await page.keyboard.press('ArrowUp');
    box = await combobox(page);
    assert.equal(box.active, before.ids[i]);
    assert.deepEqual(box.selected, [before.ids[i]]);
    assert.equal(box.focused, true); // aria-activedescendant: the focus stays in the input
    await page.keyboard.press('Enter');
    const answer = await waitForAnswer(page, '人工智能');
    assert.ok(answer.total >= 4);
    assert.equal(await widget(page).input.inputValue(), '人工智能');
    assert.equal(new URL(page.url()).searchParams.get('q'), '人工智能');
    box = await combobox(page);
    assert.equal(box.active, null);
    assert.deepEqual(box.selected, []);
    assert.ok(!box.queries.includes('人工智能'), box.queries.join(' ')); // the query itself is not offered
    assert.equal(box.focused, true);
    await page.close();
  });

  test('Esc on a completion closes the completions and leaves the results', async () => {
    const page = await open();
    await typeQuery(page, '人工');
    await widget(page).suggestions.first().waitFor();
    await page.keyboard.press('ArrowDown');
    let box = await combobox(page);
    assert.equal(box.kinds[box.ids.indexOf(box.active)], 'suggestion');
    await page.keyboard.press('Escape');
    box = await combobox(page);
    assert.equal(box.active, null);
    assert.deepEqual(box.selected, []);
    assert.deepEqual(box.queries, []);
    assert.ok(box.kinds.length > 0 && box.kinds.every((k) => k === 'result'));
    assert.equal(await widget(page).input.inputValue(), '人工');
    // ↓ now starts at the first result.
    await page.keyboard.press('ArrowDown');
    box = await combobox(page);
    assert.equal(box.active, box.ids[0]);
    assert.equal(box.kinds[0], 'result');
    await page.close();
  });

  test('clicking a completion searches for it', async () => {
    const page = await open();
    await typeQuery(page, '人工');
    const option = widget(page).suggestions.filter({ hasText: '人工智能' }).first();
    await option.waitFor();
    await option.click();
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
