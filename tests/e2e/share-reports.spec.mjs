// Cadence reports on /reports: each cadence (daily, weekly, monthly, quarterly) renders
// its period against the previous one, key KPIs, alerts, top and bottom creators and
// the plain-text summary; the uploaded fixture's monthly ROAS is checked by hand; each
// report is screenshotted with print-media emulation (A4 width).

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { ARTIFACTS_DIR, FIXTURES_DIR, startSession } from './helpers.mjs';

const CADENCES = ['daily', 'weekly', 'monthly', 'quarterly'];

let session;
before(async () => {
  session = await startSession();
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
});
after(async () => {
  await session?.close();
});

test('each cadence report renders on the demo and prints cleanly', async () => {
  // A4 at 96 dpi is about 794 px wide.
  const app = await session.open('/reports', { width: 794, height: 1123 });
  try {
    for (const cadence of CADENCES) {
      await app.page.locator(`.cadence-tabs a[data-cadence="${cadence}"]`).click();
      await app.page.waitForURL((url) => url.searchParams.get('cadence') === cadence);
      const report = app.page.locator(`article.report[data-cadence="${cadence}"]`);
      await report.waitFor({ timeout: 20_000 });
      assert.equal(await app.page.locator('h1').count(), 1);
      assert.match(await app.page.locator('#report-period').innerText(), /\d{4}-\d{2}-\d{2}.* compared with \d{4}-\d{2}-\d{2}/);
      assert.equal(await report.locator('#report-kpis tbody tr').count(), 10);
      assert.ok((await report.locator('[data-kpi="roas"]:not([data-group])').count()) === 1);
      assert.ok((await report.locator('#report-top tbody tr').count()) > 0, 'top creators');
      const text = await app.page.locator('#report-text').innerText();
      assert.ok(text.startsWith(`${cadence[0].toUpperCase()}${cadence.slice(1)} influencer report: `), text.slice(0, 80));
      for (const part of ['Key KPIs', 'Alerts: ', 'Top creators (ROAS)', 'Engagement-rate denominator']) {
        assert.ok(text.includes(part), `text summary has ${part}`);
      }
      await app.page.emulateMedia({ media: 'print' });
      assert.equal(await app.page.locator('.app-header').isVisible(), false, 'no header in print');
      assert.equal(await app.page.locator('#print-report').isVisible(), false, 'no buttons in print');
      await app.page.screenshot({ path: path.join(ARTIFACTS_DIR, `report-${cadence}-print.png`), fullPage: true });
      await app.page.emulateMedia({ media: 'screen' });
    }
    assert.deepEqual(app.panics(), []);
  } finally {
    await app.close();
  }
});

test('the monthly report of an upload compares the month to date with the month before', async () => {
  const app = await session.open('/data');
  try {
    await app.upload([path.join(FIXTURES_DIR, 'share-posts.csv')]);
    await app.waitForFileReport('share-posts.csv');
    await app.navigate('/reports');
    await app.page.locator('.cadence-tabs a[data-cadence="monthly"]').click();
    await app.page.locator('article.report[data-cadence="monthly"]').waitFor();
    // The last post is 2025-03-22: March 1–22 against February 1–22 (no posts).
    assert.equal(await app.page.locator('#report-period').innerText(), '2025-03-01 to 2025-03-22 compared with 2025-02-01 to 2025-02-22');
    // ROAS = (500 + 1000 + 900 + 100) / (100 + 200 + 300 + 50) = 2500 / 650.
    const roas = await app.page.locator('#report-kpis [data-kpi="roas"]').getAttribute('data-value');
    assert.equal(Number(roas), 2500 / 650);
    // Creators by ROAS: K1 (500 + 100) / (100 + 50) = 4; the <img> creator 1000 / 200 = 5;
    // K3 900 / 300 = 3 → top list 5, 4, 3.
    const top = await app.page
      .locator('#report-top [data-kpi="roas"]')
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value'))));
    assert.deepEqual(top, [5, 4, 3]);
    assert.equal(await app.page.locator('main img').count(), 0);
  } finally {
    await app.close();
  }
});
