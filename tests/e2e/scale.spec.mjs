// Scale smoke test (issue 6): a 100,000-row posts CSV (about 8 MB, so it takes the
// streaming path: parsed in the worker, with the progress bar) loads through
// #file-input, its report reconciles, and the Executive Summary shows KPIs equal to the
// ones computed here, in JS, from the same rows. A second big file loads on top of it
// (the workspace goes to the worker and comes back). It asserts correctness, not time: the timed run is
// `.ci/bench` (tests/e2e/bench/browser.mjs).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { assertClose, eventually, startSession } from './helpers.mjs';
import { writePostsCsv } from './bench/posts.mjs';

const ROWS = 100_000;
const FILE_NAME = 'posts-100k.csv';
/** Lines with an unreadable date: whole rows rejected. */
const BAD_LINES = 3;

let session;
let dir;
let expected;
before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kpi-scale-'));
  expected = writePostsCsv(path.join(dir, FILE_NAME), { rows: ROWS, badDates: BAD_LINES, seed: 7 });
  session = await startSession();
});
after(async () => {
  await session?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The `ingest-unpacked` marks' details: one per load the parser worker did. */
async function workerLoads(page) {
  return page.evaluate(() =>
    performance.getEntriesByName('ingest-unpacked').map((m) => JSON.parse(m.detail)),
  );
}

test('100k posts stream in, reconcile, and give the KPIs computed independently', async () => {
  const app = await session.open('/data');
  const fetched = [];
  app.page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  try {
    await app.clearWorkspace();
    await app.upload([path.join(dir, FILE_NAME)]);
    await app.waitForFileReport(FILE_NAME);
    // The rows were parsed in the worker, not on the page.
    assert.ok(fetched.includes('/worker_bg.wasm'), `worker fetched: ${fetched.join(' ')}`);
    const loads = await workerLoads(app.page);
    assert.equal(loads.length, 1);
    assert.ok(loads[0].parse_ms > 0 && loads[0].worker_memory_bytes > 0, JSON.stringify(loads[0]));
    const counts = await app.rowCounts(FILE_NAME);
    // Every data line is read; the ones with a bad date are rejected, the rest used.
    assert.deepEqual(counts, {
      read: ROWS + BAD_LINES,
      used: ROWS,
      rejected: BAD_LINES,
    });
    assert.equal(counts.read, counts.used + counts.rejected);
    assert.equal(await app.page.locator('#ingest-progress').count(), 0, 'progress bar gone');

    await app.navigate('/');
    await app.waitForKpis();
    const all = expected.overall;
    await eventually(async () => {
      assertClose(await app.kpiValue('impressions'), all.impressions, 'impressions');
      assertClose(await app.kpiValue('roas'), all.revenue / all.cost, 'roas');
      assertClose(await app.kpiValue('ctr'), all.clicks / all.impressions, 'ctr');
      assertClose(await app.kpiValue('engagement_rate'), all.engagements / all.reach, 'ER');
    }, 20_000);

    // A platform filter (client-side: a reload would drop the loaded files): every number
    // follows, still equal to the JS sums of that platform.
    await app.page.locator('select#filter-platform').selectOption('tiktok');
    await app.page.waitForURL((url) => url.searchParams.get('platform') === 'tiktok');
    const tiktok = expected.byPlatform.tiktok;
    await eventually(async () => {
      assertClose(await app.kpiValue('impressions'), tiktok.impressions, 'tiktok impressions');
      assertClose(await app.kpiValue('roas'), tiktok.revenue / tiktok.cost, 'tiktok roas');
    }, 20_000);

    // A second big file adds to the loaded one: the worker gets the workspace as its
    // base, and the sums are those of both files.
    const second = path.join(dir, 'posts-more.csv');
    const more = writePostsCsv(second, { rows: 20_000, seed: 8, idPrefix: 'Q' }).overall;
    await app.navigate('/data');
    await app.upload([second]);
    await app.waitForFileReport('posts-more.csv');
    assert.deepEqual(await app.rowCounts('posts-more.csv'), { read: 20_000, used: 20_000, rejected: 0 });
    assert.equal((await workerLoads(app.page)).length, 2);
    await app.navigate('/');
    await app.waitForKpis();
    await app.page.locator('select#filter-platform').selectOption({ label: 'All platforms' });
    await app.page.waitForURL((url) => !url.searchParams.has('platform'));
    await eventually(async () => {
      assertClose(await app.kpiValue('impressions'), all.impressions + more.impressions, 'both files');
      assertClose(
        await app.kpiValue('roas'),
        (all.revenue + more.revenue) / (all.cost + more.cost),
        'roas of both files',
      );
    }, 20_000);
    assert.deepEqual(app.panics(), []);
  } finally {
    await app.close();
  }
});

test('a big file shows the progress bar and can be cancelled, leaving the workspace as it was', async () => {
  const big = path.join(dir, 'posts-cancel.csv');
  writePostsCsv(big, { rows: 400_000, badDates: 0, seed: 9 });
  const app = await session.open('/data');
  try {
    await app.clearWorkspace();
    await app.upload([big]);
    await app.page.locator('#ingest-progress').waitFor({ timeout: 20_000 });
    await app.page.locator('#cancel-load').click();
    await app.page.locator('#ingest-progress').waitFor({ state: 'detached', timeout: 20_000 });
    assert.equal(await app.page.locator('[data-file-report="posts-cancel.csv"]').count(), 0);
    assert.match(await app.page.locator('.notice').allInnerTexts().then((t) => t.join(' ')), /cancelled/);
    assert.deepEqual(app.panics(), []);
  } finally {
    await app.close();
  }
});
