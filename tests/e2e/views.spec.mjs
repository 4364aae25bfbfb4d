// Every route on the demo data: the KPI values each view shows equal the same KPIs
// recomputed in JavaScript from the demo's CSVs (demo-data.mjs), overall and per
// platform, campaign, creator and format; tables, search and sorting; the glossary,
// data and not-found views; and an uploaded real export on the views.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { CORE_KPIS, demoData, distinct, kpisOf, ratio, sum, where } from './demo-data.mjs';
import {
  REAL_FIXTURES_DIR,
  assertClose,
  eventually,
  parseCsvRecords,
  startSession,
} from './helpers.mjs';

/** Every route of the contract with a demo subject for the detail pages. */
export const ROUTES = [
  '/',
  '/campaigns',
  '/campaigns/C01',
  '/creators',
  '/creators/K01',
  '/alerts',
  '/glossary',
  '/data',
  '/settings',
];

let session;
before(async () => {
  session = await startSession();
});
after(async () => {
  await session?.close();
});

/**
 * Asserts every value shown for the ids of `expected` (an object id → number) with
 * `group` (or overall), skipping ids the page does not show; returns the ids checked.
 */
async function assertShown(app, expected, group, label) {
  const checked = [];
  for (const [id, value] of Object.entries(expected)) {
    const values = await app.kpiValues(id, group);
    for (const actual of values) assertClose(actual, value, `${label} ${id} ${group ?? ''}`);
    if (values.length > 0) checked.push(id);
  }
  return checked;
}

test('every route has one <h1>, the main navigation and no console error', async () => {
  for (const route of [...ROUTES, '/no-such-page']) {
    const app = await session.open(route);
    try {
      await app.waitForView();
      assert.equal(await app.page.locator('h1').count(), 1, `${route}: one <h1>`);
      const nav = app.page.locator('nav[aria-label="Main"] a');
      const hrefs = await nav.evaluateAll((links) => links.map((a) => new URL(a.href).pathname));
      for (const view of ['/', '/campaigns', '/creators', '/alerts', '/glossary', '/data', '/settings', '/reports']) {
        assert.ok(hrefs.includes(view), `${route}: the main nav links ${view} (${hrefs})`);
      }
      assert.match(await app.page.locator('header').innerText(), /Your data stays in this browser/);
      const showsFilters = !['/glossary', '/data', '/settings', '/no-such-page'].includes(route);
      if (showsFilters) {
        assert.equal(await app.page.locator('#filter-platform').count(), 1, `${route}: filter bar`);
      }
      assert.deepEqual(app.errors, [], `${route}: console errors`);
    } finally {
      await app.close();
    }
  }
});

test('summary: every overall post KPI equals the demo CSV sums', async () => {
  const { posts } = demoData();
  const expected = kpisOf(posts);
  // The generator's design figures, as rounded in its design: the CSV says the same.
  const design = {
    engagement_rate: 0.07714,
    ctr: 0.02462,
    conversion_rate: 0.03576,
    roas: 4.9983,
    cpm: 7.8508,
    cpa: 12.3664,
  };
  for (const [id, value] of Object.entries(design)) {
    const decimals = String(value).split('.')[1].length;
    assert.ok(Math.abs(expected[id] - value) <= 0.5 * 10 ** -decimals, `design ${id} ${expected[id]}`);
  }
  assert.equal(posts.length, 3000);
  assert.equal(expected.impressions, 34_017_568);
  assertClose(sum(posts, 'cost'), 267_064.74, 'demo cost');
  assertClose(sum(posts, 'revenue'), 1_334_867.89, 'demo revenue');

  const app = await session.open('/');
  try {
    await app.waitForKpis();
    const checked = await assertShown(app, expected, undefined, '/');
    for (const id of [...CORE_KPIS, 'impressions', 'reach', 'avg_engagement_per_post']) {
      assert.ok(checked.includes(id), `/ does not show ${id}`);
    }
    // The per-platform engagement cards are the platform groups' engagement rates.
    for (const platform of ['instagram', 'tiktok', 'youtube', 'x']) {
      assertClose(
        await app.kpiValue(`engagement_rate_${platform}`),
        kpisOf(where(posts, 'platform', platform)).engagement_rate,
        `engagement_rate_${platform}`,
      );
    }
  } finally {
    await app.close();
  }
});

test('summary: per-platform, per-campaign and per-creator values equal the CSV', async () => {
  const { posts } = demoData();
  const columns = { platform: 'platform', campaign: 'campaign_id', creator: 'creator_id' };
  const app = await session.open('/');
  try {
    await app.waitForKpis();
    const groups = new Set();
    for (const id of CORE_KPIS) for (const group of await app.kpiGroups(id)) groups.add(group);
    for (const dimension of ['platform', 'campaign', 'creator']) {
      assert.ok([...groups].some((g) => g.startsWith(`${dimension}:`)), `no ${dimension} group on /`);
    }
    // Every platform and every campaign is listed.
    for (const platform of distinct(posts, 'platform')) assert.ok(groups.has(`platform:${platform}`));
    for (const campaign of distinct(posts, 'campaign_id')) assert.ok(groups.has(`campaign:${campaign}`));
    for (const group of groups) {
      const [dimension, key] = group.split(':');
      const rows = where(posts, columns[dimension], key);
      assert.ok(rows.length > 0, `${group} is not in posts.csv`);
      await assertShown(app, kpisOf(rows), group, '/');
    }
  } finally {
    await app.close();
  }
});

test('/campaigns: one row per campaign, each equal to its CSV sums', async () => {
  const { posts, campaigns } = demoData();
  const app = await session.open('/campaigns');
  try {
    await app.page.locator('#campaign-table tbody tr').first().waitFor();
    assert.equal(await app.page.locator('#campaign-table tbody tr').count(), campaigns.length);
    for (const { campaign_id: id, name } of campaigns) {
      const group = `campaign:${id}`;
      const checked = await assertShown(app, kpisOf(where(posts, 'campaign_id', id)), group, id);
      assert.deepEqual(checked.sort(), ['conversion_rate', 'ctr', 'engagement_rate', 'roas']);
      assert.equal(await app.page.locator('#campaign-table a', { hasText: name }).count(), 1, name);
    }
  } finally {
    await app.close();
  }
});

test('/campaigns/:id: headline KPIs, creators, formats and platforms of every campaign', async () => {
  const { posts, campaigns } = demoData();
  for (const { campaign_id: id, name, budget } of campaigns) {
    const rows = where(posts, 'campaign_id', id);
    const app = await session.open(`/campaigns/${id}`);
    try {
      await app.waitForView();
      assert.equal(await app.page.locator('main h1').innerText(), name);
      const checked = await assertShown(app, kpisOf(rows), `campaign:${id}`, id);
      assert.ok(checked.length >= 3, `${id}: only ${checked} of its headline KPIs checked`);
      for (const [dimension, column] of [
        ['creator', 'creator_id'],
        ['format', 'format'],
        ['platform', 'platform'],
      ]) {
        for (const key of distinct(rows, column)) {
          const shown = await assertShown(
            app,
            kpisOf(where(rows, column, key)),
            `${dimension}:${key}`,
            `${id} ${dimension}`,
          );
          assert.ok(shown.includes('roas'), `${id}: no ROAS for ${dimension}:${key}`);
        }
      }
      // Funnel and budget: the campaign's spend against its budget, as text.
      const budgetText = await app.page.locator('section[aria-labelledby="camp-budget"]').innerText();
      const money = (v) => `$${v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
      assert.ok(budgetText.includes(money(sum(rows, 'cost'))), `${id}: spend in "${budgetText}"`);
      assert.ok(budgetText.includes(money(Number(budget))), `${id}: budget in "${budgetText}"`);
      assert.equal(await app.page.locator('figure.chart').count() >= 4, true, `${id}: charts`);
      assert.deepEqual(app.errors, []);
    } finally {
      await app.close();
    }
  }
});

test('/creators: one row per creator with KPIs from the CSV; search and sort work', async () => {
  const { posts, creators } = demoData();
  const app = await session.open('/creators');
  try {
    const rowsOf = app.page.locator('#creator-table tbody tr');
    await rowsOf.first().waitFor();
    assert.equal(await rowsOf.count(), 60);
    for (const creator of creators) {
      const id = creator.creator_id;
      const rows = where(posts, 'creator_id', id);
      const expected = {
        ...kpisOf(rows),
        // Deliverables on time / committed, from creators.csv.
        delivery_rate: ratio(Number(creator.deliverables_on_time), Number(creator.deliverables_committed)),
        // Disclosed posts / posts.
        ftc_compliance: rows.filter((r) => r.disclosed === 'true').length / rows.length,
      };
      const checked = await assertShown(app, expected, `creator:${id}`, id);
      assert.deepEqual(checked.sort(), ['delivery_rate', 'engagement_rate', 'ftc_compliance', 'roas']);
    }

    // Search "tiktok" keeps the 18 TikTok creators (name, id or platform match).
    await app.page.locator('#creator-search').fill('tiktok');
    const tiktok = creators.filter((c) =>
      `${c.name} ${c.creator_id} ${c.platform}`.toLowerCase().includes('tiktok'),
    );
    assert.equal(tiktok.length, 18);
    await eventually(async () => assert.equal(await rowsOf.count(), tiktok.length));
    await app.page.locator('#creator-search').fill('');
    await eventually(async () => assert.equal(await rowsOf.count(), 60));

    // Sorting by ROAS: descending on the first click, ascending on the second.
    const roasColumn = () =>
      app.page
        .locator('#creator-table tbody [data-kpi="roas"]')
        .evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-value'))));
    const header = app.page.locator('#creator-table th button', { hasText: /^ROAS$/ });
    await header.click();
    let values = await roasColumn();
    assert.deepEqual(values, [...values].sort((a, b) => b - a), 'descending');
    await header.click();
    values = await roasColumn();
    assert.deepEqual(values, [...values].sort((a, b) => a - b), 'ascending');
    const roasHeader = app.page.locator('#creator-table th', {
      has: app.page.locator('button', { hasText: /^ROAS$/ }),
    });
    assert.equal(await roasHeader.getAttribute('aria-sort'), 'ascending');
  } finally {
    await app.close();
  }
});

test('/creators/:id: the creator KPIs, history per period and renewal advice', async () => {
  const { posts, creators } = demoData();
  for (const id of ['K01', 'K15', 'K42']) {
    const creator = where(creators, 'creator_id', id)[0];
    const rows = where(posts, 'creator_id', id);
    const app = await session.open(`/creators/${id}?g=month`);
    try {
      await app.waitForView();
      assert.equal(await app.page.locator('main h1').innerText(), creator.name);
      const checked = await assertShown(app, kpisOf(rows), `creator:${id}`, id);
      assert.deepEqual(checked.sort(), ['conversion_rate', 'engagement_rate', 'roas']);
      // One history row per month with posts.
      const months = distinct(rows, 'date').map((d) => d.slice(0, 7));
      const history = app.page.locator('table', { hasText: 'Performance per period' }).locator('tbody tr');
      assert.equal(await history.count(), new Set(months).size, `${id}: months`);
      const renewal = app.page.locator('[data-renewal]');
      assert.match(await renewal.getAttribute('data-renewal'), /^(renew|renegotiate|drop)$/);
    } finally {
      await app.close();
    }
  }
  // The documented rules (src/metrics/renewal.rs): a breached contract (K29) or a score
  // under 70 (K15, 36) → drop; undisclosed posts (K42) → renegotiate.
  const advice = async (id) => {
    const app = await session.open(`/creators/${id}`);
    try {
      return await app.page.locator('[data-renewal]').getAttribute('data-renewal');
    } finally {
      await app.close();
    }
  };
  assert.equal(await advice('K29'), 'drop');
  assert.equal(await advice('K15'), 'drop');
  assert.equal(await advice('K42'), 'renegotiate');
});

test('/glossary defines every KPI the summary shows', async () => {
  const app = await session.open('/');
  try {
    await app.waitForKpis();
    const ids = await app.page
      .locator('[data-kpi]')
      .evaluateAll((es) => [...new Set(es.map((e) => e.getAttribute('data-kpi')))]);
    assert.ok(ids.length >= 30, `only ${ids.length} KPIs on the summary`);
    await app.navigate('/glossary');
    for (const id of ids) {
      const entry = app.page.locator(`#kpi-${id}`);
      assert.equal(await entry.count(), 1, `no glossary entry for ${id}`);
      assert.match(await entry.innerText(), /Formula/);
    }
  } finally {
    await app.close();
  }
});

test('/data: demo indicator, clear and load demo; unknown paths link home', async () => {
  const app = await session.open('/data');
  try {
    await app.waitForView();
    assert.equal(await app.page.locator('#dataset-name').innerText(), 'Demo data');
    await app.clearWorkspace();
    await eventually(async () =>
      assert.notEqual(await app.page.locator('#dataset-name').innerText(), 'Demo data'),
    );
    await app.navigate('/');
    assert.equal(await app.page.locator('[data-kpi="roas"]').count(), 0, 'KPIs after clearing');
    assert.equal(await app.page.locator('.empty-state a[href="/data"]').count(), 1, 'empty state');
    await app.navigate('/data');
    await app.page.locator('#load-demo').click();
    await app.navigate('/');
    await app.waitForKpis();
    assertClose(await app.kpiValue('roas'), kpisOf(demoData().posts).roas, 'roas after Load demo');
  } finally {
    await app.close();
  }
  const lost = await session.open('/campaigns/C01/nothing-here');
  try {
    await lost.waitForView();
    assert.match(await lost.page.locator('main h1').innerText(), /not found/i);
    await lost.page.locator('main a[href="/"]').click();
    await lost.waitForKpis();
  } finally {
    await lost.close();
  }
});

// The real Instagram Insights export (176 rows; no reach, clicks, cost or revenue), with
// its sums computed here from the file itself.
test('an uploaded real Instagram export shows its values on the views', async () => {
  const file = 'instagram-insights-posts.csv';
  const rows = parseCsvRecords(readFileSync(path.join(REAL_FIXTURES_DIR, file), 'utf8'));
  assert.equal(rows.length, 176);
  const impressions = sum(rows, 'Impressions');
  const engagements = sum(rows, 'Likes', 'Comments', 'Shares', 'Saves');
  const app = await session.open('/data');
  try {
    await app.clearWorkspace();
    // Recognised: the platform (instagram) comes from the format, nothing is asked.
    await app.upload([path.join(REAL_FIXTURES_DIR, file)]);
    await app.waitForFileReport(file);

    await app.navigate('/');
    await app.waitForKpis();
    await eventually(async () => {
      assertClose(await app.kpiValue('impressions'), impressions, 'impressions');
      assertClose(await app.kpiValue('avg_engagement_per_post'), engagements / 176, 'avg eng');
      assertClose(await app.kpiValue('impressions', 'platform:instagram'), impressions, 'IG');
    });
    // Data exists for these, so none may be n/a.
    for (const id of ['impressions', 'avg_engagement_per_post']) {
      assert.doesNotMatch(await app.kpiText(id), /n\/a/, `${id} is n/a`);
    }
    // A KPI without its columns says which ones it needs.
    assert.match(await app.kpiText('roas'), /n\/a — .*(cost|revenue)/);

    for (const route of ['/campaigns', '/creators', '/alerts']) {
      await app.navigate(route);
      await app.waitForView();
      const text = await app.page.locator('main').innerText();
      assert.doesNotMatch(text, /NaN|Infinity/, `${route} prints NaN`);
    }
    // One account's export: one (unnamed) campaign and creator row.
    await app.navigate('/campaigns');
    assert.equal(await app.page.locator('#campaign-table tbody tr').count(), 1);
    await app.navigate('/creators');
    assert.equal(await app.page.locator('#creator-table tbody tr').count(), 1);
    assert.deepEqual(app.panics(), []);
  } finally {
    await app.close();
  }
});

test('/settings: targets show in display units and drive the KPI status', async () => {
  const app = await session.open('/settings');
  try {
    await app.waitForView();
    // Spec target of TikTok engagement: 7–10% (0.07 × 100 must read 7, not 7.000000000000001).
    assert.equal(await app.page.locator('#target-engagement_rate_tiktok-lo').inputValue(), '7');
    assert.equal(await app.page.locator('#target-engagement_rate_tiktok-hi').inputValue(), '10');
    assert.equal(await app.page.locator('#target-roas').inputValue(), '5');

    // The demo's ROAS is 4.998: below the ≥ 5 target; with a target of ≥ 4 it is on target.
    const roasCard = () =>
      app.page.locator('.kpi-card', { has: app.page.locator('[data-kpi="roas"]:not([data-group])') }).first();
    await app.navigate('/');
    await app.waitForKpis();
    assert.match(await roasCard().getAttribute('class'), /status-below/);
    await app.navigate('/settings');
    await app.page.locator('#target-roas').fill('4');
    await app.page.locator('#target-roas').press('Enter');
    await app.page.locator('#target-roas').blur();
    await app.navigate('/');
    await app.waitForKpis();
    assert.match(await roasCard().getAttribute('class'), /status-(on_target|above)/);
  } finally {
    await app.close();
  }
});
