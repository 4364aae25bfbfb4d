// One data source (issue 15, item 2): however data arrives (a hosted `?data=` file, the
// remembered workspace, a picked file), one size policy decides where it lives, and a
// big load lives in a data worker that answers the views' questions. Proved here by
// watching the messages between the page and its workers (as scale.spec does): the
// worker is sent the load, answers `done` and then the questions, and the KPIs equal
// sums computed here, in JS, from the same generated rows (tests/e2e/bench/posts.mjs).
// A file added to worker-held data reaches the new worker from the old one on a
// channel: no typed array passes through the page. And a currency-symbol change on
// 1,000,000 worker-held rows is a preference: the money on screen takes the new symbol
// while the worker is asked nothing.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import {
  REPO_ROOT,
  assertClose,
  eventually,
  recordWorkerTraffic,
  rememberedLength,
  startSession,
  trafficSince,
} from './helpers.mjs';
import { writePostsCsv } from './bench/posts.mjs';

const HOSTED = 'e2e-data-source.csv';
const HOSTED_PATH = path.join(REPO_ROOT, 'dist', HOSTED);
const ROWS = 20_000;
const MILLION = 1_000_000;
/** Loading a million rows in a worker takes a while in a busy headless Chromium. */
const BIG_TIMEOUT_MS = 240_000;

let session;
let dir;
let hosted;
before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kpi-data-source-'));
  hosted = writePostsCsv(HOSTED_PATH, { rows: ROWS, seed: 15, idPrefix: 'D' });
  session = await startSession();
});
after(async () => {
  await session?.close();
  rmSync(HOSTED_PATH, { force: true });
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function workerLoads(page) {
  return page.evaluate(() => performance.getEntriesByName('ingest-answered').length);
}


/** Asserts the Summary's KPIs are the JS sums' ratios. */
async function assertKpis(app, sums, label) {
  await eventually(async () => {
    assertClose(await app.kpiValue('impressions'), sums.impressions, `${label}: impressions`);
    assertClose(await app.kpiValue('roas'), sums.revenue / sums.cost, `${label}: ROAS = Σrevenue / Σcost`);
    assertClose(await app.kpiValue('ctr'), sums.clicks / sums.impressions, `${label}: CTR = Σclicks / Σimpressions`);
  }, 30_000);
}

/** Asserts a load went to a worker and its questions were answered there. */
function assertWorkerLoad(traffic) {
  const kinds = traffic.map((m) => `${m.dir}:${m.type}`);
  for (const kind of ['from:ready', 'to:load', 'from:done', 'to:ask', 'from:answer']) {
    assert.ok(kinds.includes(kind), `${kind} in ${kinds.join(' ')}`);
  }
  // The done message carries an outline and names, not the rows' columns.
  const done = traffic.find((m) => m.dir === 'from' && m.type === 'done');
  assert.ok(done.typedBytes < 64 * 1024, JSON.stringify(done));
}

test('a big ?data= file loads in the data worker, which answers; a file added to it goes worker to worker', { timeout: 600_000 }, async () => {
  const app = await session.open('/privacy');
  try {
    await app.page.addInitScript(recordWorkerTraffic);
    await app.goto(`/data?data=/${HOSTED}`);
    await app.waitForFileReport(HOSTED);
    assert.ok(statSync(HOSTED_PATH).size > 1024 * 1024, 'the hosted file is over 1 MiB');
    assertWorkerLoad(await trafficSince(app.page));
    assert.equal(await workerLoads(app.page), 1);
    assert.deepEqual(await app.rowCounts(HOSTED), { read: ROWS, used: ROWS, rejected: 0 });
    await app.navigate('/');
    await app.waitForKpis();
    await assertKpis(app, hosted.overall, '?data=');

    // A small file added to the worker-held data goes to a worker too: the old one
    // is asked for a copy on a channel (a pack message carrying a port), the new one
    // gets the port; no typed array (no workspace) passes through the page.
    const more = path.join(dir, 'more.csv');
    const added = writePostsCsv(more, { rows: 500, seed: 16, idPrefix: 'M' }).overall;
    const from = (await trafficSince(app.page)).length;
    await app.navigate('/data');
    await app.upload([more]);
    await app.waitForFileReport('more.csv');
    const traffic = await trafficSince(app.page, from);
    const kinds = traffic.map((m) => `${m.dir}:${m.type}`);
    assert.ok(kinds.includes('to:pack'), kinds.join(' '));
    assert.ok(kinds.includes('to:load'), kinds.join(' '));
    for (const m of traffic.filter((m) => m.dir === 'to')) {
      assert.equal(m.typedBytes, 0, `nothing packed crosses the page: ${JSON.stringify(m)}`);
    }
    assert.equal(await workerLoads(app.page), 2);
    await app.navigate('/');
    await app.waitForKpis();
    const both = {
      impressions: hosted.overall.impressions + added.impressions,
      revenue: hosted.overall.revenue + added.revenue,
      cost: hosted.overall.cost + added.cost,
      clicks: hosted.overall.clicks + added.clicks,
    };
    await assertKpis(app, both, 'both files');
    assert.deepEqual(app.panics(), []);
  } finally {
    await app.close();
  }
});

test('a big remembered workspace loads in the data worker, which answers', { timeout: 600_000 }, async () => {
  const app = await session.open('/privacy');
  try {
    await app.goto(`/data?data=/${HOSTED}`);
    await app.waitForFileReport(HOSTED);
    await app.page.locator('#remember-workspace').check();
    await eventually(async () => {
      const status = await app.page.locator('#remember-status').innerText();
      assert.match(status, /will be remembered/);
    });
    // Give IndexedDB its write (the document of 20,000 posts is well over 1 MiB).
    await eventually(async () => {
      const stored = await app.page.evaluate(rememberedLength);
      assert.ok(stored > 1024 * 1024, `remembered ${stored} characters`);
    }, 30_000);

    // A new visit: the remembered workspace goes to a worker, which answers.
    await app.page.addInitScript(recordWorkerTraffic);
    await app.goto('/data');
    await app.waitForFileReport('remembered-workspace.json');
    assert.equal((await app.rowCounts('remembered-workspace.json')).used, ROWS);
    await app.navigate('/');
    await app.waitForKpis();
    await assertKpis(app, hosted.overall, 'remembered');
    assertWorkerLoad(await trafficSince(app.page));
    assert.equal(await workerLoads(app.page), 1);
    assert.deepEqual(app.panics(), []);
  } finally {
    await app.close();
  }
});

test('a currency-symbol change on 1M worker-held rows re-renders the money and asks the worker nothing', { timeout: 600_000 }, async () => {
  const file = path.join(dir, 'posts-1m.csv');
  const expected = writePostsCsv(file, { rows: MILLION, seed: 17, idPrefix: 'B' }).overall;
  const app = await session.open('/data');
  try {
    await app.clearWorkspace();
    await app.page.evaluate(recordWorkerTraffic);
    await app.upload([file]);
    await app.page.locator('[data-file-report="posts-1m.csv"]').waitFor({ timeout: BIG_TIMEOUT_MS });
    assert.equal((await app.rowCounts('posts-1m.csv')).used, MILLION);
    await app.navigate('/');
    await app.waitForKpis();
    await assertKpis(app, expected, '1M rows');
    // CPM = Σcost / Σimpressions × 1000, shown as money.
    const cpm = (expected.cost / expected.impressions) * 1000;
    await eventually(async () => {
      assertClose(await app.kpiValue('cpm'), cpm, 'CPM = Σcost / Σimpressions × 1000');
      assert.match(await app.kpiText('cpm'), /\$/);
    }, 30_000);
    await eventually(async () => assert.equal(await app.page.locator('#computing').innerText(), ''));
    // The recorder sees this page's questions: the load's were asked of the worker.
    assertWorkerLoad(await trafficSince(app.page));

    const from = (await trafficSince(app.page)).length;
    await app.navigate('/settings');
    const symbol = app.page.locator('#currency-symbol');
    await symbol.fill('€');
    await symbol.dispatchEvent('change');
    await app.navigate('/');
    await app.waitForKpis();
    await eventually(async () => {
      const text = await app.kpiText('cpm');
      assert.match(text, /€/);
      assert.doesNotMatch(text, /\$/);
    }, 10_000);
    // The same number, and not one question to the worker that holds the rows.
    assertClose(await app.kpiValue('cpm'), cpm, 'CPM unchanged');
    const traffic = await trafficSince(app.page, from);
    const asks = traffic.filter((m) => m.dir === 'to' && m.type === 'ask');
    assert.deepEqual(asks, [], `no question after a preference change: ${JSON.stringify(traffic)}`);
    assert.deepEqual(app.panics(), []);
  } finally {
    await app.close();
  }
});
