// Layout, loading and empty states (issue 20, items 4 and 5):
// - a hosted link (`?data=`) shows "Loading <file>…" and never the demo's figures while
//   its file arrives (served slowly here); a link that fails says so and offers the demo;
// - a first visit (the demo) says in one sentence what to drop, with a drop target on
//   the summary itself; each view's empty state (after "Clear workspace") says what it needs;
// - at 390 px the filter bar is one "Filters (N)" button (N = active filters) and the
//   KPI cards go two per row; no card's text leaves its card, at 390 and 1440 px, on the
//   demo and on a real Meta export (whose Comment sentiment card has a long n/a reason);
// - axe: no serious violation in light and dark, on these states;
// - screenshots of summary, campaigns, creators, alerts, data at 390 and 1440 px, light
//   and dark, into artifacts/screenshots/layout-<view>-<width>-<scheme>.png.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { FIXTURES_DIR, assertClose, eventually, startSession } from './helpers.mjs';

let session;
before(async () => {
  session = await startSession();
});
after(async () => {
  await session?.close();
});

// fixtures/small-posts.csv (6 posts), served as the hosted file:
//   ROAS = Σrevenue / Σcost = (1500 + 600 + 900 + 2400 + 800 + 1200) / (300 + 200 + 500 + 400 + 250 + 350)
//        = 7400 / 2000 = 3.7
const SMALL_POSTS = readFileSync(path.join(FIXTURES_DIR, 'small-posts.csv'));
const HOSTED_ROAS = 7400 / 2000;
const SLOW = 'e2e-slow-posts.csv';

/** Records every ROAS value the page ever shows (from the first byte of the page on). */
function watchRoas() {
  window.__roasSeen = [];
  const record = () => {
    for (const e of document.querySelectorAll('[data-kpi="roas"]:not([data-group])')) {
      window.__roasSeen.push(e.getAttribute('data-value'));
    }
  };
  new MutationObserver(record).observe(document, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ['data-value'],
  });
}

/** Opens `route` with the hosted file `SLOW` answered only when `release()` is called. */
async function openWithSlowFile(route, { width = 1440, fail = false } = {}) {
  const app = await session.open('/privacy', { width });
  let release;
  const gate = new Promise((resolve) => (release = resolve));
  // Matched by path (a glob would match the page's own `?data=` URL too), on the
  // context (the app's service worker fetches it; a page route would not see that).
  await app.page.context().route((url) => url.pathname === `/${SLOW}`, async (r) => {
    await gate;
    if (fail) await r.fulfill({ status: 404, body: 'not here' });
    else await r.fulfill({ status: 200, contentType: 'text/csv', body: SMALL_POSTS });
  });
  await app.page.addInitScript(watchRoas);
  await app.goto(route);
  return { app, release };
}

test('?data= shows "Loading <file>…" and never the demo\'s ROAS while the file arrives', async () => {
  const { app, release } = await openWithSlowFile(`/?data=/${SLOW}`);
  try {
    const loading = app.page.locator('#hosted-loading');
    await loading.waitFor({ timeout: 20_000 });
    assert.match(await app.page.locator('main h1').innerText(), new RegExp(`Loading ${SLOW}…`));
    assert.equal(await loading.locator('progress').count(), 1, 'a progress bar');
    assert.match(await app.page.locator('#dataset-name').innerText(), new RegExp(`Loading ${SLOW}…`));
    // Held for a while: nothing but the loading state, no KPI, no first-visit word.
    await app.page.waitForTimeout(1500);
    assert.equal(await app.page.locator('[data-kpi]').count(), 0, 'no KPI while loading');
    assert.equal(await app.page.locator('#first-visit').count(), 0);
    assert.equal(await app.page.locator('.empty-state').count(), 0, 'no empty state while loading');
    assert.equal(await app.page.locator('#critical-badge').count(), 0, 'no alert count before the data');
    release();
    await app.waitForKpis();
    await eventually(async () => assertClose(await app.kpiValue('roas'), HOSTED_ROAS, 'ROAS of the hosted file'));
    assert.equal(await loading.count(), 0, 'the loading state is gone');
    assert.match(await app.page.locator('#dataset-name').innerText(), new RegExp(SLOW));
    // Every ROAS the page ever showed is the hosted file's (or blank while computing).
    const seen = await app.page.evaluate(() => window.__roasSeen);
    assert.ok(seen.length > 0);
    for (const raw of seen) {
      if (raw !== '') assertClose(Number(raw), HOSTED_ROAS, `a ROAS shown: ${raw} (${seen.join(', ')})`);
    }
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test('?data= on the Data page: the loading line above the page, then the file report', async () => {
  const { app, release } = await openWithSlowFile(`/data?data=/${SLOW}`);
  try {
    await app.page.locator('#hosted-loading').waitFor({ timeout: 20_000 });
    assert.equal(await app.page.locator('main h1').count(), 1, 'the Data page stays');
    assert.notEqual((await app.page.locator('#dataset-name').innerText()).trim(), 'Demo data');
    release();
    await app.waitForFileReport(SLOW);
    assert.equal(await app.page.locator('#hosted-loading').count(), 0);
  } finally {
    await app.close();
  }
});

test('a ?data= link that fails says so and offers the demo, never shows it unasked', async () => {
  const { app, release } = await openWithSlowFile(`/?data=/${SLOW}`, { fail: true });
  try {
    release();
    const failed = app.page.locator('#hosted-failed');
    await failed.waitFor({ timeout: 20_000 });
    assert.match(await failed.innerText(), new RegExp(`The linked file ${SLOW} did not load`));
    assert.match(await app.page.locator('#drop-notice').innerText(), /HTTP 404/);
    assert.equal(await app.page.locator('[data-kpi="roas"]').count(), 0, 'no demo figures');
    assert.notEqual((await app.page.locator('#dataset-name').innerText()).trim(), 'Demo data');
    await app.page.locator('#offer-demo').click();
    await app.waitForKpis();
    assert.equal((await app.page.locator('#dataset-name').innerText()).trim(), 'Demo data');
    assert.equal(await failed.count(), 0);
  } finally {
    await app.close();
  }
});

test('first visit: one sentence naming what to drop, and a drop target on the summary', async () => {
  const app = await session.open('/');
  try {
    await app.waitForKpis();
    const text = await app.page.locator('#first-visit-text').innerText();
    for (const name of ['CSV', 'JSON', 'XLSX', 'Instagram', 'Facebook', 'TikTok', 'YouTube', 'X', 'Shopify']) {
      assert.match(text, new RegExp(`\\b${name}\\b`), `names ${name}: ${text}`);
    }
    assert.equal(text.split(/[.!?](\s|$)/).filter((s) => s && s.trim()).length, 1, `one sentence: ${text}`);
    assert.equal(await app.page.locator('#first-visit').locator('xpath=ancestor::main').count(), 1, 'on the summary, in <main>');
    // Dropped on the target, a file loads, and the first-visit word goes.
    // Σrevenue / Σcost = (50 + 150) / (10 + 30) = 5
    const csv = 'post_id,platform,date,impressions,reach,likes,comments,shares,saves,clicks,conversions,revenue,cost\n'
      + 'L1,instagram,2025-05-01,1000,800,40,5,3,2,20,1,50,10\nL2,tiktok,2025-05-02,3000,2000,100,10,5,5,60,3,150,30\n';
    await app.page.evaluate((csv) => {
      const data = new DataTransfer();
      data.items.add(new File([csv], 'first-drop.csv', { type: 'text/csv' }));
      const target = document.querySelector('#first-visit');
      const init = { dataTransfer: data, bubbles: true, cancelable: true };
      target.dispatchEvent(new DragEvent('dragover', init));
      target.dispatchEvent(new DragEvent('drop', init));
    }, csv);
    await eventually(async () => assert.equal((await app.page.locator('#dataset-name').innerText()).trim(), 'first-drop.csv'));
    await eventually(async () => assertClose(await app.kpiValue('roas'), 200 / 40, 'ROAS of the dropped file'));
    assert.equal(await app.page.locator('#first-visit').count(), 0);
    // The Data page's drop zone names XLSX too.
    await app.navigate('/data');
    assert.match(await app.page.locator('#drop-zone').innerText(), /XLSX/);
  } finally {
    await app.close();
  }
});

test('empty states: each view says what it needs after "Clear workspace"', async () => {
  const app = await session.open('/data');
  try {
    await app.waitForView();
    await app.clearWorkspace();
    await eventually(async () => assert.equal((await app.page.locator('#dataset-name').innerText()).trim(), 'No data loaded'));
    const needs = {
      '/': /posts file .*Instagram, Facebook, TikTok, YouTube, X or Shopify export/,
      '/campaigns': /Load a campaigns or posts file with a campaign column/,
      '/creators': /posts file with a creator column/,
      '/alerts': /posts file with dates/,
      '/reports': /posts file with a date column/,
    };
    for (const [route, pattern] of Object.entries(needs)) {
      await app.navigate(route);
      const empty = app.page.locator('.empty-state');
      await empty.waitFor();
      assert.match(await empty.innerText(), pattern, route);
      assert.equal(await empty.locator('a[href="/data"]').count(), 1, `${route}: links the Data page`);
      assert.equal(await app.page.locator('#first-visit').count(), 0, `${route}: no first-visit word on no data`);
    }
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test('at 390 px the filters are one "Filters (N)" button that opens them; at 1440 px they show', async () => {
  const app = await session.open('/?platform=tiktok&from=2025-01-01', { width: 390, height: 844 });
  try {
    await app.waitForKpis();
    const toggle = app.page.locator('#filters-toggle');
    assert.equal(await toggle.isVisible(), true);
    // Active: the period (a start day) and the platform.
    assert.equal((await toggle.innerText()).trim(), 'Filters (2)');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.equal(await app.page.locator('#filter-platform').isVisible(), false, 'folded');
    const folded = await app.page.locator('.filters').boundingBox();
    assert.ok(folded.height <= 64, `the folded filter bar is ${folded.height}px tall`);
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    assert.equal(await app.page.locator('#filter-platform').isVisible(), true, 'opened');
    await app.setFilter('#filter-format', (await app.page.locator('#filter-format option').nth(1).getAttribute('value')));
    await eventually(async () => assert.equal((await toggle.innerText()).trim(), 'Filters (3)'));
    // KPI cards two per row.
    const boxes = await app.page.locator('.cards').first().locator(':scope > .kpi-card').evaluateAll((cards) =>
      cards.slice(0, 3).map((c) => c.getBoundingClientRect().toJSON()),
    );
    assert.equal(boxes.length, 3);
    assert.ok(Math.abs(boxes[0].top - boxes[1].top) < 1, 'cards 1 and 2 share a row');
    assert.ok(boxes[2].top >= boxes[0].bottom - 1, 'card 3 starts the next row');
    await app.setWidth(1440);
    assert.equal(await toggle.isVisible(), false, 'no toggle at 1440 px');
    assert.equal(await app.page.locator('#filter-platform').isVisible(), true);
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

/** Every way a KPI card's content leaves its card, as text (none when it fits). */
function cardOverflows() {
  const out = [];
  const inside = (r, box) =>
    r.left >= box.left - 0.5 && r.right <= box.right + 0.5 && r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5;
  for (const card of document.querySelectorAll('.kpi-card')) {
    const name = card.querySelector('.kpi-name')?.textContent ?? '?';
    if (card.scrollWidth > card.clientWidth) out.push(`${name}: scrollWidth ${card.scrollWidth} > clientWidth ${card.clientWidth}`);
    if (card.scrollHeight > card.clientHeight) out.push(`${name}: scrollHeight ${card.scrollHeight} > clientHeight ${card.clientHeight}`);
    const box = card.getBoundingClientRect();
    let previousBottom = -Infinity;
    for (const child of card.children) {
      if (child.classList.contains('visually-hidden')) continue;
      const r = child.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.top < previousBottom - 0.5) out.push(`${name}: .${child.className} overlaps the line above`);
      previousBottom = Math.max(previousBottom, r.bottom);
      if (child.scrollWidth > child.clientWidth + 0.5 && getComputedStyle(child).display !== 'inline') {
        out.push(`${name}: .${child.className} scrollWidth ${child.scrollWidth} > ${child.clientWidth}`);
      }
    }
    for (const e of card.querySelectorAll('*')) {
      if (e.closest('.visually-hidden')) continue;
      const r = e.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (!inside(r, box)) out.push(`${name}: <${e.tagName.toLowerCase()} class="${e.getAttribute('class') ?? ''}"> outside its card`);
    }
  }
  return out;
}

const META = 'meta-business-suite-posts.csv';

for (const width of [390, 1440]) {
  test(`no KPI card's text leaves its card at ${width} px (demo, and a Meta export with long n/a reasons)`, async () => {
    const app = await session.open('/', { width, height: width < 600 ? 844 : 900 });
    try {
      await app.waitForKpis();
      await app.page.waitForTimeout(300);
      assert.ok((await app.page.locator('.kpi-card').count()) > 10);
      assert.deepEqual(await app.page.evaluate(cardOverflows), [], 'demo');
      await app.navigate('/data');
      await app.clearWorkspace();
      await app.upload([path.join(FIXTURES_DIR, META)]);
      await app.waitForFileReport(META);
      await app.navigate('/');
      await app.waitForKpis();
      await app.page.waitForTimeout(300);
      const sentiment = app.page.locator('.kpi-card', { has: app.page.locator('[data-kpi="comment_sentiment"]') }).first();
      if ((await sentiment.count()) > 0) {
        const text = await sentiment.innerText();
        assert.ok(text.length > 60, `Comment sentiment has its long reason: ${text}`);
      }
      assert.deepEqual(await app.page.evaluate(cardOverflows), [], 'Meta export');
      await app.screenshot(`layout-meta-summary-${width}`);
      const pageWidth = await app.page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(pageWidth <= width, `the page is ${pageWidth}px wide`);
      assert.deepEqual(app.panics(), []);
    } finally {
      await app.close();
    }
  });
}

/** Views by screenshot name. */
const VIEWS = {
  summary: '/',
  campaigns: '/campaigns',
  creators: '/creators',
  alerts: '/alerts',
  data: '/data',
};

for (const scheme of ['light', 'dark']) {
  test(`axe (${scheme}): no serious violation on the first visit, the folded filters, loading and empty states; screenshots`, async () => {
    const failures = [];
    const check = async (app, label) => {
      const violations = await app.seriousA11yViolations();
      if (violations.length > 0) failures.push({ label, violations });
    };
    for (const width of [1440, 390]) {
      for (const [name, route] of Object.entries(VIEWS)) {
        const app = await session.open(route, { width, height: width < 600 ? 844 : 900 });
        try {
          await app.page.emulateMedia({ colorScheme: scheme });
          await app.waitForView();
          await app.page.waitForTimeout(300);
          await app.screenshot(`layout-${name}-${width}-${scheme}`);
          await check(app, `${route} at ${width}`);
          if (width === 390 && route === '/') {
            await app.page.locator('#filters-toggle').click();
            await check(app, '/ at 390, filters open');
          }
        } finally {
          await app.close();
        }
      }
    }
    const { app, release } = await openWithSlowFile(`/?data=/${SLOW}`);
    try {
      await app.page.emulateMedia({ colorScheme: scheme });
      await app.page.locator('#hosted-loading').waitFor({ timeout: 20_000 });
      await app.screenshot(`layout-loading-1440-${scheme}`);
      await check(app, 'loading');
      release();
      await app.waitForKpis();
    } finally {
      await app.close();
    }
    const empty = await session.open('/data');
    try {
      await empty.page.emulateMedia({ colorScheme: scheme });
      await empty.waitForView();
      await empty.clearWorkspace();
      await empty.navigate('/campaigns');
      await empty.page.locator('.empty-state').waitFor();
      await empty.screenshot(`layout-empty-campaigns-1440-${scheme}`);
      await check(empty, 'empty campaigns');
    } finally {
      await empty.close();
    }
    assert.deepEqual(failures, [], JSON.stringify(failures, null, 2));
  });
}
