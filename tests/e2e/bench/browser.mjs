// The browser half of `.ci/bench` (issue 6, item 5c): drives the release bundle (dist/)
// in headless Chromium and prints, as medians over the runs:
// - ingest: file input → posts report on /data and the main thread idle, plus the
//   navigation to the Executive Summary → `kpis-rendered` (their sum is "drop → KPIs");
// - MB/s over the files' bytes;
// - filter recompute: a filter change → the next `kpis-rendered` mark, median and p95
//   over platform, campaign, creator and date-preset changes;
// - the data worker's own times (parse, finish, pack of the shell: the `ingest-answered`
//   mark's detail) and the page's time from its result to its first answers;
// - peak memory: the renderer's peak RSS (VmHWM), the page's JS heap and wasm memory,
//   plus the worker's wasm memory;
// - long tasks (> 50 ms) of the page's main thread during the ingest, from a
//   PerformanceObserver: while the worker parses, and after it (its first answers and
//   the first render);
// - the demo: navigation → its first `kpis-rendered` (time to the first dashboard);
// - the bundles' .wasm sizes, raw and gzip.
//
// usage: node tests/e2e/bench/browser.mjs --data DIR [--runs 5] [--dist dist]

import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

import { launch, REPO_ROOT } from '../helpers.mjs';
import { startServer } from '../serve.mjs';

const TIMEOUT_MS = 600_000;

function options() {
  const out = { data: null, runs: 5, dist: path.join(REPO_ROOT, 'dist') };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--data') out.data = path.resolve(value);
    else if (flag === '--runs') out.runs = Math.max(1, Number(value));
    else if (flag === '--dist') out.dist = path.resolve(value);
    else throw new Error(`unknown argument ${flag}`);
  }
  if (!out.data) throw new Error('usage: browser.mjs --data DIR [--runs N] [--dist DIR]');
  return out;
}

function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.round((sorted.length - 1) * q)];
}
const median = (values) => quantile(values, 0.5);

/** True when `pid` descends from this node process (our Chromium, not another one). */
function isOurs(pid) {
  for (let i = 0, p = pid; i < 12 && p > 1; i += 1) {
    if (p === process.pid) return true;
    try {
      p = Number(/PPid:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      return false;
    }
  }
  return false;
}

/** Peak RSS (VmHWM, bytes) of the largest renderer process of our Chromium. */
function rendererPeakRss() {
  let peak = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('--type=renderer') || !isOurs(Number(pid))) continue;
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      peak = Math.max(peak, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024);
    } catch {
      // the process ended
    }
  }
  return peak;
}

// Installed before the app starts: long tasks, the wasm memory, memory samples.
function instrument() {
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      window.__longTasks.push({ start: e.startTime, duration: e.duration });
    }
  }).observe({ type: 'longtask', buffered: true });
  addEventListener('TrunkApplicationStarted', (event) => {
    window.__wasmMemory = event.detail?.wasm?.memory ?? null;
  });
  window.__peak = { js: 0, wasm: 0 };
  setInterval(() => {
    const js = performance.memory?.usedJSHeapSize ?? 0;
    const wasm = window.__wasmMemory?.buffer?.byteLength ?? 0;
    window.__peak.js = Math.max(window.__peak.js, js);
    window.__peak.wasm = Math.max(window.__peak.wasm, wasm);
  }, 50);
}

/** Resolves when the page's main thread has been idle (two frames and a task). */
const IDLE = () =>
  new Promise((resolve) =>
    requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 0))),
  );

async function oneRun(browser, baseUrl, files) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  context.setDefaultTimeout(TIMEOUT_MS);
  await context.addInitScript(instrument);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(new URL('data', baseUrl).href);
  await page.locator('#clear-workspace').click();
  await page.evaluate(IDLE);
  const start = await page.evaluate(() => {
    window.__longTasks = [];
    return performance.now();
  });
  await page.locator('input#file-input').setInputFiles(files);
  await page.locator('[data-file-report="posts.csv"]').waitFor({ timeout: TIMEOUT_MS });
  const loaded = await page.evaluate(async (idle) => {
    await new Function(`return (${idle})()`)();
    return performance.now();
  }, IDLE.toString());
  const ingestTasks = await page.evaluate(() => window.__longTasks.slice());
  const parsed = await page.evaluate(() => {
    const received = performance.getEntriesByName('ingest-received').pop();
    const answered = performance.getEntriesByName('ingest-answered').pop();
    return received && answered
      ? { at: received.startTime, answeredAt: answered.startTime, ...JSON.parse(answered.detail ?? '{}') }
      : null;
  });
  if (!parsed) throw new Error('no ingest-received/answered marks: the data worker did not run');
  // Tasks over before the worker's result arrived: the page while the worker parsed.
  const parseTasks = ingestTasks.filter((t) => t.start + t.duration < parsed.at);
  // Client-side navigation to the Executive Summary: its first render of the new data.
  const navStart = await page.evaluate(() => {
    performance.clearMarks('kpis-rendered');
    return performance.now();
  });
  await page.locator('nav[aria-label="Main"] a[href="/"]').first().click();
  await page.locator('[data-kpi="roas"]').first().waitFor({ timeout: TIMEOUT_MS });
  const kpisAt = await page.evaluate(async (idle) => {
    await new Function(`return (${idle})()`)();
    const marks = performance.getEntriesByName('kpis-rendered');
    return marks.length ? marks[marks.length - 1].startTime : performance.now();
  }, IDLE.toString());

  const filterMs = await filterTimings(page);
  const peak = await page.evaluate(() => window.__peak);
  const rss = rendererPeakRss();
  await context.close();
  return {
    loadMs: loaded - start,
    parsedMs: parsed.at - start,
    // Each long task as "<ms after the drop>+<duration>".
    taskList: ingestTasks.map((t) => `${(t.start - start).toFixed(0)}+${t.duration.toFixed(0)}`),
    answerMs: parsed.answeredAt - parsed.at,
    worker: parsed,
    parseTasks,
    summaryMs: kpisAt - navStart,
    ingestTasks,
    filterMs,
    peak,
    rss,
    errors,
  };
}

/** Times filter changes on the summary: each select option in turn, then back to all. */
async function filterTimings(page) {
  const changes = [];
  for (const id of ['filter-platform', 'filter-campaign', 'filter-creator', 'filter-preset']) {
    const values = await page
      .locator(`select#${id} option`)
      .evaluateAll((options) => options.map((o) => o.value));
    const picks = values.filter((v) => v !== '' && v !== 'all').slice(0, 4);
    const reset = values.includes('all') ? 'all' : '';
    for (const value of [...picks, reset]) changes.push([id, value]);
  }
  const times = [];
  for (const [id, value] of changes) {
    const ms = await page.evaluate(
      async ([id, value]) => {
        const select = document.getElementById(id);
        if (!select || select.value === value) return null;
        const before = performance.now();
        const rendered = new Promise((resolve) => {
          const observer = new PerformanceObserver((list) => {
            const mark = list.getEntries().find((e) => e.startTime >= before);
            if (mark) {
              observer.disconnect();
              resolve(mark.startTime);
            }
          });
          observer.observe({ type: 'mark' });
          setTimeout(() => resolve(null), 30_000);
        });
        select.value = value;
        select.dispatchEvent(new Event('change', { bubbles: true }));
        const at = await rendered;
        // Include the frame that shows it.
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
        return at == null ? null : performance.now() - before;
      },
      [id, value],
    );
    if (ms != null) times.push(ms);
    await page.waitForTimeout(50);
  }
  return times;
}

/** Time to the first dashboard on the demo: navigation start → first `kpis-rendered`. */
async function demoFirstDashboard(browser, baseUrl) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto(baseUrl);
  await page.locator('[data-kpi="roas"]').first().waitFor({ timeout: TIMEOUT_MS });
  const ms = await page.evaluate(() => performance.getEntriesByName('kpis-rendered')[0]?.startTime);
  await context.close();
  return ms;
}

function bundleSizes(dist) {
  return readdirSync(dist)
    .filter((f) => f.endsWith('.wasm'))
    .map((f) => {
      const bytes = readFileSync(path.join(dist, f));
      return { file: f, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
    });
}

async function main() {
  const opts = options();
  const files = ['campaigns.csv', 'creators.csv', 'posts.csv']
    .map((f) => path.join(opts.data, f))
    .filter((f) => statSync(f, { throwIfNoEntry: false }));
  const bytes = files.reduce((sum, f) => sum + statSync(f).size, 0);
  const server = await startServer({ dir: opts.dist });
  const browser = await launch(['--enable-precise-memory-info']);
  const runs = [];
  try {
    for (let i = 0; i < opts.runs; i += 1) {
      const run = await oneRun(browser, server.url, files);
      run.demoMs = await demoFirstDashboard(browser, server.url);
      runs.push(run);
      console.log(
        `run ${i + 1}: load ${run.loadMs.toFixed(0)} ms + summary ${run.summaryMs.toFixed(0)} ms, ` +
          `${run.ingestTasks.length} long tasks (max ${Math.max(0, ...run.ingestTasks.map((t) => t.duration)).toFixed(0)} ms), ` +
          `filters median ${median(run.filterMs)?.toFixed(1)} ms, demo ${run.demoMs?.toFixed(0)} ms` +
          `; long tasks at ${run.taskList.join(', ') || 'none'} (result at ${run.parsedMs.toFixed(0)})` +
          (run.errors.length ? `, page errors: ${run.errors.join('; ')}` : ''),
      );
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const total = runs.map((r) => r.loadMs + r.summaryMs);
  const filters = runs.flatMap((r) => r.filterMs);
  const longTasks = runs.map((r) => r.ingestTasks.length);
  const longest = runs.map((r) => Math.max(0, ...r.ingestTasks.map((t) => t.duration)));
  const mb = bytes / 1e6;
  const peakHeap = runs.map((r) => r.peak.js + r.peak.wasm + (r.worker.worker_memory_bytes ?? 0));
  const parseTasks = runs.map((r) => r.parseTasks.length);
  const w = (key) => median(runs.map((r) => r.worker[key] ?? 0)).toFixed(0);
  const rows = [
    ['input', `${mb.toFixed(1)} MB (${files.map((f) => path.basename(f)).join(', ')})`],
    ['runs', String(runs.length)],
    ['  worker: read + parse / finish + index / outline', `${w('parse_ms')} / ${w('finish_ms')} / ${w('pack_ms')} ms (median)`],
    ['  page: drop → worker result received', `${median(runs.map((r) => r.parsedMs)).toFixed(0)} ms (median)`],
    ['  page: result → first answers (results, trends, alerts)', `${median(runs.map((r) => r.answerMs)).toFixed(0)} ms (median)`],
    ['ingest: drop → posts report, idle (median)', `${median(runs.map((r) => r.loadMs)).toFixed(0)} ms`],
    ['ingest: summary first render (median)', `${median(runs.map((r) => r.summaryMs)).toFixed(0)} ms`],
    ['ingest: drop → KPIs rendered (median)', `${median(total).toFixed(0)} ms  (target ≤ 1000 ms)`],
    ['ingest throughput (median)', `${(mb / (median(total) / 1000)).toFixed(1)} MB/s`],
    ['filter recompute median', `${median(filters).toFixed(1)} ms over ${filters.length} changes  (target ≤ 30 ms)`],
    ['filter recompute p95', `${quantile(filters, 0.95).toFixed(1)} ms  (target ≤ 30 ms)`],
    ['long tasks > 50 ms during ingest (median count)', `${median(longTasks)}, longest ${median(longest).toFixed(0)} ms (median)  (target 0)`],
    ['  of which while the worker parses', `${median(parseTasks)}`],
    ['peak JS heap + wasm memory (median)', `${(median(peakHeap) / 1e6).toFixed(0)} MB = ${(median(peakHeap) / bytes).toFixed(2)} × the files  (target ≤ 2.5 ×)`],
    ['  of which page wasm memory', `${(median(runs.map((r) => r.peak.wasm)) / 1e6).toFixed(0)} MB`],
    ['  of which worker wasm memory', `${(median(runs.map((r) => r.worker.worker_memory_bytes ?? 0)) / 1e6).toFixed(0)} MB`],
    ['peak renderer RSS (median)', `${(median(runs.map((r) => r.rss)) / 1e6).toFixed(0)} MB`],
  ];
  rows.push(['demo: navigation → first dashboard (median)', `${median(runs.map((r) => r.demoMs)).toFixed(0)} ms  (target ≤ 1000 ms)`]);
  for (const b of bundleSizes(opts.dist)) {
    const target = b.file.startsWith('worker') ? '(the data worker, fetched on the first big file)' : '(target ≤ 450 KB gzip)';
    rows.push([`bundle ${b.file}`, `${b.raw} bytes raw, ${b.gzip} bytes gzip  ${target}`]);
  }
  console.log('\nbrowser benchmark (headless Chromium, release bundle)');
  for (const [name, value] of rows) console.log(`  ${name.padEnd(50)} ${value}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
