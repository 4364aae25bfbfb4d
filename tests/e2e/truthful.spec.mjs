// Nothing lost, nothing that lies (issue 21, items 6 and 7): a file whose rows are all
// rejected lists every row and its download has them; 150,000 issues open at once, a
// page of 100 at a time; an unknown `?platform=` is shown as unknown with a notice; a
// link's `to` before its `from` is refused in words.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { downloadOf, parseCsv, startSession } from './helpers.mjs';

let session;

/** Moves the open app to `url` the way the router sees a link or back/forward. */
async function visit(app, url) {
  await app.page.evaluate((to) => {
    history.pushState({}, '', to);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, url);
}

/** The data rows of a rejected-rows download (BOM and `# ` context lines left out). */
function rejectedRows(text) {
  const body = text.replace(/^\uFEFF/, '').split('\n').filter((l) => !l.startsWith('# '));
  const rows = parseCsv(body.join('\n'));
  assert.deepEqual(rows[0], ['file', 'line', 'column', 'raw_value', 'reason', 'row_rejected']);
  return rows.slice(1).filter((r) => r.length > 1);
}

/** Puts a generated file into `input#file-input`. */
async function uploadText(app, name, text) {
  await app.page
    .locator('input#file-input')
    .setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
}

before(async () => {
  session = await startSession();
});
after(async () => {
  await session?.close();
});

test('an all-rejected file lists all its 5 rows and its download has them', async () => {
  const app = await session.open('/data');
  try {
    await app.waitForView();
    await app.clearWorkspace();
    // Five rows of two fields under a header of three: each one is rejected.
    const csv = 'platform,date,likes\n' + [1, 2, 3, 4, 5].map((n) => `tiktok,2025-01-0${n}\n`).join('');
    await uploadText(app, 'all-rejected.csv', csv);
    const report = await app.waitForFileReport('all-rejected.csv');
    assert.equal(await report.getAttribute('data-file-refused'), 'true');
    assert.deepEqual(await app.rowCounts('all-rejected.csv'), { read: 5, used: 0, rejected: 5 });
    const lines = await report
      .locator('[data-issue-line]')
      .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-issue-line'))));
    assert.deepEqual(lines, [2, 3, 4, 5, 6]);
    // The error still says the file was not loaded, naming the first.
    assert.match(await app.page.locator('#load-error').innerText(), /all 5 rows were rejected/);
    const download = await downloadOf(app.page, app.page.locator('#download-rejected'));
    const rows = rejectedRows(download.text);
    assert.deepEqual(
      rows.map((r) => [r[0], r[1], r[5]]),
      [2, 3, 4, 5, 6].map((line) => ['all-rejected.csv', String(line), 'true']),
    );
    assert.match(rows[0][4], /the row has 2 fields, the header has 3/);
    assert.deepEqual(app.panics(), []);
  } finally {
    await app.close();
  }
});

test('a big all-rejected file, parsed in the data worker, keeps its report and the data stays', async () => {
  const app = await session.open('/data');
  try {
    await app.waitForView();
    await app.clearWorkspace();
    await uploadText(app, 'good.csv', 'platform,date,likes\ntiktok,2025-01-01,1\ntiktok,2025-01-02,2\ntiktok,2025-01-03,3\n');
    await app.waitForFileReport('good.csv');
    // 70,000 rows of two fields under a header of three: 1.26 MB, over the 1 MiB from
    // which a file is parsed in the data worker.
    const rows = 70_000;
    const csv = 'platform,date,likes\n' + 'tiktok,2025-01-01\n'.repeat(rows);
    assert.ok(csv.length > 1024 * 1024);
    await uploadText(app, 'big-rejected.csv', csv);
    const report = await app.waitForFileReport('big-rejected.csv');
    assert.ok((await app.performanceMarks()).includes('ingest-received'), 'parsed in the worker');
    assert.equal(await report.getAttribute('data-file-refused'), 'true');
    assert.deepEqual(await app.rowCounts('big-rejected.csv'), { read: rows, used: 0, rejected: rows });
    assert.equal(await report.locator('[data-issues-range]').innerText(), 'issues 1–100 of 70,000');
    // The workspace is the good file's 3 posts, as before.
    assert.match(await app.page.locator('#loaded-title + p').innerText(), /^3 posts,/);
    assert.deepEqual(await app.rowCounts('good.csv'), { read: 3, used: 3, rejected: 0 });
    assert.deepEqual(app.panics(), []);
  } finally {
    await app.close();
  }
});

test('150,000 issues open at once, 100 a page, and the download has all of them', async () => {
  const app = await session.open('/data');
  try {
    await app.waitForView();
    await app.clearWorkspace();
    // 150,000 rows with an unreadable `likes` each: 150,000 values dropped, rows kept.
    const total = 150_000;
    const parts = ['platform,date,likes,views\n'];
    for (let i = 0; i < total; i += 1) parts.push(`tiktok,2025-01-01,x${i},1\n`);
    await uploadText(app, 'many-issues.csv', parts.join(''));
    const started = Date.now();
    const report = await app.waitForFileReport('many-issues.csv');
    const range = report.locator('[data-issues-range]');
    await range.waitFor();
    const openedMs = Date.now() - started;
    assert.equal(await range.innerText(), 'issues 1–100 of 150,000');
    const pager = report.locator('[data-issues-pager]');
    assert.equal(await pager.getAttribute('data-issues-total'), String(total));
    assert.equal(await pager.getAttribute('data-issues-pages'), '1500');
    assert.equal(await pager.getAttribute('data-issues-cap'), null);
    // The first page: lines 2..=101 (the header is line 1).
    const lines = () =>
      report
        .locator('[data-issue-line]')
        .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-issue-line'))));
    const first = await lines();
    assert.equal(first.length, 100);
    assert.deepEqual([first[0], first[99]], [2, 101]);
    assert.equal(await report.locator('[data-issues-prev]').isDisabled(), true);
    await report.locator('[data-issues-next]').click();
    await app.page.waitForFunction(
      () => document.querySelector('[data-issues-range]')?.textContent === 'issues 101–200 of 150,000',
    );
    const second = await lines();
    assert.deepEqual([second[0], second[99]], [102, 201]);
    await report.locator('[data-issues-prev]').click();
    await app.page.waitForFunction(
      () => document.querySelector('[data-issues-range]')?.textContent === 'issues 1–100 of 150,000',
    );
    assert.ok(openedMs < 15_000, `the report opened in ${openedMs} ms`);
    // Navigating away and back opens the page again at once.
    await app.navigate('/');
    const back = Date.now();
    await app.navigate('/data');
    await app.page.locator('[data-issues-range]').waitFor();
    assert.ok(Date.now() - back < 5_000, `/data reopened in ${Date.now() - back} ms`);
    const download = await downloadOf(app.page, app.page.locator('#download-rejected'));
    const rows = rejectedRows(download.text);
    assert.equal(rows.length, total);
    assert.equal(rows[total - 1][1], String(total + 1));
    assert.deepEqual(app.panics(), []);
  } finally {
    await app.close();
  }
});

test('an unknown ?platform is shown as unknown with a notice, not as All', async () => {
  const app = await session.open('/?platform=xyz');
  try {
    await app.waitForKpis();
    const select = app.page.locator('#filter-platform');
    assert.equal(await select.inputValue(), 'xyz');
    const label = await select.evaluate((s) => s.options[s.selectedIndex].textContent);
    assert.equal(label, 'unknown: xyz');
    const notice = app.page.locator('#query-notice');
    await notice.waitFor();
    assert.match(await notice.innerText(), /platform "xyz" is not in the data/);
    // Every KPI is n/a, as the notice says.
    assert.equal(await app.kpiValue('roas'), null);
    // A known platform clears the notice and the unknown option.
    await app.setFilter('#filter-platform', 'tiktok');
    await app.page.waitForFunction(() => !document.querySelector('#query-notice'));
    const options = await select.evaluate((s) => [...s.options].map((o) => o.textContent));
    assert.ok(!options.some((o) => o.startsWith('unknown:')), options.join(', '));
    assert.deepEqual(app.panics(), []);
  } finally {
    await app.close();
  }
});

test('a link whose to is before its from is refused in words', async () => {
  const app = await session.open('/?from=2025-03-10&to=2025-03-01');
  try {
    await app.waitForKpis();
    const notice = app.page.locator('#query-notice');
    await notice.waitFor();
    assert.equal(
      await notice.innerText(),
      "The link's end date (to=2025-03-01) was not applied: it is before the start date (2025-03-10). The filter was left as it was.",
    );
    // Opened fresh: the start applies, the end is left out.
    assert.equal(await app.page.locator('#filter-from').inputValue(), '2025-03-10');
    assert.equal(await app.page.locator('#filter-to').inputValue(), '');
    // From a good range, a reversed one leaves the filter as it was.
    await visit(app, '/?from=2025-02-01&to=2025-02-28');
    await app.page.waitForFunction(() => !document.querySelector('#query-notice'));
    await visit(app, '/?from=2025-02-28&to=2025-02-01');
    await notice.waitFor();
    assert.equal(await app.page.locator('#filter-from').inputValue(), '2025-02-01');
    assert.equal(await app.page.locator('#filter-to').inputValue(), '2025-02-28');
    // Typed in the filter bar: an end before the start is refused there, in words, and
    // the input shows the end still in force.
    await visit(app, '/?from=2025-02-01&to=2025-02-28');
    await app.page.waitForFunction(() => !document.querySelector('#query-notice'));
    await app.page.locator('#filter-to').fill('2025-01-15');
    await notice.waitFor();
    assert.equal(
      await notice.innerText(),
      'The end date 2025-01-15 is before the start date 2025-02-01: not applied. The filter was left as it was.',
    );
    assert.equal(await app.page.locator('#filter-to').inputValue(), '2025-02-28');
    assert.equal(app.queryParam('to'), '2025-02-28');
    // An impossible day is refused in words too.
    await visit(app, '/?from=2025-02-30');
    await app.page.waitForFunction(() =>
      document.querySelector('#query-notice')?.textContent.includes('from=2025-02-30'),
    );
    assert.match(await notice.innerText(), /no such date/);
    assert.deepEqual(app.panics(), []);
  } finally {
    await app.close();
  }
});
