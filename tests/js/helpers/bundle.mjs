// Test bundles: realBundle() runs target/release/build-index (the product), so every test searches the real
// engine in a real bundle.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const SAMPLE_POSTS = join(ROOT, 'sample/_posts');
export const HOSTILE_POSTS = join(ROOT, 'tests/fixtures/hostile/_posts');
// JIANSUO_BUILD_INDEX: another build-index binary to test with.
const BUILD_INDEX = process.env.JIANSUO_BUILD_INDEX || join(ROOT, 'target/release/build-index');
const DIST = join(ROOT, 'www/dist');
const SRC = join(ROOT, 'www/src');
const ASSETS = ['jiansuo.js', 'host.js', 'worker.js', 'widget.js'];

export function tempDir(prefix = 'jiansuo-test-') {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * A bundle of `posts` in `out` as the product makes it: build-index's output, which includes the web
 * assets it embedded from www/dist. JIANSUO_TEST_ASSETS=src puts www/src's JS over them (for quick
 * iteration on the JS without rebuilding build-index).
 */
export function realBundle(posts, out) {
  if (!existsSync(BUILD_INDEX)) {
    throw new Error(`${BUILD_INDEX} is missing: run \`make build-index\` (scripts/build-www.sh, then cargo build --release -p build-index)`);
  }
  execFileSync(BUILD_INDEX, [posts, '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (!existsSync(join(out, 'manifest.bin'))) throw new Error(`build-index wrote no manifest.bin in ${out}`);
  for (const name of ['jiansuo.js', 'jiansuo_engine_bg.wasm.deflate', 'widget.js']) {
    if (!existsSync(join(out, name))) throw new Error(`build-index did not copy ${name} into the bundle`);
  }
  if (process.env.JIANSUO_TEST_ASSETS === 'src') {
    // www/src's modules as they are, with the glue of the engine in www/dist (kept by scripts/build-www.sh).
    for (const name of ASSETS) cpSync(join(SRC, name), join(out, name));
    cpSync(join(ROOT, 'target/www-pkg/jiansuo_engine.js'), join(out, 'jiansuo_engine.js'));
  }
  return out;
}

/**
 * A site's next publication, in `dir`/_posts: sample/_posts and one post more, in 长春 and about a word no sample
 * post has (猫头鹰), titled 南湖公园再现猫头鹰. Returns the posts folder.
 */
export function nextPublication(dir) {
  const posts = join(dir, '_posts');
  cpSync(SAMPLE_POSTS, posts, { recursive: true });
  writeFileSync(
    join(posts, '2026-11-27-owl-in-nanhu-park.md'),
    '---\ntitle: 南湖公园再现猫头鹰\ndate: 2026-11-27 08:00:00 +0800\ncategories: 城市\n---\n长春南湖公园的游客昨天拍到一只猫头鹰。\n',
  );
  return posts;
}

export function remove(dir) {
  rmSync(dir, { recursive: true, force: true });
}

export { DIST };
