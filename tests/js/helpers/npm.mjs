// The npm package as a consumer gets it: `npm pack` in www/, installed from the tarball into a scratch
// project (no registry needed: the package has no dependencies).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir } from './bundle.mjs';

const DIST_FILES = ['jiansuo.js', 'widget.js', 'jiansuo_engine_bg.wasm.deflate'];

/** Packs www/ and installs the tarball into a new scratch project; returns the project's folder. */
export function installPackage() {
  for (const name of DIST_FILES) {
    if (!existsSync(join(ROOT, 'www/dist', name))) {
      throw new Error(`www/dist/${name} is missing: run scripts/build-www.sh before the npm package tests`);
    }
  }
  const project = tempDir('jiansuo-consumer-');
  const npm = (args, cwd) =>
    execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  npm(['pack', '--pack-destination', project], join(ROOT, 'www'));
  const tarball = readdirSync(project).find((f) => /^jiansuo-.*\.tgz$/.test(f));
  if (!tarball) throw new Error('npm pack wrote no jiansuo-*.tgz');
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'jiansuo-consumer', private: true, type: 'module' }, null, 2),
  );
  npm(['install', '--offline', `./${tarball}`], project);
  return { project, tarball: join(project, tarball) };
}

/** The files in the tarball, as `npm pack` lists them. */
export function tarballFiles(tarball) {
  return execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((f) => f.replace(/^package\//, ''))
    .sort();
}
