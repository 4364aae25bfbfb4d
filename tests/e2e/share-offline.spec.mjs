// Offline use and opt-in persistence: after one visit the service worker holds the app
// shell, so a reload with the network off still opens the dashboard (on the demo); the
// web app manifest is served and names the app, its scope and an icon; "Remember this
// workspace on this device" brings an upload back after a reload, "Forget" and "Forget
// everything" remove it, and by default nothing is remembered.

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { FIXTURES_DIR, startSession } from './helpers.mjs';

let session;
before(async () => {
  session = await startSession();
});
after(async () => {
  await session?.close();
});

test('the app works offline after one visit', async () => {
  const app = await session.open('/campaigns');
  try {
    await app.waitForKpis();
    // The worker is installed (its precache filled) and controls the page.
    await app.page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve));
      }
    });
    const roas = await app.kpiValues('roas');
    await app.page.context().setOffline(true);
    await app.page.reload();
    await app.waitForKpis();
    assert.equal(await app.page.locator('h1').innerText(), 'Campaigns');
    assert.deepEqual(await app.kpiValues('roas'), roas, 'the same numbers offline');
    await app.page.context().setOffline(false);
  } finally {
    await app.close();
  }
});

test('the web app manifest makes it installable', async () => {
  const app = await session.open('/');
  try {
    const href = await app.page.locator('link[rel="manifest"]').getAttribute('href');
    const response = await app.page.request.get(new URL(href, app.page.url()).href);
    assert.equal(response.status(), 200);
    const manifest = await response.json();
    assert.equal(manifest.name, 'Influencer KPI Dashboard');
    assert.equal(manifest.start_url, '/');
    assert.equal(manifest.display, 'standalone');
    assert.ok(manifest.icons.length > 0);
    const icon = await app.page.request.get(new URL(manifest.icons[0].src, app.page.url()).href);
    assert.equal(icon.status(), 200);
  } finally {
    await app.close();
  }
});

test('an upload is remembered on this device only when asked, and forgotten on request', async () => {
  const app = await session.open('/data');
  const posts = path.join(FIXTURES_DIR, 'share-posts.csv');
  // (500 + 1000 + 900 + 100) revenue / (100 + 200 + 300 + 50) cost.
  const uploadedRoas = 2500 / 650;
  const summaryRoas = async () => {
    await app.navigate('/');
    await app.waitForKpis();
    return app.kpiValue('roas');
  };
  try {
    await app.upload([posts]);
    await app.waitForFileReport('share-posts.csv');
    // Not opted in: a reload is back on the demo.
    await app.page.reload();
    await app.page.locator('#remember-workspace').waitFor();
    await app.page.waitForTimeout(500); // a remembered workspace would load by now
    assert.equal(await app.page.locator('[data-file-report]').count(), 0);
    assert.equal((await app.page.locator('#dataset-name').innerText()).trim(), 'Demo data');

    await app.upload([posts]);
    await app.waitForFileReport('share-posts.csv');
    await app.page.locator('#remember-workspace').check();
    await app.page.locator('#remember-status').filter({ hasText: 'will be remembered' }).waitFor();
    await app.page.waitForTimeout(300); // the IndexedDB write
    await app.page.reload();
    await app.waitForFileReport('remembered-workspace.json');
    assert.equal(await app.page.locator('#remember-workspace').isChecked(), true);
    assert.equal(await summaryRoas(), uploadedRoas);

    await app.navigate('/data');
    await app.page.locator('#forget-workspace').click();
    await app.page.locator('#remember-status').filter({ hasText: 'deleted' }).waitFor();
    await app.page.reload();
    await app.page.locator('#remember-workspace').waitFor();
    await app.page.waitForTimeout(500);
    assert.equal(await app.page.locator('#remember-workspace').isChecked(), false);
    assert.equal((await app.page.locator('#dataset-name').innerText()).trim(), 'Demo data');

    await app.page.locator('#forget-everything').click();
    await app.page.locator('#remember-status').filter({ hasText: 'Everything' }).waitFor();
    const stored = await app.page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('kpi-dash.')));
    assert.deepEqual(stored, []);
  } finally {
    await app.close();
  }
});
