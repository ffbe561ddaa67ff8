// Bundle bytes by kind of file (sizes on disk as written: our index files and Pagefind's pf_* files are
// already compressed) and the bytes sent for the code a page ships (wasm + the JS the API loads).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The code a page using the API loads (a list of alternatives: the first that exists), files it loads
 * when they are there (`also`), then files that ship in the bundle but are not loaded. jiansuo's engine is
 * stored deflate-compressed since df31047; host.js and the glue were bundled into jiansuo.js and worker.js by
 * the cold start work of issue #4, and worker.js into jiansuo.js since (older bundles have them apart).
 */
export const CODE = {
  jiansuo: {
    api: ['jiansuo.js', ['jiansuo_engine_bg.wasm.deflate', 'jiansuo_engine_bg.wasm']],
    also: ['worker.js', 'host.js', 'jiansuo_engine.js'],
    ui: ['widget.js'],
  },
  pagefind: {
    api: ['pagefind.js', 'pagefind-worker.js', 'wasm.unknown.pagefind'],
    ui: ['pagefind-ui.js', 'pagefind-ui.css', 'pagefind-modular-ui.js', 'pagefind-modular-ui.css',
      'pagefind-component-ui.js', 'pagefind-component-ui.css', 'pagefind-highlight.js'],
  },
};

/** The kind of one bundle file (path relative to the bundle, with '/'). */
export function kindOf(engine, path) {
  if (engine === 'jiansuo') {
    if (path === 'manifest.bin') return 'manifest';
    const dir = /^([^/]+)\//.exec(path);
    if (dir) return `${dir[1]}/`;
    if (/\.wasm(\.deflate)?$/.test(path)) return 'wasm';
    if (path === 'widget.js') return 'widget';
    if (path.endsWith('.js')) return 'js';
    return 'other';
  }
  if (path.endsWith('.pf_meta')) return 'pf_meta';
  if (path.endsWith('.pf_index')) return 'pf_index';
  if (path.endsWith('.pf_fragment')) return 'pf_fragment';
  if (path.endsWith('.pf_filter')) return 'pf_filter';
  if (/^wasm\.[^/]+\.pagefind$/.test(path)) return 'wasm';
  if (CODE.pagefind.ui.includes(path)) return 'ui';
  if (path.endsWith('.js')) return 'js';
  return 'other';
}

function* walk(dir, root = dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path, root);
    else if (entry.isFile()) yield [relative(root, path).split('\\').join('/'), statSync(path).size];
  }
}

/** { total: { files, bytes }, kinds: { kind: { files, bytes, largest } } } of a bundle folder. */
export function bundleSizes(engine, dir) {
  if (!existsSync(dir)) throw new Error(`${engine} bundle ${dir} does not exist`);
  const kinds = {};
  const total = { files: 0, bytes: 0 };
  for (const [path, bytes] of walk(dir)) {
    const kind = kindOf(engine, path);
    const k = (kinds[kind] ??= { files: 0, bytes: 0, largest: 0 });
    k.files++;
    k.bytes += bytes;
    k.largest = Math.max(k.largest, bytes);
    total.files++;
    total.bytes += bytes;
  }
  return { total, kinds };
}

/**
 * Bytes a visitor downloads for a file of shipped code: a file stored compressed (gzip, or deflate like our
 * engine) as written, since that is what a static host sends; any other file gzip -9 compressed, as most hosts
 * serve JS.
 */
export function gzipBytes(file) {
  const data = readFileSync(file);
  if ((data[0] === 0x1f && data[1] === 0x8b) || file.endsWith('.deflate')) return data.length;
  return execFileSync('gzip', ['-9', '-c', '-n'], { input: data, maxBuffer: 1 << 28 }).length;
}

/** The API's code: per file its bytes on disk and gzip -9 bytes, and the sums. */
export function codeSizes(engine, dir) {
  const files = {};
  let raw = 0;
  let gzip = 0;
  for (const names of [...CODE[engine].api, ...(CODE[engine].also ?? []).filter((n) => existsSync(join(dir, n)))]) {
    const name = [names].flat().find((n) => existsSync(join(dir, n)));
    if (!name) throw new Error(`${engine} bundle ${dir} has no ${[names].flat().join(' or ')}`);
    const file = join(dir, name);
    const entry = { bytes: statSync(file).size, gzip: gzipBytes(file) };
    files[name] = entry;
    raw += entry.bytes;
    gzip += entry.gzip;
  }
  return { files, bytes: raw, gzip };
}
