#!/usr/bin/env node
// A small static file server for the demo and the browser tests: loopback only by default, no
// dependencies, correct MIME types (application/wasm for the engine), ETags, no directory listings.
//
//   node scripts/serve.mjs [DIR] [--host 127.0.0.1] [--port 8080] [--delay MS] [--quiet]
//
// As a module: const server = await serve({ root, port: 0 }); server.url; await server.close();
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.woff2': 'font/woff2',
};

/**
 * Serves `root`. Options: host ('127.0.0.1'), port (0 = any free port), delay (ms before each answer,
 * to watch loading states), log (function called with each request line), onRequest(pathname), cacheControl
 * (the files' Cache-Control; 'max-age=600' is what GitHub Pages sends).
 */
export async function serve({ root = '.', host = '127.0.0.1', port = 0, delay = 0, log = null, onRequest = null, cacheControl = 'no-cache' } = {}) {
  const base = resolve(root);
  const server = createServer(async (req, res) => {
    const done = (status, headers = {}, body = '') => {
      res.writeHead(status, { 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff', ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
      log?.(`${status} ${req.method} ${req.url}`);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return done(405, { Allow: 'GET, HEAD' }, 'method not allowed\n');
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    } catch {
      return done(400, {}, 'bad request\n');
    }
    onRequest?.(pathname);
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    let file = resolve(join(base, pathname));
    if (pathname.includes('\0') || (file !== base && !file.startsWith(base + sep))) return done(403, {}, 'forbidden\n');
    let info = await stat(file).catch(() => null);
    if (info?.isDirectory()) {
      if (!pathname.endsWith('/')) {
        const url = new URL(req.url, 'http://localhost');
        return done(301, { Location: `${url.pathname}/${url.search}` });
      }
      file = join(file, 'index.html');
      info = await stat(file).catch(() => null);
    }
    if (!info?.isFile()) return done(404, { 'Content-Type': 'text/plain; charset=utf-8' }, 'not found\n');
    // A validator, as static hosts send: a revalidated file (no-cache) costs a 304, not its bytes again.
    const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
    if (req.headers['if-none-match'] === etag) return done(304, { ETag: etag });
    res.writeHead(200, {
      ETag: etag,
      'Content-Type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': info.size,
      'Cache-Control': cacheControl,
      'X-Content-Type-Options': 'nosniff',
    });
    log?.(`200 ${req.method} ${req.url}`);
    if (req.method === 'HEAD') return res.end();
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, ok);
  });
  const address = server.address();
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shown}:${address.port}/`,
    port: address.port,
    server,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections?.();
        server.close(() => ok());
      }),
  };
}

async function main(argv) {
  const options = { root: '.', host: '127.0.0.1', port: 8080, delay: 0, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === '--host') options.host = value();
    else if (arg === '--port' || arg === '-p') options.port = Number(value());
    else if (arg === '--delay') options.delay = Number(value());
    else if (arg === '--quiet' || arg === '-q') options.quiet = true;
    else if (arg === '-h' || arg === '--help') {
      console.log('usage: node scripts/serve.mjs [DIR] [--host 127.0.0.1] [--port 8080] [--delay MS] [--quiet]');
      return;
    } else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}`);
    else options.root = arg;
  }
  const info = await stat(options.root).catch(() => null);
  if (!info?.isDirectory()) throw new Error(`${options.root} is not a directory`);
  const server = await serve({ ...options, log: options.quiet ? null : (line) => console.log(line) });
  console.log(`serving ${resolve(options.root)} on ${server.url}`);
  const stop = () => server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(`serve: ${e.message}`);
    process.exit(2);
  });
}
