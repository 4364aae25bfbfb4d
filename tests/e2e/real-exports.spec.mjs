// Real export shapes dropped as a user would: they load with no question, and the
// summary shows the hand-computed numbers with their coverage (`data-coverage`).

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { FIXTURES_DIR, assertClose, eventually, startSession } from './helpers.mjs';

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
