// Uploads: a real Instagram Insights export, which names its platform (loads with no
// question); 20 copies of its rows, over 1 MiB, under a header with no tell-tale (asks
// for the platform, then loads in the parser worker); and a malformed CSV whose bad
// lines must be listed on /data with counts that reconcile.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import {
  FIXTURES_DIR,
  REAL_FIXTURES_DIR,
  assertClose,
  eventually,
  startSession,
} from './helpers.mjs';

let session;
before(async () => {
  session = await startSession();
});
after(async () => {
  await session?.close();
});

// ../shared/fixtures/real/instagram-insights-posts.csv: 176 data rows, no reach column.
// Computed once with a one-off script (python3 csv.DictReader over the file, UTF-8):
//   Σ Impressions                         = 3,464,652
//   Σ (Likes + Comments + Shares + Saves) = 126,643
//   posts = data rows                     = 176
//   avg engagement per post = 126643 / 176 = 719.5625
const INSTAGRAM_EXPORT = 'instagram-insights-posts.csv';
const INSTAGRAM_IMPRESSIONS = 3_464_652;
const INSTAGRAM_AVG_ENGAGEMENT_PER_POST = 126_643 / 176;

test('a real Instagram export loads with no question, with reach-based KPIs n/a', async () => {
  const app = await session.open('/data');
  try {
    await app.clearWorkspace();
    await app.upload([path.join(REAL_FIXTURES_DIR, INSTAGRAM_EXPORT)]);
    // Instagram Insights is recognised: the platform comes from the format.
    await app.waitForFileReport(INSTAGRAM_EXPORT);
    assert.equal(
      await app.page.locator(`[data-pending-file="${INSTAGRAM_EXPORT}"]`).count(),
      0,
      'no platform question',
    );
    const counts = await app.rowCounts(INSTAGRAM_EXPORT);
    assert.deepEqual(counts, { read: 176, used: 176, rejected: 0 });

    await app.navigate('/');
    await app.waitForKpis();
    await eventually(async () => {
      assertClose(await app.kpiValue('impressions'), INSTAGRAM_IMPRESSIONS, 'impressions');
      assertClose(
        await app.kpiValue('avg_engagement_per_post'),
        INSTAGRAM_AVG_ENGAGEMENT_PER_POST,
        'avg_engagement_per_post',
      );
      assert.equal(await app.kpiValue('engagement_rate'), null, 'engagement_rate must be n/a');
    });
    const reason = await app.kpiText('engagement_rate');
    assert.match(reason, /n\/a/, `engagement_rate shows "${reason}"`);
    assert.match(reason, /reach/, `the n/a reason must name the missing reach column: "${reason}"`);
    assert.deepEqual(app.panics(), []);
  } finally {
    await app.close();
  }
});

test('a big export that needs a platform loads in the worker once given it', async () => {
  // The real export's header and its 176 data rows 20 times: 3,520 rows, over 1 MiB. The
  // header's `From Home` becomes `Home`, so that nothing tells the format (and so the
  // platform) apart: the page asks for it.
  const [realHeader, ...rows] = readFileSync(path.join(REAL_FIXTURES_DIR, INSTAGRAM_EXPORT), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
  const header = realHeader.replace('From Home', 'Home');
  assert.notEqual(header, realHeader);
  assert.equal(rows.length, 176);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kpi-big-ig-'));
  const file = path.join(dir, 'instagram-big.csv');
  writeFileSync(file, [header, ...Array(20).fill(rows).flat()].join('\n') + '\n');
  const app = await session.open('/data');
  const fetched = [];
  app.page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  try {
    await app.clearWorkspace();
    await app.upload([file]);
    await app.choosePendingPlatform('instagram-big.csv', 'instagram');
    await app.loadPendingFiles();
    await app.waitForFileReport('instagram-big.csv');
    assert.ok(fetched.includes('/worker_bg.wasm'), 'parsed in the worker');
    assert.deepEqual(await app.rowCounts('instagram-big.csv'), { read: 3_520, used: 3_520, rejected: 0 });
    await app.navigate('/');
    await app.waitForKpis();
    await eventually(async () => {
      assertClose(await app.kpiValue('impressions'), 20 * INSTAGRAM_IMPRESSIONS, 'impressions');
      assertClose(
        await app.kpiValue('avg_engagement_per_post'),
        INSTAGRAM_AVG_ENGAGEMENT_PER_POST,
        'avg_engagement_per_post',
      );
    });
    assert.deepEqual(app.panics(), []);
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

// fixtures/malformed-posts.csv, by file line (the header is line 1):
//   2 good, 3 good, 8 good
//   4 missing platform (a required value)     -> the row is rejected
//   5 likes = "abc" (not a number)            -> the value or the row is rejected
//   6 date = "2025-13-45" (no such date)      -> the value or the row is rejected
//   7 three fields short of the header's 17   -> the row is rejected
// So 7 rows read; at least lines 4 and 7 rejected; at least lines 2, 3 and 8 used.
const MALFORMED = 'malformed-posts.csv';
const BAD_LINES = [4, 5, 6, 7];

test('a malformed CSV lists its bad lines on /data and its counts reconcile', async () => {
  const app = await session.open('/data');
  try {
    await app.clearWorkspace();
    await app.upload([path.join(FIXTURES_DIR, MALFORMED)]);
    await app.waitForFileReport(MALFORMED);
    const { read, used, rejected } = await app.rowCounts(MALFORMED);
    assert.equal(read, 7, 'rows read');
    assert.equal(used + rejected, read, `read ${read} = used ${used} + rejected ${rejected}`);
    assert.ok(rejected >= 2, `lines 4 and 7 must be rejected (rejected = ${rejected})`);
    assert.ok(used >= 3, `lines 2, 3 and 8 must be used (used = ${used})`);
    for (const line of BAD_LINES) {
      const issues = app.page.locator(`[data-issue-line="${line}"]`);
      assert.ok((await issues.count()) > 0, `line ${line} is not listed as an issue`);
      assert.match(await issues.first().innerText(), new RegExp(MALFORMED.replace('.', '\\.')));
    }
    for (const goodLine of [2, 3, 8]) {
      assert.equal(
        await app.page.locator(`[data-issue-line="${goodLine}"]`).count(),
        0,
        `good line ${goodLine} is listed as an issue`,
      );
    }
  } finally {
    await app.close();
  }
});
