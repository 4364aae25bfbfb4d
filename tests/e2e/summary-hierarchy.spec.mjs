// The Executive Summary's hierarchy (issue 20 item 3): the headline cards first, then
// one full-width hero chart (ROAS over time; the engagement rate over time when no
// period has a ROAS, as in an organic export), then the alerts and the KPI groups; and
// the bottom performers beside the top performers.
//
// The fixture: campaign Ck with creator Kk, one post each, cost 100 and revenue 100·k,
// so ROAS(Ck) = k for k = 1..7. C8/K8 has revenue 400 and no cost: its ROAS is n/a.
//   top campaigns by ROAS (5):   C7 (7), C6, C5, C4, C3 (3)
//   bottom campaigns, worst first, not in the top list: C1 (1), C2 (2); C8 is in
//   neither (an n/a ROAS is not the worst ROAS)
//   top creators by revenue (5): K7 (700), K6, K5, K4 (400), K8 (400, ties keep order)
//   bottom creators by ROAS, not in the top list: K1 (1), K2 (2), K3 (3)

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { eventually, startSession } from './helpers.mjs';

const POSTS = [
  'platform,date,post_id,campaign_id,creator_id,impressions,reach,likes,revenue,cost',
  ...[1, 2, 3, 4, 5, 6, 7].map(
    (k) => `tiktok,2025-0${(k % 6) + 1}-10,p${k},C${k},K${k},1000,800,40,${100 * k},100`,
  ),
  'tiktok,2025-03-12,p8,C8,K8,1000,800,40,400,',
].join('\n');

let session;

before(async () => {
  session = await startSession();
});
after(async () => {
  await session?.close();
});

/** The first column's text of each body row of the table with `caption`. */
function firstColumn(page, caption) {
  return page
    .locator('table', { has: page.locator('caption', { hasText: caption }) })
    .locator('tbody tr td:first-child')
    .allInnerTexts();
}

test('the summary leads with the headline cards and one hero chart, then the groups', async () => {
  const app = await session.open('/');
  try {
    await app.waitForKpis();
    const order = await app.page.evaluate(() =>
      [...document.querySelectorAll('main section h2')].map((h) => h.id || h.textContent),
    );
    const at = (id) => order.indexOf(id);
    assert.ok(at('headline-title') >= 0 && at('hero-title') === at('headline-title') + 1, order.join(', '));
    const firstGroup = order.findIndex((id) => id.startsWith('group-'));
    assert.ok(firstGroup > at('hero-title'), order.join(', '));
    // One chart, as wide as the panel, with a figure caption that says what it shows.
    const hero = app.page.locator('section.hero figure.chart');
    assert.equal(await hero.count(), 1);
    assert.match(await hero.locator('figcaption').innerText(), /over time/);
    const widths = await app.page.evaluate(() => {
      const panel = document.querySelector('section.hero');
      const svg = panel.querySelector('figure.chart svg');
      return { panel: panel.clientWidth, svg: svg.getBoundingClientRect().width };
    });
    assert.ok(widths.svg > 0.8 * widths.panel, JSON.stringify(widths));
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test('bottom performers sit beside the top ones, worst first, without repeating them', async () => {
  const app = await session.open('/data');
  try {
    await app.loadCsvAndShowSummary('posts.csv', POSTS);
    await eventually(async () =>
      assert.deepEqual(await firstColumn(app.page, 'Top campaigns by ROAS'), ['C7', 'C6', 'C5', 'C4', 'C3']),
    );
    assert.deepEqual(await firstColumn(app.page, 'Campaigns with the lowest ROAS'), ['C1', 'C2']);
    assert.deepEqual(await firstColumn(app.page, 'Top creators by revenue'), ['K7', 'K6', 'K5', 'K4', 'K8']);
    assert.deepEqual(await firstColumn(app.page, 'Creators with the lowest ROAS'), ['K1', 'K2', 'K3']);
    // Their ROAS cells: 1:1 and 2:1 (cost 100, revenue 100 and 200).
    const roas = await app.page
      .locator('table', { has: app.page.locator('caption', { hasText: 'Campaigns with the lowest ROAS' }) })
      .locator('[data-kpi="roas"]')
      .evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-value'))));
    assert.deepEqual(roas, [1, 2]);
    // Side by side at 1440 px: the two bottom tables share a row.
    const tops = await app.page.evaluate(() =>
      [...document.querySelectorAll('section[aria-labelledby="bottom-title"] table')].map(
        (t) => Math.round(t.getBoundingClientRect().top),
      ),
    );
    assert.equal(tops.length, 2);
    assert.equal(tops[0], tops[1]);
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test('an export with no cost or revenue gets the engagement rate as its hero chart', async () => {
  // Organic posts: likes / reach = 40 / 800 = 5% and 80 / 800 = 10%, two months.
  const organic = [
    'platform,date,post_id,campaign_id,creator_id,impressions,reach,likes',
    'tiktok,2025-01-10,p1,C1,K1,1000,800,40',
    'tiktok,2025-02-10,p2,C1,K1,1000,800,80',
  ].join('\n');
  const app = await session.open('/data');
  try {
    await app.loadCsvAndShowSummary('organic.csv', organic);
    const caption = app.page.locator('section.hero figcaption');
    await eventually(async () => assert.equal(await caption.innerText(), 'Engagement rate over time'));
    assert.equal(await app.kpiValue('roas'), null, 'ROAS is n/a');
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});
