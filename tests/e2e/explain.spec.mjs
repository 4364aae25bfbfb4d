// The explain panel (issue 17): `?explain=roas` opens `#explain` on the demo with a
// numerator and a denominator equal to the demo CSV's Σrevenue and Σcost, summed here
// in JS over the rows of the current filter that have both (also with a platform
// filter); clicking a value opens it and Escape closes it with the focus back on that
// value; the rows CSV downloads with its `# ` settings lines and RFC 4180-escaped cells;
// and the same explain on 100k rows a data worker holds equals the sums of the file
// this test generated.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { assertClose, downloadOf, eventually, parseCsv, startSession } from './helpers.mjs';
import { demoData, where } from './demo-data.mjs';
import { writePostsCsv } from './bench/posts.mjs';

let session;
before(async () => {
  session = await startSession();
});
after(async () => {
  await session?.close();
});

/** Σ of `column` over the rows that have both `a` and `b` (a ratio's rows). */
function sumWhereBoth(rows, column, a, b) {
  let total = 0;
  for (const row of rows) {
    if ((row[a] ?? '').trim() === '' || (row[b] ?? '').trim() === '') continue;
    total += Number(row[column]);
  }
  return total;
}

/** The open panel's part `role` as a number (its `data-value`). */
async function part(app, role) {
  const raw = await app.page
    .locator(`#explain [data-explain-part="${role}"]`)
    .first()
    .getAttribute('data-value');
  return Number(raw);
}

/** Waits until the panel is open and answered (its parts are there). */
async function waitForPanel(app) {
  await app.page.locator('#explain[open]').waitFor({ timeout: 20_000 });
  await app.page.locator('#explain [data-explain-part="numerator"]').waitFor({ timeout: 30_000 });
}

test('?explain=roas on the demo shows Σrevenue and Σcost of the rows in view', async () => {
  const { posts } = demoData();
  for (const [query, rows] of [
    ['', posts],
    ['platform=tiktok&', where(posts, 'platform', 'tiktok')],
  ]) {
    const app = await session.open(`/?${query}explain=roas`);
    try {
      await waitForPanel(app);
      const revenue = sumWhereBoth(rows, 'revenue', 'revenue', 'cost');
      const cost = sumWhereBoth(rows, 'cost', 'revenue', 'cost');
      assertClose(await part(app, 'numerator'), revenue, `${query} Σrevenue`);
      assertClose(await part(app, 'denominator'), cost, `${query} Σcost`);
      // The value it explains is the card's.
      const shown = Number(await app.page.locator('#explain [data-explain-value]').getAttribute('data-explain-value'));
      assertClose(shown, revenue / cost, `${query} roas`);
      assertClose(await app.kpiValue('roas'), revenue / cost, `${query} card roas`);
      // Coverage: the rows used and left out add up to the demo's rows.
      const coverage = app.page.locator('#explain [data-explain-part="coverage"]');
      const used = Number(await coverage.getAttribute('data-used'));
      const excluded = Number(await coverage.getAttribute('data-excluded'));
      assert.equal(used, rows.filter((r) => r.revenue.trim() !== '' && r.cost.trim() !== '').length);
      assert.equal(used + excluded, posts.length, 'every demo row is used or left out for a reason');
      // The heading names the KPI; the formula is in words and symbols.
      assert.match(await app.page.locator('#explain-title').innerText(), /ROAS/);
      assert.match(await app.page.locator('#explain .explain-symbols').innerText(), /revenue.*cost/i);
      // Each platform's contribution adds up to the numerator.
      const contributions = await app.page
        .locator('#explain [data-contribution^="platform:"]')
        .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-numerator'))));
      assert.ok(contributions.length > 0, 'contributions by platform');
      assertClose(contributions.reduce((a, b) => a + b, 0), revenue, `${query} Σ contributions`);
      // The top rows link to their posts.
      const links = await app.page.locator('#explain .explain-top-rows a[href]').count();
      assert.ok(links > 0 && links <= 20, `top rows with links: ${links}`);
      const violations = await app.seriousA11yViolations();
      assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
      assert.deepEqual(app.panics(), []);
    } finally {
      await app.close();
    }
  }
});

test('an unknown ?explain= id opens nothing and the page works', async () => {
  const app = await session.open('/?explain=no_such_kpi');
  try {
    await app.waitForKpis();
    assert.equal(await app.page.locator('#explain[open]').count(), 0);
    assert.deepEqual(app.panics(), []);
  } finally {
    await app.close();
  }
});

test('clicking a value opens the panel; Escape closes it and gives the focus back', async () => {
  const app = await session.open('/');
  try {
    await app.waitForKpis();
    const value = app.page.locator('.kpi-value[data-kpi="roas"]:not([data-group])').first();
    assert.equal(await value.getAttribute('tabindex'), '0');
    assert.equal(await value.getAttribute('role'), 'button');
    await value.click();
    await waitForPanel(app);
    await eventually(async () => assert.equal(app.queryParam('explain'), 'roas'));
    // Sorting the contributions by the denominator marks that column.
    const sortByCost = app.page.locator('#explain th:has(button[data-sort="denominator"])');
    await sortByCost.locator('button').click();
    assert.equal(await sortByCost.getAttribute('aria-sort'), 'descending');
    await app.page.keyboard.press('Escape');
    await app.page.locator('#explain[open]').waitFor({ state: 'detached' }).catch(() => {});
    await eventually(async () => assert.equal(await app.page.locator('#explain[open]').count(), 0));
    assert.ok(await value.evaluate((e) => document.activeElement === e), 'the focus is on the value again');
    await eventually(async () => assert.equal(app.queryParam('explain'), null));

    // The keyboard: Enter on a focused value opens it, the close button closes it.
    await value.focus();
    await app.page.keyboard.press('Enter');
    await waitForPanel(app);
    await app.page.locator('#explain-close').click();
    await eventually(async () => assert.equal(await app.page.locator('#explain[open]').count(), 0));
    assert.ok(await value.evaluate((e) => document.activeElement === e), 'focus back after the close button');

    // A top row's link closes the panel and opens its post on its campaign's page.
    await value.click();
    await waitForPanel(app);
    const post = app.page.locator('#explain .explain-top-rows a[href]').first();
    const href = await post.getAttribute('href');
    await post.click();
    await app.page.waitForURL((url) => url.pathname.startsWith('/campaigns/') && url.searchParams.has('post'));
    assert.equal(new URL(href, app.baseUrl).pathname, new URL(app.page.url()).pathname);
    assert.equal(await app.page.locator('#explain[open]').count(), 0);
    assert.deepEqual(app.panics(), []);
  } finally {
    await app.close();
  }
});

test('the rows CSV downloads with its settings lines and escaped cells', async () => {
  // One post id holds a comma and a quote, so its cell must be quoted with "" inside.
  const csv = [
    'platform,date,post_id,campaign_id,creator_id,impressions,reach,likes,clicks,revenue,cost',
    'tiktok,2025-03-01,"p,""1",C1,K1,1000,800,10,10,300,100',
    'tiktok,2025-03-02,p2,C1,K1,1000,800,10,10,500,100',
    'youtube,2025-03-03,p3,C2,K2,2000,1000,30,20,,500',
    '',
  ].join('\n');
  const app = await session.open('/data');
  try {
    await app.loadCsvAndShowSummary('escape-posts.csv', csv);
    await app.page.locator('.kpi-value[data-kpi="roas"]:not([data-group])').first().click();
    await waitForPanel(app);
    // p1 and p2 have revenue and cost: 300 + 500 over 100 + 100; p3 has no revenue.
    assertClose(await part(app, 'numerator'), 800, 'Σrevenue');
    assertClose(await part(app, 'denominator'), 200, 'Σcost');
    const coverage = app.page.locator('#explain [data-explain-part="coverage"]');
    assert.equal(await coverage.getAttribute('data-used'), '2');
    assert.equal(await coverage.getAttribute('data-excluded'), '1');
    const file = await downloadOf(app.page, app.page.locator('#explain-download'));
    assert.equal(file.name, 'roas-rows.csv');
    const text = file.text.replace(/^\uFEFF/, '');
    const lines = text.split(/\r?\n/);
    assert.ok(lines[0].startsWith('# ') || lines[0].startsWith('"# '), lines.slice(0, 3).join('\n'));
    assert.ok(text.includes('"p,""1"'), `the post id is escaped:\n${text}`);
    const rows = parseCsv(text).filter((r) => !r[0].startsWith('# '));
    assert.ok(rows.some((r) => r.includes('p,"1')), 'the escaped cell reads back as the post id');
    assert.deepEqual(app.panics(), []);
  } finally {
    await app.close();
  }
});

test('on 100k rows a data worker holds, the parts equal the sums of the generated file', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kpi-explain-'));
  const file = path.join(dir, 'posts-100k.csv');
  const expected = writePostsCsv(file, { rows: 100_000, badDates: 3, seed: 7 });
  const app = await session.open('/data');
  try {
    await app.clearWorkspace();
    await app.upload([file]);
    await app.waitForFileReport('posts-100k.csv');
    await app.navigate('/');
    await app.waitForKpis();
    await eventually(async () => {
      assertClose(await app.kpiValue('roas'), expected.overall.revenue / expected.overall.cost, 'card roas');
    }, 30_000);
    await app.page.locator('.kpi-value[data-kpi="roas"]:not([data-group])').first().click();
    await waitForPanel(app);
    assertClose(await part(app, 'numerator'), expected.overall.revenue, 'Σrevenue of 100k rows');
    assertClose(await part(app, 'denominator'), expected.overall.cost, 'Σcost of 100k rows');
    const coverage = app.page.locator('#explain [data-explain-part="coverage"]');
    assert.equal(Number(await coverage.getAttribute('data-used')), 100_000);
    // The 3 lines with a bad date were rejected when the file was read.
    assert.equal(Number(await coverage.getAttribute('data-excluded')), 3);
    await app.page.keyboard.press('Escape');
    await eventually(async () => assert.equal(await app.page.locator('#explain[open]').count(), 0));

    // A platform filter narrows the explanation to that platform's rows.
    await app.page.locator('select#filter-platform').selectOption('tiktok');
    await app.page.waitForURL((url) => url.searchParams.get('platform') === 'tiktok');
    const tiktok = expected.byPlatform.tiktok;
    await eventually(async () => {
      assertClose(await app.kpiValue('roas'), tiktok.revenue / tiktok.cost, 'tiktok card roas');
    }, 30_000);
    await app.page.locator('.kpi-value[data-kpi="roas"]:not([data-group])').first().click();
    await waitForPanel(app);
    await eventually(async () => {
      assertClose(await part(app, 'numerator'), tiktok.revenue, 'tiktok Σrevenue');
      assertClose(await part(app, 'denominator'), tiktok.cost, 'tiktok Σcost');
    }, 30_000);
    assert.deepEqual(app.panics(), []);
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('with a comparison, "Why it moved" splits the change into mix and rate that add up', async () => {
  const app = await session.open('/?explain=roas');
  try {
    await waitForPanel(app);
    const why = app.page.locator('#explain .explain-why');
    await why.locator('[data-driver]').first().waitFor({ timeout: 30_000 });
    const drivers = await why
      .locator('[data-driver^="platform:"]')
      .evaluateAll((rows) => rows.map((r) => [Number(r.getAttribute('data-mix')), Number(r.getAttribute('data-rate'))]));
    assert.ok(drivers.length > 1, 'a driver per platform');
    const change = Number(await why.locator('[data-change]').getAttribute('data-change'));
    const total = drivers.reduce((s, [mix, rate]) => s + mix + rate, 0);
    assert.ok(Math.abs(total - change) <= 1e-9 * Math.max(1, Math.abs(change)), `Σ(mix + rate) ${total} = change ${change}`);
    assert.match(await why.locator('.explain-sentence').innerText(), /^ROAS (rose|fell|did not move)/);
    // The change is judged against the days' own variation.
    assert.ok(['normal', 'real', 'too_few_days'].includes(await why.locator('[data-variation]').getAttribute('data-variation')));
    // Another dimension: the campaigns' drivers.
    await why.locator('button[data-why-dimension="campaign"]').click();
    await why.locator('[data-driver^="campaign:"]').first().waitFor({ timeout: 30_000 });
    assert.deepEqual(app.panics(), []);
  } finally {
    await app.close();
  }
});

test('on a snapshot link a value explains what the link carries, and says the rows are not in it', async () => {
  const { posts } = demoData();
  const app = await session.open('/');
  try {
    await app.waitForKpis();
    await app.page.locator('#make-snapshot').click();
    const link = await app.page.locator('#snapshot-link').inputValue();
    await app.page.goto(link);
    const value = app.page.locator('.kpi-value[data-kpi="roas"]:not([data-group])').first();
    await value.waitFor({ timeout: 20_000 });
    await value.click();
    await app.page.locator('#explain[open]').waitFor();
    await app.page.locator('#explain-snapshot-note').waitFor();
    const revenue = sumWhereBoth(posts, 'revenue', 'revenue', 'cost');
    const cost = sumWhereBoth(posts, 'cost', 'revenue', 'cost');
    assertClose(await part(app, 'numerator'), revenue, 'snapshot Σrevenue');
    assertClose(await part(app, 'denominator'), cost, 'snapshot Σcost');
    assert.ok((await app.page.locator('#explain [data-contribution^="platform:"]').count()) > 0, 'group values');
    assert.equal(await app.page.locator('#explain-download').count(), 0, 'no rows to download');
    await app.page.keyboard.press('Escape');
    await eventually(async () => assert.equal(await app.page.locator('#explain[open]').count(), 0));
    assert.ok(await value.evaluate((e) => document.activeElement === e), 'focus back on the value');
    assert.deepEqual(app.panics(), []);
  } finally {
    await app.close();
  }
});

test('any value explains the number it shows: a group cell, a campaign page, a report period', async () => {
  const app = await session.open('/');
  try {
    await app.waitForKpis();
    /** Clicks `selector`'s first match and checks the panel explains its data-value. */
    const explainsItself = async (selector, label) => {
      const value = app.page.locator(selector).first();
      await value.waitFor({ timeout: 20_000 });
      const shown = Number(await value.getAttribute('data-value'));
      await value.click();
      await app.page.locator('#explain[open] [data-explain-value]').waitFor({ timeout: 30_000 });
      const explained = Number(await app.page.locator('#explain [data-explain-value]').getAttribute('data-explain-value'));
      assertClose(explained, shown, label);
      await app.page.keyboard.press('Escape');
      await eventually(async () => assert.equal(await app.page.locator('#explain[open]').count(), 0));
    };
    await explainsItself('.kpi-value[data-kpi="roas"][data-group^="platform:"]', 'a platform group value');
    await app.navigate('/campaigns');
    await app.page.locator('table a[href^="/campaigns/"]').first().click();
    await app.page.waitForURL((url) => /^\/campaigns\/./.test(url.pathname));
    await explainsItself('main .kpi-value[data-kpi]:not(.na)', 'a campaign page value');
    await app.navigate('/reports');
    await app.page.locator('[data-cadence="monthly"]').first().click();
    await explainsItself('#report-kpis .kpi-value[data-kpi="roas"]', "the monthly report's value");
    assert.deepEqual(app.panics(), []);
  } finally {
    await app.close();
  }
});
