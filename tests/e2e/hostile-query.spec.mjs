// A link whose dates are out of range or malformed is refused with a message, and the
// filter stays as it was (issue 14: `?from=9999999-01-01` used to wrap to year −1759223).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startSession } from './helpers.mjs';

let session;

/** Moves the open app to `url` the way the router sees a link or back/forward. */
async function visit(app, url) {
  await app.page.evaluate((to) => {
    history.pushState({}, '', to);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, url);
}

before(async () => {
  session = await startSession();
});
after(async () => {
  await session?.close();
});

test('an out-of-range date in a link is refused with a message and the filter stays', async () => {
  const app = await session.open('/?from=2024-01-01');
  try {
    await app.waitForKpis();
    assert.equal(await app.page.locator('#filter-from').inputValue(), '2024-01-01');
    assert.equal(await app.page.locator('#query-notice').count(), 0);
    await visit(app, '/?from=9999999-01-01');
    const notice = app.page.locator('#query-notice');
    await notice.waitFor();
    assert.match(await notice.innerText(), /9999999-01-01/);
    assert.match(await notice.innerText(), /1900-01-01/);
    // The filter is the one before the bad link.
    assert.equal(await app.page.locator('#filter-from').inputValue(), '2024-01-01');
    // Trailing text after a date is refused too.
    await visit(app, '/?to=2025-01-12l');
    await notice.waitFor();
    assert.match(await notice.innerText(), /2025-01-12l/);
    // A good link clears the notice.
    await visit(app, '/?from=2024-02-01');
    await app.page.waitForFunction(() => !document.querySelector('#query-notice'));
    assert.equal(await app.page.locator('#filter-from').inputValue(), '2024-02-01');
    assert.deepEqual(app.panics(), []);
  } finally {
    await app.close();
  }
});

test('a fresh link with a bad date opens with the rest of its filter and says why', async () => {
  const app = await session.open('/?from=4999999-01-01&to=2025-01-01&platform=tiktok');
  try {
    await app.waitForKpis();
    await app.page.locator('#query-notice').waitFor();
    assert.equal(await app.page.locator('#filter-from').inputValue(), '');
    assert.equal(await app.page.locator('#filter-platform').inputValue(), 'tiktok');
    assert.deepEqual(app.panics(), []);
  } finally {
    await app.close();
  }
});
