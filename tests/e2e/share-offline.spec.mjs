// Offline use: after one visit the service worker holds the app shell, so a reload with
// the network off still opens the dashboard (on the demo); the web app manifest is
// served and names the app, its scope and an icon.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startSession } from './helpers.mjs';

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
