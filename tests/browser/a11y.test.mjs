// Accessibility of the demo with results shown, inline (filter panel closed and open) and modal, light and
// dark: axe-core's WCAG 2.x A/AA rules (colour contrast included) inside the widget's shadow roots.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { SAMPLE_POSTS } from '../js/helpers/bundle.mjs';
import { shared, waitForAnswer, widget } from './helpers.mjs';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const env = shared(SAMPLE_POSTS);

async function violations(page, include) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async (selector) => {
    const result = await window.axe.run(
      { include: [[selector]] },
      { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] },
    );
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => `${JSON.stringify(n.target)} ${n.failureSummary}`),
    }));
  }, include);
}

for (const scheme of ['light', 'dark']) {
  test(`inline results, keyboard-selected option, the filter button (${scheme})`, async () => {
    const page = await env.open('', { scheme });
    const ui = widget(page);
    await ui.input.click();
    await ui.input.pressSequentially('长春', { delay: 20 });
    await waitForAnswer(page, '长春');
    await page.keyboard.press('ArrowDown');
    const found = await violations(page, '#search');
    assert.deepEqual(found, [], JSON.stringify(found, null, 2));
    await page.close();
  });

  test(`filter panel open: date range, chosen and unchosen chips, the panel button (${scheme})`, async () => {
    const page = await env.open('?q=长春&from=2024-01-01&to=2025-12-31&category=长春本地', { scheme });
    await waitForAnswer(page, '长春');
    await page.locator('#search >> [part=facet-chip]').first().waitFor();
    await page.locator('#search >> [part~=date-from]').focus();
    const found = await violations(page, '#search');
    assert.deepEqual(found, [], JSON.stringify(found, null, 2));
    await page.close();
  });

  test(`modal dialog with results (${scheme})`, async () => {
    const page = await env.open('', { scheme });
    await page.keyboard.press('Control+k');
    const ui = widget(page, 'jiansuo-search[mode=modal]');
    await ui.input.pressSequentially('人工智能', { delay: 20 });
    await waitForAnswer(page, '人工智能');
    const found = await violations(page, 'jiansuo-search[mode=modal]');
    assert.deepEqual(found, [], JSON.stringify(found, null, 2));
    await page.close();
  });
}

test('the error message (light)', async () => {
  const page = await env.open();
  await page.evaluate(() => document.querySelector('#search').setAttribute('bundle', './missing/'));
  const ui = widget(page);
  await ui.input.click();
  await ui.input.pressSequentially('长春', { delay: 20 });
  assert.equal((await waitForAnswer(page, '长春')).error, 'missing');
  const found = await violations(page, '#search');
  assert.deepEqual(found, [], JSON.stringify(found, null, 2));
  await page.close();
});
