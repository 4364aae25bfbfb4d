// Drop anywhere (issue 13, item 7): files dropped on any page load through the same
// loader as the Data page's drop zone and file input, and a stray drop (a file or some
// text) never navigates the browser away: the page takes every dragover and drop
// (defaultPrevented), and the URL's path stays.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertClose, eventually, startSession } from './helpers.mjs';

let session;
before(async () => {
  session = await startSession();
});
after(async () => {
  await session?.close();
});

// Two canonical posts of one campaign, with a platform column: loads with no question.
//   Σ impressions = 1000 + 3000 = 4000
//   ROAS = Σ revenue / Σ cost = (50 + 150) / (10 + 30) = 200 / 40 = 5
const FILE_NAME = 'drop-anywhere.csv';
const CSV = `post_id,platform,date,campaign_id,impressions,reach,likes,comments,shares,saves,clicks,conversions,revenue,cost
DA1,instagram,2025-05-01,DROP1,1000,800,40,5,3,2,20,1,50,10
DA2,tiktok,2025-05-02,DROP1,3000,2000,100,10,5,5,60,3,150,30
`;
const IMPRESSIONS = 4000;
const ROAS = 5;

/**
 * Dispatches a dragover then a drop on the element `selector`, carrying `files`
 * (`{ name, content }`) and/or `text`, with a DataTransfer built in the page. Returns
 * whether the page prevented each event's default (which is what keeps a real drop from
 * opening the file or following the text as a link).
 */
async function drop(app, { files = [], text = null, selector = 'main' } = {}) {
  return app.page.evaluate(
    ({ files, text, selector }) => {
      const data = new DataTransfer();
      for (const f of files) data.items.add(new File([f.content], f.name, { type: 'text/csv' }));
      if (text !== null) data.setData('text/plain', text);
      const target = document.querySelector(selector);
      const init = { dataTransfer: data, bubbles: true, cancelable: true };
      const over = new DragEvent('dragover', init);
      target.dispatchEvent(over);
      const dropped = new DragEvent('drop', init);
      target.dispatchEvent(dropped);
      return { over: over.defaultPrevented, drop: dropped.defaultPrevented };
    },
    { files, text, selector },
  );
}

const pathOf = (app) => new URL(app.page.url()).pathname;
const datasetName = (app) => app.page.locator('#dataset-name').innerText();

test('a file dropped on the summary loads it: KPIs change, the path stays /', async () => {
  const app = await session.open('/');
  try {
    await app.waitForKpis();
    assert.equal(await datasetName(app), 'Demo data');
    assert.notEqual(await app.kpiValue('impressions'), IMPRESSIONS);
    const prevented = await drop(app, { files: [{ name: FILE_NAME, content: CSV }] });
    assert.deepEqual(prevented, { over: true, drop: true });
    await eventually(async () => {
      assert.equal(await datasetName(app), FILE_NAME);
      assertClose(await app.kpiValue('impressions'), IMPRESSIONS, 'impressions');
      assertClose(await app.kpiValue('roas'), ROAS, 'roas');
    }, 15_000);
    assert.equal(pathOf(app), '/');
    // The same file report as a load from the Data page.
    await app.navigate('/data');
    await app.waitForFileReport(FILE_NAME);
    assert.deepEqual(await app.rowCounts(FILE_NAME), { read: 2, used: 2, rejected: 0 });
    assert.deepEqual(app.panics(), []);
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test('a file dropped on /campaigns loads it: its campaign shows, the path stays', async () => {
  const app = await session.open('/campaigns');
  try {
    await app.waitForView();
    await app.page.locator('#campaign-table').waitFor();
    assert.ok(!(await app.kpiGroups('roas')).includes('campaign:DROP1'), 'DROP1 before the drop');
    const prevented = await drop(app, { files: [{ name: FILE_NAME, content: CSV }] });
    assert.deepEqual(prevented, { over: true, drop: true });
    await eventually(async () => {
      assert.deepEqual(await app.kpiGroups('roas'), ['campaign:DROP1']);
      assertClose(await app.kpiValue('roas', 'campaign:DROP1'), ROAS, 'roas of DROP1');
    }, 15_000);
    assert.equal(pathOf(app), '/campaigns');
    assert.equal(await datasetName(app), FILE_NAME);
    assert.deepEqual(app.panics(), []);
  } finally {
    await app.close();
  }
});

test('a drop of text (not a file) is taken by the page and loads nothing', async () => {
  for (const route of ['/', '/campaigns']) {
    const app = await session.open(route);
    try {
      await app.waitForView();
      const prevented = await drop(app, { text: 'https://example.com/elsewhere' });
      assert.deepEqual(prevented, { over: true, drop: true }, route);
      // Give a load the time it would take, then check that nothing happened.
      await app.page.waitForTimeout(500);
      assert.equal(pathOf(app), route);
      assert.equal(await datasetName(app), 'Demo data', route);
      assert.equal(await app.page.locator('#drop-notice').count(), 0, route);
      assert.deepEqual(app.errors, [], route);
    } finally {
      await app.close();
    }
  }
});

test('a drop on the Data page drop zone loads the file once', async () => {
  const app = await session.open('/data');
  try {
    await app.page.locator('#drop-zone').waitFor();
    const prevented = await drop(app, {
      files: [{ name: FILE_NAME, content: CSV }],
      selector: '#drop-zone',
    });
    assert.deepEqual(prevented, { over: true, drop: true });
    await app.waitForFileReport(FILE_NAME);
    // Loaded by the zone only (a second load of the same ids would add a report and
    // duplicate-id issues).
    await app.page.waitForTimeout(500);
    assert.equal(await app.page.locator(`[data-file-report="${FILE_NAME}"]`).count(), 1);
    assert.deepEqual(await app.rowCounts(FILE_NAME), { read: 2, used: 2, rejected: 0 });
    assert.equal(await app.page.locator('[data-issue-line]').count(), 0);
    assert.equal(pathOf(app), '/data');
  } finally {
    await app.close();
  }
});
