// Why it moved and is it real (issue 17, parts 2 and 3): on the demo's monthly report
// each KPI's drivers ([data-driver] with data-mix and data-rate) add up to the shown
// change and its current value is the report's; KPI cards and the report's changes
// carry a variation flag; the glossary documents the method.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertClose, startSession } from './helpers.mjs';

let session;
before(async () => {
  session = await startSession();
});
after(async () => {
  await session?.close();
});

test('the monthly report says why ROAS and engagement rate moved, and the effects add up', async () => {
  const app = await session.open('/reports?cadence=monthly');
  try {
    const report = app.page.locator('article.report[data-cadence="monthly"]');
    await report.waitFor({ timeout: 20_000 });
    for (const kpi of ['roas', 'engagement_rate']) {
      const block = report.locator(`.report-drivers[data-drivers="${kpi}"]`);
      assert.equal(await block.count(), 1, `${kpi} has drivers`);
      const shown = await block.evaluate((el) => ({
        before: Number(el.dataset.before),
        after: Number(el.dataset.after),
        change: Number(el.dataset.change),
        dimension: el.dataset.dimension,
        sentence: el.querySelector('.drivers-sentence').textContent,
        effects: [...el.querySelectorAll('[data-driver]')].map((d) => ({
          driver: d.dataset.driver,
          mix: Number(d.dataset.mix),
          rate: Number(d.dataset.rate),
        })),
      }));
      assert.ok(shown.effects.length > 1, `${kpi}: ${shown.effects.length} groups`);
      for (const e of shown.effects) {
        assert.ok(e.driver.startsWith(`${shown.dimension}:`), e.driver);
        assert.ok(Number.isFinite(e.mix) && Number.isFinite(e.rate), e.driver);
      }
      const sum = shown.effects.reduce((s, e) => s + e.mix + e.rate, 0);
      assert.ok(Math.abs(sum - shown.change) <= 1e-9 * Math.max(1, Math.abs(shown.change)), `${kpi}: Σ ${sum} vs ${shown.change}`);
      assertClose(shown.after - shown.before, shown.change, `${kpi} change`);
      // The drivers' after is the value in the report's KPI table.
      const value = Number(await report.locator(`#report-kpis [data-kpi="${kpi}"]`).getAttribute('data-value'));
      assertClose(shown.after, value, `${kpi} current value`);
      assert.match(shown.sentence, /(rose|fell|did not move)/, shown.sentence);
    }
    // Every KPI change of the report with a flag has one of the three verdicts.
    const flags = await report.locator('#report-kpis [data-variation]').evaluateAll((els) => els.map((e) => e.dataset.variation));
    assert.ok(flags.length >= 2, `flags ${flags}`);
    for (const f of flags) assert.ok(['normal', 'real', 'too_few_days'].includes(f), f);
    assert.match(await app.page.locator('#report-text').innerText(), /Why it moved\n- ROAS (rose|fell)/);
    assert.deepEqual(app.panics(), []);
  } finally {
    await app.close();
  }
});

test('a KPI card\'s trend carries a variation flag, and the glossary documents it', async () => {
  const app = await session.open('/');
  try {
    const flag = app.page.locator('.kpi-trend [data-variation]').first();
    await flag.waitFor({ timeout: 20_000 });
    const verdict = await flag.getAttribute('data-variation');
    assert.ok(['normal', 'real', 'too_few_days'].includes(verdict), verdict);
    const words = { normal: 'within normal variation', real: 'a real change', too_few_days: 'too few days to tell' };
    assert.equal((await flag.innerText()).trim(), words[verdict]);
    assert.match(await flag.getAttribute('title'), /days with data/);
    await app.navigate('/glossary');
    const method = app.page.locator('#variation-method');
    await method.waitFor();
    assert.match(await method.innerText(), /within normal variation/);
    assert.equal(await app.page.locator('#drivers-method').count(), 1);
    assert.deepEqual(app.panics(), []);
  } finally {
    await app.close();
  }
});
