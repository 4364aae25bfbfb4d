// Charts drawn as leptos <svg> views from the chart model (src/charts, issue 20 and 16):
// a bar has a tooltip with its value on keyboard focus and on hover, arrow keys move between
// marks; the drawing is its container's width and follows a resize; axis text is at least
// 12 px on screen at 1440 and 390 px; in dark mode the chart is not on white; the SVG export
// still downloads a standalone file with its provenance.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { downloadOf, eventually, startSession } from './helpers.mjs';

let session;
before(async () => {
  session = await startSession();
});
after(async () => {
  await session?.close();
});

/** Opens the summary on the demo at `width` and waits for a chart's marks. */
async function openSummary(width = 1440, height = 900) {
  const app = await session.open('/', { width, height });
  await app.waitForKpis();
  await app.page.locator('figure.chart .chart-mark').first().waitFor();
  return app;
}

test('a bar has a tooltip with its value on focus and on hover; arrow keys move between marks', async () => {
  const app = await openSummary();
  try {
    const figure = app.page.locator('figure.chart', { has: app.page.locator('rect.chart-mark') }).first();
    const bars = figure.locator('rect.chart-mark');
    assert.ok((await bars.count()) >= 2, 'at least two bars');
    const first = bars.first();
    const name = await first.getAttribute('aria-label');
    assert.equal(await first.getAttribute('role'), 'img');
    assert.equal(await first.getAttribute('tabindex'), '0', 'the first mark is the tab stop');
    assert.match(name, /: .*\d/, `the accessible name states a value: ${name}`);

    await first.focus();
    const tip = figure.locator('.chart-tip');
    await tip.waitFor();
    const value = (await tip.locator('.chart-tip-value').innerText()).trim();
    assert.ok(value.length > 0 && /\d/.test(value), `the tooltip shows a value: ${value}`);
    assert.ok(name.includes(value), `the tooltip's value ${value} is the mark's (${name})`);
    // The same number is in the chart's table (without its currency symbol or unit).
    const digits = value.match(/[\d,.]+/)[0].replace(/\.$/, '');
    // The table's rows are built when it is opened (a closed one holds none).
    assert.equal(await figure.locator('details tbody tr').count(), 0, 'no hidden rows');
    // Opened without a click, so that the focus (and the tooltip) stay on the bar.
    await figure.locator('details').evaluate((d) => { d.open = true; });
    await figure.locator('details tbody tr').first().waitFor();
    const tableText = await figure.locator('details table').evaluate((t) => t.textContent);
    assert.ok(tableText.includes(digits), `the table has ${digits}`);
    // The tooltip points at its bar: above its top (or just below it near the chart's top
    // edge), spanning the bar's centre.
    const tipBox = await tip.boundingBox();
    const barBox = await first.boundingBox();
    const centre = barBox.x + barBox.width / 2;
    assert.ok(tipBox.x <= centre && centre <= tipBox.x + tipBox.width, 'over the bar');
    const gap = Math.min(Math.abs(tipBox.y + tipBox.height - barBox.y), Math.abs(tipBox.y - barBox.y));
    assert.ok(gap <= 24, `beside the bar's top: ${JSON.stringify({ tipBox, barBox })}`);

    // Arrow right: focus moves to the next mark, and the tooltip follows it.
    await app.page.keyboard.press('ArrowRight');
    const second = bars.nth(1);
    assert.equal(await second.evaluate((el) => el === document.activeElement), true, 'focus moved');
    const secondName = await second.getAttribute('aria-label');
    await eventually(async () => {
      const shown = (await tip.locator('.chart-tip-value').innerText()).trim();
      assert.ok(secondName.includes(shown), `${shown} in ${secondName}`);
    });
    assert.equal(await second.getAttribute('tabindex'), '0', 'roving tab stop');
    assert.equal(await first.getAttribute('tabindex'), '-1');

    // Escape hides it; hovering a bar shows its tooltip.
    await app.page.keyboard.press('Escape');
    await eventually(async () => assert.equal(await tip.count(), 0));
    await app.page.locator('h1').first().focus();
    await first.hover();
    await tip.waitFor();
    assert.ok(name.includes((await tip.locator('.chart-tip-value').innerText()).trim()));
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

/** Every chart's on-screen text sizes and its drawing's width against its container's. */
function measureCharts(page) {
  return page.locator('figure.chart .chart-svg').evaluateAll((hosts) =>
    hosts.map((host) => {
      const svg = host.querySelector('svg');
      const scale = svg.getBoundingClientRect().width / svg.width.baseVal.value;
      const sizes = [...svg.querySelectorAll('text')].map(
        (t) => parseFloat(getComputedStyle(t).fontSize) * scale,
      );
      return {
        hostWidth: host.clientWidth,
        svgWidth: svg.getBoundingClientRect().width,
        smallest: Math.min(...sizes),
        texts: sizes.length,
      };
    }),
  );
}

for (const [width, height] of [
  [1440, 900],
  [390, 844],
]) {
  test(`axis text is at least 12 px and charts fill their container at ${width} px`, async () => {
    const app = await openSummary(width, height);
    try {
      await eventually(async () => {
        const charts = await measureCharts(app.page);
        assert.ok(charts.length >= 3, `charts: ${charts.length}`);
        for (const chart of charts) {
          assert.ok(chart.texts > 0, 'axis text is drawn');
          assert.ok(chart.smallest >= 11.9, `smallest text ${chart.smallest} px`);
          assert.ok(Math.abs(chart.svgWidth - chart.hostWidth) <= 2, JSON.stringify(chart));
        }
      });
      const overflow = await app.page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
      assert.ok(overflow <= 0, `no sideways scroll: ${overflow} px`);
    } finally {
      await app.close();
    }
  });
}

test('charts are re-laid-out when their container resizes', async () => {
  const app = await openSummary(1440, 900);
  try {
    const before = (await measureCharts(app.page))[0].svgWidth;
    await app.page.setViewportSize({ width: 700, height: 900 });
    await eventually(async () => {
      const [chart] = await measureCharts(app.page);
      assert.ok(chart.svgWidth !== before, 'the width changed');
      assert.ok(Math.abs(chart.svgWidth - chart.hostWidth) <= 2, JSON.stringify(chart));
      assert.ok(chart.smallest >= 11.9, `smallest text ${chart.smallest} px`);
    });
  } finally {
    await app.close();
  }
});

test('in dark mode the charts are not on white and their text is light', async () => {
  const app = await session.open('/', { width: 1440, height: 900 });
  try {
    await app.page.emulateMedia({ colorScheme: 'dark' });
    await app.waitForKpis();
    await app.page.locator('figure.chart .chart-mark').first().waitFor();
    const charts = await app.page.locator('figure.chart .chart-svg').evaluateAll((hosts) =>
      hosts.map((host) => {
        let node = host;
        let background = 'rgba(0, 0, 0, 0)';
        while (node && background === 'rgba(0, 0, 0, 0)') {
          background = getComputedStyle(node).backgroundColor;
          node = node.parentElement;
        }
        const whiteFills = [...host.querySelectorAll('svg rect')].filter((r) =>
          ['rgb(255, 255, 255)', '#ffffff', 'white'].includes(getComputedStyle(r).fill),
        ).length;
        const text = host.querySelector('svg text');
        return { background, whiteFills, textFill: text ? getComputedStyle(text).fill : null };
      }),
    );
    assert.ok(charts.length >= 3);
    const luminance = (rgb) => {
      const [r, g, b] = rgb.match(/\d+/g).map(Number);
      return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    };
    for (const chart of charts) {
      assert.notEqual(chart.background, 'rgb(255, 255, 255)', JSON.stringify(chart));
      assert.ok(luminance(chart.background) < 0.3, `a dark background: ${chart.background}`);
      assert.equal(chart.whiteFills, 0, 'no white rectangle in the drawing');
      assert.ok(luminance(chart.textFill) > 0.6, `light text: ${chart.textFill}`);
    }
  } finally {
    await app.close();
  }
});

test('the SVG export downloads a standalone file with its provenance', async () => {
  const app = await openSummary();
  try {
    const figure = app.page.locator('figure.chart').first();
    const file = await downloadOf(app.page, figure.locator('.export-svg'));
    assert.match(file.name, /\.svg$/);
    assert.ok(file.text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg '), file.text.slice(0, 80));
    assert.match(file.text, /<desc>[^<]*Date range[^<]*<\/desc>/, 'the provenance names the date range');
    assert.match(file.text, /width="640" height="320"/);
    assert.ok(file.text.includes('<title>'), 'a title');
    assert.ok(file.text.trim().endsWith('</svg>'));
    const png = await downloadOf(app.page, figure.locator('.export-png'));
    assert.match(png.name, /\.png$/);
    assert.deepEqual([...png.bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], 'a PNG file');
  } finally {
    await app.close();
  }
});
