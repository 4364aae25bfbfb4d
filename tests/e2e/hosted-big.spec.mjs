// One size policy for every way data arrives (issue 14, item 1): `?data=` of a big
// same-origin file goes the way a big drop goes. It is fetched as a File and handed to
// the drop's loader, so it is parsed in the data worker (its worker_bg.wasm is fetched)
// with the progress bar shown, never on the page; a file over the size limit is refused
// with a message stating the limit, before it is read.
//
// The hosted file is 20,000 generated posts (about 1.8 MB, over the 1 MiB from which
// files stream), written into the served dist/ by tests/e2e/bench/posts.mjs, which
// returns the sums the expected KPIs are computed from here, in JS. The 730 MB limit is
// lowered for most refusal tests through the test-only global `__kpiDashMaxFileBytes`
// (src/ui/components/progress.rs: it can only lower the limit); at the real limit, a
// file one byte over (sparse: no disk written) is refused, and one just under it,
// generated here and deleted after, loads in the worker.
// The remembered workspace takes the same policy (a big one streams through a worker,
// one over the limit is refused), and a worker that dies midway (as one out of wasm
// memory does, simulated here) leaves a clear message and the earlier data as it was.

import assert from 'node:assert/strict';
import { closeSync, copyFileSync, mkdtempSync, openSync, rmSync, statSync, statfsSync, ftruncateSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { REPO_ROOT, assertClose, eventually, rememberedLength, startSession } from './helpers.mjs';
import { writePostsCsv } from './bench/posts.mjs';

const HOSTED = 'e2e-hosted-big.csv';
const HOSTED_PATH = path.join(REPO_ROOT, 'dist', HOSTED);
const AGAIN_PATH = HOSTED_PATH.replace(/\.csv$/, '-again.csv');
const ROWS = 20_000;
/** The lowered limit of the refusal test: 1,000,000 bytes ("1.0 MB"). */
const TEST_LIMIT = 1_000_000;

let session;
let expected;
let size;
before(async () => {
  expected = writePostsCsv(HOSTED_PATH, { rows: ROWS, seed: 14, idPrefix: 'H' });
  // The same rows under another name (a second load that is made to fail).
  copyFileSync(HOSTED_PATH, AGAIN_PATH);
  size = statSync(HOSTED_PATH).size;
  session = await startSession();
});
after(async () => {
  await session?.close();
  rmSync(HOSTED_PATH, { force: true });
  rmSync(AGAIN_PATH, { force: true });
});

/** Sets `window.__sawProgress` once `#ingest-progress` is in the page (however briefly). */
function watchProgress() {
  window.__sawProgress = false;
  new MutationObserver(() => {
    if (document.getElementById('ingest-progress')) window.__sawProgress = true;
  }).observe(document, { childList: true, subtree: true });
}

/** Opens a blank route, records the paths the page fetches, then loads `route`. */
async function openRecording(route, initScripts = []) {
  const app = await session.open('/privacy');
  const fetched = [];
  app.page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  for (const script of initScripts) await app.page.addInitScript(script);
  await app.goto(route);
  return { app, fetched };
}

test('?data= of a file over 1 MiB is parsed in the data worker, with progress, and its KPIs match', async () => {
  assert.ok(size > 1024 * 1024, `the hosted file is ${size} bytes`);
  const { app, fetched } = await openRecording(`/data?data=/${HOSTED}`, [watchProgress]);
  try {
    await app.waitForFileReport(HOSTED);
    assert.ok(fetched.includes(`/${HOSTED}`));
    assert.ok(fetched.includes('/worker_bg.wasm'), `parsed in the worker: ${fetched.join(' ')}`);
    assert.equal(await app.page.evaluate(() => window.__sawProgress), true, '#ingest-progress was shown');
    const loads = await app.page.evaluate(() =>
      performance.getEntriesByName('ingest-answered').map((m) => JSON.parse(m.detail)),
    );
    assert.equal(loads.length, 1, 'one load in a data worker');
    assert.deepEqual(await app.rowCounts(HOSTED), { read: ROWS, used: ROWS, rejected: 0 });
    assert.equal(await app.page.locator('#ingest-progress').count(), 0, 'progress bar gone');

    await app.navigate('/');
    await app.waitForKpis();
    const all = expected.overall;
    await eventually(async () => {
      assertClose(await app.kpiValue('impressions'), all.impressions, 'impressions');
      assertClose(await app.kpiValue('roas'), all.revenue / all.cost, 'ROAS = Σrevenue / Σcost');
      assertClose(await app.kpiValue('ctr'), all.clicks / all.impressions, 'CTR = Σclicks / Σimpressions');
      assertClose(await app.kpiValue('engagement_rate'), all.engagements / all.reach, 'ER = Σengagements / Σreach');
    }, 20_000);
    assert.match(await app.page.locator('#dataset-name').innerText(), /e2e-hosted-big\.csv/);
    assert.deepEqual(app.panics(), []);
  } finally {
    await app.close();
  }
});

test('?data= of a file over the size limit is refused with the limit stated, before it is read', async () => {
  const lowerLimit = `window.__kpiDashMaxFileBytes = ${TEST_LIMIT};`;
  const { app, fetched } = await openRecording(`/data?data=/${HOSTED}`, [lowerLimit]);
  try {
    const error = app.page.locator('#load-error');
    await error.waitFor();
    const mb = (size / 1e6).toFixed(1);
    assert.match(
      await error.innerText(),
      new RegExp(`e2e-hosted-big\\.csv: ${mb.replace('.', '\\.')} MB is more than a browser tab can hold \\(at most 1\\.0 MB\\)`),
    );
    // Refused before reading: no worker started, nothing loaded, the demo offered (never
    // shown in its place unasked: issue 20, item 4).
    assert.ok(!fetched.includes('/worker_bg.wasm'), fetched.join(' '));
    assert.equal(await app.page.locator(`[data-file-report="${HOSTED}"]`).count(), 0);
    assert.doesNotMatch(await app.page.locator('#dataset-name').innerText(), /Demo data/);
    assert.equal(await app.page.locator('#offer-demo').count(), 1);

    assert.deepEqual(app.panics(), []);
  } finally {
    await app.close();
  }
  // A picked (or dropped) file over the limit gets the same message.
  const picked = await openRecording('/data', [lowerLimit]);
  try {
    await picked.app.upload([HOSTED_PATH]);
    const error = picked.app.page.locator('#load-error');
    await error.waitFor();
    assert.match(await error.innerText(), /e2e-hosted-big\.csv: .* MB is more than a browser tab can hold \(at most 1\.0 MB\)/);
    assert.ok(!picked.fetched.includes('/worker_bg.wasm'), picked.fetched.join(' '));
    assert.equal(await picked.app.page.locator(`[data-file-report="${HOSTED}"]`).count(), 0);
    assert.deepEqual(picked.app.panics(), []);
  } finally {
    await picked.app.close();
  }
});

/**
 * Makes the next data worker the page starts fail as one out of wasm memory does: on its
 * first message of type `when` ("progress": midway through the load; "answer": while
 * answering its first question over all the rows) it fires the error event a trap gives
 * ("Uncaught RuntimeError: unreachable").
 */
function failNextWorker(when) {
  const Real = window.Worker;
  window.Worker = class extends Real {
    constructor(...args) {
      super(...args);
      if (window.Worker !== Real) window.Worker = Real; // only the next one
      let failed = false;
      this.addEventListener('message', (e) => {
        if (e.data?.type === when && !failed) {
          failed = true;
          this.dispatchEvent(new ErrorEvent('error', { message: 'Uncaught RuntimeError: unreachable' }));
        }
      });
    }
  };
}

for (const when of ['progress', 'answer']) {
  test(`a data worker that dies midway (out of memory, at its first ${when}) ends with a clear message and the data as it was`, async () => {
    const { app } = await openRecording(`/data?data=/${HOSTED}`);
    try {
      await app.waitForFileReport(HOSTED);
      const all = expected.overall;
      // A second big file, on top of the worker-held data, in a worker that dies.
      await app.page.evaluate(failNextWorker, when);
      await app.upload([AGAIN_PATH]);
      const error = app.page.locator('#load-error');
      await error.waitFor({ timeout: 20_000 });
      const text = await error.innerText();
      assert.match(text, /The data worker stopped while loading \(it most likely ran out of memory: a browser tab's WebAssembly holds at most 4 GiB\)\. Nothing from this load was kept: the data is as it was\./);
      assert.doesNotMatch(text, /unreachable/);
      await eventually(async () => assert.equal(await app.page.locator('#ingest-progress').count(), 0));
      assert.equal(await app.page.locator('[data-file-report="e2e-hosted-big-again.csv"]').count(), 0);
      // The earlier workspace is intact: still held by its worker, which still answers.
      assert.deepEqual(await app.rowCounts(HOSTED), { read: ROWS, used: ROWS, rejected: 0 });
      await app.navigate('/');
      await app.waitForKpis();
      await eventually(async () => {
        assertClose(await app.kpiValue('impressions'), all.impressions, 'impressions of the first file only');
        assertClose(await app.kpiValue('roas'), all.revenue / all.cost, 'ROAS of the first file only');
      }, 20_000);
      await app.page.locator('select#filter-platform').selectOption('tiktok');
      const tiktok = expected.byPlatform.tiktok;
      await eventually(async () => {
        assertClose(await app.kpiValue('impressions'), tiktok.impressions, 'a new question is answered');
      }, 20_000);
      assert.deepEqual(app.panics(), []);
    } finally {
      await app.close();
    }
  });
}


test('a remembered workspace over 1 MiB loads in the data worker; over the limit it is refused before reading', async () => {
  const { app, fetched } = await openRecording(`/data?data=/${HOSTED}`);
  try {
    await app.waitForFileReport(HOSTED);
    await app.page.locator('#remember-workspace').check();
    let stored = 0;
    await eventually(async () => {
      stored = await app.page.evaluate(rememberedLength);
      assert.ok(stored > 1024 * 1024, `remembered ${stored} characters`);
    }, 20_000);

    // A new visit: the remembered workspace streams through a data worker.
    fetched.length = 0;
    await app.goto('/data');
    await app.waitForFileReport('remembered-workspace.json');
    assert.ok(fetched.includes('/worker_bg.wasm'), `parsed in the worker: ${fetched.join(' ')}`);
    assert.equal((await app.rowCounts('remembered-workspace.json')).used, ROWS);
    await app.navigate('/');
    await app.waitForKpis();
    const all = expected.overall;
    await eventually(async () => {
      assertClose(await app.kpiValue('impressions'), all.impressions, 'impressions of the remembered rows');
      assertClose(await app.kpiValue('roas'), all.revenue / all.cost, 'ROAS of the remembered rows');
    }, 20_000);

    // With the limit lowered to 1 MB, the next visit refuses it before reading it.
    await app.page.addInitScript(`window.__kpiDashMaxFileBytes = ${TEST_LIMIT};`);
    fetched.length = 0;
    await app.goto('/data');
    const error = app.page.locator('#load-error');
    await error.waitFor();
    assert.match(
      await error.innerText(),
      /The remembered workspace is not loaded: remembered-workspace\.json: \d+\.\d MB is more than a browser tab can hold \(at most 1\.0 MB\)/,
    );
    assert.ok(!fetched.includes('/worker_bg.wasm'), fetched.join(' '));
    assert.match(await app.page.locator('#dataset-name').innerText(), /Demo data/);
    assert.deepEqual(app.panics(), []);
  } finally {
    await app.close();
  }
});

/** The real size limit, `MAX_FILE_BYTES` of src/protocol.rs: 730 MB. */
const LIMIT_BYTES = 730_000_000;

test('at the real limit: a file one byte over it is refused before reading, in bytes', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kpi-just-over-'));
  const file = path.join(dir, 'just-over.csv');
  try {
    // A sparse file: its size is one byte over the limit, its disk use nothing.
    const fd = openSync(file, 'w');
    ftruncateSync(fd, LIMIT_BYTES + 1);
    closeSync(fd);
    const { app, fetched } = await openRecording('/data');
    try {
      await app.upload([file]);
      const error = app.page.locator('#load-error');
      await error.waitFor();
      assert.match(
        await error.innerText(),
        /just-over\.csv: 730,000,001 bytes is more than a browser tab can hold \(at most 730,000,000 bytes\)/,
      );
      assert.ok(!fetched.includes('/worker_bg.wasm'), fetched.join(' '));
      assert.equal(await app.page.locator('[data-file-report="just-over.csv"]').count(), 0);
      assert.match(await app.page.locator('#dataset-name').innerText(), /Demo data/);
      assert.deepEqual(app.panics(), []);
    } finally {
      await app.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('at the real limit: a canonical posts file just under it loads in the worker and its KPIs match', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kpi-just-under-'));
  const { bavail, bsize } = statfsSync(dir);
  if (bavail * bsize < 3 * LIMIT_BYTES) {
    rmSync(dir, { recursive: true, force: true });
    t.skip(`needs ${(3 * LIMIT_BYTES) / 1e9} GB free in ${dir}`);
    return;
  }
  const file = path.join(dir, 'just-under.csv');
  try {
    // 7,980,000 rows of about 91.4 bytes: about 729.5 MB.
    const rows = 7_980_000;
    const all = writePostsCsv(file, { rows, seed: 21, idPrefix: 'U' }).overall;
    const bytes = statSync(file).size;
    assert.ok(bytes <= LIMIT_BYTES && bytes > LIMIT_BYTES - 5_000_000, `${bytes} bytes: just under the limit`);
    const app = await session.open('/data');
    try {
      await app.clearWorkspace();
      await app.upload([file]);
      await app.page.locator('[data-file-report="just-under.csv"]').waitFor({ timeout: 600_000 });
      assert.equal((await app.rowCounts('just-under.csv')).used, rows);
      await app.navigate('/');
      await app.waitForKpis();
      await eventually(async () => {
        assertClose(await app.kpiValue('impressions'), all.impressions, 'Σimpressions');
        assertClose(await app.kpiValue('roas'), all.revenue / all.cost, 'ROAS = Σrevenue / Σcost');
      }, 120_000);
      assert.deepEqual(app.panics(), []);
    } finally {
      await app.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
