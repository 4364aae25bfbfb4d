// Files that are not tables are refused by name before parsing, and the workspace loaded
// before them stays as it was (issue 14: a PNG or a zip used to be read as a posts table).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { FIXTURES_DIR, eventually, startSession } from './helpers.mjs';

let session;
let dir;
before(async () => {
  session = await startSession();
  dir = mkdtempSync(path.join(os.tmpdir(), 'kpi-hostile-files-'));
});
after(async () => {
  await session?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Writes `bytes` to a file named `name` in the test folder and returns its path. */
function file(name, bytes) {
  const at = path.join(dir, name);
  writeFileSync(at, bytes);
  return at;
}

// A PNG signature and header chunk; a zip whose only entry is a text file.
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const ZIP = Buffer.concat([
  Buffer.from([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 5, 0, 0, 0, 5, 0, 0, 0]),
  Buffer.from('a.txthello'),
]);

// small-posts.csv: impressions 10000 + 5000 + … as the kpis spec computes; here only
// that the value does not change when a refused file comes after it.
test('a PNG and a zip are refused by name and the earlier workspace stays', async () => {
  const app = await session.open('/data');
  try {
    await app.clearWorkspace();
    await app.upload([path.join(FIXTURES_DIR, 'small-posts.csv')]);
    await app.waitForFileReport('small-posts.csv');
    await app.navigate('/');
    await app.waitForKpis();
    const before = await app.kpiValue('impressions');
    assert.ok(before > 0);
    await app.navigate('/data');
    for (const [name, bytes, what] of [
      ['chart.png', PNG, /PNG image/],
      ['archive.zip', ZIP, /zip/i],
    ]) {
      await app.upload([file(name, bytes)]);
      await eventually(async () => {
        const error = await app.page.locator('#load-error').innerText();
        assert.match(error, what, `${name}: ${error}`);
        assert.match(error, new RegExp(name.replace('.', '\\.')));
      });
      assert.equal(await app.page.locator(`[data-file-report="${name}"]`).count(), 0, `${name} loaded no rows`);
    }
    await app.navigate('/');
    await app.waitForKpis();
    assert.equal(await app.kpiValue('impressions'), before, 'the workspace is as it was');
    assert.deepEqual(app.panics(), []);
  } finally {
    await app.close();
  }
});

// Issue 21: a 2,000,000-column CSV (about 21 MB, so it goes to the data worker) used to
// crash the page some 17 s after loading, and a click on the nav then lost the
// workspace. Now it is refused by the column cap, and the page stays usable.
test('a 2,000,000-column CSV is refused by the column cap and the page stays usable', async () => {
  const app = await session.open('/data');
  try {
    await app.clearWorkspace();
    await app.upload([path.join(FIXTURES_DIR, 'small-posts.csv')]);
    await app.waitForFileReport('small-posts.csv');
    await app.navigate('/');
    await app.waitForKpis();
    const before = await app.kpiValue('impressions');
    await app.navigate('/data');
    const columns = 2_000_000;
    const header = Array.from({ length: columns }, (_, i) => `c${i}`).join(',');
    const row = '1,'.repeat(columns - 1) + '1';
    await app.upload([file('wide.csv', `${header}\n${row}\n`)]);
    await eventually(async () => {
      const error = await app.page.locator('#load-error').innerText();
      assert.match(error, /wide\.csv/, error);
      assert.match(error, /columns; a table may have at most 2000: is this a table\?/, error);
    }, 60_000);
    // Past the moment the page used to die, the nav still works and the data is there.
    await app.page.waitForTimeout(20_000);
    for (const route of ['/campaigns', '/']) {
      await app.navigate(route);
    }
    await app.waitForKpis();
    assert.equal(await app.kpiValue('impressions'), before, 'the workspace is as it was');
    assert.deepEqual(app.panics(), []);
  } finally {
    await app.close();
  }
});
