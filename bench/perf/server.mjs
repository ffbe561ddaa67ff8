// A loopback static server for the benchmark that behaves like a static host (GitHub Pages, Netlify):
// text and wasm are sent gzip-compressed when the browser accepts it, files that are compressed already
// (our .bin and .wasm.deflate, Pagefind's pf_* and wasm.*.pagefind) as they are, with `Cache-Control: max-age=600`.
// It logs every response with the body bytes it sent, so that a run can count what each step fetched,
// including the requests of Web Workers (which a page's PerformanceResourceTiming does not see).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createSecureServer } from 'node:http2';
import { extname, join, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
};
// What a static host compresses on the fly; everything else is sent as stored.
const COMPRESSED = new Set(['.html', '.js', '.css', '.json', '.wasm']);

/**
 * mounts: { '/prefix/': dir } (longest prefix wins); pages: { '/path': html } served from memory;
 * latency: ms to wait before answering each request (a network's round trip; 0 = loopback only).
 * tls: { key, cert } (PEM) to serve HTTPS with HTTP/2, as static hosts do (no limit of 6 connections per
 * host as with HTTP/1.1, which makes a browser queue a 7th request); without it plain HTTP/1.1.
 * Returns { url, log, inflight(), idle(), close() }; log entries: { path, status, bytes, raw, at }.
 */
export async function serveBench({ mounts = {}, pages = {}, host = '127.0.0.1', latency = 0, tls = null } = {}) {
  const roots = Object.entries(mounts)
    .map(([prefix, dir]) => [prefix, resolve(dir)])
    .sort((a, b) => b[0].length - a[0].length);
  const gz = new Map(); // file → { mtimeMs, body }
  const log = [];
  let inflight = 0;
  let waiters = [];
  const settle = () => {
    if (inflight > 0) return;
    const ready = waiters;
    waiters = [];
    for (const resolve of ready) resolve();
  };

  async function answer(req, res) {
    const url = new URL(req.url, 'http://localhost');
    let path;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      return [400, {}, Buffer.from('bad request\n'), 0];
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return [405, {}, Buffer.from('method not allowed\n'), 0];
    if (Object.hasOwn(pages, path)) {
      const body = Buffer.from(pages[path]);
      return [200, { 'Content-Type': TYPES['.html'], 'Cache-Control': 'no-store' }, body, body.length];
    }
    const mount = roots.find(([prefix]) => path.startsWith(prefix));
    if (!mount || path.includes('\0')) return [404, {}, Buffer.from('not found\n'), 0];
    const file = resolve(join(mount[1], path.slice(mount[0].length)));
    if (file !== mount[1] && !file.startsWith(mount[1] + sep)) return [403, {}, Buffer.from('forbidden\n'), 0];
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return [404, {}, Buffer.from('not found\n'), 0];
    const ext = extname(file).toLowerCase();
    const headers = { 'Content-Type': TYPES[ext] ?? 'application/octet-stream', 'Cache-Control': 'max-age=600' };
    const gzipOk = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
    if (COMPRESSED.has(ext) && gzipOk) {
      let cached = gz.get(file);
      if (!cached || cached.mtimeMs !== info.mtimeMs) {
        cached = { mtimeMs: info.mtimeMs, body: gzipSync(await readFile(file), { level: 9 }) };
        gz.set(file, cached);
      }
      return [200, { ...headers, 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding' }, cached.body, info.size];
    }
    return [200, headers, await readFile(file), info.size];
  }

  const handler = async (req, res) => {
    inflight++;
    const at = performance.now();
    let entry;
    try {
      if (latency > 0) await new Promise((ok) => setTimeout(ok, latency));
      const [status, headers, body, raw] = await answer(req, res);
      res.writeHead(status, { 'Content-Length': body.length, 'X-Content-Type-Options': 'nosniff', ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
      entry = { path: req.url, status, bytes: req.method === 'HEAD' ? 0 : body.length, raw, at };
    } catch (e) {
      res.destroy(e);
      entry = { path: req.url, status: 0, bytes: 0, raw: 0, at, error: String(e?.message ?? e) };
    }
    log.push(entry);
    res.on('close', () => {
      inflight--;
      settle();
    });
  };
  const server = tls ? createSecureServer({ ...tls, allowHTTP1: true }, handler) : createServer(handler);
  const sockets = new Set(); // to close an HTTP/2 server's open sessions
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, host, ok);
  });
  return {
    url: `${tls ? 'https' : 'http'}://${host}:${server.address().port}/`,
    log,
    /** Resolves once no request is being answered. */
    idle: () => new Promise((ok) => {
      waiters.push(ok);
      settle();
    }),
    close: () => new Promise((ok) => {
      server.closeAllConnections?.();
      for (const socket of sockets) socket.destroy();
      server.close(() => ok());
    }),
  };
}

/** A key and self-signed certificate for 127.0.0.1 in `dir` (made once with openssl), for `tls`. */
export function selfSignedTls(dir) {
  const key = join(dir, 'bench-key.pem');
  const cert = join(dir, 'bench-cert.pem');
  if (!existsSync(key) || !existsSync(cert)) {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', key, '-out', cert, '-days', '3650', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  }
  return { key: readFileSync(key), cert: readFileSync(cert) };
}
