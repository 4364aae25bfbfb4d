// A screenshot of each view at 1440 px and 390 px wide, into artifacts/screenshots/
// (gitignored; look at them after a change of layout). At 390 px the page itself must
// not scroll sideways: wide tables scroll inside their own box.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startSession } from './helpers.mjs';

/** Views by screenshot name. */
const VIEWS = {
  summary: '/',
  campaigns: '/campaigns',
  campaign: '/campaigns/C03?post=P00822',
  creators: '/creators',
  creator: '/creators/K01',
  alerts: '/alerts',
  glossary: '/glossary',
  data: '/data',
  settings: '/settings',
  'not-found': '/no-such-page',
};

let session;
before(async () => {
  session = await startSession();
});
after(async () => {
  await session?.close();
});

for (const width of [1440, 390]) {
  test(`every view at ${width} px: screenshot, no sideways scroll, no console error`, async () => {
    const overflowing = [];
    for (const [name, route] of Object.entries(VIEWS)) {
      const app = await session.open(route, { width, height: width < 600 ? 844 : 900 });
      try {
        await app.waitForView();
        await app.page.waitForTimeout(300);
        await app.screenshot(`${name}-${width}`);
        const scrollWidth = await app.page.evaluate(() => document.documentElement.scrollWidth);
        if (scrollWidth > width) overflowing.push(`${route}: ${scrollWidth}px`);
        assert.deepEqual(app.errors, [], `${route}: console errors`);
      } finally {
        await app.close();
      }
    }
    assert.deepEqual(overflowing, [], 'pages wider than the viewport');
  });
}
