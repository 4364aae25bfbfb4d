// axe-core on every route with the demo data: zero serious or critical violations, in
// the light and the dark colour scheme, at desktop and phone widths; plus the keyboard
// basics (skip link, visible focus).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startSession } from './helpers.mjs';

/** Every route of the contract, a detail page of each kind, and an unknown path. */
const ROUTES = [
  '/',
  '/campaigns',
  '/campaigns/C03?post=P00822',
  '/creators',
  '/creators/K42',
  '/alerts',
  '/glossary',
  '/data',
  '/settings',
  '/no-such-page',
];

let session;
before(async () => {
  session = await startSession();
});
after(async () => {
  await session?.close();
});

for (const scheme of ['light', 'dark']) {
  test(`axe: no serious or critical violation on any route (${scheme})`, async () => {
    const failures = [];
    for (const route of ROUTES) {
      const app = await session.open(route);
      try {
        await app.page.emulateMedia({ colorScheme: scheme });
        await app.waitForView();
        await app.page.waitForTimeout(300); // charts and tables settle
        const violations = await app.seriousA11yViolations();
        if (violations.length > 0) failures.push({ route, violations });
      } finally {
        await app.close();
      }
    }
    assert.deepEqual(failures, [], JSON.stringify(failures, null, 2));
  });
}

test('axe at phone width on the summary and the creators table', async () => {
  for (const route of ['/', '/creators']) {
    const app = await session.open(route, { width: 390, height: 844 });
    try {
      await app.waitForView();
      const violations = await app.seriousA11yViolations();
      assert.deepEqual(violations, [], `${route}: ${JSON.stringify(violations, null, 2)}`);
    } finally {
      await app.close();
    }
  }
});

test('keyboard: the skip link comes first and moves focus to <main>', async () => {
  const app = await session.open('/');
  try {
    await app.waitForKpis();
    await app.page.keyboard.press('Tab');
    const first = await app.page.evaluate(() => document.activeElement?.textContent?.trim());
    assert.equal(first, 'Skip to content');
    const outline = await app.page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, 'none', 'the focused element has no visible outline');
    await app.page.keyboard.press('Enter');
    assert.equal(await app.page.evaluate(() => document.activeElement?.id), 'main');
  } finally {
    await app.close();
  }
});
