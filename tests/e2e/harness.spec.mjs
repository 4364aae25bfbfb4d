// The harness itself: the CSV parser the independent checks rely on, and the static
// server's MIME types, deep-link fallback and root confinement. No browser needed.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { assertClose, parseCsv, parseCsvRecords } from './helpers.mjs';
import { startServer } from './serve.mjs';

test('parseCsv reads quotes, doubled quotes, embedded newlines and CRLF', () => {
  const text = 'a,b,c\r\n"x, y","say ""hi""","two\nlines"\r\n,,\n1,2,3';
  assert.deepEqual(parseCsv(text), [
    ['a', 'b', 'c'],
    ['x, y', 'say "hi"', 'two\nlines'],
    ['', '', ''],
    ['1', '2', '3'],
  ]);
  assert.deepEqual(parseCsv('a\n1\n'), [['a'], ['1']], 'a trailing newline adds no row');
});

test('parseCsvRecords keys rows by header and drops a BOM', () => {
  assert.deepEqual(parseCsvRecords('\uFEFFplatform,likes\ntiktok,5\nx\n'), [
    { platform: 'tiktok', likes: '5' },
    { platform: 'x', likes: '' },
  ]);
});

test('assertClose accepts a relative error of 1e-9 and no more', () => {
  assertClose(1 + 5e-10, 1, 'within');
  assert.throws(() => assertClose(1 + 5e-9, 1, 'outside'));
  assert.throws(() => assertClose(1e-12, 0, 'zero must be exact'));
  assertClose(null, null, 'both n/a');
  assert.throws(() => assertClose(0, null, 'n/a expected'));
});

let root;
let server;
before(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'serve-test-'));
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(path.join(root, 'app_bg.wasm'), Buffer.from([0, 97, 115, 109]));
  writeFileSync(path.join(root, 'app.js'), 'export {};');
  writeFileSync(path.join(root, '..', 'outside-secret.txt'), 'secret');
  server = await startServer({ dir: root });
});
after(async () => {
  await server?.close();
  rmSync(path.join(root, '..', 'outside-secret.txt'), { force: true });
  rmSync(root, { recursive: true, force: true });
});

const get = (urlPath, accept = '*/*') =>
  fetch(new URL(urlPath.replace(/^\//, ''), server.url), { headers: { accept } });

test('the server sends files with their MIME type (application/wasm for .wasm)', async () => {
  const wasm = await get('/app_bg.wasm');
  assert.equal(wasm.status, 200);
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
  assert.equal((await wasm.arrayBuffer()).byteLength, 4);
  assert.match((await get('/app.js')).headers.get('content-type'), /^text\/javascript/);
  assert.match((await get('/')).headers.get('content-type'), /^text\/html/);
});

test('the server answers deep links with index.html, and missing assets with 404', async () => {
  const deepLink = await get('/campaigns/C1?platform=tiktok', 'text/html,*/*');
  assert.equal(deepLink.status, 200);
  assert.match(await deepLink.text(), /<title>app<\/title>/);
  assert.equal((await get('/missing.js')).status, 404);
});

test('the server never serves a file outside its root', async () => {
  // "%2f" is not a path separator to URL parsers, so "..%2f" reaches the server as is
  // and decodes to "../" there.
  const escaped = await get('/..%2foutside-secret.txt');
  assert.equal(escaped.status, 404);
  assert.notEqual(await escaped.text(), 'secret');
});
