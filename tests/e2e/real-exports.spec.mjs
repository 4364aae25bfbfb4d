// Real export shapes dropped as a user would: they load with no question, and the
// summary shows the hand-computed numbers with their coverage (`data-coverage`).

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { FIXTURES_DIR, REPO_ROOT, assertClose, eventually, startSession } from './helpers.mjs';

const SHAPES_DIR = path.join(REPO_ROOT, 'tests/fixtures/shapes');

let session;
before(async () => {
  session = await startSession();
});
after(async () => {
  await session?.close();
});

/** The `data-coverage` of the overall value of KPI `id` on the page. */
async function coverage(app, id) {
  return app.page
    .locator(`[data-kpi="${id}"]:not([data-group])`)
    .first()
    .getAttribute('data-coverage');
}

// fixtures/meta-business-suite-posts.csv: Meta Business Suite's Instagram post export
// (its real header; BOM, multi-line captions with emoji, `Date` = Lifetime, 18-digit
// ids), 7 posts of which 3 are collab posts of other accounts with a blank Reach.
// By hand, the 4 posts that report reach:
//   engagements = likes + comments + shares + saves
//     = (320+25+12+40) + (800+45+60+95) + (150+10+5+15) + (400+30+25+45)
//     = 397 + 1000 + 180 + 500 = 2077
//   reach = 4100 + 9000 + 2600 + 6300 = 22000
//   engagement rate = 2077 / 22000 = 0.094409…, over 4 of 7 posts
// (Counting the blank reach as 0 would add the collab posts' 600 + 1100 + 240
// engagements: 4017 / 22000 = 18.3%, the defect this guards against.)
const META = 'meta-business-suite-posts.csv';

test('a Meta Business Suite export with partial reach loads with no question and gives the hand-computed rate and coverage', async () => {
  const app = await session.open('/data');
  try {
    await app.clearWorkspace();
    await app.upload([path.join(FIXTURES_DIR, META)]);
    await app.waitForFileReport(META);
    assert.equal(await app.page.locator(`[data-pending-file="${META}"]`).count(), 0, 'no platform question');
    assert.deepEqual(await app.rowCounts(META), { read: 7, used: 7, rejected: 0 });

    await app.navigate('/');
    await app.waitForKpis();
    await eventually(async () => {
      assertClose(await app.kpiValue('engagement_rate'), 2077 / 22000, 'engagement_rate');
      assert.equal(await coverage(app, 'engagement_rate'), '4/7');
    });
    assertClose(await app.kpiValue('reach'), 22000, 'reach');
    assert.equal(await coverage(app, 'reach'), '4/7');
    // Likes are on every post: 320+800+500+150+900+400+200 = 3270 likes; the
    // average engagement per post needs no reach: (4017) / 7.
    assertClose(await app.kpiValue('avg_engagement_per_post'), 4017 / 7, 'avg_engagement_per_post');
    assert.equal(await coverage(app, 'avg_engagement_per_post'), '7/7');
    const card = app.page.locator('.kpi-card', { has: app.page.locator('[data-kpi="engagement_rate"]') }).first();
    assert.match(await card.innerText(), /over 4 of 7 posts/);
    // A brand's own and tagged organic posts are no compliance violations.
    const badge = app.page.locator('#critical-badge');
    if ((await badge.count()) > 0) {
      assert.equal(await badge.getAttribute('data-count'), '0', 'no critical alerts on organic posts');
    }
    await app.screenshot('real-meta-summary');
    assert.deepEqual(app.panics(), []);
  } finally {
    await app.close();
  }
});

// tests/fixtures/shapes/shopify_orders.csv (Shopify's ~75-column export, one row per
// line item; 6 orders on 10 rows) and creators_codes.csv (anna ANNA10, ben BEN15),
// dropped together. By hand (see tests/ingest_shapes.rs):
//   revenue net of refunds = 59.90 + 0 + (80.00 − 30.00) + 45.50 + 25.00 + 99.99 = 280.39
//   conversions = 5 (every order but the fully refunded #1002)
//   AOV = 280.39 / 5 = 56.078
test('Shopify orders and the creators file that maps their codes load in one drop', async () => {
  for (const order of [
    ['shopify_orders.csv', 'creators_codes.csv'],
    ['creators_codes.csv', 'shopify_orders.csv'],
  ]) {
    const app = await session.open('/data');
    try {
      await app.clearWorkspace();
      await app.upload(order.map((name) => path.join(SHAPES_DIR, name)));
      await app.waitForFileReport('shopify_orders.csv');
      await app.waitForFileReport('creators_codes.csv');
      assert.deepEqual(await app.rowCounts('shopify_orders.csv'), { read: 10, used: 10, rejected: 0 });
      assert.deepEqual(await app.rowCounts('creators_codes.csv'), { read: 2, used: 2, rejected: 0 });
      const report = await app.page.locator('[data-file-report="shopify_orders.csv"]').innerText();
      assert.match(report, /1 orders \(45\.50 revenue\) have no discount code: kept as unattributed revenue/);
      assert.doesNotMatch(report, /matches no creator/);
      assert.match(report, /Money is shown in EUR \(€\)/);
      await app.navigate('/');
      await app.waitForKpis();
      await eventually(async () => {
        assertClose(await app.kpiValue('aov'), 280.39 / 5, `aov (${order.join(' then ')})`);
      });
      // The orders are in EUR (their Currency column): money is shown in euros.
      assert.match(await app.kpiText('aov'), /€/);
      // anna's orders: #1001 59.90 and #1003 80.00 − 30.00 refunded = 109.90.
      await app.navigate('/creators');
      await eventually(async () => {
        const row = app.page.locator('#creator-table tr', { hasText: 'Anna Lee' });
        assert.match(await row.innerText(), /109\.90/);
      });
      assert.deepEqual(app.panics(), []);
    } finally {
      await app.close();
    }
  }
});

// YouTube Studio's Table data (5 videos and a Total row) and Chart data (2 of those
// videos × 4 days), dropped together. By hand (see tests/ingest_shapes.rs): the Total
// row is rejected and listed, every chart day is kept (no duplicate), and the Table
// stays the posts: impressions 250000 + 200000 + 100000 + 60000 = 610000 on 4 of the
// 13 rows (5 Table rows + 8 chart days; the fifth video has a blank Impressions).
test('YouTube Table and Chart data of the same videos load together and neither overwrites the other', async () => {
  const app = await session.open('/data');
  try {
    await app.clearWorkspace();
    await app.upload(['youtube_table_data.csv', 'youtube_chart_data.csv'].map((n) => path.join(SHAPES_DIR, n)));
    await app.waitForFileReport('youtube_table_data.csv');
    await app.waitForFileReport('youtube_chart_data.csv');
    assert.deepEqual(await app.rowCounts('youtube_table_data.csv'), { read: 6, used: 5, rejected: 1 });
    assert.deepEqual(await app.rowCounts('youtube_chart_data.csv'), { read: 8, used: 8, rejected: 0 });
    assert.equal(await app.page.locator('[data-file-report="youtube_chart_data.csv"] [data-issue-line]').count(), 0);
    await app.navigate('/');
    await app.waitForKpis();
    await eventually(async () => {
      assertClose(await app.kpiValue('impressions'), 610_000, 'impressions');
      assert.equal(await coverage(app, 'impressions'), '4/13');
    });
    assert.deepEqual(app.panics(), []);
  } finally {
    await app.close();
  }
});

test('a snapshot link of the Meta export keeps the rate and its coverage', async () => {
  const app = await session.open('/data');
  try {
    await app.clearWorkspace();
    await app.upload([path.join(FIXTURES_DIR, META)]);
    await app.waitForFileReport(META);
    await app.navigate('/');
    await app.waitForKpis();
    await eventually(async () => assert.equal(await coverage(app, 'engagement_rate'), '4/7'));
    await app.page.locator('#make-snapshot').click();
    const link = await app.page.locator('#snapshot-link').inputValue();
    const viewer = await session.open(new URL(link).pathname + new URL(link).hash);
    try {
      await viewer.page.locator('#snapshot-notice').waitFor();
      // 2077 / 22000 over 4 of 7 posts, as on the live summary.
      assertClose(await viewer.kpiValue('engagement_rate'), 2077 / 22000, 'engagement_rate');
      assert.equal(await coverage(viewer, 'engagement_rate'), '4/7');
      assert.equal(await coverage(viewer, 'reach'), '4/7');
      assert.deepEqual(viewer.panics(), []);
    } finally {
      await viewer.close();
    }
  } finally {
    await app.close();
  }
});
