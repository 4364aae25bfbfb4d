// Remembered workspaces that survive, and two tabs (issue 21, items 2 and 3).
//
// A big workspace is remembered in chunks (each at most 32 MiB, one IndexedDB
// transaction), "remembered" shows only once that transaction completes, and a reload
// restores exactly it: the post count and the KPIs equal sums computed here, in JS,
// from the generated CSV (written on the fly, deleted after). One that will not fit in
// the browser's quota (a stubbed `navigator.storage.estimate`) is refused in words, and
// nothing is stored. Two tabs of one browser: remembering in tab A is announced in tab
// B; settings saved in A are applied in B; a tab that missed A's save (no
// BroadcastChannel) does not overwrite A's newer settings or workspace, and says so.
//
// REMEMBER_ROWS sets the big size (default 600,000 posts, the case: 87.7 MB
// packed, 3 chunks; about 30 s in all on the 2-core CI machine).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { AppPage, FIXTURES_DIR, assertClose, eventually, startSession } from './helpers.mjs';
import { writePostsCsv } from './bench/posts.mjs';

const ROWS = Number(process.env.REMEMBER_ROWS ?? 600_000);
const CHUNK_LIMIT = 32 * 1024 * 1024;
/** A big load and its remembering take a while in a busy headless Chromium. */
const BIG_TIMEOUT_MS = 300_000;

let session;
let dir;
before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kpi-remember-'));
  session = await startSession();
});
after(async () => {
  await session?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The stored manifest (parsed), or null. */
function storedManifest() {
  return new Promise((resolve) => {
    const open = indexedDB.open('kpi-dash', 1);
    open.onupgradeneeded = () => open.transaction.abort();
    open.onerror = () => resolve(null);
    open.onsuccess = () => {
      try {
        const get = open.result.transaction('workspace').objectStore('workspace').get('manifest');
        get.onsuccess = () => {
          open.result.close();
          resolve(typeof get.result === 'string' ? JSON.parse(get.result) : null);
        };
        get.onerror = () => resolve(null);
      } catch {
        resolve(null);
      }
    };
  });
}

/** A page of its own in `context` (two of them are two tabs of one browser). */
async function tab(context, route) {
  const app = new AppPage(await context.newPage(), session.baseUrl);
  await app.goto(route);
  return app;
}

async function newContext() {
  const context = await session.browser.newContext({ viewport: { width: 1440, height: 900 } });
  context.setDefaultTimeout(10_000);
  return context;
}

async function assertKpis(app, sums, label) {
  await eventually(async () => {
    assertClose(await app.kpiValue('impressions'), sums.impressions, `${label}: impressions`);
    assertClose(await app.kpiValue('roas'), sums.revenue / sums.cost, `${label}: ROAS = Σrevenue / Σcost`);
    assertClose(await app.kpiValue('ctr'), sums.clicks / sums.impressions, `${label}: CTR = Σclicks / Σimpressions`);
  }, 60_000);
}

async function remember(app, timeout = 30_000) {
  await app.page.locator('#remember-workspace').check();
  await app.page.locator('#remember-status').filter({ hasText: /Remembered on this device/ }).waitFor({ timeout });
  return app.page.locator('#remember-status').innerText();
}

test(`a workspace of ${ROWS} posts is remembered in chunks and a reload restores it`, { timeout: 900_000 }, async () => {
  const file = path.join(dir, 'remember-big.csv');
  const sums = writePostsCsv(file, { rows: ROWS, seed: 21, idPrefix: 'R' }).overall;
  const context = await newContext();
  const app = await tab(context, '/data');
  try {
    const started = Date.now();
    await app.upload([file]);
    await app.page.locator('[data-file-report="remember-big.csv"]').waitFor({ timeout: BIG_TIMEOUT_MS });
    const loaded = Date.now();
    // While the write runs the status says so; "Remembered" comes after `complete`.
    await app.page.locator('#remember-workspace').check();
    const status = await app.page.locator('#remember-status').innerText();
    assert.doesNotMatch(status, /^Remembered/, status);
    await app.page
      .locator('#remember-status')
      .filter({ hasText: /Remembered on this device/ })
      .waitFor({ timeout: BIG_TIMEOUT_MS });
    const remembered = Date.now();
    const text = await app.page.locator('#remember-status').innerText();
    assert.match(text, new RegExp(`Remembered on this device: ${ROWS} posts, [\\d.]+ MB in \\d+ parts?`), text);
    const manifest = await app.page.evaluate(storedManifest);
    assert.equal(manifest.rows, ROWS);
    const bytes = manifest.chunks.reduce((n, [len]) => n + len, 0);
    for (const [len] of manifest.chunks) assert.ok(len <= CHUNK_LIMIT, `a chunk of ${len} bytes`);
    assert.equal(manifest.chunks.length, Math.ceil(bytes / CHUNK_LIMIT));

    // A new visit restores exactly it: the post count and the KPIs of the file's sums.
    await app.goto('/data');
    await app.page.locator('[data-file-report="remembered-workspace.json"]').waitFor({ timeout: BIG_TIMEOUT_MS });
    const restored = Date.now();
    assert.equal((await app.rowCounts('remembered-workspace.json')).used, ROWS);
    await app.navigate('/');
    await app.waitForKpis();
    await assertKpis(app, sums, 'restored');
    console.log(
      `remember-big: ${ROWS} posts, ${(bytes / 1e6).toFixed(1)} MB in ${manifest.chunks.length} chunks; ` +
        `load ${((loaded - started) / 1000).toFixed(1)} s, remember ${((remembered - loaded) / 1000).toFixed(1)} s, ` +
        `restore ${((restored - remembered) / 1000).toFixed(1)} s`,
    );
    assert.deepEqual(app.panics(), []);
  } finally {
    await context.close();
    rmSync(file, { force: true });
  }
});

test('a workspace that does not fit in the quota is refused in words, and nothing is stored', async () => {
  const context = await newContext();
  // The browser says this site may store nothing more.
  await context.addInitScript(() => {
    navigator.storage.estimate = async () => ({ quota: 1_000_000_000, usage: 1_000_000_000 });
  });
  const app = await tab(context, '/data');
  try {
    await app.upload([path.join(FIXTURES_DIR, 'share-posts.csv')]);
    await app.waitForFileReport('share-posts.csv');
    await app.page.locator('#remember-workspace').check();
    const status = app.page.locator('#remember-status').filter({ hasText: /Not remembered/ });
    await status.waitFor();
    assert.match(
      await status.innerText(),
      /Not remembered: it needs [\d.]+ MB and this browser lets this site store 0\.0 MB more \(a quota of 1000\.0 MB, 1000\.0 MB in use\)\. Nothing was written/,
    );
    assert.match(await app.page.locator('#load-error').innerText(), /Could not remember the workspace: it needs/);
    assert.equal(await app.page.evaluate(storedManifest), null);
    await app.goto('/data');
    await app.page.locator('#remember-workspace').waitFor();
    await app.page.waitForTimeout(500); // a remembered workspace would load by now
    assert.equal((await app.page.locator('#dataset-name').innerText()).trim(), 'Demo data');
  } finally {
    await context.close();
  }
});

test('a wrong IndexedDB version is said in words, not as JsValue(Event)', async () => {
  const context = await newContext();
  const app = await tab(context, '/data');
  try {
    // A newer version of the app made the database at version 7.
    await app.page.evaluate(
      () =>
        new Promise((resolve) => {
          const open = indexedDB.open('kpi-dash', 7);
          open.onupgradeneeded = () => open.result.createObjectStore('workspace');
          open.onsuccess = () => (open.result.close(), resolve());
        }),
    );
    await app.page.evaluate(() => localStorage.setItem('kpi-dash.remember', 'true'));
    await app.goto('/data');
    const error = app.page.locator('#load-error');
    await error.waitFor();
    const text = await error.innerText();
    assert.match(text, /Could not read the remembered workspace: the copy stored in this browser was written by a newer version of this app/);
    assert.doesNotMatch(text, /JsValue/);
  } finally {
    await context.close();
  }
});

test('two tabs: remembering and settings in one are heard in the other; a tab that missed them does not overwrite them', async () => {
  const context = await newContext();
  const posts = path.join(FIXTURES_DIR, 'share-posts.csv');
  const more = path.join(dir, 'tab-a-more.csv');
  writePostsCsv(more, { rows: 50, seed: 5, idPrefix: 'A' });
  const deafFile = path.join(dir, 'tab-c.csv');
  writePostsCsv(deafFile, { rows: 4, seed: 6, idPrefix: 'C' });
  const a = await tab(context, '/data');
  const b = await tab(context, '/data');
  let deaf = null;
  try {
    // A remembers: B hears it, and its checkbox follows.
    await a.upload([posts]);
    await a.waitForFileReport('share-posts.csv');
    await remember(a);
    const notice = b.page.locator('#remember-notice');
    await notice.waitFor();
    assert.match(await notice.innerText(), /Another tab remembered a workspace on this device \(“share-posts\.csv”, 4 posts/);
    assert.equal(await b.page.locator('#remember-workspace').isChecked(), true);

    // A third tab that hears nothing (no BroadcastChannel) opens on A's workspace.
    const page = await context.newPage();
    await page.addInitScript(() => {
      delete window.BroadcastChannel;
    });
    deaf = new AppPage(page, session.baseUrl);
    await deaf.goto('/settings');
    await deaf.page.locator('#currency-symbol').waitFor();

    // Settings saved in A are applied in B.
    await a.navigate('/settings');
    await b.navigate('/settings');
    await a.page.locator('#currency-symbol').fill('£');
    await a.page.locator('#currency-symbol').dispatchEvent('change');
    await b.page.locator('#settings-synced').waitFor();
    assert.equal(await b.page.locator('#currency-symbol').inputValue(), '£');
    const storedSymbol = (p) => p.evaluate(() => JSON.parse(localStorage.getItem('kpi-dash.settings')).currency_symbol);
    assert.equal(await storedSymbol(a.page), '£');

    // The deaf tab's older settings do not overwrite A's: it asks instead.
    await deaf.page.locator('#currency-symbol').fill('¥');
    await deaf.page.locator('#currency-symbol').dispatchEvent('change');
    await deaf.page.locator('#settings-conflict').waitFor();
    assert.equal(await storedSymbol(a.page), '£');
    await deaf.page.locator('#settings-use-theirs').click();
    assert.equal(await deaf.page.locator('#currency-symbol').inputValue(), '£');
    assert.equal(await storedSymbol(a.page), '£');

    // A remembers a newer workspace; the deaf tab's load does not overwrite it.
    await deaf.navigate('/data');
    await deaf.page.locator('[data-file-report="remembered-workspace.json"]').waitFor();
    await a.navigate('/data');
    await a.upload([more]);
    await a.waitForFileReport('tab-a-more.csv');
    await a.page
      .locator('#remember-status')
      .filter({ hasText: /Remembered on this device: 54 posts/ })
      .waitFor();
    await deaf.upload([deafFile]);
    const refused = deaf.page.locator('#remember-notice');
    await refused.waitFor();
    assert.match(await refused.innerText(), /Not remembered: another tab remembered a newer workspace on this device/);
    assert.equal((await a.page.evaluate(storedManifest)).rows, 54);
    // Asked, the user may keep this tab's instead.
    await deaf.page.locator('#remember-replace').click();
    await deaf.page.locator('#remember-status').filter({ hasText: /Remembered on this device/ }).waitFor();
    assert.equal((await a.page.evaluate(storedManifest)).rows, 8);
    for (const app of [a, b, deaf]) assert.deepEqual(app.panics(), []);
  } finally {
    await context.close();
    rmSync(more, { force: true });
    rmSync(deafFile, { force: true });
  }
});
