// Loads are a queue over one workspace (issue 21, item 1): a file dropped while a big
// file loads in the data worker waits its turn (`#load-queue [data-queued-load]`) and
// is then loaded on top of the big load's result, so nothing is lost; Clear and Load
// demo during a load cancel it first and say so (`#load-message`), and the cleared
// rows never come back; a second big drop never cancels the first: both load. Each
// scenario checks the workspace's post count (the /data summary) and impressions
// against the sum of the files loaded, computed here from the generated rows.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { assertClose, eventually, startSession } from './helpers.mjs';
import { writePostsCsv } from './bench/posts.mjs';

/** Rows of each big file: about 36 MB, over the 1 MiB from which files stream. */
const BIG_ROWS = 400_000;
const BASE_ROWS = 10;
const SMALL_ROWS = 7;

let session;
let dir;
const files = {};
before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kpi-load-queue-'));
  const write = (name, rows, seed, idPrefix) => {
    const file = path.join(dir, name);
    files[name] = { path: file, rows, sums: writePostsCsv(file, { rows, seed, idPrefix }).overall };
  };
  write('base-10.csv', BASE_ROWS, 1, 'B');
  write('big-one.csv', BIG_ROWS, 2, 'G');
  write('small-7.csv', SMALL_ROWS, 3, 'S');
  write('big-two.csv', BIG_ROWS, 4, 'H');
  session = await startSession();
});
after(async () => {
  await session?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The workspace's post count, from the /data summary ("N posts, … in the workspace."). */
async function postCount(app) {
  const text = await app.page.getByText(/\d+ posts, \d+ campaigns/).innerText();
  return Number(/(\d+) posts,/.exec(text)[1]);
}

/** Every notice and message shown, as one text. */
async function notices(app) {
  return (await app.page.locator('.notice, #load-message, #load-error').allInnerTexts()).join(' ');
}

/** Starts a big file's load and waits until it runs (its progress bar shows). */
async function startBigLoad(app, name) {
  await app.upload([files[name].path]);
  await app.page.locator('#ingest-progress').waitFor({ timeout: 20_000 });
}

/** Asserts the post count and the impressions KPI are those of `names` together. */
async function assertWorkspaceIs(app, names) {
  const rows = names.reduce((n, name) => n + files[name].rows, 0);
  const impressions = names.reduce((n, name) => n + files[name].sums.impressions, 0);
  await eventually(async () => assert.equal(await postCount(app), rows, `posts of ${names}`), 20_000);
  await app.navigate('/');
  await app.waitForKpis();
  await eventually(async () => {
    assertClose(await app.kpiValue('impressions'), impressions, `Σ impressions of ${names}`);
  }, 20_000);
  await app.navigate('/data');
}

/** A small workspace of `base-10.csv` alone. */
async function openWithBase() {
  const app = await session.open('/data');
  await app.clearWorkspace();
  await app.upload([files['base-10.csv'].path]);
  await app.waitForFileReport('base-10.csv');
  assert.equal(await postCount(app), BASE_ROWS);
  return app;
}

test('a small file dropped during a big load waits its turn and is loaded on top of it', async () => {
  const app = await openWithBase();
  try {
    await startBigLoad(app, 'big-one.csv');
    await app.upload([files['small-7.csv'].path]);
    // Shown as queued while the big file loads.
    await app.page.locator('#load-queue [data-queued-load="small-7.csv"]').waitFor({ timeout: 10_000 });
    assert.equal(await app.page.locator('#ingest-progress').count(), 1, 'the big load still runs');
    await app.waitForFileReport('big-one.csv');
    await app.waitForFileReport('small-7.csv');
    await eventually(async () => assert.equal(await app.page.locator('#load-queue').count(), 0), 20_000);
    assert.deepEqual(await app.rowCounts('small-7.csv'), { read: SMALL_ROWS, used: SMALL_ROWS, rejected: 0 });
    await assertWorkspaceIs(app, ['base-10.csv', 'big-one.csv', 'small-7.csv']);
    assert.doesNotMatch(await notices(app), /cancel/i);
    assert.deepEqual(app.panics(), []);
  } finally {
    await app.close();
  }
});

test('Clear during a big load cancels it first and says so; the cleared rows never come back', async () => {
  const app = await openWithBase();
  try {
    await startBigLoad(app, 'big-one.csv');
    // A queued file is cancelled with it.
    await app.upload([files['small-7.csv'].path]);
    await app.page.locator('#load-queue [data-queued-load="small-7.csv"]').waitFor({ timeout: 10_000 });
    await app.clearWorkspace();
    const message = app.page.locator('#load-message');
    await message.waitFor();
    assert.match(
      await message.innerText(),
      /^Clear workspace cancelled 2 loads \(big-one\.csv; small-7\.csv\): nothing from them was kept\.$/,
    );
    await app.page.locator('#ingest-progress').waitFor({ state: 'detached', timeout: 20_000 });
    assert.equal(await app.page.locator('#load-queue').count(), 0);
    // Long enough for the big load to have ended had it gone on.
    await app.page.waitForTimeout(8_000);
    assert.equal(await postCount(app), 0);
    assert.equal(await app.page.locator('[data-file-report]').count(), 0);
    assert.match(await app.page.locator('#dataset-name').innerText(), /No data loaded/);
    assert.deepEqual(app.panics(), []);
  } finally {
    await app.close();
  }
});

test('Load demo during a big load cancels it first and says so', async () => {
  const app = await openWithBase();
  try {
    await startBigLoad(app, 'big-one.csv');
    await app.page.locator('#load-demo').click();
    const message = app.page.locator('#load-message');
    await message.waitFor();
    assert.match(await message.innerText(), /^Load demo cancelled the load of big-one\.csv: nothing from it was kept\.$/);
    await app.page.locator('#ingest-progress').waitFor({ state: 'detached', timeout: 20_000 });
    await app.page.waitForTimeout(8_000);
    assert.match(await app.page.locator('#dataset-name').innerText(), /Demo data/);
    assert.equal(await app.page.locator('[data-file-report]').count(), 0);
    assert.deepEqual(app.panics(), []);
  } finally {
    await app.close();
  }
});

test('a second big drop during a first does not cancel it: it is queued and both load', async () => {
  const app = await session.open('/data');
  try {
    await app.clearWorkspace();
    await startBigLoad(app, 'big-one.csv');
    await app.upload([files['big-two.csv'].path]);
    await app.page.locator('#load-queue [data-queued-load="big-two.csv"]').waitFor({ timeout: 10_000 });
    await app.waitForFileReport('big-one.csv');
    await app.page.locator('[data-file-report="big-two.csv"]').waitFor({ timeout: 60_000 });
    assert.doesNotMatch(await notices(app), /cancel/i);
    await assertWorkspaceIs(app, ['big-one.csv', 'big-two.csv']);
    assert.deepEqual(app.panics(), []);
  } finally {
    await app.close();
  }
});

test('a queued load can be cancelled on its own: the running one goes on', async () => {
  const app = await openWithBase();
  try {
    await startBigLoad(app, 'big-one.csv');
    await app.upload([files['small-7.csv'].path]);
    const queued = app.page.locator('#load-queue [data-queued-load="small-7.csv"]');
    await queued.waitFor({ timeout: 10_000 });
    await queued.locator('[data-cancel-queued]').click();
    assert.match(
      await app.page.locator('#load-message').innerText(),
      /^Load of small-7\.csv cancelled: nothing from it was kept, the data is unchanged\.$/,
    );
    await app.waitForFileReport('big-one.csv');
    assert.equal(await app.page.locator('[data-file-report="small-7.csv"]').count(), 0);
    await assertWorkspaceIs(app, ['base-10.csv', 'big-one.csv']);
    assert.deepEqual(app.panics(), []);
  } finally {
    await app.close();
  }
});
