// The text model's normalization, written from the README independently of the engine:
// NFKC per character and what composes with it (the combining diacritical marks, kana voiced sound marks
// and Hangul vowel and final jamo after it), lower case per character (Σ is σ even at a word's end),
// traditional → simplified per character (the table src/normalize/t2s.bin), invisible characters
// (Unicode's Default_Ignorable_Code_Point) removed, white space collapsed to one space and dropped
// entirely unless both neighbours are ASCII; enclosed numbers and letters (①, ⑴) get white space on both
// sides first.
import { readFileSync } from 'node:fs';

/** Reads t2s.bin: pairs of LEB128 varints (traditional code point delta, simplified code point). */
export function loadT2S(path) {
  const bytes = readFileSync(path);
  const map = new Map();
  let pos = 0;
  const varint = () => {
    let value = 0, shift = 0, byte;
    do {
      if (pos >= bytes.length) throw new Error(`${path}: truncated varint at byte ${pos}`);
      byte = bytes[pos++];
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return value;
  };
  let trad = 0;
  while (pos < bytes.length) {
    trad += varint();
    map.set(String.fromCodePoint(trad), String.fromCodePoint(varint()));
  }
  return map;
}

const INVISIBLE = /\p{Default_Ignorable_Code_Point}/gu;
// A character with the marks NFKC composes with it: NFKC is applied to each such cluster on its own.
const CLUSTER = /[^][\u{0300}-\u{036F}\u{1AB0}-\u{1AFF}\u{1DC0}-\u{1DFF}\u{20D0}-\u{20FF}\u{FE20}-\u{FE2F}\u{3099}\u{309A}\u{FF9E}\u{FF9F}\u{1161}-\u{11FF}]*/gu;
const ENCLOSED = /[\u{2460}-\u{24FF}\u{3251}-\u{325F}\u{32B1}-\u{32BF}\u{1F100}-\u{1F1FF}]/gu;
const WHITE_SPACE = /\p{White_Space}+/u;
const isAscii = (ch) => ch.charCodeAt(0) < 0x80;

export function makeNormalizer(t2s) {
  const escape = (ch) => '\\u{' + ch.codePointAt(0).toString(16) + '}';
  const TRADITIONAL = new RegExp('[' + [...t2s.keys()].map(escape).join('') + ']', 'gu');
  const simplify = (s) => s.replace(TRADITIONAL, (ch) => t2s.get(ch));
  return function normalize(text) {
    const nfkc = text.replace(ENCLOSED, ' $& ').replace(CLUSTER, (cluster) => cluster.normalize('NFKC'));
    const lower = Array.from(nfkc, (ch) => ch.toLowerCase()).join('');
    let s = simplify(lower).replace(INVISIBLE, '');
    const pieces = s.split(WHITE_SPACE);
    let out = '';
    for (const piece of pieces) {
      if (piece === '') continue;
      if (out !== '' && isAscii(out[out.length - 1]) && isAscii(piece[0])) out += ' ';
      out += piece;
    }
    return out;
  };
}
