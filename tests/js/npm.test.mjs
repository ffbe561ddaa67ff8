// The npm package from a consumer's side, in Node: `npm pack` of www/, installed into a scratch project,
// imported by its name against a bundle on disk; its TypeScript declarations type-check a consumer.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, SAMPLE_POSTS, realBundle, remove, tempDir } from './helpers/bundle.mjs';
import { installPackage, tarballFiles } from './helpers/npm.mjs';

let project;
let tarball;
let index;

before(() => {
  ({ project, tarball } = installPackage());
  index = realBundle(SAMPLE_POSTS, tempDir());
});
after(() => [project, index].forEach((d) => d && remove(d)));

test('the tarball holds the built files, the declarations and the README, nothing else', () => {
  assert.deepEqual(tarballFiles(tarball), [
    'README.md',
    'dist/jiansuo.js',
    'dist/jiansuo_engine_bg.wasm.deflate',
    'dist/widget.js',
    'jiansuo.d.ts',
    'package.json',
    'widget.d.ts',
  ]);
});

test('Node: import { openIndex } from "jiansuo", a directory path and a file: URL', () => {
  const script = join(project, 'consumer.mjs');
  writeFileSync(
    script,
    `import { openIndex, JiansuoError } from 'jiansuo';
import { pathToFileURL } from 'node:url';
const out = {};
for (const [name, source] of [['path', process.argv[2]], ['url', pathToFileURL(process.argv[2]).href]]) {
  const index = await openIndex(source);
  const page = await index.search('长春', { limit: 3 });
  out[name] = { total: page.total, titles: page.results.map((r) => r.title) };
  index.close();
}
try { await openIndex(process.argv[2] + '/nothing'); } catch (e) { out.error = [e instanceof JiansuoError, e.code, e.file]; }
console.log(JSON.stringify(out));
`,
  );
  const out = JSON.parse(execFileSync(process.execPath, [script, index], { cwd: project, encoding: 'utf8' }));
  assert.ok(out.path.total >= 10, JSON.stringify(out));
  assert.equal(out.path.titles.length, 3);
  assert.deepEqual(out.url, out.path);
  assert.deepEqual(out.error, [true, 'missing', 'manifest.bin']);
});

test('CommonJS consumers get a clear ESM-only answer, not a broken module', () => {
  const script = join(project, 'consumer.cjs');
  writeFileSync(script, `import('jiansuo').then((m) => console.log(typeof m.openIndex));\n`);
  assert.equal(execFileSync(process.execPath, [script], { cwd: project, encoding: 'utf8' }).trim(), 'function');
});

test('TypeScript: the declarations describe the API and the element (tsc --strict)', () => {
  writeFileSync(
    join(project, 'consumer.ts'),
    `import { openIndex, JiansuoError, type SearchPage, type SearchResult } from 'jiansuo';
import type { JiansuoSearchElement } from 'jiansuo/widget';

export async function run(): Promise<string[]> {
  const index = await openIndex('/search/', { worker: true });
  const page: SearchPage = await index.search('长春', { limit: 5, offset: 0, sort: 'date', signal: AbortSignal.timeout(5000) });
  const filtered = await index.search('', { categories: ['财经'], from: '2024-01-01', to: '2024-12-31', facets: true });
  const counts = await index.search('长春', { limit: 0, facets: true });
  console.log(counts.total, counts.facets?.tags.length);
  const top: number = filtered.facets?.categories[0]?.count ?? 0;
  console.log(top);
  const search = index.searcher();
  await search('长');
  const words: string[] = (await index.completer()('长', { limit: 3 })).map((c) => c.query + c.count);
  console.log(words, page.rewrite?.kind);
  try {
    await index.search('x');
  } catch (e) {
    if (e instanceof JiansuoError && e.code === 'missing') console.log(e.file, e.detail);
  }
  index.close();
  return page.results.map((r: SearchResult) => r.title + r.date + r.excerpt + r.categories.join());
}

export function element(): void {
  const el: JiansuoSearchElement | null = document.querySelector('jiansuo-search');
  if (!el) return;
  el.strings = { total: '找到 {n} 篇', lastYear: '近一年', dateFrom: '起' };
  el.searchOptions = { categories: ['财经'] };
  const dates: boolean = el.facets.includes('dates');
  const label: string = el.strings.noneFiltered + el.strings.filters;
  console.log(dates, label);
  el.addEventListener('jiansuo-results', (e) => console.log(e.detail.page.total, e.detail.append));
  el.open();
  void el.search('长春');
}
`,
  );
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: 'es2022',
        module: 'nodenext',
        moduleResolution: 'nodenext',
        lib: ['es2022', 'dom'],
        skipLibCheck: false,
        types: [],
      },
      files: ['consumer.ts'],
    }),
  );
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', project], { cwd: project, encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    assert.fail(`tsc: ${e.stdout}${e.stderr}`);
  }

  // A misspelt option is a type error, not a filter silently ignored at run time (the URL says category=).
  writeFileSync(
    join(project, 'mistyped.ts'),
    `import { openIndex } from 'jiansuo';
import type { JiansuoSearchElement } from 'jiansuo/widget';
export async function run(): Promise<number> {
  return (await (await openIndex('/search/')).search('长春', { category: ['财经'] })).total;
}
export function element(el: JiansuoSearchElement): void {
  el.searchOptions = { category: ['财经'] };
}
`,
  );
  const config = JSON.parse(readFileSync(join(project, 'tsconfig.json'), 'utf8'));
  writeFileSync(join(project, 'tsconfig.mistyped.json'), JSON.stringify({ ...config, files: ['mistyped.ts'] }));
  const mistyped = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.mistyped.json'], { cwd: project, encoding: 'utf8' });
  assert.notEqual(mistyped.status, 0, 'tsc accepted { category: [...] }');
  assert.match(mistyped.stdout, /mistyped\.ts\(4,.*'category' does not exist in type 'SearchOptions'/, mistyped.stdout);
  assert.match(mistyped.stdout, /mistyped\.ts\(7,.*'category' does not exist in type/, mistyped.stdout);
});
