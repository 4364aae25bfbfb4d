// /plan on the demo (issue 18): a pacing forecast for each campaign with a budget, its
// projection recomputed here in JavaScript from the demo's CSVs, C08's over-pace flagged
// before the fact; the next quarter's budget defaults to last quarter's spend, and
// changing #plan-budget changes the proposals and keeps their sum equal to it (to the
// cent), within each group's floor and cap; a what-if edit recomputes the outcome. The
// plan exports as CSV with its assumptions, prints cleanly in the quarterly report, has
// no serious axe violation, and is answered by the data worker for a big load.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { writePostsCsv } from './bench/posts.mjs';
import { demoData } from './demo-data.mjs';
import { ARTIFACTS_DIR, AppPage, downloadOf, eventually, parseCsv, startSession } from './helpers.mjs';

const DAY = 86_400_000;
const dayOf = (iso) => Date.parse(`${iso}T00:00:00Z`) / DAY;

let session;
before(async () => {
  session = await startSession();
});
after(async () => {
  await session?.close();
});

/** Whole cents of a data attribute's money. */
const cents = (raw) => Math.round(Number(raw) * 100);

/** `[data-alloc]` rows of one dimension's table: key, current, proposed. */
async function allocRows(page, dim) {
  return page.locator(`[data-plan-dimension="${dim}"] tr[data-alloc]`).evaluateAll((rows) =>
    rows.map((r) => ({
      key: r.dataset.alloc,
      current: Number(r.dataset.current),
      proposed: r.dataset.proposed,
    })),
  );
}

test('/plan forecasts every budgeted campaign and flags C08 over pace', async () => {
  const { posts, campaigns } = demoData();
  const app = await session.open('/plan');
  const { page } = app;
  await page.locator('[data-forecast]').first().waitFor();
  const budgeted = campaigns.filter((c) => c.budget.trim() !== '' && c.start_date && c.end_date);
  assert.equal(budgeted.length, 8);
  for (const c of budgeted) {
    assert.equal(await page.locator(`#plan-forecasts tr[data-forecast="${c.campaign_id}"]`).count(), 1, c.campaign_id);
  }
  // C08's projection by hand: spend to date plus the last 14 days' mean daily spend
  // times the days left to its end date.
  const asOf = posts.map((p) => p.date).filter(Boolean).sort().at(-1);
  const c08 = campaigns.find((c) => c.campaign_id === 'C08');
  const rows = posts.filter((p) => p.campaign_id === 'C08' && p.date && p.date <= asOf);
  const spent = rows.reduce((s, p) => s + Number(p.cost || 0), 0);
  const windowStart = Math.max(dayOf(asOf) - 13, dayOf(c08.start_date));
  const windowDays = dayOf(asOf) - windowStart + 1;
  const windowSpend = rows.filter((p) => dayOf(p.date) >= windowStart).reduce((s, p) => s + Number(p.cost || 0), 0);
  const remaining = dayOf(c08.end_date) - dayOf(asOf);
  const projected = spent + remaining * (windowSpend / windowDays);
  const row = page.locator('#plan-forecasts tr[data-forecast="C08"]');
  const shown = Number(await row.getAttribute('data-projected-spend'));
  assert.ok(Math.abs(shown - projected) < 0.011, `C08 projected ${shown}, by hand ${projected}`);
  assert.ok(projected > 1.1 * Number(c08.budget), 'C08 over-paces');
  const low = Number(await row.getAttribute('data-low'));
  const high = Number(await row.getAttribute('data-high'));
  assert.ok(low < shown && shown < high, `${low} < ${shown} < ${high}`);
  const exhaust = await row.getAttribute('data-exhaust-date');
  assert.ok(exhaust > asOf && exhaust <= c08.end_date, `runs out on ${exhaust}`);
  assert.equal(await row.getAttribute('data-status'), 'over pace');
  const warning = await page.locator('.plan-warning[data-warning="C08"]').textContent();
  assert.match(warning, /^At this pace C08 spends \d+% of its budget by 2026-12-31/);
  // Ended campaigns are final: no range.
  const c01 = page.locator('#plan-forecasts tr[data-forecast="C01"]');
  assert.equal(await c01.getAttribute('data-status'), 'ended');
  assert.equal(await c01.getAttribute('data-low'), await c01.getAttribute('data-high'));
  assert.deepEqual(app.errors, []);
  await app.close();
});

test('changing #plan-budget changes the proposals and keeps their sum equal to it', async () => {
  const { posts } = demoData();
  const app = await session.open('/plan');
  const { page } = app;
  const budget = page.locator('#plan-budget');
  await page.locator('[data-alloc^="platform:"]').first().waitFor();
  // The default: last quarter's spend (the 13 weeks to the as-of day), by hand.
  const asOf = posts.map((p) => p.date).filter(Boolean).sort().at(-1);
  const from = dayOf(asOf) - 90;
  const lastQuarter = posts
    .filter((p) => p.date && dayOf(p.date) >= from && p.date <= asOf)
    .reduce((s, p) => s + Number(p.cost || 0), 0);
  const initial = await budget.inputValue();
  assert.equal(cents(initial), Math.round(lastQuarter * 100));
  const before = {};
  for (const dim of ['platform', 'format', 'creator']) {
    const rows = await allocRows(page, dim);
    assert.ok(rows.length > 0, dim);
    const total = rows.reduce((s, r) => s + cents(r.proposed), 0);
    assert.equal(total, cents(initial), `${dim}: proposals sum to the budget`);
    before[dim] = rows;
  }
  // A fifth more.
  const next = (Math.round(Number(initial) * 120) / 100).toFixed(2);
  await budget.fill(next);
  await budget.press('Enter');
  await budget.dispatchEvent('change');
  for (const dim of ['platform', 'format', 'creator']) {
    await eventually(async () => {
      const rows = await allocRows(page, dim);
      const total = rows.reduce((s, r) => s + cents(r.proposed), 0);
      assert.equal(total, cents(next), `${dim}: proposals sum to the new budget`);
    });
    const rows = await allocRows(page, dim);
    const changed = rows.filter((r, i) => r.proposed !== before[dim][i]?.proposed);
    assert.ok(changed.length > 0, `${dim}: the proposals changed`);
    for (const r of rows) {
      assert.ok(cents(r.proposed) <= Math.round(r.current * 150) + 1, `${r.key}: within its cap`);
      assert.ok(cents(r.proposed) >= Math.round(r.current * 50) - 1, `${r.key}: above its floor`);
    }
    const footer = page.locator(`tr[data-alloc-total="${dim}"]`);
    assert.equal(cents(await footer.getAttribute('data-proposed')), cents(next));
  }
  // What-if: 1,000 more on the first platform raises the expected total at once.
  const footer = page.locator('tr[data-alloc-total="platform"]');
  const expectedBefore = Number(await footer.getAttribute('data-expected'));
  const first = page.locator('[data-plan-dimension="platform"] tr[data-alloc]').first();
  const proposed = Number(await first.getAttribute('data-proposed'));
  await first.locator('input.plan-edit').fill((proposed + 1000).toFixed(2));
  await eventually(async () => {
    assert.equal(cents(await first.getAttribute('data-proposed')), cents(proposed + 1000));
    assert.ok(Number(await footer.getAttribute('data-expected')) > expectedBefore);
    assert.equal(cents(await footer.getAttribute('data-proposed')), cents(next) + 100_000);
  });
  await app.screenshot('plan');
  // The CSV: the assumptions as `# ` lines, a row per group with the proposed amounts.
  const { name, text } = await downloadOf(page, page.locator('#plan-export'));
  assert.equal(name, 'plan.csv');
  for (const line of ['# Pace window: ', '# Curve: weekly revenue = a·ln(1 + spend/b)', '# Caps and floors: current spend ± 50%', '# Budget: ']) {
    assert.ok(text.includes(`\n${line}`) || text.includes(`\n"${line}`), line);
  }
  const records = parseCsv(text.replace(/^\uFEFF/, '').split('\n').filter((l) => !/^"?# /.test(l)).join('\n'));
  const header = records[0];
  const proposedAt = header.indexOf('Proposed spend');
  const csvPlatforms = records.filter((r) => r[0] === 'platform' && r[1] !== 'Total');
  assert.equal(csvPlatforms.length, (await allocRows(page, 'platform')).length);
  const csvTotal = csvPlatforms.reduce((s, r) => s + cents(r[proposedAt]), 0);
  assert.equal(csvTotal, cents(next) + 100_000, 'the CSV carries the edited proposals');
  // No serious accessibility violation on the plan.
  assert.deepEqual(await app.seriousA11yViolations(), []);
  assert.deepEqual(app.errors, []);
  await app.close();
});

test('#plan-bound narrows every floor and cap and the proposals still sum to the budget', async () => {
  const app = await session.open('/plan');
  const { page } = app;
  await page.locator('[data-alloc^="platform:"]').first().waitFor();
  const budget = cents(await page.locator('#plan-budget').inputValue());
  const bound = page.locator('#plan-bound');
  assert.equal(await bound.inputValue(), '50');
  await bound.fill('10');
  await bound.dispatchEvent('change');
  for (const dim of ['platform', 'format', 'creator']) {
    await eventually(async () => {
      const rows = await allocRows(page, dim);
      for (const r of rows) {
        assert.ok(cents(r.proposed) <= Math.round(r.current * 110) + 1, `${r.key}: within ±10%`);
        assert.ok(cents(r.proposed) >= Math.round(r.current * 90) - 1, `${r.key}: within ±10%`);
      }
      assert.equal(rows.reduce((s, r) => s + cents(r.proposed), 0), budget, `${dim}: sums to the budget`);
    });
  }
  assert.match(await page.locator('#plan-assumptions').textContent(), /current spend ± 10%/);
  assert.deepEqual(app.errors, []);
  await app.close();
});

test('the campaign page shows its forecast and the quarterly report its plan', async () => {
  const app = await session.open('/campaigns/C08');
  const { page } = app;
  const piece = page.locator('.plan-campaign-forecast[data-forecast="C08"]');
  await piece.waitFor();
  assert.match(await piece.textContent(), /At this pace C08 spends \d+% of its budget/);
  await app.goto('/reports?cadence=quarterly');
  const summary = page.locator('#report-plan');
  await summary.waitFor();
  assert.match(await summary.textContent(), /Next quarter by platform/);
  assert.match(await summary.textContent(), /Pace window/);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await summary.isVisible(), true, 'the plan prints with the report');
  assert.equal(await page.locator('#report-plan a').first().isVisible(), false, 'no links to follow in print');
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'report-quarterly-plan-print.png'), fullPage: true });
  await page.emulateMedia({ media: 'screen' });
  assert.deepEqual(app.errors, []);
  await app.close();
});

test('the data worker answers the plan of a big load', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kpi-plan-'));
  const file = 'plan-big-posts.csv';
  writePostsCsv(path.join(dir, file), { rows: 200_000, seed: 18, idPrefix: 'Q' });
  const context = await session.browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(30_000);
  const app = new AppPage(await context.newPage(), session.baseUrl);
  try {
    await app.goto('/data');
    await app.clearWorkspace();
    await app.upload([path.join(dir, file)]);
    await app.page.locator(`[data-file-report="${file}"]`).waitFor({ timeout: 120_000 });
    assert.equal(app.page.workers().length, 1, 'a data worker holds the load');
    await app.navigate('/plan');
    await app.page.locator('[data-alloc^="platform:"]').first().waitFor({ timeout: 60_000 });
    const budget = cents(await app.page.locator('#plan-budget').inputValue());
    assert.ok(budget > 0);
    for (const dim of ['platform', 'creator']) {
      const rows = await allocRows(app.page, dim);
      assert.equal(rows.reduce((s, r) => s + cents(r.proposed), 0), budget, `${dim}: proposals sum to the budget`);
      // The default budget is last quarter's spend: the groups' current spend adds up to it.
      assert.equal(Math.round(rows.reduce((s, r) => s + r.current, 0) * 100), budget, dim);
    }
    // No campaigns table: nothing to forecast, and the page says so.
    assert.match(await app.page.locator('.plan-forecast').textContent(), /No campaign in view has a budget/);
    assert.deepEqual(app.panics(), []);
  } finally {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
