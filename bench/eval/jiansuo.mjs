// jiansuo under test: the bundle from target/release/build-index, searched through the public JS API
// (openIndex from www/dist/jiansuo.js), exactly as a site's page or a Node script would.
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export class NotBuilt extends Error {}

/** Runs build-index over the post folders into `out`, unless `reuse` and a bundle is already there. */
export function buildBundle({ repo, bin, postDirs, out, reuse, log = console.error }) {
  if (reuse && existsSync(join(out, 'manifest.bin'))) {
    log(`jiansuo: reusing ${out}`);
    return;
  }
  if (!existsSync(bin)) throw new NotBuilt(`${bin} does not exist (cargo build --release -p build-index)`);
  rmSync(out, { recursive: true, force: true });
  const args = [...postDirs, '--out', out, '--no-assets'];
  log(`jiansuo: build-index (built ${statSync(bin).mtime.toISOString()}) ${args.join(' ')}`);
  const started = Date.now();
  try {
    execFileSync(bin, args, { cwd: repo, stdio: ['ignore', 'inherit', 'inherit'] });
  } catch (e) {
    throw new NotBuilt(`build-index failed: ${e.message.split('\n')[0]}`);
  }
  if (!existsSync(join(out, 'manifest.bin'))) throw new NotBuilt(`build-index wrote no ${join(out, 'manifest.bin')}`);
  log(`jiansuo: bundle built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/**
 * Opens the bundle with openIndex; search(query, pageSize) returns { total, results: [{ url, excerpt }] }
 * with every result, fetched in pages of pageSize until `total` is reached.
 */
export async function openJiansuo({ api, bundle }) {
  if (!existsSync(api)) throw new NotBuilt(`${api} does not exist (the JS API is not built)`);
  let index;
  try {
    const { openIndex } = await import(pathToFileURL(api).href);
    index = await openIndex(bundle);
  } catch (e) {
    throw new NotBuilt(`openIndex failed: ${e?.message ?? e}`);
  }
  // Every post: showDuplicates lists each post of a story told by several feeds (by default the engine
  // folds them into one result with `duplicates: N`); exact turns off the pinyin, typo and segmentation
  // fallbacks, which answer another query (flagged in page.rewrite) when a keyword finds little.
  const all = async (query, pageSize) => {
    const results = [];
    let total = 0, rewrite;
    for (let offset = 0; ; ) {
      const page = await index.search(query, { limit: pageSize, offset, showDuplicates: true, exact: true });
      total = page.total;
      rewrite ??= page.rewrite;
      results.push(...page.results);
      offset += page.results.length;
      if (page.results.length === 0 || offset >= total) break;
    }
    return {
      total,
      results: results.map((r) => ({ url: r.url, excerpt: r.excerpt ?? '' })),
      // The engine searched another query (pinyin, a typo) because this one found little: noted.
      ...(rewrite ? { note: `rewritten to ${JSON.stringify(rewrite)}` } : {}),
    };
  };
  return {
    /**
     * One request with limit = pageSize (all posts); when the engine fails on that, the failure is kept
     * as `note` and the results are fetched again in pages of `fallbackPageSize`.
     */
    async search(query, pageSize, fallbackPageSize = 1000) {
      try {
        return await all(query, pageSize);
      } catch (e) {
        if (fallbackPageSize >= pageSize) throw e;
        const answer = await all(query, fallbackPageSize);
        const note = `limit ${pageSize} failed (${e?.message ?? e}); paged by ${fallbackPageSize}`;
        return { ...answer, note: answer.note ? `${note}; ${answer.note}` : note };
      }
    },
  };
}
