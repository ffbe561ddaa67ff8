// Usage: node scripts/wasm-strip.mjs FILE
// Removes the custom sections of a wasm module, in place. wasm-bindgen drops `name` and `producers`
// (--remove-name-section, --remove-producers-section) but keeps `target_features`, which only linkers read;
// a browser runs a module without any custom section.
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.argv[2];
if (!file) {
  console.error('usage: node scripts/wasm-strip.mjs FILE');
  process.exit(2);
}
const bytes = readFileSync(file);
if (bytes.readUInt32LE(0) !== 0x6d736100) throw new Error(`wasm-strip: ${file} is not a wasm module`);

const kept = [bytes.subarray(0, 8)];
let at = 8;
const leb = () => {
  let value = 0;
  for (let shift = 0; ; shift += 7) {
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return value;
  }
};
while (at < bytes.length) {
  const start = at;
  const id = bytes[at++];
  const size = leb();
  at += size;
  if (at > bytes.length) throw new Error(`wasm-strip: ${file} ends inside a section`);
  if (id !== 0) kept.push(bytes.subarray(start, at));
}
const stripped = Buffer.concat(kept);
if (!WebAssembly.validate(stripped)) throw new Error(`wasm-strip: ${file} does not validate without its custom sections`);
writeFileSync(file, stripped);
