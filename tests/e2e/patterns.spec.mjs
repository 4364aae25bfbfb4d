// Engagement patterns and anomaly alerts on the demo (issue 19): the summary's
// weekday × hour heatmap has a cell per weekday and hour, the planted slot's cells
// (Tuesdays 18h and 19h) equal their engagement rate recomputed here from the demo's
// CSV export (Σ engagements / Σ reach of the posts at that weekday and hour), the best
// slot sentence names Tuesdays 18–20h, a creator page has its own heatmap, a time zone
// shift moves the cells; the anomaly rule's alerts are listed on /alerts under their own
// severity and disappear when the rule is turned off in Settings; a file without times
// hides the heatmap with a sentence.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { demoData, sum } from './demo-data.mjs';
import { eventually, startSession } from './helpers.mjs';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

let session;
before(async () => {
  session = await startSession();
});
after(async () => {
  await session?.close();
});

/** Weekday key (mon … sun) and hour of a post's ISO date and time, as the file gives them. */
function slotOf(post) {
  const weekday = WEEKDAYS[(new Date(`${post.date}T00:00:00Z`).getUTCDay() + 6) % 7];
  return { weekday, hour: Number(post.time.slice(0, 2)) };
}

/** Σ engagements / Σ reach of the demo posts at a weekday and hour, and how many there are. */
function cellByHand(posts, weekday, hour) {
  const rows = posts.filter((p) => {
    const s = slotOf(p);
    return s.weekday === weekday && s.hour === hour;
  });
  const engagements = sum(rows, 'likes', 'comments', 'shares', 'saves');
  return { rate: engagements / sum(rows, 'reach'), posts: rows.length };
}

const heatmap = (app) => app.page.locator('[data-pattern="weekday-hour"]').first();

test('the summary heatmap cell of the planted slot equals its hand-computed ER', async () => {
  const { posts } = demoData();
  assert.ok(posts.every((p) => /^\d\d:\d\d:\d\d$/.test(p.time)), 'every demo post has a time');
  const app = await session.open('/');
  try {
    await app.waitForKpis();
    const map = heatmap(app);
    await map.waitFor();
    assert.equal(await map.locator('td[data-cell]').count(), 7 * 24);
    for (const hour of [18, 19]) {
      const expected = cellByHand(posts, 'tue', hour);
      const cell = map.locator(`[data-cell="tue-${hour}"]`);
      const value = Number(await cell.getAttribute('data-value'));
      assert.ok(Math.abs(value - expected.rate) < 1e-12, `tue-${hour}: ${value} vs ${expected.rate}`);
      assert.equal(Number(await cell.getAttribute('data-posts')), expected.posts);
    }
    // An hour nobody posts at is empty (n/a), not 0%.
    const empties = await map.locator('td[data-posts="0"]').evaluateAll((cells) => cells.map((c) => c.dataset.value));
    assert.ok(empties.every((v) => v === ''), 'cells without posts have no value');
    const best = app.page.locator('[data-best-slots] li').first();
    assert.equal(await best.getAttribute('data-slot'), 'tue-18');
    const tue = [18, 19].map((h) => cellByHand(posts, 'tue', h));
    assert.match(await best.innerText(), new RegExp(`^Tuesdays 18–20h: \\d+\\.\\d% vs \\d+\\.\\d% overall, ${tue[0].posts + tue[1].posts} posts$`));
    assert.match(await app.page.locator('.patterns').innerText(), /Times as the file gives them, shifted to UTC\+00:00/);
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test('a creator page has its own heatmap of that creator\'s posts', async () => {
  const { posts } = demoData();
  const app = await session.open('/creators/K02');
  try {
    const map = heatmap(app);
    await map.waitFor();
    const mine = posts.filter((p) => p.creator_id === 'K02');
    const total = await map.locator('td[data-cell]').evaluateAll((cells) =>
      cells.reduce((n, c) => n + Number(c.dataset.posts), 0),
    );
    assert.equal(total, mine.length);
    const first = slotOf(mine[0]);
    const expected = cellByHand(mine, first.weekday, first.hour);
    const value = Number(await map.locator(`[data-cell="${first.weekday}-${first.hour}"]`).getAttribute('data-value'));
    assert.ok(Math.abs(value - expected.rate) < 1e-12, `${value} vs ${expected.rate}`);
  } finally {
    await app.close();
  }
});

test('the anomaly rule is listed on /alerts and disappears when turned off', async () => {
  const app = await session.open('/alerts');
  try {
    await app.waitForView();
    const anomalies = app.page.locator('section[data-severity="notice"] [data-alert-rule="anomaly"]');
    await eventually(async () => assert.ok((await anomalies.count()) > 0, 'anomaly alerts listed'));
    const count = await anomalies.count();
    assert.ok(count <= 10, `${count} anomaly alerts`);
    assert.match(await anomalies.first().locator('p').innerText(), /robust deviations (above|below) its baseline of/);
    // The spec's severities hold no anomaly alert.
    assert.equal(await app.page.locator('section:not([data-severity="notice"]) [data-alert-rule="anomaly"]').count(), 0);

    await app.navigate('/settings');
    const toggle = app.page.locator('#anomaly-enabled');
    assert.equal(await toggle.isChecked(), true);
    await toggle.uncheck();
    await app.navigate('/alerts');
    await eventually(async () => assert.equal(await app.page.locator('[data-alert-rule="anomaly"]').count(), 0));
    assert.match(await app.page.locator('section[data-severity="notice"]').innerText(), /No notice alerts/);
    await app.navigate('/settings');
    await app.page.locator('#anomaly-enabled').check();
  } finally {
    await app.close();
  }
});

test('a time zone shift in Settings moves the cells', async () => {
  const { posts } = demoData();
  const app = await session.open('/settings');
  try {
    await app.waitForView();
    await app.page.locator('#utc-offset').fill('1');
    await app.page.locator('#utc-offset').press('Enter');
    await app.page.locator('#utc-offset').blur();
    await app.navigate('/');
    const map = heatmap(app);
    await map.waitFor();
    // Shifted by +1 h: the file's Tuesday 18h posts are in the 19h cell.
    const expected = cellByHand(posts, 'tue', 18);
    await eventually(async () => {
      const value = Number(await map.locator('[data-cell="tue-19"]').getAttribute('data-value'));
      assert.ok(Math.abs(value - expected.rate) < 1e-12, `${value} vs ${expected.rate}`);
    });
    assert.match(await app.page.locator('.patterns').innerText(), /shifted to UTC\+01:00/);
    await app.navigate('/settings');
    await app.page.locator('#utc-offset').fill('0');
    await app.page.locator('#utc-offset').press('Enter');
    await app.page.locator('#utc-offset').blur();
  } finally {
    await app.close();
  }
});

test('a file without times hides the heatmap with a sentence', async () => {
  const csv = 'post_id,platform,date,reach,likes\nP1,tiktok,2025-01-01,100,5\nP2,tiktok,2025-01-02,100,6\n';
  const app = await session.open('/data');
  try {
    await app.loadCsvAndShowSummary('dates-only.csv', csv);
    const panel = app.page.locator('.patterns');
    await panel.waitFor();
    assert.equal(await app.page.locator('[data-pattern="weekday-hour"]').count(), 0);
    assert.match(await panel.locator('[data-pattern-empty]').innerText(), /no times of day/);
  } finally {
    await app.close();
  }
});
