// Usage: node scripts/deflate-raw.mjs IN OUT
// Writes IN compressed as raw deflate, the format host.js inflates with DecompressionStream('deflate-raw').
// Zopfli (the dev dependency @gfx/zopfli, installed by `npm ci`) finds a smaller encoding of the same format than
// zlib's level 9: the engine's wasm is 5 % smaller, for about 4 s of build time. Without it, zlib's level 9.
import { readFileSync, writeFileSync } from 'node:fs';
import { deflateRawSync, inflateRawSync } from 'node:zlib';

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: node scripts/deflate-raw.mjs IN OUT');
  process.exit(2);
}
const bytes = readFileSync(input);

let zopfli = null;
try {
  zopfli = await import('@gfx/zopfli');
} catch {
  console.error('deflate-raw: @gfx/zopfli is not installed (npm ci); compressing with zlib, about 5 % larger');
}

let packed;
if (zopfli) {
  // More iterations than 15 gain nothing measurable on the engine and take longer.
  packed = Buffer.from(await zopfli.deflateAsync(bytes, { numiterations: 15 }));
  if (!inflateRawSync(packed).equals(bytes)) throw new Error(`deflate-raw: zopfli's output of ${input} does not inflate back`);
} else {
  packed = deflateRawSync(bytes, { level: 9 });
}
writeFileSync(output, packed);
