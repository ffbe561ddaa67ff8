// Runs a build command under GNU time (-v) and reports its wall seconds, CPU seconds (user + sys),
// the cores it kept busy on average ((user + sys) / wall) and its peak resident memory.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const TIME = '/usr/bin/time';

export function checkTime() {
  if (!existsSync(TIME)) throw new Error(`${TIME} is missing: apt-get install -y time (GNU time, for peak memory)`);
}

/** "1:02.35" or "1:02:03" → seconds. */
function clock(text) {
  return text.split(':').reduce((s, part) => s * 60 + Number(part), 0);
}

/**
 * Runs `bin args` with `cwd`, killing it after `timeoutSeconds`. Its stderr goes to ours (progress),
 * its stdout is dropped. Resolves to { wallSeconds, userSeconds, sysSeconds, cpuSeconds, coresUsed,
 * peakRssBytes, exitCode, loadBefore, loadAfter }; rejects when the command fails or times out.
 */
export function timed(bin, args, { cwd, timeoutSeconds = 3600, env = process.env, label = bin } = {}) {
  checkTime();
  if (!existsSync(bin)) throw new Error(`${bin} does not exist`);
  const report = join(tmpdir(), `jiansuo-perf-time-${process.pid}-${Date.now()}.txt`);
  const loadBefore = loadavg()[0];
  return new Promise((resolve, reject) => {
    const child = spawn(TIME, ['-v', '-o', report, bin, ...args], { cwd, env, stdio: ['ignore', 'ignore', 'inherit'] });
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`${label}: still running after ${timeoutSeconds} s, stopped`));
    }, timeoutSeconds * 1000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      let text = '';
      try {
        text = readFileSync(report, 'utf8');
      } catch {}
      rmSync(report, { force: true });
      const field = (name) => {
        const m = new RegExp(`^\\s*${name}: (.+)$`, 'm').exec(text);
        return m ? m[1].trim() : null;
      };
      const status = Number(field('Exit status') ?? code ?? -1);
      if (signal || status !== 0) {
        return reject(new Error(`${label} failed (${signal ?? `exit status ${status}`})`));
      }
      const userSeconds = Number(field('User time \\(seconds\\)'));
      const sysSeconds = Number(field('System time \\(seconds\\)'));
      const wallSeconds = clock(field('Elapsed \\(wall clock\\) time \\(h:mm:ss or m:ss\\)') ?? '0');
      resolve({
        wallSeconds,
        userSeconds,
        sysSeconds,
        cpuSeconds: userSeconds + sysSeconds,
        coresUsed: wallSeconds > 0 ? (userSeconds + sysSeconds) / wallSeconds : 0,
        peakRssBytes: Number(field('Maximum resident set size \\(kbytes\\)')) * 1024,
        cores: cpus().length,
        loadBefore,
        loadAfter: loadavg()[0],
      });
    });
  });
}
