// A small static file server for the built bundle (dist/), with no dependency.
//
// - Correct MIME types, application/wasm included (streaming compilation needs it).
// - Deep links: a GET that asks for HTML and matches no file gets index.html, so
//   /campaigns/C1 opens the app on that route, as a host with a rewrite rule would.
// - Optional base path (--base /sub/) to test builds made with `--public-url /sub/`.
// - Never serves outside its root; no caching, so every run sees the fresh build.
// - ETag / Last-Modified on every file, and a 304 to a request whose If-None-Match
//   (else If-Modified-Since) says it is unchanged (a watched `?live=` file).
//
// CLI: node tests/e2e/serve.mjs [--dir dist] [--host 127.0.0.1] [--port 0] [--base /]
// prints "serving <dir> at http://127.0.0.1:<port>/" once it listens (port 0 = a free one).

import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.gz': 'application/gzip',
  '.woff2': 'font/woff2',
};

/** The MIME type for a file name (octet-stream when unknown). */
export function mimeType(fileName) {
  return MIME_TYPES[path.extname(fileName).toLowerCase()] ?? 'application/octet-stream';
}

async function isFile(filePath) {
  try {
    return (await stat(filePath)).isFile();
  } catch {
    return false;
  }
}

/** Maps a URL path under `base` to a file inside `root`, or null when it escapes root. */
function fileFor(root, base, urlPath) {
  if (!urlPath.startsWith(base)) return null;
  let relative;
  try {
    relative = decodeURIComponent(urlPath.slice(base.length));
  } catch {
    return null;
  }
  const resolved = path.resolve(root, '.' + path.sep + relative);
  if (resolved !== root && !resolved.startsWith(root + path.sep)) return null;
  return resolved;
}

/**
 * Starts serving `dir`. Resolves to `{ url, port, close() }` once listening.
 * `base` is the URL prefix the bundle was built for (default "/").
 */
export function startServer({ dir, host = '127.0.0.1', port = 0, base = '/' } = {}) {
  const root = path.resolve(dir);
  const prefix = base.endsWith('/') ? base : base + '/';
  const index = path.join(root, 'index.html');

  const server = createServer(async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const urlPath = new URL(req.url ?? '/', 'http://localhost').pathname;
    let filePath = fileFor(root, prefix, urlPath);
    if (filePath && (await isFile(path.join(filePath, 'index.html')))) {
      filePath = path.join(filePath, 'index.html');
    }
    if (!filePath || !(await isFile(filePath))) {
      const wantsHtml = (req.headers.accept ?? '').includes('text/html');
      if (!wantsHtml || !urlPath.startsWith(prefix)) {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
        return;
      }
      filePath = index; // deep link: the app's router takes it from here
    }
    try {
      const body = await readFile(filePath);
      // Validators, so that a watched file (`?live=`) is re-read with a 304 when unchanged.
      const info = await stat(filePath);
      const etag = `W/"${body.length.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
      const lastModified = info.mtime.toUTCString();
      const since = Date.parse(req.headers['if-modified-since'] ?? '');
      const noneMatch = req.headers['if-none-match'];
      const unchanged =
        noneMatch !== undefined
          ? noneMatch.split(',').some((tag) => tag.trim() === etag)
          : Number.isFinite(since) && Math.floor(info.mtimeMs / 1000) * 1000 <= since;
      if (unchanged) {
        res.writeHead(304, { ETag: etag, 'Last-Modified': lastModified, 'Cache-Control': 'no-store' }).end();
        return;
      }
      res.writeHead(200, {
        'Content-Type': mimeType(filePath),
        'Content-Length': body.length,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
        ETag: etag,
        'Last-Modified': lastModified,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (error) {
      res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`${error}\n`);
    }
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const actualPort = server.address().port;
      resolve({
        url: `http://${host}:${actualPort}${prefix}`,
        port: actualPort,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

function parseArgs(argv) {
  const options = { dir: 'dist', host: '127.0.0.1', port: 0, base: '/' };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in options) || argv[i + 1] === undefined) {
      throw new Error(`usage: serve.mjs [--dir D] [--host H] [--port P] [--base /path/]`);
    }
    options[key] = key === 'port' ? Number(argv[i + 1]) : argv[i + 1];
  }
  return options;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const options = parseArgs(process.argv.slice(2));
  const { url } = await startServer(options);
  console.log(`serving ${path.resolve(options.dir)} at ${url}`);
}
