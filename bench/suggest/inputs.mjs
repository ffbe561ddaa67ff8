// Reads inputs.tsv and checks that each input is what its class says (a typo's edit distance, pinyin letters).
import { readFileSync } from 'node:fs';

export const SCORED = {
  'pinyin-full': 'pinyin',
  'pinyin-spaced': 'pinyin',
  'pinyin-initials': 'pinyin',
  'typo-1edit': 'typo',
  'typo-swap': 'typo',
  'typo-2edit': 'typo',
  'control-typo': 'control',
  complete: 'complete',
};
export const LIMITS = { 'limit-pinyin': 'pinyin', 'limit-typo': 'typo' };

/** [{ line, cls, family, scored, input, want: [..], note }] */
export function readInputs(path) {
  const rows = [];
  const problems = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((text, i) => {
      if (!text.trim() || text.startsWith('#')) return;
      const [cls, input, want = '', note = ''] = text.split('\t');
      const family = SCORED[cls] ?? LIMITS[cls];
      const line = i + 1;
      if (!family) return problems.push(`${path}:${line}: unknown class ${JSON.stringify(cls)}`);
      if (!input || !want) return problems.push(`${path}:${line}: input and want are required`);
      const row = { line, cls, family, scored: cls in SCORED, input, want: want.split('|'), note };
      const problem = check(row);
      if (problem) problems.push(`${path}:${line}: ${input}: ${problem}`);
      rows.push(row);
    });
  if (problems.length) throw new Error(`bad inputs:\n  ${problems.join('\n  ')}`);
  return rows;
}

function check({ cls, input, want }) {
  if (cls.startsWith('pinyin') && !/^[a-z]+( [a-z]+)*$/.test(input)) return 'pinyin inputs are lower-case letters';
  if (cls === 'pinyin-spaced' && !input.includes(' ')) return 'no space';
  if (cls === 'pinyin-initials' && /[aeiouv]/.test(input)) return 'initials have no vowels';
  if (!cls.startsWith('typo')) return null;
  const d = distance(input, want[0]);
  const swap = d === 1 && isSwap(input, want[0]);
  if (input[0] !== want[0][0]) return 'the engine keeps the first letter: use a limit-typo row';
  if (cls === 'typo-1edit' && (d !== 1 || swap)) return `distance ${d}${swap ? ' (a swap)' : ''}, not one edit`;
  if (cls === 'typo-swap' && !swap) return `not a swap of neighbours (distance ${d})`;
  if (cls === 'typo-2edit' && (d !== 2 || input.length < 8)) return `distance ${d} at ${input.length} letters, not 2 edits at 8+`;
  return null;
}

function isSwap(a, b) {
  if (a.length !== b.length) return false;
  const diff = [...a].map((c, i) => (c === b[i] ? -1 : i)).filter((i) => i >= 0);
  return diff.length === 2 && diff[1] === diff[0] + 1 && a[diff[0]] === b[diff[1]] && a[diff[1]] === b[diff[0]];
}

/** Optimal string alignment distance (Levenshtein + swaps of neighbours), as the engine's typo module defines it. */
export function distance(a, b) {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i ? (j ? 0 : i) : j)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, rows[i - 2][j - 2] + 1);
      rows[i][j] = v;
    }
  }
  return rows[a.length][b.length];
}

/** Edits the engine tolerates for a word of `len` letters (README: 4–7 letters one, 8+ two). */
export const tolerated = (len) => (len < 4 ? 0 : len < 8 ? 1 : 2);
