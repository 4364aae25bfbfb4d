// Smoke: the app opens on the demo, shows its KPI cards, records its performance
// marks, logs no error and no panic, passes axe, and is screenshotted at desktop and
// phone widths.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { eventually, startSession } from './helpers.mjs';

let session;
before(async () => {
  session = await startSession();
});
after(async () => {
  await session?.close();
});

test('the summary opens on the demo with KPI cards, no errors and no panics', async () => {
  const app = await session.open('/');
  try {
    await app.waitForKpis();
    assert.ok((await app.page.locator('.kpi-card').count()) > 0, 'no .kpi-card on /');
    assert.equal(await app.page.locator('h1').count(), 1, 'the summary has one <h1>');
    await eventually(async () => {
      const marks = await app.performanceMarks();
      for (const name of ['ingest-start', 'ingest-end', 'kpis-rendered']) {
        assert.ok(marks.includes(name), `performance mark ${name} missing (have: ${marks})`);
      }
    });
    await app.screenshot('smoke-summary-1440');
    await app.setWidth(390);
    await app.screenshot('smoke-summary-390');
    assert.deepEqual(app.panics(), [], 'a Rust panic reached the console');
    assert.deepEqual(app.errors, [], 'the console has errors');
  } finally {
    await app.close();
  }
});

test('the summary has no serious or critical accessibility violations', async () => {
  const app = await session.open('/');
  try {
    await app.waitForKpis();
    const violations = await app.seriousA11yViolations();
    assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
  } finally {
    await app.close();
  }
});
