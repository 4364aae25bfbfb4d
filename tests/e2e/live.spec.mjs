// Live monitoring without a server (issue 19, part 1): a hosted file opened with
// `?data=…&live=2` is re-read every 2 s with If-None-Match; a 304 changes nothing, a
// changed file reloads through the one loader (page-held or worker-held), the KPI values
// that moved get `data-changed`, the alerts new since the last read are listed first with
// `data-new`, the filter and the scroll position stay, and the header says when the data
// was last read. A local file is watched through the File System Access API (mocked
// here: headless Chromium has no picker to click), with a fallback message without it.
//
// The spec runs its own tiny server: /live/<file> from a temp dir with ETag,
// Last-Modified and 304s (counted), everything else proxied to the app (BASE_URL, or
// dist/ served by serve.mjs), so the hosted file is same-origin with the app.
//
// The file is fixtures/small-posts.csv (6 posts). With the platform filter on TikTok:
//   before: Σrevenue 2400 + 800 + 1200 = 4400, Σcost 400 + 250 + 350 = 1000 → ROAS 4.4;
//           Σclicks 400 + 160 + 240 = 800 / Σimpressions 20000 + 8000 + 12000 = 40000 → CTR 0.02
//   + P7 (tiktok, 2,000,000 impressions ≥ the 1M viral threshold, revenue 5600, cost 1000,
//     clicks 1000): ROAS (4400 + 5600) / (1000 + 1000) = 5 (up);
//     CTR (800 + 1000) / (40000 + 2000000) = 1800 / 2040000 = 0.000882… (down);
//     and a new viral-post alert for P7.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { AppPage, FIXTURES_DIR, REPO_ROOT, assertClose, eventually, launch } from './helpers.mjs';
import { startServer } from './serve.mjs';

const SMALL = readFileSync(path.join(FIXTURES_DIR, 'small-posts.csv'), 'utf8');
const VIRAL_ROW = 'tiktok,2025-03-05,P7,C2,K3,video,2000000,1500000,9000,800,400,300,1000,40,5600,1000,20\n';

let dir;
let browser;
let upstreamServer = null;
let server;
let baseUrl;
/** Responses of /live/ files: full (200) and not modified (304). */
const served = { full: 0, notModified: 0 };

function etagOf(body) {
  return `"${createHash('sha256').update(body).digest('hex').slice(0, 20)}"`;
}

before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kpi-live-'));
  let upstream = process.env.BASE_URL;
  if (!upstream) {
    upstreamServer = await startServer({ dir: path.join(REPO_ROOT, 'dist') });
    upstream = upstreamServer.url;
  }
  const upstreamOrigin = new URL(upstream).origin;
  server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith('/live/')) {
      const file = path.join(dir, path.basename(url.pathname));
      let body;
      try {
        body = readFileSync(file);
      } catch {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
        return;
      }
      if (url.searchParams.has('fail') || readFileSync(file, 'utf8').startsWith('FAIL')) {
        res.writeHead(503, { 'Content-Type': 'text/plain' }).end('unavailable\n');
        return;
      }
      const etag = etagOf(body);
      const headers = {
        ETag: etag,
        'Last-Modified': statSync(file).mtime.toUTCString(),
        'Cache-Control': 'no-cache',
      };
      if (req.headers['if-none-match'] === etag) {
        served.notModified += 1;
        res.writeHead(304, headers).end();
        return;
      }
      served.full += 1;
      res
        .writeHead(200, { ...headers, 'Content-Type': 'text/csv; charset=utf-8', 'Content-Length': body.length })
        .end(body);
      return;
    }
    try {
      const answer = await fetch(new URL(req.url ?? '/', upstreamOrigin), {
        headers: { accept: req.headers.accept ?? '*/*' },
      });
      const headers = {};
      answer.headers.forEach((value, key) => {
        if (!['content-encoding', 'content-length', 'transfer-encoding', 'connection'].includes(key)) {
          headers[key] = value;
        }
      });
      const body = Buffer.from(await answer.arrayBuffer());
      res.writeHead(answer.status, { ...headers, 'Content-Length': body.length }).end(body);
    } catch (error) {
      res.writeHead(502, { 'Content-Type': 'text/plain' }).end(`${error}\n`);
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${server.address().port}${new URL(upstream).pathname}`;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  if (upstreamServer) await upstreamServer.close();
  rmSync(dir, { recursive: true, force: true });
});

async function open(route, { init } = {}) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  if (init) await page.addInitScript(init);
  const app = new AppPage(page, baseUrl);
  await app.goto(route);
  return app;
}

/** How many `performance.mark`s named `name` the page made. */
function marks(app, name) {
  return app.page.evaluate((n) => performance.getEntriesByName(n).length, name);
}

test('a hosted file watched with ?live=2: a 304 changes nothing; a change marks the KPIs and lists the new alert first', async () => {
  writeFileSync(path.join(dir, 'posts.csv'), SMALL);
  served.full = 0;
  served.notModified = 0;
  const app = await open('/?data=/live/posts.csv&live=2');
  const { page } = app;
  try {
    await app.waitForKpis();
    await app.setFilter('#filter-platform', 'tiktok');
    await app.waitForUrl((url) => url.searchParams.get('platform') === 'tiktok');
    await eventually(async () => assertClose(await app.kpiValue('roas'), 4400 / 1000, 'TikTok ROAS before'));
    assertClose(await app.kpiValue('ctr'), 800 / 40000, 'TikTok CTR before');
    const status = page.locator('#live-status');
    await eventually(async () => assert.match(await status.innerText(), /^Last read \d\d:\d\d:\d\d · watching every 2 s$/));
    assert.equal(await page.locator('#live-interval').inputValue(), '2');

    // Unchanged: two re-reads answered 304, nothing reloaded.
    const loadsBefore = await marks(app, 'ingest-end');
    await eventually(async () => assert.ok((await marks(app, 'live-unchanged')) >= 2), 10_000);
    assert.ok(served.notModified >= 2, `304s: ${served.notModified}`);
    assert.equal(served.full, 1, 'the file was fetched whole once, at start-up');
    assert.equal(await marks(app, 'live-reload'), 0);
    assert.equal(await marks(app, 'ingest-end'), loadsBefore, 'a 304 loads nothing');
    assert.equal(await page.locator('[data-changed]').count(), 0);
    await page.locator('header.app-header').screenshot({ path: path.join(REPO_ROOT, 'tests/e2e/artifacts/live-header.png') }).catch(() => {});

    // The reader scrolled down; the file changes on the server.
    await page.evaluate(() => window.scrollTo(0, 400));
    const scrolled = await page.evaluate(() => window.scrollY);
    appendFileSync(path.join(dir, 'posts.csv'), VIRAL_ROW);
    await eventually(async () => assert.equal(await marks(app, 'live-reload'), 1), 10_000);
    await eventually(async () => assertClose(await app.kpiValue('roas'), 10000 / 2000, 'TikTok ROAS after'));
    assertClose(await app.kpiValue('ctr'), 1800 / 2040000, 'TikTok CTR after');
    const roas = page.locator('[data-kpi="roas"]:not([data-group])').first();
    const ctr = page.locator('[data-kpi="ctr"]:not([data-group])').first();
    assert.equal(await roas.getAttribute('data-changed'), 'up');
    assert.equal(await ctr.getAttribute('data-changed'), 'down');
    assert.equal(served.full, 2, 'fetched whole once more, after the change');
    // The filter, the view and the scroll position stayed.
    assert.equal(new URL(page.url()).pathname, '/');
    assert.equal(app.queryParam('platform'), 'tiktok');
    assert.equal(await page.locator('#filter-platform').inputValue(), 'tiktok');
    assert.ok(Math.abs((await page.evaluate(() => window.scrollY)) - scrolled) <= 2, 'scroll kept');
    assert.match(await page.locator('#live-change').innerText(), /^\d+ KPIs changed: \d+ up, \d+ down · 3 new alerts$/);
    assert.match(await status.innerText(), /^Last read \d\d:\d\d:\d\d · watching every 2 s$/);
    await page.locator('header.app-header').screenshot({ path: path.join(REPO_ROOT, 'tests/e2e/artifacts/live-header-changed.png') }).catch(() => {});
    await page.evaluate(() => window.scrollTo(0, 0));
    await app.screenshot('live-summary-changed');
    await page.evaluate((y) => window.scrollTo(0, y), scrolled);

    // The new alert is listed first in its list, marked new.
    await app.navigate('/alerts');
    const viral = page.locator('li.alert[data-alert-rule="viral_post"]', { hasText: 'P7' });
    await viral.waitFor();
    assert.equal(await viral.getAttribute('data-new'), 'true');
    assert.equal(await viral.locator('.new-badge').innerText(), 'NEW'); // "new", uppercased by CSS
    // In every list the new alerts come first (here all three are: C2's and TikTok's
    // engagement below target, from P7's 2M impressions, and P7's viral post).
    const orders = await page.locator('ul.alert-list').evaluateAll((lists) =>
      lists.map((ul) => [...ul.querySelectorAll(':scope > li.alert')].map((li) => li.getAttribute('data-new') === 'true')),
    );
    for (const order of orders) {
      const firstOld = order.indexOf(false);
      if (firstOld >= 0) assert.ok(!order.slice(firstOld).includes(true), `new alerts first: ${order}`);
    }
    await app.screenshot('live-alerts-new');
    const newCount = await page.locator('li.alert[data-new="true"]').count();
    assert.ok(newCount >= 1);
    const viralFirst = await viral.evaluate((li) => {
      const items = [...li.parentElement.querySelectorAll(':scope > li.alert')];
      return items.indexOf(li) < items.filter((x) => x.getAttribute('data-new') === 'true').length;
    });
    assert.ok(viralFirst, 'the new viral alert is among the first of its list');

    // Unchanged again: 304s, no second reload; the marks fade (the attribute goes after ~10 s).
    const unchanged = await marks(app, 'live-unchanged');
    await eventually(async () => assert.ok((await marks(app, 'live-unchanged')) > unchanged), 10_000);
    assert.equal(await marks(app, 'live-reload'), 1);
    await app.navigate('/');
    await eventually(async () => assert.equal(await page.locator('[data-changed]').count(), 0), 15_000);
    assert.deepEqual(app.panics(), []);
    assert.deepEqual(app.errors.filter((e) => !/status of 304/.test(e)), []);
  } finally {
    await app.close();
  }
});

test('a failed re-read says so in the header and keeps the data; the next good read recovers', async () => {
  writeFileSync(path.join(dir, 'flaky.csv'), SMALL);
  const app = await open('/?data=/live/flaky.csv&live=2');
  const { page } = app;
  try {
    await app.waitForKpis();
    assertClose(await app.kpiValue('roas'), 7400 / 2000, 'ROAS of the six posts');
    writeFileSync(path.join(dir, 'flaky.csv'), 'FAIL\n'); // the server answers 503
    const status = page.locator('#live-status');
    await eventually(
      async () => assert.match(await status.innerText(), /the last check failed \(HTTP 503\); trying again in \d+ s/),
      10_000,
    );
    assert.equal(await status.getAttribute('data-read-state'), 'failed');
    // The data stays.
    assertClose(await app.kpiValue('roas'), 7400 / 2000, 'ROAS kept');
    writeFileSync(path.join(dir, 'flaky.csv'), SMALL + VIRAL_ROW);
    await eventually(async () => assert.equal(await status.getAttribute('data-read-state'), 'fine'), 20_000);
    // All posts: (7400 + 5600) / (2000 + 1000) = 13000 / 3000.
    await eventually(async () => assertClose(await app.kpiValue('roas'), 13000 / 3000, 'ROAS after recovery'));
    assert.deepEqual(app.panics(), []);
  } finally {
    await app.close();
  }
});

test('the header control turns watching off and on, and writes ?live= (replaced)', async () => {
  writeFileSync(path.join(dir, 'control.csv'), SMALL);
  const app = await open('/?data=/live/control.csv');
  const { page } = app;
  try {
    await app.waitForKpis();
    const select = page.locator('#live-interval');
    assert.equal(await select.inputValue(), '');
    const historyLength = await page.evaluate(() => history.length);
    await select.selectOption('5');
    await app.waitForUrl((url) => url.searchParams.get('live') === '5');
    assert.equal(app.queryParam('data'), '/live/control.csv');
    assert.equal(await page.evaluate(() => history.length), historyLength, 'replaced, not pushed');
    await eventually(async () => assert.match(await page.locator('#live-status').innerText(), /watching every 5 s/));
    await select.selectOption('');
    await app.waitForUrl((url) => !url.searchParams.has('live'));
    assert.doesNotMatch(await page.locator('#live-status').innerText(), /watching/);
  } finally {
    await app.close();
  }
});

test('a worker-held file (over 1 MiB) re-reads through the data worker', async () => {
  const rows = [];
  for (let i = 0; i < 20000; i += 1) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    rows.push(`instagram,2025-02-${day},W${i},C1,K1,reel,1000,800,40,5,3,2,20,1,100,50,1`);
  }
  const header = SMALL.split('\n')[0];
  const big = `${header}\n${rows.join('\n')}\n`;
  assert.ok(big.length > 1024 * 1024, `${big.length} bytes`);
  writeFileSync(path.join(dir, 'big.csv'), big);
  const app = await open('/?data=/live/big.csv&live=2');
  const { page } = app;
  try {
    await app.waitForKpis();
    // 20000 × 100 / 20000 × 50 = 2.
    await eventually(async () => assertClose(await app.kpiValue('roas'), 2, 'ROAS of the big file'), 20_000);
    const answered = await marks(app, 'ingest-answered');
    assert.equal(answered, 1, 'loaded in a data worker');
    appendFileSync(path.join(dir, 'big.csv'), VIRAL_ROW);
    await eventually(async () => assert.equal(await marks(app, 'live-reload'), 1), 20_000);
    assert.equal(await marks(app, 'ingest-answered'), 2, 're-read in a data worker');
    // (2,000,000 + 5600) / (1,000,000 + 1000) = 2,005,600 / 1,001,000.
    await eventually(async () => assertClose(await app.kpiValue('roas'), 2005600 / 1001000, 'ROAS after'));
    assert.equal(await page.locator('[data-kpi="roas"]:not([data-group])').first().getAttribute('data-changed'), 'up');
    assert.deepEqual(app.panics(), []);
  } finally {
    await app.close();
  }
});

test('without the File System Access API, "Watch a local file" says how to refresh instead', async () => {
  const app = await open('/', { init: () => { delete window.showOpenFilePicker; } });
  try {
    await app.waitForKpis();
    await app.page.locator('#live-pick').click();
    const message = app.page.locator('#live-message');
    await message.waitFor();
    assert.equal(
      await message.innerText(),
      'This browser cannot watch a local file; drop it again to refresh, or host it and use ?live=',
    );
  } finally {
    await app.close();
  }
});

test('a local file picked through the File System Access API is watched by its lastModified', async () => {
  // A stand-in picker: the handle's file is whatever the test last put in window.__liveFile.
  const init = () => {
    window.__setLiveFile = (text, modified) => {
      window.__liveFile = new File([text], 'local-posts.csv', { type: 'text/csv', lastModified: modified });
    };
    window.showOpenFilePicker = async () => [{ kind: 'file', name: 'local-posts.csv', getFile: async () => window.__liveFile }];
  };
  const app = await open('/', { init });
  const { page } = app;
  try {
    await app.waitForKpis();
    await page.evaluate((text) => window.__setLiveFile(text, 1_700_000_000_000), SMALL);
    await page.locator('#live-pick').click();
    await eventually(async () => assert.equal(await page.locator('#dataset-name').innerText(), 'local-posts.csv'), 10_000);
    assertClose(await app.kpiValue('roas'), 7400 / 2000, 'ROAS of the local file');
    await eventually(async () => assert.match(await page.locator('#live-status').innerText(), /watching every 5 s/));
    // Same lastModified: nothing to do.
    await eventually(async () => assert.ok((await marks(app, 'live-unchanged')) >= 1), 10_000);
    assert.equal(await marks(app, 'live-reload'), 1, 'only the pick loaded it');
    await page.evaluate((text) => window.__setLiveFile(text, 1_700_000_100_000), SMALL + VIRAL_ROW);
    await eventually(async () => assert.equal(await marks(app, 'live-reload'), 2), 10_000);
    await eventually(async () => assertClose(await app.kpiValue('roas'), 13000 / 3000, 'ROAS after the change'));
    assert.equal(await page.locator('[data-kpi="roas"]:not([data-group])').first().getAttribute('data-changed'), 'up');
    // Replaced, not added to: one file report, 7 rows.
    assert.equal(await page.locator('#dataset-name').innerText(), 'local-posts.csv');
    assert.deepEqual(app.panics(), []);
  } finally {
    await app.close();
  }
});
