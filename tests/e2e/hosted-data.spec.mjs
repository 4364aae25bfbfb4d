// `?data=<same-origin URL>`: an agency hosts a file beside the app and shares a link that
// loads it at start-up through the normal pipeline; a cross-origin URL is refused.
//
// The hosted file is fixtures/small-posts.csv (6 posts), copied into the served dist/:
//   Σrevenue 1500 + 600 + 900 + 2400 + 800 + 1200 = 7400, Σcost 300 + 200 + 500 + 400 + 250 + 350 = 2000
//   → ROAS 7400 / 2000 = 3.7; Σclicks 1450 / Σimpressions 70000 → CTR 0.0207142…

import assert from 'node:assert/strict';
import { copyFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { FIXTURES_DIR, REPO_ROOT, assertClose, startSession } from './helpers.mjs';

const HOSTED = 'e2e-hosted-posts.csv';
const HOSTED_PATH = path.join(REPO_ROOT, 'dist', HOSTED);

let session;
before(async () => {
  copyFileSync(path.join(FIXTURES_DIR, 'small-posts.csv'), HOSTED_PATH);
  session = await startSession();
});
after(async () => {
  await session?.close();
  rmSync(HOSTED_PATH, { force: true });
});

test('?data= loads a same-origin file at start-up and its KPIs show', async () => {
  const app = await session.open(`/data?data=/${HOSTED}`);
  try {
    await app.waitForFileReport(HOSTED);
    assert.deepEqual(await app.rowCounts(HOSTED), { read: 6, used: 6, rejected: 0 });
    await app.navigate('/');
    await app.waitForKpis();
    assertClose(await app.kpiValue('roas'), 7400 / 2000, 'ROAS of the hosted file');
    assertClose(await app.kpiValue('ctr'), 1450 / 70000, 'CTR of the hosted file');
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test('?data= with a cross-origin URL is refused with a message and never fetched', async () => {
  const app = await session.open('/data');
  const foreign = [];
  app.page.on('request', (request) => {
    if (new URL(request.url()).origin !== new URL(app.page.url()).origin) foreign.push(request.url());
  });
  try {
    await app.goto('/data?data=https://example.com/posts.csv');
    const error = app.page.locator('#load-error');
    await error.waitFor();
    assert.match(await error.innerText(), /Refused to load .*example\.com.*only files from this site/s);
    assert.deepEqual(foreign, []);
    // No figures are shown, the demo's neither: it is offered (issue 20, item 4).
    assert.doesNotMatch(await app.page.locator('#dataset-name').innerText(), /Demo data/);
    assert.equal(await app.page.locator('#offer-demo').count(), 1);
  } finally {
    await app.close();
  }
});
