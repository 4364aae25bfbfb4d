// The global filters on the demo: every control (preset, from/to, platform, campaign,
// creator, format, compare, granularity) writes the URL and every number follows, with
// the expected values recomputed from the demo's CSVs (demo-data.mjs); a reload or a
// shared link restores the state; back and forward walk through it.
//
// The demo's last date is 2026-10-31, so the presets are: 7d = 2026-10-25..31,
// 30d = 2026-10-02..31, 90d = 2026-08-03..31 (Aug 3 + 89 days = Oct 31), qtd = 2026-10-01..31.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { CORE_KPIS, addDays, between, demoData, distinct, kpisOf, where } from './demo-data.mjs';
import { assertClose, eventually, startSession } from './helpers.mjs';

const LAST_DAY = '2026-10-31';

let session;
before(async () => {
  session = await startSession();
});
after(async () => {
  await session?.close();
});

/** Asserts the overall core KPIs on the page equal those of `rows` (retrying while they render). */
async function assertOverall(app, rows, label) {
  const expected = kpisOf(rows);
  await eventually(async () => {
    for (const id of CORE_KPIS) assertClose(await app.kpiValue(id), expected[id], `${label}: ${id}`);
  });
}

/** The `data-trend` of the overall KPI card of `id` (null when there is no comparison). */
async function trendOf(app, id) {
  const card = app.page.locator('.kpi-card', { has: app.page.locator(`[data-kpi="${id}"]:not([data-group])`) });
  const raw = await card.first().locator('[data-trend]').getAttribute('data-trend');
  return raw === '' ? null : Number(raw);
}

/** Opens the summary on the demo, with the KPIs rendered. */
async function openSummary(query = '') {
  const app = await session.open(`/${query}`);
  await app.waitForKpis();
  return app;
}

test('platform: the overall values become the platform group seen before, and the CSV', async () => {
  const { posts } = demoData();
  const app = await openSummary();
  try {
    const before = await app.kpiValue('engagement_rate', 'platform:tiktok');
    await app.setFilter('#filter-platform', 'tiktok');
    await app.waitForUrl((url) => url.searchParams.get('platform') === 'tiktok');
    await eventually(async () => assertClose(await app.kpiValue('engagement_rate'), before, 'ER'));
    await assertOverall(app, where(posts, 'platform', 'tiktok'), 'platform=tiktok');
    // Only TikTok is left in the platform table.
    assert.deepEqual(await app.kpiGroups('engagement_rate').then((g) => g.filter((x) => x.startsWith('platform:'))), [
      'platform:tiktok',
    ]);
  } finally {
    await app.close();
  }
});

test('campaign: the overall ROAS becomes the campaign row seen before, and the CSV', async () => {
  const { posts } = demoData();
  const app = await openSummary();
  try {
    const before = await app.kpiValue('roas', 'campaign:C03');
    await app.setFilter('#filter-campaign', 'C03');
    await app.waitForUrl((url) => url.searchParams.get('campaign') === 'C03');
    await eventually(async () => assertClose(await app.kpiValue('roas'), before, 'ROAS'));
    await assertOverall(app, where(posts, 'campaign_id', 'C03'), 'campaign=C03');
  } finally {
    await app.close();
  }
});

test('creator and format, alone and combined with a platform', async () => {
  const { posts } = demoData();
  const app = await openSummary();
  try {
    await app.setFilter('#filter-creator', 'K01');
    await app.waitForUrl((url) => url.searchParams.get('creator') === 'K01');
    await assertOverall(app, where(posts, 'creator_id', 'K01'), 'creator=K01');

    await app.setFilter('#filter-creator', '');
    await app.setFilter('#filter-format', 'reel');
    await app.waitForUrl((url) => url.searchParams.get('format') === 'reel' && !url.searchParams.has('creator'));
    await assertOverall(app, where(posts, 'format', 'reel'), 'format=reel');

    await app.setFilter('#filter-platform', 'instagram');
    await app.waitForUrl((url) => url.searchParams.get('platform') === 'instagram');
    assert.equal(app.queryParam('format'), 'reel');
    await assertOverall(app, where(where(posts, 'format', 'reel'), 'platform', 'instagram'), 'reel on IG');
  } finally {
    await app.close();
  }
});

test('every date preset sets from/to relative to the last date and narrows the values', async () => {
  const { posts } = demoData();
  assert.equal(distinct(posts, 'date').at(-1), LAST_DAY);
  const presets = {
    '7d': addDays(LAST_DAY, -6),
    '30d': addDays(LAST_DAY, -29),
    '90d': addDays(LAST_DAY, -89),
    qtd: '2026-10-01',
  };
  assert.equal(presets['90d'], '2026-08-03');
  const app = await openSummary();
  try {
    for (const [preset, from] of Object.entries(presets)) {
      await app.setFilter('#filter-preset', preset);
      await app.waitForUrl((url) => url.searchParams.get('from') === from && url.searchParams.get('to') === LAST_DAY);
      assert.equal(await app.page.locator('#filter-from').inputValue(), from, `${preset} from`);
      assert.equal(await app.page.locator('#filter-to').inputValue(), LAST_DAY, `${preset} to`);
      assert.equal(await app.page.locator('#filter-preset').inputValue(), preset);
      await assertOverall(app, between(posts, from, LAST_DAY), preset);
    }
    await app.setFilter('#filter-preset', 'all');
    await app.waitForUrl((url) => !url.searchParams.has('from') && !url.searchParams.has('to'));
    await assertOverall(app, posts, 'all');
  } finally {
    await app.close();
  }
});

test('from and to typed by hand make a custom range', async () => {
  const { posts } = demoData();
  const app = await openSummary();
  try {
    await app.page.locator('#filter-from').fill('2026-01-01');
    await app.waitForUrl((url) => url.searchParams.get('from') === '2026-01-01');
    await app.page.locator('#filter-to').fill('2026-03-31');
    await app.waitForUrl((url) => url.searchParams.get('to') === '2026-03-31');
    assert.equal(await app.page.locator('#filter-preset').inputValue(), 'custom');
    await assertOverall(app, between(posts, '2026-01-01', '2026-03-31'), 'Q1 2026');
  } finally {
    await app.close();
  }
});

test('compare: previous period by default, the same period a year earlier on request', async () => {
  const { posts } = demoData();
  // Default window: the last 90 days (2026-08-03..10-31) against the 90 before them
  // (2026-05-05..08-02); change = (now − before) / |before|.
  const change = (now, before) => (now - before) / Math.abs(before);
  const roasNow = kpisOf(between(posts, '2026-08-03', LAST_DAY)).roas;
  const roasBefore = kpisOf(between(posts, '2026-05-05', '2026-08-02')).roas;
  const app = await openSummary();
  try {
    assertClose(await trendOf(app, 'roas'), change(roasNow, roasBefore), 'ROAS trend vs previous 90 days');

    // 30-day preset: 2026-10-02..31 against 2026-09-02..10-01.
    await app.setFilter('#filter-preset', '30d');
    await app.waitForUrl((url) => url.searchParams.has('from'));
    const ctrNow = kpisOf(between(posts, '2026-10-02', LAST_DAY)).ctr;
    const ctrBefore = kpisOf(between(posts, '2026-09-02', '2026-10-01')).ctr;
    await eventually(async () => assertClose(await trendOf(app, 'ctr'), change(ctrNow, ctrBefore), 'CTR trend'));

    // A year earlier (2025-10-02..31) the demo has no posts: no comparison.
    await app.setFilter('#filter-compare', 'year');
    await app.waitForUrl((url) => url.searchParams.get('compare') === 'year');
    await eventually(async () => assert.equal(await trendOf(app, 'ctr'), null));
    assert.equal(between(posts, '2025-10-02', '2025-10-31').length, 0);
    // The values themselves do not change with the comparison.
    await assertOverall(app, between(posts, '2026-10-02', LAST_DAY), '30d, compare=year');
  } finally {
    await app.close();
  }
});

test('granularity: the creator history has one row per day, week, month or quarter', async () => {
  const { posts } = demoData();
  const days = distinct(where(posts, 'creator_id', 'K01'), 'date');
  const periods = {
    day: new Set(days).size,
    month: new Set(days.map((d) => d.slice(0, 7))).size,
    quarter: new Set(days.map((d) => `${d.slice(0, 4)}Q${Math.ceil(Number(d.slice(5, 7)) / 3)}`)).size,
  };
  const app = await session.open('/creators/K01');
  try {
    const history = app.page.locator('table', { hasText: 'Performance per period' }).locator('tbody tr');
    for (const [granularity, count] of Object.entries(periods)) {
      await app.setFilter('#filter-granularity', granularity);
      await app.waitForUrl((url) => url.searchParams.get('g') === granularity);
      await eventually(async () => assert.equal(await history.count(), count, granularity));
    }
  } finally {
    await app.close();
  }
});

/** Every `data-kpi` value on the page as "id group=value" strings, in document order. */
async function allValues(app) {
  return app.page
    .locator('[data-kpi]')
    .evaluateAll((es) => es.map((e) => `${e.dataset.kpi} ${e.dataset.group ?? ''}=${e.dataset.value}`));
}

/** The values of every filter control. */
async function filterState(app) {
  const state = {};
  for (const id of ['preset', 'from', 'to', 'platform', 'campaign', 'creator', 'format', 'compare', 'granularity']) {
    state[id] = await app.page.locator(`#filter-${id}`).inputValue();
  }
  return state;
}

test('a reload and a shared link restore the filters and the values', async () => {
  const query = '?platform=youtube&campaign=C05&from=2026-05-01&to=2026-08-15&compare=year&g=month';
  const app = await session.open(`/campaigns${query}`);
  try {
    await app.page.locator('#campaign-table tbody tr').first().waitFor();
    const state = await filterState(app);
    assert.deepEqual(state, {
      preset: 'custom',
      from: '2026-05-01',
      to: '2026-08-15',
      platform: 'youtube',
      campaign: 'C05',
      creator: '',
      format: '',
      compare: 'year',
      granularity: 'month',
    });
    const values = await allValues(app);
    const { posts } = demoData();
    const rows = between(where(where(posts, 'platform', 'youtube'), 'campaign_id', 'C05'), '2026-05-01', '2026-08-15');
    assertClose(await app.kpiValue('roas', 'campaign:C05'), kpisOf(rows).roas, 'C05 on YouTube');

    await app.page.reload();
    await app.page.locator('#campaign-table tbody tr').first().waitFor();
    assert.deepEqual(await filterState(app), state, 'filters after reload');
    assert.deepEqual(await allValues(app), values, 'values after reload');

    const shared = await session.open(`/campaigns${query}`);
    try {
      await shared.page.locator('#campaign-table tbody tr').first().waitFor();
      assert.deepEqual(await allValues(shared), values, 'values in a new tab');
    } finally {
      await shared.close();
    }
  } finally {
    await app.close();
  }
});

test('back and forward walk through the filter states', async () => {
  const { posts } = demoData();
  const app = await openSummary();
  try {
    await app.setFilter('#filter-platform', 'x');
    await app.waitForUrl((url) => url.searchParams.get('platform') === 'x');
    await app.setFilter('#filter-campaign', 'C07');
    await app.waitForUrl((url) => url.searchParams.get('campaign') === 'C07');
    await assertOverall(app, where(where(posts, 'platform', 'x'), 'campaign_id', 'C07'), 'x + C07');

    await app.page.goBack();
    await app.waitForUrl((url) => url.searchParams.get('platform') === 'x' && !url.searchParams.has('campaign'));
    await assertOverall(app, where(posts, 'platform', 'x'), 'back: x');
    assert.equal(await app.page.locator('#filter-campaign').inputValue(), '');
    assert.equal(await app.page.locator('#filter-platform').inputValue(), 'x');

    await app.page.goBack();
    await app.waitForUrl((url) => url.search === '');
    await assertOverall(app, posts, 'back: all');
    assert.equal(await app.page.locator('#filter-platform').inputValue(), '');

    await app.page.goForward();
    await app.waitForUrl((url) => url.searchParams.get('platform') === 'x');
    await assertOverall(app, where(posts, 'platform', 'x'), 'forward: x');
  } finally {
    await app.close();
  }
});

test('drill-down links keep the filters', async () => {
  const app = await openSummary('?platform=instagram');
  try {
    const link = app.page.locator('main a[href^="/campaigns/C01"]').first();
    assert.match(await link.getAttribute('href'), /platform=instagram/);
    await link.click();
    await app.waitForUrl((url) => url.pathname === '/campaigns/C01');
    assert.equal(app.queryParam('platform'), 'instagram');
    const { posts } = demoData();
    const rows = where(where(posts, 'campaign_id', 'C01'), 'platform', 'instagram');
    await eventually(async () => assertClose(await app.kpiValue('roas', 'campaign:C01'), kpisOf(rows).roas, 'C01 IG'));
  } finally {
    await app.close();
  }
});
