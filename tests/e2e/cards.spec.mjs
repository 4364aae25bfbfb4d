// KPI cards on the Executive Summary: a sparkline on every card, drawn from the
// periods of the view with gaps where a period has no value, named in words; cards
// that are patched in place on a filter change (not rebuilt), with the
// `kpis-rendered` mark set once the new values are in the DOM.
//
// The sparkline fixture (months; eng = likes; ROAS = revenue / cost):
//   post month     reach likes revenue cost  ROAS
//   p1   2025-01   800   40    300     100   3
//   p2   2025-02   800   64    (none)  (none) n/a: no cost, no revenue
//   p3   2025-05   800   80    500     100   5
// March and April have no rows. At month granularity the series is January to May,
// 5 periods: [3, n/a, gap, gap, 5]. In the 100 × 24 box (pad 2) x = 2, 26, 50, 74, 98;
// the range is 3..5 (ROAS's target ≥ 5 adds nothing to it), so y(3) = 22, y(5) = 2, and
// each end stands alone as a dot: "M2.0 22.0h0M98.0 2.0h0". Were February drawn as 0,
// the range would be 0..5 and the line would have three points.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { eventually, startSession } from './helpers.mjs';

const POSTS = [
  'platform,date,post_id,campaign_id,creator_id,impressions,reach,likes,clicks,revenue,cost',
  'tiktok,2025-01-10,p1,C1,K1,1000,800,40,10,300,100',
  'tiktok,2025-02-10,p2,C1,K1,1000,800,64,10,,',
  'tiktok,2025-05-10,p3,C1,K1,1000,800,80,10,500,100',
].join('\n');

let session;

before(async () => {
  session = await startSession();
});
after(async () => {
  await session?.close();
});

/** Every KPI card of the page: its KPI id and its sparkline's hook, role and name. */
function cardsAndSparklines(page) {
  return page.locator('.kpi-card').evaluateAll((cards) =>
    cards.map((card) => {
      const spark = card.querySelector('[data-sparkline]');
      return {
        kpi: card.querySelector('[data-kpi]')?.getAttribute('data-kpi'),
        sparkline: spark?.getAttribute('data-sparkline') ?? null,
        role: spark?.getAttribute('role') ?? null,
        name: spark?.getAttribute('aria-label') ?? '',
        periods: Number(spark?.getAttribute('data-periods')),
      };
    }),
  );
}

test('every KPI card on the summary has a sparkline named in words', async () => {
  const app = await session.open('/');
  try {
    await app.waitForKpis();
    const cards = await cardsAndSparklines(app.page);
    assert.ok(cards.length >= 30, `${cards.length} cards`);
    const words = /: (rising from .+ to .+|falling from .+ to .+|unchanged at .+|one value, .+,|no value) over (\d+) (day|week|month|quarter)s?(, no value in \d+ of them)?$/;
    for (const card of cards) {
      assert.equal(card.sparkline, card.kpi, `the sparkline of ${card.kpi}`);
      assert.equal(card.role, 'img', `${card.kpi}: role`);
      const m = words.exec(card.name);
      assert.ok(m, `${card.kpi}: "${card.name}"`);
      assert.equal(Number(m[2]), card.periods, `${card.kpi}: the periods it names`);
    }
    // The demo spans months of weekly data: the ROAS line has many weeks and a value.
    const roas = cards.find((c) => c.kpi === 'roas');
    assert.ok(roas.periods > 4, `${roas.periods} weeks`);
    assert.match(roas.name, /^ROAS: (rising|falling|unchanged)/);
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test('a period without a value is a gap, never a zero', async () => {
  const app = await session.open('/data');
  try {
    await app.loadCsvAndShowSummary('posts.csv', POSTS);
    await app.setFilter('#filter-granularity', 'month');
    const spark = app.page.locator('[data-sparkline="roas"]');
    await eventually(async () => assert.equal(await spark.getAttribute('data-periods'), '5'));
    assert.equal(await spark.locator('path').getAttribute('d'), 'M2.0 22.0h0M98.0 2.0h0');
    assert.equal(
      await spark.getAttribute('aria-label'),
      'ROAS: rising from 3.0:1 to 5.0:1 over 5 months, no value in 3 of them',
    );
    // The target band (≥ 5, a hairline at y(5) = 2) is drawn behind the line.
    const band = spark.locator('rect');
    assert.equal(await band.getAttribute('visibility'), 'visible');
    assert.equal(await band.getAttribute('y'), '2');
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test('a filter change patches the cards in place and marks once the new values are in the DOM', async () => {
  const app = await session.open('/');
  try {
    await app.page.evaluate(() => {
      // What the DOM holds at each `kpis-rendered` mark, read as the mark is set.
      window.__atMark = [];
      const mark = performance.mark.bind(performance);
      performance.mark = (name, options) => {
        if (name === 'kpis-rendered') {
          window.__atMark.push({
            value: document.querySelector('[data-kpi="roas"]:not([data-group])')?.getAttribute('data-value'),
            line: document.querySelector('[data-sparkline="roas"] path')?.getAttribute('d'),
          });
        }
        return mark(name, options);
      };
    });
    await app.waitForKpis();
    const roas = app.page.locator('[data-kpi="roas"]:not([data-group])').first();
    const before = await roas.getAttribute('data-value');
    const cardCount = await app.page.locator('.kpi-card').count();
    // Tag the nodes: a rebuilt card would come without the tag.
    await app.page.evaluate(() => {
      for (const el of document.querySelectorAll('.kpi-card, [data-sparkline]')) el.__kept = true;
    });
    await app.setFilter('#filter-platform', 'tiktok');
    await eventually(async () => assert.notEqual(await roas.getAttribute('data-value'), before));
    const after = await roas.getAttribute('data-value');
    const kept = await app.page.evaluate(() => {
      const nodes = [...document.querySelectorAll('.kpi-card, [data-sparkline]')];
      return { all: nodes.length, kept: nodes.filter((el) => el.__kept).length };
    });
    assert.equal(kept.kept, kept.all, 'every card and sparkline is the node it was');
    assert.equal(await app.page.locator('.kpi-card').count(), cardCount);
    // The last mark saw the new value and the new line.
    await eventually(async () => {
      const marks = await app.page.evaluate(() => window.__atMark);
      assert.ok(marks.length >= 1, 'a kpis-rendered mark after the change');
      const last = marks[marks.length - 1];
      assert.equal(last.value, after);
      assert.equal(last.line, await app.page.locator('[data-sparkline="roas"] path').getAttribute('d'));
    });
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});
