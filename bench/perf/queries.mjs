// The queries the benchmark times: a realistic mix taken from the evaluation's list (eval/queries.txt),
// checked against it so that both stay in step. 的 (in nearly every post) is the worst case.
import { readFileSync } from 'node:fs';

export const WORST = '的';

/** Typed into the search box first, in a fresh browser (one cold start each, in turn). */
export const COLD = ['人工智能', '长春', '特朗普 关税', '芯片', 'iPhone'];

/** Run before the timed queries of a pass (warms the JIT and the engine's first files). */
export const WARMUP = '上海';

export const TIMED = [
  // one character, rare to the most common
  '雨', '药', '金', '锂', '中', WORST,
  // words
  '芯片', '新能源', '房地产', '人工智能', '一带一路', '光伏', '降息', '大模型', '区块链', '新质生产力',
  // names of people, places, organisations
  '习近平', '特朗普', '马斯克', '黄仁勋', '长春', '粤港澳大湾区', '宁德时代', '英伟达', '美联储', '中国人民银行',
  // across word boundaries
  '金价', '能源汽',
  // mixed Chinese, Latin and digits
  '5G', 'AI芯片', 'PM2.5', 'iPhone', 'DeepSeek', 'GitHub', '00700.HK', '3.72%',
  // traditional characters
  '長春', '華為',
  // several keywords
  '长春 人工智能', '特朗普 关税', '华为 芯片', '新能源 汽车 出口', 'iPhone 17 Pro',
];

/** Throws unless every query above is a line of the evaluation's query file. */
export function checkQueries(file) {
  const known = new Set(readFileSync(file, 'utf8').split('\n')
    .map((line) => /^\S+\s+(.+?)\s*$/.exec(line.trim())?.[1])
    .filter(Boolean));
  const missing = [...new Set([...COLD, ...TIMED])].filter((q) => !known.has(q));
  if (missing.length) throw new Error(`${file} has no ${missing.map((q) => JSON.stringify(q)).join(', ')}`);
}
