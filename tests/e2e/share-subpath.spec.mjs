// Hosting from a sub-path: a build made with `trunk build --public-url /sub/` (into
// dist-sub/, built here when it is missing or older than dist/), served under /sub/, opens a deep
// link with its filters; the GitHub Pages fallback (404.html → ?redirect=) lands on the
// same route; in-app navigation stays under /sub/; the parser worker of a big file is
// fetched from under /sub/ too.
//
// The build is `--release` (cheap after the main release build: cargo has nothing to
// recompile); E2E_SUBPATH_PROFILE=dev builds without --release instead.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { REPO_ROOT, launch } from './helpers.mjs';
import { startServer } from './serve.mjs';
import { writePostsCsv } from './bench/posts.mjs';

const SUB_DIST = path.join(REPO_ROOT, 'dist-sub');
const BASE = '/sub/';

let server;
let browser;
/** True when dist-sub/ is missing or older than the main build in dist/. */
function subBuildIsStale() {
  const sub = path.join(SUB_DIST, 'index.html');
  const main = path.join(REPO_ROOT, 'dist', 'index.html');
  if (!existsSync(sub)) return true;
  return existsSync(main) && statSync(main).mtimeMs > statSync(sub).mtimeMs;
}

before(async () => {
  if (subBuildIsStale()) {
    const release = process.env.E2E_SUBPATH_PROFILE === 'dev' ? [] : ['--release'];
    execFileSync('trunk', ['build', ...release, '--offline', '--public-url', BASE, '--dist', SUB_DIST], {
      cwd: REPO_ROOT,
      stdio: 'inherit',
    });
  }
  server = await startServer({ dir: SUB_DIST, base: BASE });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function open(pathAndQuery) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const url = new URL(pathAndQuery, server.url).href;
  await page.goto(url);
  return { page, errors, close: () => context.close() };
}

test('the sub-path build refers to its files under /sub/', () => {
  const html = readFileSync(path.join(SUB_DIST, 'index.html'), 'utf8');
  const urls = [...html.matchAll(/(?:href|src)="([^"]+)"/g)].map((m) => m[1]);
  assert.ok(urls.length >= 3, urls.join());
  for (const url of urls) assert.ok(url.startsWith(BASE), `${url} is under ${BASE}`);
  const fallback = readFileSync(path.join(SUB_DIST, '404.html'), 'utf8');
  assert.ok(fallback.includes(`var base = "${BASE}"`), '404.html knows the public URL');
});

test('a deep link with filters opens under the sub-path', async () => {
  const { page, errors, close } = await open('/sub/campaigns?platform=tiktok');
  try {
    await page.locator('[data-kpi="roas"]').first().waitFor({ timeout: 20_000 });
    assert.equal(await page.locator('h1').innerText(), 'Campaigns');
    assert.equal(await page.locator('#filter-platform').inputValue(), 'tiktok');
    await page.locator('nav[aria-label="Main"] a', { hasText: 'Alerts' }).click();
    await page.waitForURL((url) => url.pathname === '/sub/alerts');
    await page.locator('h1').filter({ hasText: /Alerts/ }).waitFor();
    await page.locator('#filter-platform').selectOption('instagram');
    await page.waitForURL((url) => url.pathname === '/sub/alerts' && url.searchParams.get('platform') === 'instagram');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("GitHub Pages' 404.html fallback lands on the deep link", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // A host without rewrite rules answers an unknown path with 404.html.
  const notFound = readFileSync(path.join(SUB_DIST, '404.html'), 'utf8');
  await page.route(/\/sub\/creators/, (route) =>
    route.fulfill({ status: 404, contentType: 'text/html', body: notFound }),
  );
  try {
    await page.goto(new URL('/sub/creators?platform=instagram', server.url).href);
    // 404.html sent the browser to /sub/?redirect=…; the app restored the path.
    await page.locator('#creator-table').waitFor({ timeout: 20_000 });
    const url = new URL(page.url());
    assert.equal(url.pathname, '/sub/creators');
    assert.equal(url.searchParams.get('platform'), 'instagram');
    assert.equal(url.searchParams.get('redirect'), null);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a big file under the sub-path is parsed by the worker served from /sub/', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kpi-sub-'));
  const file = path.join(dir, 'posts-sub.csv');
  // About 1.6 MB: over the 1 MiB from which a drop goes to the parser worker.
  const expected = writePostsCsv(file, { rows: 20_000, seed: 3 }).overall;
  const { page, errors, close } = await open('/sub/data');
  const fetched = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  try {
    await page.locator('#clear-workspace').click();
    await page.locator('input#file-input').setInputFiles([file]);
    await page.locator('[data-file-report="posts-sub.csv"]').waitFor({ timeout: 30_000 });
    assert.ok(fetched.includes('/sub/worker_bg.wasm'), fetched.join(' '));
    await page.locator('nav[aria-label="Main"] a', { hasText: 'Summary' }).click();
    const impressions = page.locator('[data-kpi="impressions"]').first();
    await impressions.waitFor({ timeout: 20_000 });
    assert.equal(Number(await impressions.getAttribute('data-value')), expected.impressions);
    assert.deepEqual(errors, []);
  } finally {
    await close();
    rmSync(dir, { recursive: true, force: true });
  }
});
