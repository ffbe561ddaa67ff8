// Usage: node scripts/trim-glue.mjs GLUE
// Removes from wasm-bindgen's glue (--target web) the branches host.js never takes, so that they do not count
// against the 60 KiB budget of wasm + JS (142 bytes gzipped):
//   - initSync's warning for its deprecated argument form and its compiling of bytes: host.js always passes
//     { module } with a compiled WebAssembly.Module;
//   - passStringToWasm0's path for a missing realloc: every generated call passes one.
// Each cut must match the glue exactly once; when wasm-bindgen (pinned in Cargo.toml) is upgraded and its glue
// changes, this fails and names the cut to update, rather than leaving the glue untrimmed or half trimmed.
import { readFileSync, writeFileSync } from 'node:fs';

const [glue] = process.argv.slice(2);
if (!glue) {
  console.error('usage: node scripts/trim-glue.mjs GLUE');
  process.exit(2);
}

const cuts = [
  {
    what: "initSync's deprecated argument form",
    from: `    if (module !== undefined) {
        if (Object.getPrototypeOf(module) === Object.prototype) {
            ({module} = module)
        } else {
            console.warn('using deprecated parameters for \`initSync()\`; pass a single object instead')
        }
    }
`,
    to: `    ({module} = module);
`,
  },
  {
    what: 'initSync compiling bytes',
    from: `    if (!(module instanceof WebAssembly.Module)) {
        module = new WebAssembly.Module(module);
    }
`,
    to: '',
  },
  {
    what: "passStringToWasm0's path without realloc",
    from: `    if (realloc === undefined) {
        const buf = cachedTextEncoder.encode(arg);
        const ptr = malloc(buf.length, 1) >>> 0;
        getUint8ArrayMemory0().subarray(ptr, ptr + buf.length).set(buf);
        WASM_VECTOR_LEN = buf.length;
        return ptr;
    }
`,
    to: '',
  },
];

let text = readFileSync(glue, 'utf8');
// The string path without realloc is cut on the premise that every call passes one: a call without it would work
// for ASCII and fail on the first Chinese character.
const calls = [...text.matchAll(/passStringToWasm0\(([^()]*)\)/g)].map((m) => m[1]);
const withoutRealloc = calls.filter((args) => args !== 'arg, malloc, realloc' && !/, wasm\.__wbindgen_realloc$/.test(args));
// A call whose arguments hold parentheses is not matched above: then the counts differ.
const written = text.split('passStringToWasm0(').length - 1;
if (calls.length < 2 || calls.length !== written || withoutRealloc.length > 0) {
  console.error(`trim-glue: ${glue}: passStringToWasm0 called without __wbindgen_realloc (${withoutRealloc.join(' | ') || `${written - calls.length} of ${written} calls not read`});` +
    ' its path without realloc cannot be cut: update scripts/trim-glue.mjs');
  process.exit(1);
}
for (const { what, from, to } of cuts) {
  const found = text.split(from).length - 1;
  if (found !== 1) {
    console.error(`trim-glue: ${glue}: ${what} found ${found} times, expected once (did wasm-bindgen's glue change?` +
      ' update scripts/trim-glue.mjs)');
    process.exit(1);
  }
  text = text.replace(from, to);
}
writeFileSync(glue, text);
