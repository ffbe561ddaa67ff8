// The post folders the benchmark indexes: the shared corpus itself, a deterministic subset of it
// (every n-th post of each folder, for the 1k and 10k points), or the corpus repeated with new slugs
// (for the 200k point). Subsets and repetitions are written under a scratch folder (/tmp), never into
// the repo; the shared corpus is only read.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const POST = /\.(md|markdown|html)$/;
// Jekyll's DATE_FILENAME_MATCHER: date, slug, extension.
const DATED = /^(\d{2,4}-\d{1,2}-\d{1,2})-(.*)(\.[^.]+)$/;

/** Every `<corpus>/*\/_posts` folder, sorted; throws when there is none. */
export function postDirsOf(corpus) {
  if (!existsSync(corpus)) throw new Error(`corpus folder ${corpus} does not exist (--corpus)`);
  const dirs = readdirSync(corpus, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(corpus, e.name, '_posts')))
    .map((e) => e.name)
    .sort();
  if (dirs.length === 0) throw new Error(`no */_posts folders in ${corpus}`);
  return dirs.map((name) => ({ name, dir: join(corpus, name, '_posts') }));
}

const postsIn = (dir) => readdirSync(dir).filter((f) => POST.test(f)).sort();

export function countPosts(corpus) {
  return postDirsOf(corpus).reduce((n, { dir }) => n + postsIn(dir).length, 0);
}

/**
 * A corpus of about `size` posts under `scratch`: the corpus itself when size is its size or more…
 * unless `size` is larger, then the posts again with slugs `<slug>-r<k>` (repetition k ≥ 1) until
 * `size` posts. Smaller sizes take an evenly spread subset of each folder (the same share of each).
 * Returns { root, postDirs, posts }. Written once: a `.complete` stamp names the request.
 */
export function corpusOfSize(corpus, size, scratch, log = console.error) {
  const folders = postDirsOf(corpus).map((f) => ({ ...f, files: postsIn(f.dir) }));
  const total = folders.reduce((n, f) => n + f.files.length, 0);
  if (size === total) return { root: corpus, postDirs: folders.map((f) => f.dir), posts: total };
  const root = join(scratch, `corpus-${size}`);
  const stamp = join(root, '.complete');
  const request = JSON.stringify({ corpus, size, total });
  const postDirs = folders.map((f) => join(root, f.name, '_posts'));
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === request) return { root, postDirs, posts: size };
  rmSync(root, { recursive: true, force: true });
  log(`corpus: writing ${size} posts to ${root}…`);
  let written = 0;
  if (size < total) {
    // Largest remainder, so that the folder shares add up to exactly `size`.
    const quota = folders.map((f) => (f.files.length * size) / total);
    const counts = quota.map(Math.floor);
    const order = quota.map((q, i) => [q - Math.floor(q), i]).sort((a, b) => b[0] - a[0]);
    for (let k = 0; counts.reduce((a, b) => a + b, 0) < size; k++) counts[order[k][1]]++;
    folders.forEach((f, i) => {
      const out = postDirs[i];
      mkdirSync(out, { recursive: true });
      for (let j = 0; j < counts[i]; j++) {
        const name = f.files[Math.floor((j * f.files.length) / counts[i])];
        copyFileSync(join(f.dir, name), join(out, name));
        written++;
      }
    });
  } else {
    postDirs.forEach((out) => mkdirSync(out, { recursive: true }));
    for (let rep = 0; written < size; rep++) {
      for (let i = 0; i < folders.length && written < size; i++) {
        for (const name of folders[i].files) {
          if (written >= size) break;
          copyFileSync(join(folders[i].dir, name), join(postDirs[i], rep === 0 ? name : repeatedName(name, rep)));
          written++;
        }
      }
    }
  }
  writeFileSync(stamp, request);
  return { root, postDirs, posts: written };
}

/** `2026-08-01-cls-1.md` → `2026-08-01-cls-1-r2.md`: same date, new slug (so a new URL). */
function repeatedName(name, rep) {
  const m = DATED.exec(name);
  if (m) return `${m[1]}-${m[2]}-r${rep}${m[3]}`;
  const dot = name.lastIndexOf('.');
  return `${name.slice(0, dot)}-r${rep}${name.slice(dot)}`;
}
