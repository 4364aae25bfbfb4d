// Scale smoke test (issue 6): a 100,000-row posts CSV (about 8 MB, so it takes the
// streaming path: parsed in a data worker, with the progress bar) loads through
// #file-input, its report reconciles, and the Executive Summary shows KPIs equal to the
// ones computed here, in JS, from the same rows. The worker keeps the rows: the page
// gets an outline, then sends questions (filters) and gets small answers, with no
// typed arrays, and a filter it saw before is answered from its cache. A second big
// file loads on top of it (the first worker sends a copy to the second). It asserts
// correctness, not time: the timed run is `.ci/bench` (tests/e2e/bench/browser.mjs).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { assertClose, downloadOf, eventually, recordWorkerTraffic, startSession, trafficSince } from './helpers.mjs';
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

/** The `ingest-answered` marks' details: one per load a data worker did. */
async function workerLoads(page) {
  return page.evaluate(() =>
    performance.getEntriesByName('ingest-answered').map((m) => JSON.parse(m.detail)),
  );
}

test('100k posts stream in, reconcile, and give the KPIs computed independently', async () => {
  const app = await session.open('/data');
  const fetched = [];
  app.page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  try {
    await app.clearWorkspace();
    await app.page.evaluate(recordWorkerTraffic);
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
    // The worker kept the rows: its done message carries the outline and an empty
    // shell (no campaigns or creators files), not the 100k rows' columns.
    const loadTraffic = await trafficSince(app.page, 0);
    const done = loadTraffic.find((m) => m.dir === 'from' && m.type === 'done');
    assert.ok(done && done.typedBytes < 64 * 1024, JSON.stringify(done));
    assert.match(
      await app.page.locator('#loaded-title + p').innerText(),
      /^100000 posts, 0 campaigns, 0 creators/,
    );

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
    // follows, still equal to the JS sums of that platform. The page only asks: small
    // JSON answers come back, no typed arrays.
    const beforeFilter = (await trafficSince(app.page, 0)).length;
    await app.page.locator('select#filter-platform').selectOption('tiktok');
    await app.page.waitForURL((url) => url.searchParams.get('platform') === 'tiktok');
    const tiktok = expected.byPlatform.tiktok;
    await eventually(async () => {
      assertClose(await app.kpiValue('impressions'), tiktok.impressions, 'tiktok impressions');
      assertClose(await app.kpiValue('roas'), tiktok.revenue / tiktok.cost, 'tiktok roas');
    }, 20_000);
    const filterTraffic = await trafficSince(app.page, beforeFilter);
    assert.ok(filterTraffic.some((m) => m.type === 'ask'), JSON.stringify(filterTraffic));
    for (const m of filterTraffic) {
      assert.ok(['ask', 'answer'].includes(m.type), JSON.stringify(m));
      assert.equal(m.typedBytes, 0, JSON.stringify(m));
      assert.ok(m.text < 1_000_000, `answers are small (the file is 8.9 MB): ${JSON.stringify(m)}`);
    }
    // Back to all platforms: answered from the page's cache, with no question asked.
    const beforeBack = (await trafficSince(app.page, 0)).length;
    await app.page.locator('select#filter-platform').selectOption({ label: 'All platforms' });
    await app.page.waitForURL((url) => !url.searchParams.has('platform'));
    await eventually(async () => {
      assertClose(await app.kpiValue('impressions'), all.impressions, 'impressions again');
    });
    assert.deepEqual(await trafficSince(app.page, beforeBack), [], 'no question for a cached filter');

    // A creator's page asks its own questions (the filter narrowed to the creator, and
    // its renewal inputs): its ROAS is the JS sum of its rows.
    const k7 = expected.byCreator.K7;
    await app.navigate('/creators');
    await app.page.locator('table a[href="/creators/K7"], table a[href^="/creators/K7?"]').first().click();
    await app.page.waitForURL((url) => url.pathname === '/creators/K7');
    await eventually(async () => {
      assertClose(await app.kpiValue('roas', 'creator:K7'), k7.revenue / k7.cost, 'K7 roas');
    }, 20_000);
    assert.equal(await app.page.locator('[data-renewal]').count(), 1, 'a renewal recommendation');
    // Once every answer is in, the header's "Computing…" status is empty again.
    await eventually(async () => assert.equal(await app.page.locator('#computing').innerText(), ''));
    // The monthly report is answered by the worker too: the last month's posts only.
    await app.navigate('/reports');
    await app.page.locator('[data-cadence="monthly"]').click();
    await eventually(async () => {
      assert.ok((await app.kpiValue('impressions')) > 0, 'report impressions');
      assert.ok((await app.kpiValue('impressions')) < all.impressions / 12, 'one month of two years');
    }, 20_000);
    await app.navigate('/');

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
    await eventually(async () => {
      assertClose(await app.kpiValue('impressions'), all.impressions + more.impressions, 'both files');
      assertClose(
        await app.kpiValue('roas'),
        (all.revenue + more.revenue) / (all.cost + more.cost),
        'roas of both files',
      );
    }, 20_000);
    // The workspace export comes from the worker that holds the rows.
    await app.navigate('/data');
    const exported = JSON.parse((await downloadOf(app.page, app.page.locator('#export-workspace'))).text);
    assert.equal(exported.posts.length, ROWS + 20_000);
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
