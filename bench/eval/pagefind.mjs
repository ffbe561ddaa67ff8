// Pagefind 1.6 over the same posts: one HTML page per post (same URLs as the Jekyll permalinks), indexed
// with pagefind_extended, searched with Pagefind's own pagefind.js in Node (fetch served from the files).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { installFileFetch } from './filefetch.mjs';

const require = createRequire(import.meta.url);
const escapeHtml = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The extended binary (with Chinese segmentation) that `npm install pagefind` ships. */
export function pagefindBinary() {
  return require.resolve(`@pagefind/${process.platform}-${process.arch}/bin/pagefind_extended`);
}

let version;
export function pagefindVersion() {
  version ??= execFileSync(pagefindBinary(), ['--version'], { encoding: 'utf8' }).trim();
  return version;
}

export function postHtml(post) {
  const paragraphs = post.text.split('\n').filter((l) => l.trim() !== '').map((l) => `<p>${escapeHtml(l)}</p>`);
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>${escapeHtml(post.title)}</title></head>
<body>
<h1>${escapeHtml(post.title)}</h1>
${paragraphs.join('\n')}
<p>${post.categories.map(escapeHtml).join(' ')}</p>
<p>${post.tags.map(escapeHtml).join(' ')}</p>
</body>
</html>
`;
}

/**
 * Writes the site (one page per post at its URL) and indexes it, unless the same pages were already
 * indexed by the same Pagefind version (a stamp of their digest). Returns the bundle folder.
 */
export function buildPagefind(posts, dir, { rebuild = false, log = console.error } = {}) {
  const site = join(dir, 'site');
  const bundle = join(site, 'pagefind');
  const hash = createHash('sha256').update(pagefindVersion());
  const pages = posts.map((post) => {
    const html = postHtml(post);
    hash.update(post.url).update('\0').update(html).update('\0');
    return [post.url, html];
  });
  const stamp = hash.digest('hex');
  const stampFile = join(dir, 'stamp');
  if (!rebuild && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp && existsSync(join(bundle, 'pagefind.js'))) {
    log(`pagefind: reusing ${bundle}`);
    return bundle;
  }
  rmSync(dir, { recursive: true, force: true });
  for (const [url, html] of pages) {
    const file = join(site, decodeURIComponent(url));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, html);
  }
  log(`pagefind: wrote ${pages.length} pages to ${site}; indexing with ${pagefindVersion()} (extended)…`);
  const started = Date.now();
  execFileSync(pagefindBinary(), ['--site', site], { stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 28 });
  log(`pagefind: indexed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  writeFileSync(stampFile, stamp);
  return bundle;
}

/**
 * Opens the bundle with Pagefind's own pagefind.js and returns search(query) → [url, …]: every result,
 * not just a first page (Pagefind returns all matches; each result's url comes from its fragment).
 */
export async function openPagefind(bundle) {
  installFileFetch();
  const pagefind = await import(pathToFileURL(join(bundle, 'pagefind.js')).href);
  await pagefind.options({ basePath: pathToFileURL(bundle).href + '/', baseUrl: '/' });
  await pagefind.init();
  return {
    async search(query) {
      const response = await pagefind.search(query);
      if (!response) throw new Error(`pagefind: no response for ${query}`);
      const urls = [];
      // Fragments load in parallel batches: Pagefind fetches each once and caches it.
      for (let i = 0; i < response.results.length; i += 256) {
        const batch = response.results.slice(i, i + 256);
        for (const data of await Promise.all(batch.map((r) => r.data()))) urls.push(data.url);
      }
      return { total: response.unfilteredResultCount ?? response.results.length, urls };
    },
  };
}
