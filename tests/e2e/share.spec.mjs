// Sharing and exports: view links round-trip view and filters; snapshot links (#s=…)
// render the same KPI values in a fresh browser with no data loaded, and refuse links
// over the size limit; CSV exports neutralize formulas (a campaign named
// =HYPERLINK(...), formula-like raw values in the rejected rows) and name their settings;
// chart SVG/PNG and workspace JSON exports;
// a campaign and a creator named <img src=x onerror=alert(…)> render as text everywhere,
// charts included.

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { FIXTURES_DIR, downloadOf, eventually, parseCsv, startSession } from './helpers.mjs';

const POSTS = path.join(FIXTURES_DIR, 'share-posts.csv');
const CAMPAIGNS = path.join(FIXTURES_DIR, 'share-campaigns.csv');
const FORMULA_NAME = '=HYPERLINK("http://x","y")';
const IMG_CAMPAIGN = '<img src=x onerror=alert(1)>';
const IMG_CREATOR = '<img src=x onerror=alert(2)>';
/** The settings every export must name. */
const SETTINGS_LABELS = ['Engagement-rate denominator', 'EMV method', 'Currency', 'Date range'];

let session;
before(async () => {
  session = await startSession();
});
after(async () => {
  await session?.close();
});

/** Every overall `data-kpi` → `data-value` on the page. */
async function overallKpis(page) {
  return page.locator('[data-kpi]:not([data-group])').evaluateAll((elements) =>
    Object.fromEntries(elements.map((e) => [e.getAttribute('data-kpi'), e.getAttribute('data-value')])),
  );
}

/** Opens /data, uploads the two fixtures and waits for both reports. */
async function openWithFixtures() {
  const app = await session.open('/data');
  await app.page.locator('input#file-input').waitFor();
  await app.upload([POSTS, CAMPAIGNS]);
  await app.waitForFileReport('share-posts.csv');
  await app.waitForFileReport('share-campaigns.csv');
  return app;
}

test('a view link round-trips the view and its filters', async () => {
  const app = await session.open('/campaigns');
  try {
    await app.waitForKpis();
    await app.setFilter('#filter-platform', 'tiktok');
    await app.setFilter('#filter-granularity', 'month');
    await app.page.waitForURL((url) => url.searchParams.get('platform') === 'tiktok' && url.searchParams.get('g') === 'month');
    await app.page.locator('#copy-link').click();
    await app.page.locator('#share-status').filter({ hasText: 'copied' }).waitFor();
    const link = app.page.url();
    const roas = await app.kpiValues('roas');
    const other = await session.open(new URL(link).pathname + new URL(link).search);
    try {
      await other.waitForKpis();
      assert.equal(new URL(other.page.url()).pathname, '/campaigns');
      assert.equal(await other.page.locator('#filter-platform').inputValue(), 'tiktok');
      assert.equal(await other.page.locator('#filter-granularity').inputValue(), 'month');
      assert.deepEqual(await other.kpiValues('roas'), roas);
    } finally {
      await other.close();
    }
  } finally {
    await app.close();
  }
});

test('a snapshot link shows the same KPI values in a fresh browser, with no data loaded', async () => {
  const app = await session.open('/?platform=instagram&from=2025-01-01');
  try {
    await app.waitForKpis();
    await eventually(async () => assert.ok((await app.kpiValues('roas')).length > 0));
    const expected = await overallKpis(app.page);
    assert.ok(Object.keys(expected).length >= 30, 'the summary shows the overall KPIs');
    await app.page.locator('#make-snapshot').click();
    const link = await app.page.locator('#snapshot-link').inputValue();
    assert.match(link, /#s=[A-Za-z0-9_-]+$/);
    assert.ok(link.split('#s=')[1].length <= 8000, 'the payload is within the stated limit');

    const viewer = await session.open(new URL(link).pathname + new URL(link).hash);
    try {
      await viewer.page.locator('#snapshot-notice').waitFor();
      assert.equal(await viewer.page.locator('h1').count(), 1);
      const shown = await overallKpis(viewer.page);
      assert.deepEqual(shown, expected, 'every overall KPI has the same data-value');
      const marks = await viewer.performanceMarks();
      assert.ok(!marks.includes('ingest-start'), 'no dataset is loaded for a snapshot');
      assert.equal(await viewer.page.locator('#file-input').count(), 0, 'read-only: no upload');
      assert.deepEqual(viewer.panics(), []);
    } finally {
      await viewer.close();
    }
  } finally {
    await app.close();
  }
});

test('a snapshot link over the size limit is refused with a clear message', async () => {
  const app = await session.open(`/#s=${'A'.repeat(9000)}`);
  try {
    const error = app.page.locator('#snapshot-error');
    await error.waitFor();
    assert.match(await error.innerText(), /9000 characters, more than the 8000/);
  } finally {
    await app.close();
  }
});

test('CSV exports neutralize formulas and name their settings; charts export as SVG and PNG', async () => {
  const app = await openWithFixtures();
  try {
    await app.navigate('/');
    await app.waitForKpis();
    const button = app.page.getByRole('button', { name: /Export “Budget vs actual by campaign.*” as CSV/ });
    const csv = await downloadOf(app.page, button);
    // CSV exports start with a UTF-8 BOM (for Excel); the lines follow it.
    assert.ok(csv.text.startsWith('\uFEFF'), 'the CSV starts with a BOM');
    csv.text = csv.text.slice(1);
    assert.match(csv.name, /\.csv$/);
    const preamble = csv.text.split('\n').filter((l) => l.startsWith('# '));
    for (const label of SETTINGS_LABELS) {
      assert.ok(preamble.some((l) => l.startsWith(`# ${label}: `)), `CSV names ${label}`);
    }
    assert.ok(preamble.some((l) => l === '# Date range: 2025-03-01 to 2025-03-22'), preamble.join('\n'));
    const rows = parseCsv(csv.text.split('\n').filter((l) => !l.startsWith('# ')).join('\n'));
    assert.deepEqual(rows[0], ['Campaign', 'Budget', 'Actual spend', 'Pacing', 'ROAS']);
    const names = rows.slice(1).map((r) => r[0]);
    assert.ok(names.includes(`'${FORMULA_NAME}`), `formula neutralized: ${names}`);
    assert.ok(names.includes(IMG_CAMPAIGN), `plain text kept as is: ${names}`);
    for (const row of rows.slice(1)) {
      assert.ok(!/^[=+@\t\r]/.test(row[0]), `no live formula in ${row[0]}`);
    }
    // Budget vs actual of C1: budget 1000, spend 100 + 200 = 300; ROAS (500 + 1000) / 300 = 5.
    const c1 = rows.find((r) => r[0] === `'${FORMULA_NAME}`);
    assert.deepEqual(c1.slice(1, 3), ['1000', '300']);
    assert.equal(Number(c1[4]), 5);

    const chart = app.page.locator('figure.chart').first();
    const svg = await downloadOf(app.page, chart.locator('.export-svg'));
    assert.match(svg.name, /\.svg$/);
    assert.ok(svg.text.startsWith('<?xml'), 'a standalone SVG file');
    for (const label of SETTINGS_LABELS) assert.ok(svg.text.includes(label), `SVG names ${label}`);
    assert.ok(!svg.text.includes('<img'), 'user text is escaped in the SVG');
    const png = await downloadOf(app.page, chart.locator('.export-png'));
    assert.match(png.name, /\.png$/);
    assert.deepEqual([...png.bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], 'PNG signature');
    assert.deepEqual(app.panics(), []);
  } finally {
    await app.close();
  }
});

test('the workspace JSON export loads back to the same KPIs', async () => {
  const app = await openWithFixtures();
  try {
    const json = await downloadOf(app.page, app.page.locator('#export-workspace'));
    const document = JSON.parse(json.text);
    assert.equal(document.posts.length, 4);
    for (const label of SETTINGS_LABELS) assert.ok(label in document.exported_with, `JSON names ${label}`);
    await app.navigate('/');
    await app.waitForKpis();
    const before = await overallKpis(app.page);
    // (500 + 1000 + 900 + 100) revenue / (100 + 200 + 300 + 50) cost = 2500 / 650.
    assert.equal(Number(before.roas), 2500 / 650);
    await app.navigate('/data');
    await app.clearWorkspace();
    await app.page.locator('input#file-input').setInputFiles({
      name: 'workspace.json',
      mimeType: 'application/json',
      buffer: json.bytes,
    });
    await app.waitForFileReport('workspace.json');
    await app.navigate('/');
    await app.waitForKpis();
    assert.deepEqual(await overallKpis(app.page), before);
  } finally {
    await app.close();
  }
});

test('names with HTML render as text everywhere, charts included', async () => {
  const app = await openWithFixtures();
  const dialogs = [];
  app.page.on('dialog', (d) => dialogs.push(d.message()));
  try {
    for (const route of ['/', '/campaigns', '/creators', '/alerts', '/reports']) {
      await app.navigate(route);
      await app.page.locator('h1').waitFor();
      await app.page.waitForTimeout(200);
      assert.equal(await app.page.locator('main img').count(), 0, `no injected <img> on ${route}`);
    }
    await app.navigate('/');
    await app.waitForKpis();
    const text = await app.page.locator('main').innerText();
    assert.ok(text.includes(IMG_CAMPAIGN), 'the campaign name shows as text');
    const svgText = await app.page
      .locator('figure.chart svg text')
      .evaluateAll((nodes) => nodes.map((n) => n.textContent).join('\n'));
    assert.ok(svgText.includes('<img src=x'), `chart labels show the names as text: ${svgText.slice(0, 300)}`);
    await app.page.locator('a', { hasText: IMG_CAMPAIGN }).first().click();
    await app.page.waitForURL((url) => url.pathname === '/campaigns/C2');
    await app.waitForKpis();
    assert.ok((await app.page.locator('h1').innerText()).includes(IMG_CAMPAIGN));
    assert.equal(await app.page.locator('img').count(), 0);
    await app.page.waitForTimeout(300);
    assert.deepEqual(dialogs, [], 'no script from user data ran');
  } finally {
    await app.close();
  }
});

test('the rejected-rows CSV names its settings and neutralizes formulas in raw values', async () => {
  const app = await session.open('/data');
  try {
    await app.upload([path.join(FIXTURES_DIR, 'share-rejected.csv')]);
    await app.waitForFileReport('share-rejected.csv');
    const csv = await downloadOf(app.page, app.page.locator('#download-rejected'));
    // CSV exports start with a UTF-8 BOM (for Excel); the lines follow it.
    assert.ok(csv.text.startsWith('\uFEFF'), 'the CSV starts with a BOM');
    csv.text = csv.text.slice(1);
    for (const label of SETTINGS_LABELS) {
      assert.ok(csv.text.includes(`# ${label}: `), `rejected rows name ${label}`);
    }
    const rows = parseCsv(csv.text.split('\n').filter((l) => !l.startsWith('# ')).join('\n'));
    assert.deepEqual(rows[0], ['file', 'line', 'column', 'raw_value', 'reason', 'row_rejected']);
    // Line 2 has likes "=1+2", line 3 impressions "@SUM(A1)": both values are dropped.
    const raw = Object.fromEntries(rows.slice(1).map((r) => [`${r[1]} ${r[2]}`, r[3]]));
    assert.equal(raw['2 likes'], "'=1+2");
    assert.equal(raw['3 impressions'], "'@SUM(A1)");
  } finally {
    await app.close();
  }
});
