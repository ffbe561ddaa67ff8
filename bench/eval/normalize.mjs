// The text model's normalization, written from docs/DESIGN.md independently of the engine:
// NFKC, lower case, traditional → simplified per character (the table src/normalize/t2s.bin),
// invisible format characters (Unicode category Cf) removed, white space collapsed to one space and
// dropped entirely unless both neighbours are ASCII; enclosed numbers and letters (①, ⑴) get white space
// on both sides first.
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

const FORMAT_CHARS = /\p{Cf}/gu;
const ENCLOSED = /[\u{2460}-\u{24FF}\u{3251}-\u{325F}\u{32B1}-\u{32BF}\u{1F100}-\u{1F1FF}]/gu;
const WHITE_SPACE = /\p{White_Space}+/u;
const isAscii = (ch) => ch.charCodeAt(0) < 0x80;

export function makeNormalizer(t2s) {
  const escape = (ch) => '\\u{' + ch.codePointAt(0).toString(16) + '}';
  const TRADITIONAL = new RegExp('[' + [...t2s.keys()].map(escape).join('') + ']', 'gu');
  const simplify = (s) => s.replace(TRADITIONAL, (ch) => t2s.get(ch));
  return function normalize(text) {
    let s = simplify(text.replace(ENCLOSED, ' $& ').normalize('NFKC').toLowerCase()).replace(FORMAT_CHARS, '');
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
