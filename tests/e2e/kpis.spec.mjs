// KPI values of a small uploaded fixture, against numbers worked out by hand.
//
// fixtures/small-posts.csv (6 posts; eng = likes + comments + shares + saves):
//   post platform  campaign impressions reach  eng                       clicks conv revenue cost new_customers
//   P1   instagram C1        10000      8000   400+50+30+20 =  500       200    10   1500    300  6
//   P2   instagram C1         5000      4000   150+20+10+20 =  200       150     4    600    200  4
//   P3   instagram C2        15000     12000   500+60+25+15 =  600       300     9    900    500  5
//   P4   tiktok    C1        20000     16000   1200+90+60+50 = 1400      400    12   2400    400 10
//   P5   tiktok    C2         8000      6000   300+30+40+30 =  400       160     8    800    250  5
//   P6   tiktok    C2        12000     10000   500+40+35+25 =  600       240     6   1200    350  5
//
// Sums:
//   all        (P1..P6):   impressions 70000, reach 56000, eng 3700, clicks 1450, conv 49, revenue 7400, cost 2000, new 35
//   instagram  (P1,P2,P3): impressions 30000, reach 24000, eng 1300, clicks  650, conv 23, revenue 3000, cost 1000, new 15
//   tiktok     (P4,P5,P6): impressions 40000, reach 32000, eng 2400, clicks  800, conv 26, revenue 4400, cost 1000, new 20
//   C1         (P1,P2,P4): impressions 35000, reach 28000, eng 2100, clicks  750, conv 26, revenue 4500, cost  900, new 20
//   C2         (P3,P5,P6): impressions 35000, reach 28000, eng 1600, clicks  700, conv 23, revenue 2900, cost 1100, new 15
//   (check: 30000 + 40000 = 35000 + 35000 = 70000; 1300 + 2400 = 2100 + 1600 = 3700.)
//
// KPIs = engagement_rate Σeng/Σreach, roas Σrevenue/Σcost, cpa Σcost/Σnew_customers,
//        ctr Σclicks/Σimpressions, conversion_rate Σconversions/Σclicks, cpm Σcost/Σimpressions×1000.

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { FIXTURES_DIR, assertClose, eventually, startSession } from './helpers.mjs';

const EXPECTED = {
  overall: {
    engagement_rate: 3700 / 56000, // 0.0660714…
    roas: 7400 / 2000, // 3.7
    cpa: 2000 / 35, // 57.142857…
    ctr: 1450 / 70000, // 0.0207142…
    conversion_rate: 49 / 1450, // 0.0337931…
    cpm: (2000 / 70000) * 1000, // 28.571428…
  },
  'platform:instagram': {
    engagement_rate: 1300 / 24000, // 0.0541666…
    roas: 3000 / 1000, // 3
    cpa: 1000 / 15, // 66.666…
    ctr: 650 / 30000, // 0.0216666…
    conversion_rate: 23 / 650, // 0.0353846…
    cpm: (1000 / 30000) * 1000, // 33.333…
  },
  'platform:tiktok': {
    engagement_rate: 2400 / 32000, // 0.075
    roas: 4400 / 1000, // 4.4
    cpa: 1000 / 20, // 50
    ctr: 800 / 40000, // 0.02
    conversion_rate: 26 / 800, // 0.0325
    cpm: (1000 / 40000) * 1000, // 25
  },
  'campaign:C1': {
    engagement_rate: 2100 / 28000, // 0.075
    roas: 4500 / 900, // 5
    cpa: 900 / 20, // 45
    ctr: 750 / 35000, // 0.0214285…
    conversion_rate: 26 / 750, // 0.0346666…
    cpm: (900 / 35000) * 1000, // 25.714285…
  },
  'campaign:C2': {
    engagement_rate: 1600 / 28000, // 0.0571428…
    roas: 2900 / 1100, // 2.636363…
    cpa: 1100 / 15, // 73.333…
    ctr: 700 / 35000, // 0.02
    conversion_rate: 23 / 700, // 0.0328571…
    cpm: (1100 / 35000) * 1000, // 31.428571…
  },
};

let session;
before(async () => {
  session = await startSession();
});
after(async () => {
  await session?.close();
});

/** Opens /data, clears the workspace, uploads `fileName` and goes to the summary. */
async function openWithFixture(fileName) {
  const app = await session.open('/data');
  await app.clearWorkspace();
  await app.upload([path.join(FIXTURES_DIR, fileName)]);
  await app.waitForFileReport(fileName);
  await app.navigate('/');
  await app.waitForKpis();
  return app;
}

/** Asserts the overall values of every KPI in `expected` (retrying while they render). */
async function assertOverall(app, expected, label) {
  await eventually(async () => {
    for (const [id, value] of Object.entries(expected)) {
      assertClose(await app.kpiValue(id), value, `${label}: ${id}`);
    }
  });
}

test('overall KPIs of the small fixture equal the hand-computed values', async () => {
  const app = await openWithFixture('small-posts.csv');
  try {
    await assertOverall(app, EXPECTED.overall, 'overall');
    assert.deepEqual(app.panics(), []);
  } finally {
    await app.close();
  }
});

/** Asserts every grouped value of EXPECTED shown on the page; returns the "id group"s shown. */
async function checkGroupedValues(app, route) {
  const shown = new Set();
  for (const [group, kpis] of Object.entries(EXPECTED)) {
    if (group === 'overall') continue;
    for (const [id, value] of Object.entries(kpis)) {
      const values = await app.kpiValues(id, group);
      for (const actual of values) assertClose(actual, value, `${route} ${id} ${group}`);
      if (values.length > 0) shown.add(`${id} ${group}`);
    }
  }
  return shown;
}

test('per-platform and per-campaign values equal the hand-computed values', async () => {
  const app = await openWithFixture('small-posts.csv');
  try {
    // The summary shows engagement rate by platform; ROAS by campaign is on the summary
    // (top campaigns) or else on the campaigns list. Every grouped value shown is checked.
    const missingRoas = (shown) =>
      ['campaign:C1', 'campaign:C2'].filter((group) => !shown.has(`roas ${group}`));
    const onSummary = await eventually(async () => {
      const shown = await checkGroupedValues(app, '/');
      for (const group of ['platform:instagram', 'platform:tiktok']) {
        assert.ok(shown.has(`engagement_rate ${group}`), `/ shows no engagement_rate for ${group}`);
      }
      return shown;
    });
    if (missingRoas(onSummary).length > 0) {
      await app.navigate('/campaigns');
      await eventually(async () => {
        const shown = await checkGroupedValues(app, '/campaigns');
        const missing = missingRoas(shown).filter((group) => !onSummary.has(`roas ${group}`));
        assert.deepEqual(missing, [], 'neither / nor /campaigns shows roas for these campaigns');
      });
    }
  } finally {
    await app.close();
  }
});

test('the platform and campaign filters narrow every KPI to the hand-computed values', async () => {
  const app = await openWithFixture('small-posts.csv');
  try {
    await app.setFilter('#filter-platform', 'tiktok');
    await app.page.waitForURL((url) => url.searchParams.get('platform') === 'tiktok');
    await assertOverall(app, EXPECTED['platform:tiktok'], 'platform=tiktok');

    await app.setFilter('#filter-platform', '');
    await app.setFilter('#filter-campaign', 'C2');
    await app.page.waitForURL(
      (url) => url.searchParams.get('campaign') === 'C2' && !url.searchParams.has('platform'),
    );
    await assertOverall(app, EXPECTED['campaign:C2'], 'campaign=C2');
  } finally {
    await app.close();
  }
});

// fixtures/zero-clicks.csv: two posts with no clicks, conversions, revenue or new customers.
//   Z1 instagram: impressions 4000, reach 3000, eng 90+6+3+1 = 100,  cost 100
//   Z2 tiktok:    impressions 6000, reach 5000, eng 200+20+15+5 = 240, cost 150
//   Σimpressions 10000, Σreach 8000, Σeng 340, Σclicks 0, Σconversions 0, Σrevenue 0, Σcost 250, Σnew 0
test('a zero denominator shows n/a, never NaN or Infinity', async () => {
  const app = await openWithFixture('zero-clicks.csv');
  try {
    await assertOverall(
      app,
      {
        engagement_rate: 340 / 8000, // 0.0425
        ctr: 0, // 0 / 10000: a zero numerator is a real 0, not n/a
        roas: 0, // 0 / 250
        cpm: (250 / 10000) * 1000, // 25
        conversion_rate: null, // 0 / 0 clicks
        cpa: null, // 250 / 0 new customers
      },
      'zero-clicks',
    );
    assert.match(await app.kpiText('conversion_rate'), /n\/a/);
    assert.match(await app.kpiText('cpa'), /n\/a/);
    const body = await app.page.locator('body').innerText();
    assert.doesNotMatch(body, /\bNaN\b|Infinity|∞/, 'NaN or Infinity printed on the page');
  } finally {
    await app.close();
  }
});
