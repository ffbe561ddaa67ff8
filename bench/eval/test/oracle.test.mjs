// The oracle's own checks: node --test bench/eval/test/
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { htmlToText, markdownToText } from '../corpus.mjs';
import { loadT2S, makeNormalizer } from '../normalize.mjs';
import { Oracle, isRunStart, parseQuery, probes } from '../oracle.mjs';

const normalize = makeNormalizer(loadT2S(fileURLToPath(new URL('../../../src/normalize/t2s.bin', import.meta.url))));

test('normalization: NFKC, lower case, traditional to simplified, default-ignorables removed, white space', () => {
  assert.equal(normalize('ＧＤＰ ５Ｇ'), 'gdp 5g');
  assert.equal(normalize('長春經濟'), '长春经济');
  assert.equal(normalize('人工\u200b智能\ufeff'), '人工智能');
  assert.equal(normalize(' 长春\u3000人工智能 '), '长春人工智能');
  assert.equal(normalize('Hacker\u00a0\n News'), 'hacker news');
  assert.equal(normalize('Chrome 浏览器'), 'chrome浏览器');
  assert.equal(normalize('①AI芯片'), '1 ai芯片');
  assert.equal(normalize('第①条'), '第1条');
  assert.equal(normalize('H₂O'), 'h2o');
  assert.equal(normalize('alpha\vbeta'), 'alpha beta');
  // Invisible: Default_Ignorable_Code_Point (variation selectors too), not all of Cf (U+FFF9 stays).
  assert.equal(normalize('❤\ufe0f北京 葛\u{E0100}城 注\ufff9音'), '❤北京葛城注\ufff9音');
  // Lower case per character: Σ is σ at a word's end too.
  assert.equal(normalize('ΣΟΦΟΣ'), 'σοφοσ');
  // NFKC per character and the marks that compose with it, not across other characters.
  assert.equal(normalize('Cafe\u0301 ｶﾞｿﾘﾝ \u1112\u1161\u11ab'), 'caféガソリン한');
  assert.equal(normalize('\u3131\u314f'), '\u1100\u1161');
  assert.equal(normalize('\u0b95\u0bc6\u0bbe'), '\u0b95\u0bc6\u0bbe');
});

test('Latin runs: a keyword starting with [a-z0-9] must start a run', () => {
  const s = normalize('iPhone15 ambiphone 2.5G 5G 3.72% v1.2');
  for (const [word, expected] of [['iphone', 1], ['5g', 1], ['72%', 0], ['2.5g', 1], ['1.2', 0]]) {
    let found = 0;
    for (let i = s.indexOf(word); i !== -1; i = s.indexOf(word, i + 1)) if (isRunStart(s, i)) found++;
    assert.equal(found, expected, word);
  }
});

test('query syntax', () => {
  assert.deepEqual(parseQuery('长春 人工智能', normalize), { groups: [['长春'], ['人工智能']], excluded: [] });
  assert.deepEqual(parseQuery('新能源 -汽车', normalize), { groups: [['新能源']], excluded: ['汽车'] });
  assert.deepEqual(parseQuery('长春 OR 吉林 雨', normalize), { groups: [['长春', '吉林'], ['雨']], excluded: [] });
  assert.deepEqual(parseQuery('"Hacker News" -"VS Code"', normalize), { groups: [['hacker news']], excluded: ['vs code'] });
  assert.deepEqual(parseQuery('or OR', normalize), { groups: [['or'], ['or']], excluded: [] });
  assert.deepEqual(parseQuery('＂Hacker News＂', normalize), { groups: [['hacker news']], excluded: [] });
  // OR between two keywords, neither an exclusion; consecutive ORs are one; empty keywords drop first.
  assert.deepEqual(parseQuery('中国 OR OR 美国', normalize), { groups: [['中国', '美国']], excluded: [] });
  assert.deepEqual(parseQuery('中国 OR -美国', normalize), { groups: [['中国'], ['or']], excluded: ['美国'] });
  assert.deepEqual(parseQuery('中国 -美国 OR 日本', normalize), { groups: [['中国'], ['or'], ['日本']], excluded: ['美国'] });
  assert.deepEqual(parseQuery('中国 OR "" 美国', normalize), { groups: [['中国', '美国']], excluded: [] });
  assert.deepEqual(parseQuery('中国 OR OR', normalize), { groups: [['中国', 'or']], excluded: [] });
});

test('oracle: substring of one field, run start, exclusion, OR', () => {
  const posts = [
    { title: '黄金价格上涨', text: 'iPhone15 发布', categories: ['cls'], tags: ['财联社电报'] },
    { title: '', text: 'ambiphone 2.5G', categories: ['cls'], tags: [] },
    { title: '金', text: '价', categories: [], tags: [] },
  ];
  const oracle = new Oracle(posts, normalize);
  assert.deepEqual(oracle.search('金价').docs, [0]);
  assert.deepEqual(oracle.search('iphone').docs, [0]);
  assert.deepEqual(oracle.search('5G').docs, []);
  assert.deepEqual(oracle.search('phone').docs, []);
  // A keyword starting with `.` does not start at a number's point.
  assert.deepEqual(oracle.search('.5g').docs, []);
  assert.deepEqual(oracle.search('.').docs, []);
  assert.deepEqual(oracle.search('金 价').docs, [0, 2]);
  assert.deepEqual(oracle.search('cls -金').docs, [1]);
  assert.deepEqual(oracle.search('2.5g OR 电报').docs, [0, 1]);
  assert.equal(oracle.whyNot(2, '金价').reason, 'only across two fields');
  assert.equal(oracle.whyNot(1, 'phone').reason, 'inside a Latin run or number');
});

test('body text: Markdown and HTML reduced to text', () => {
  assert.equal(markdownToText('本杂志[开源](https://github.com/x)，![封面](a.png) <http://a.cn/b.html>'),
    '本杂志开源，封面 http://a.cn/b.html');
  assert.equal(markdownToText('<p><strong>央视网消息</strong>&nbsp;A&amp;B</p><p>第二段<br>C</p><script>x</script>'),
    '央视网消息\u00a0A&B\n第二段\nC');
  assert.equal(htmlToText('<p>a</p><p>b</p>'), 'a\nb');
});

test('probes: substrings of their post, cut at Latin-run boundaries, without quotes', () => {
  const posts = [
    { title: '营业收入2.21亿元，同比增长', text: '“十五五”规划 iPhone15 发布 version 3.72% 上涨', categories: [], tags: [] },
    { title: '黄金价格', text: 'Hacker News 上的讨论 2.5G 网络', categories: [], tags: [] },
  ];
  const oracle = new Oracle(posts, normalize);
  const found = probes(oracle, 50, 7);
  assert.ok(found.length > 10);
  for (const p of found) {
    const keyword = p.query.slice(1, -1);
    assert.doesNotMatch(keyword, /["“”]/);
    assert.ok(oracle.search(p.query).docs.length > 0, p.query);
    const d = posts.findIndex((_, i) => oracle.docsWith(keyword)[i]);
    const where = oracle.text.indexOf(keyword, oracle.docStart[d]);
    const after = oracle.text.charCodeAt(where + keyword.length);
    assert.ok(!/[a-z0-9]/.test(String.fromCharCode(after)) || !/[a-z0-9.]$/.test(keyword), p.query);
  }
});
