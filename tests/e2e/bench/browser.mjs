// The browser half of `.ci/bench` (issue 6, item 5c): drives the release bundle (dist/)
// in headless Chromium and prints, as medians over the runs:
// - ingest: file input → posts report on /data and the main thread idle, plus the
//   navigation to the Executive Summary → `kpis-rendered` (their sum is "drop → KPIs");
// - MB/s over the files' bytes;
// - filter recompute: a filter change → the next `kpis-rendered` mark, median and p95
//   over platform, campaign, creator and date-preset changes;
// - the data worker's own times (parse, finish, pack of the shell: the `ingest-answered`
//   mark's detail) and the page's time from its result to its first answers;
// - peak memory: the renderer's peak RSS (VmHWM of the page's own renderer process),
//   the page's JS heap and wasm memory, plus the workers' wasm memory (measured by a hook
//   in each worker script; the data worker's own report beside it);
// - long tasks (> 50 ms) of the page's main thread during the ingest, from a
//   PerformanceObserver: while the worker parses, and after it (its first answers and
//   the first render); for the table, during the load (drop → KPIs rendered) and after
//   it (the filter changes);
// - the demo: navigation → its first `kpis-rendered` (time to the first dashboard);
// - the bundles' .wasm sizes, raw and gzip;
// - in the same browser session, on the same posts CSV, the reference lines of issue 16
//   (reference.mjs): DuckDB-WASM (start-up, drop → KPIs, filter changes, memory) and the
//   floor (read the File + one JS pass over its bytes);
// and ends with ONE table: figure | this app | DuckDB-WASM | floor | target | met?
//
// With --ten-million DIR it instead drops every CSV of DIR (10M posts split in files
// under the app's size limit, written by .ci/bench) in one go on the app and reports
// what happened: loaded (posts, time, peak worker memory) or the message shown, and
// whether the tab survived (the nav still works).
//
// usage: node tests/e2e/bench/browser.mjs --data DIR [--runs 5] [--dist dist] [--no-reference]
//        node tests/e2e/bench/browser.mjs --ten-million DIR [--dist dist]
// --duckdb-coi adds DuckDB-WASM's multi-threaded bundle (a cross-origin isolated page)
// as one more line per run (not in the table).

import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

import { launch, REPO_ROOT } from '../helpers.mjs';
import { startServer } from '../serve.mjs';
import { median, quantile, rendererPeakRss, rendererPids } from './proc.mjs';
import {
  REFERENCE_DIR,
  duckdbPackageVersion,
  duckdbRun,
  floorRun,
  startIsolatedReferenceServer,
  startReferenceServer,
} from './reference.mjs';

const TIMEOUT_MS = 600_000;

function options() {
  const out = { data: null, runs: 5, dist: path.join(REPO_ROOT, 'dist'), reference: true, duckdbCoi: false, tenMillion: null };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--data') out.data = path.resolve(value);
    else if (flag === '--runs') out.runs = Math.max(1, Number(value));
    else if (flag === '--dist') out.dist = path.resolve(value);
    else if (flag === '--ten-million') out.tenMillion = path.resolve(value);
    else if (flag === '--no-reference') {
      out.reference = false;
      i -= 1;
    } else if (flag === '--duckdb-coi') {
      out.duckdbCoi = true;
      i -= 1;
    } else throw new Error(`unknown argument ${flag}`);
  }
  if (!out.data && !out.tenMillion) {
    throw new Error('usage: browser.mjs --data DIR [--runs N] [--dist DIR] [--no-reference] | --ten-million DIR [--dist DIR]');
  }
  return out;
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

  // The workers' wasm memory, measured rather than self-reported: benchHook runs on the
  // page and first in every worker script made from a Blob (so in nested workers too).
  // In a worker it keeps the WebAssembly.Memory objects its module makes or exports and
  // posts their size on the BroadcastChannel "bench-worker-memory" (on each message it
  // posts, every 100 ms when idle, and on close); everywhere it numbers each Worker it
  // starts (a first message that the child's hook swallows) and says when one is
  // terminated, so __peak.workers is the peak of the live workers' sum.
  function benchHook(isPage) {
    const channel = new BroadcastChannel('bench-worker-memory');
    let id = isPage ? 'page' : null;
    if (!isPage) {
      const memories = new Set();
      const NativeMemory = WebAssembly.Memory;
      WebAssembly.Memory = function Memory(descriptor) {
        const memory = new NativeMemory(descriptor);
        memories.add(memory);
        return memory;
      };
      WebAssembly.Memory.prototype = NativeMemory.prototype;
      const keep = (result) => {
        const instance = result?.instance ?? result;
        for (const value of Object.values(instance?.exports ?? {})) {
          if (value instanceof NativeMemory) memories.add(value);
        }
        return result;
      };
      for (const name of ['instantiate', 'instantiateStreaming']) {
        const native = WebAssembly[name];
        WebAssembly[name] = (...args) => native.apply(WebAssembly, args).then(keep);
      }
      let last = -1;
      const report = (dead = false) => {
        let bytes = 0;
        for (const memory of memories) bytes += memory.buffer.byteLength;
        if (id != null && (bytes !== last || dead)) {
          last = bytes;
          channel.postMessage({ id, bytes, dead });
        }
      };
      self.addEventListener('message', (event) => {
        if (event.data && typeof event.data === 'object' && '__benchWorker' in event.data) {
          id = event.data.__benchWorker;
          event.stopImmediatePropagation();
          report();
        }
      });
      const post = self.postMessage.bind(self);
      self.postMessage = (...args) => {
        report();
        return post(...args);
      };
      const close = self.close.bind(self);
      self.close = () => {
        report(true);
        close();
      };
      setInterval(() => report(), 100);
    }
    const HOOK = `(${benchHook.toString()})(false);\n`;
    const NativeBlob = self.Blob;
    self.Blob = function Blob(parts, options) {
      const script = /javascript/.test(options?.type ?? '') && Array.isArray(parts);
      return new NativeBlob(script ? [HOOK, ...parts] : parts, options);
    };
    self.Blob.prototype = NativeBlob.prototype;
    const NativeWorker = self.Worker;
    if (!NativeWorker) return;
    let seq = 0;
    self.Worker = function Worker(url, options) {
      const worker = new NativeWorker(url, options);
      seq += 1;
      const child = `${id ?? Math.random().toString(36).slice(2)}.${seq}`;
      channel.postMessage({ id: child, bytes: 0, born: true });
      worker.postMessage({ __benchWorker: child });
      const terminate = worker.terminate.bind(worker);
      worker.terminate = () => {
        channel.postMessage({ id: child, bytes: 0, dead: true });
        terminate();
      };
      return worker;
    };
    self.Worker.prototype = NativeWorker.prototype;
  }
  benchHook(true);
  const workers = new Map(); // id → { bytes, dead }
  window.__peak.workers = 0;
  window.__peak.workerCount = 0;
  new BroadcastChannel('bench-worker-memory').onmessage = (event) => {
    const { id, bytes, dead } = event.data;
    const w = workers.get(id) ?? { bytes: 0, dead: false };
    workers.set(id, w);
    w.bytes = Math.max(w.bytes, bytes);
    if (dead) w.dead = true;
    let sum = 0;
    for (const x of workers.values()) if (!x.dead) sum += x.bytes;
    window.__peak.workers = Math.max(window.__peak.workers, sum);
    window.__peak.workerCount = workers.size;
    window.__peak.perWorker = Object.fromEntries([...workers].map(([k, x]) => [k, x.bytes]));
  };
}

/** Resolves when the page's main thread has been idle (two frames and a task). */
const IDLE = () =>
  new Promise((resolve) =>
    requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 0))),
  );

async function oneRun(browser, baseUrl, files) {
  const before = new Set(rendererPids());
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  context.setDefaultTimeout(TIMEOUT_MS);
  await context.addInitScript(instrument);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(new URL('data', baseUrl).href);
  const pids = rendererPids().filter((p) => !before.has(p));
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

  // The headline values shown, to set beside DuckDB-WASM's (a check that both computed
  // the same sums).
  const shown = await page.evaluate(() =>
    Object.fromEntries(
      ['roas', 'impressions', 'engagement_rate'].map((id) => [
        id,
        document.querySelector(`[data-kpi="${id}"]`)?.dataset.value ?? null,
      ]),
    ),
  );
  // Long tasks from the drop to the KPIs rendered (the load), then during the filter
  // changes (after it).
  const loadTasks = await page.evaluate(() => window.__longTasks.splice(0));
  const filterMs = await filterTimings(page);
  const afterTasks = await page.evaluate(() => window.__longTasks.slice());
  const peak = await page.evaluate(() => window.__peak);
  const rss = rendererPeakRss(pids);
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
    shown,
    loadTasks,
    afterTasks,
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

const KB = 1000;
const MB = 1e6;
const ms = (v) => (v == null || Number.isNaN(v) ? '—' : `${v.toFixed(0)} ms`);
const ms1 = (v) => (v == null || Number.isNaN(v) ? '—' : `${v.toFixed(1)} ms`);
const yes = (ok) => (ok == null ? '—' : ok ? 'yes' : 'NO');
const longest = (tasks) => Math.max(0, ...tasks.map((t) => t.duration));
/** "N (longest L ms)": a median count of long tasks and the median longest one. */
const taskCell = (runs, key) =>
  runs.length
    ? `${median(runs.map((r) => r[key].length))} (longest ${median(runs.map((r) => longest(r[key]))).toFixed(0)} ms)`
    : '—';

/** The number of newlines in `file`, read in 8 MiB chunks. */
function countLines(file) {
  const fd = openSync(file, 'r');
  const buffer = Buffer.alloc(8 << 20);
  let lines = 0;
  try {
    for (let n; (n = readSync(fd, buffer, 0, buffer.length, null)) > 0; ) {
      for (let i = 0; i < n; i += 1) if (buffer[i] === 10) lines += 1;
    }
  } finally {
    closeSync(fd);
  }
  return lines;
}

/** Prints rows as a plain-text table with a header rule. */
function printTable(header, rows) {
  const widths = header.map((_, c) => Math.max(...[header, ...rows].map((r) => String(r[c]).length)));
  const line = (r) => `| ${r.map((v, c) => String(v).padEnd(widths[c])).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}

async function benchmark(opts) {
  const files = ['campaigns.csv', 'creators.csv', 'posts.csv']
    .map((f) => path.join(opts.data, f))
    .filter((f) => statSync(f, { throwIfNoEntry: false }));
  const postsFile = path.join(opts.data, 'posts.csv');
  const bytes = files.reduce((sum, f) => sum + statSync(f).size, 0);
  const postsBytes = statSync(postsFile).size;
  const postsRows = countLines(postsFile) - 1;
  const reference = opts.reference && duckdbPackageVersion() != null;
  if (opts.reference && !reference) {
    console.log(`(no DuckDB-WASM in ${REFERENCE_DIR}/node_modules: .ci/bench installs it; reference lines skipped)`);
  }
  const server = await startServer({ dir: opts.dist });
  const refServer = reference ? await startReferenceServer() : null;
  const coiServer = reference && opts.duckdbCoi ? await startIsolatedReferenceServer() : null;
  const browser = await launch(['--enable-precise-memory-info']);
  const runs = [];
  const ducks = [];
  const floors = [];
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
          `; workers' peak wasm MB ${Object.entries(run.peak.perWorker ?? {}).map(([k, b]) => `${k}: ${(b / MB).toFixed(0)}`).join(', ') || 'none'}` +
          (run.errors.length ? `, page errors: ${run.errors.join('; ')}` : ''),
      );
      if (!reference) continue;
      const duck = await duckdbRun(browser, refServer.url, postsFile, { probe: i === 0 });
      ducks.push(duck);
      const s = duck.startup;
      const l = duck.load;
      console.log(
        `  DuckDB-WASM ${s.version}: start-up ${(s.instantiateMs + s.connectMs).toFixed(0)} ms ` +
          `(instantiate ${s.instantiateMs.toFixed(0)}, connect ${s.connectMs.toFixed(0)}; module import ${s.importMs.toFixed(0)} before it), ` +
          `drop → KPIs ${l.totalMs.toFixed(0)} ms (register ${l.registerMs.toFixed(0)}, CREATE TABLE from read_csv ${l.createMs.toFixed(0)}, ` +
          `KPI query ${l.kpiMs.toFixed(0)}; ${l.values.posts} posts, ROAS ${l.values.roas?.toFixed(4)}), ` +
          `filters median ${median(duck.filterMs).toFixed(1)} ms (compute ${median(duck.filterComputeMs).toFixed(1)}), ` +
          `wasm ${(duck.peak.wasm / MB).toFixed(0)} MB, RSS ${(duck.rss / MB).toFixed(0)} MB` +
          (duck.errors.length ? `, page errors: ${duck.errors.join('; ')}` : ''),
      );
      if (coiServer) {
        const coi = await duckdbRun(browser, coiServer.url, postsFile, { bundle: 'coi' }).catch((e) => ({
          error: e.message.split('\n')[0],
        }));
        if (coi.error) console.log(`  DuckDB-WASM coi bundle failed: ${coi.error}`);
        else console.log(
          `  DuckDB-WASM coi bundle (${coi.startup.threads} threads, cross-origin isolated ${coi.startup.isolated}): ` +
            `start-up ${(coi.startup.instantiateMs + coi.startup.connectMs).toFixed(0)} ms, drop → KPIs ${coi.load.totalMs.toFixed(0)} ms ` +
            `(CREATE TABLE ${coi.load.createMs.toFixed(0)}), filters median ${median(coi.filterMs).toFixed(1)} ms, ` +
            `p95 ${quantile(coi.filterMs, 0.95).toFixed(1)} ms, wasm ${(coi.peak.wasm / MB).toFixed(0)} MB, RSS ${(coi.rss / MB).toFixed(0)} MB`,
        );
      }
      const floor = await floorRun(browser, refServer.url, postsFile);
      floors.push(floor);
      console.log(
        `  floor: read ${floor.load.readMs.toFixed(0)} ms + one pass ${floor.load.passMs.toFixed(0)} ms ` +
          `(${floor.load.lines} newlines) = ${floor.load.totalMs.toFixed(0)} ms, RSS ${(floor.rss / MB).toFixed(0)} MB`,
      );
    }
  } finally {
    await browser.close();
    await server.close();
    if (refServer) await refServer.close();
    if (coiServer) await coiServer.close();
  }
  const total = runs.map((r) => r.loadMs + r.summaryMs);
  const filters = runs.flatMap((r) => r.filterMs);
  const longTasks = runs.map((r) => r.ingestTasks.length);
  const longestTasks = runs.map((r) => longest(r.ingestTasks));
  const mb = bytes / MB;
  // The workers' wasm memory as measured (workerHook), else as the data worker reports it.
  const workersBytes = (r) => (r.peak.workers > 0 ? r.peak.workers : (r.worker.worker_memory_bytes ?? 0));
  const peakHeap = runs.map((r) => r.peak.js + r.peak.wasm + workersBytes(r));
  const parseTasks = runs.map((r) => r.parseTasks.length);
  const w = (key) => median(runs.map((r) => r.worker[key] ?? 0)).toFixed(0);
  const bundles = bundleSizes(opts.dist);
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
    ['filter recompute median', `${median(filters).toFixed(1)} ms over ${filters.length} changes`],
    ['filter recompute p95', `${quantile(filters, 0.95).toFixed(1)} ms  (target ≤ 30 ms)`],
    ['long tasks > 50 ms during ingest (median count)', `${median(longTasks)}, longest ${median(longestTasks).toFixed(0)} ms (median)  (target 0)`],
    ['  of which while the worker parses', `${median(parseTasks)}`],
    ['peak JS heap + wasm memory (median)', `${(median(peakHeap) / MB).toFixed(0)} MB = ${(median(peakHeap) / bytes).toFixed(2)} × the files  (target ≤ 2.0 ×)`],
    ['  of which page wasm memory', `${(median(runs.map((r) => r.peak.wasm)) / MB).toFixed(0)} MB`],
    ['  of which page JS heap', `${(median(runs.map((r) => r.peak.js)) / MB).toFixed(0)} MB`],
    [
      '  of which workers wasm memory (measured: peak of the live workers)',
      `${(median(runs.map(workersBytes)) / MB).toFixed(0)} MB (${median(runs.map((r) => r.peak.workerCount))} workers started)`,
    ],
    ['  worker wasm memory as the data worker reports it', `${(median(runs.map((r) => r.worker.worker_memory_bytes ?? 0)) / MB).toFixed(0)} MB`],
    ['peak renderer RSS (median)', `${(median(runs.map((r) => r.rss)) / MB).toFixed(0)} MB`],
  ];
  rows.push(['demo: navigation → first dashboard (median)', `${median(runs.map((r) => r.demoMs)).toFixed(0)} ms  (target ≤ 600 ms)`]);
  for (const b of bundles) {
    const target = b.file.startsWith('worker') ? '(the data worker, fetched on the first big file)' : '(target ≤ 400 KB gzip)';
    rows.push([`bundle ${b.file}`, `${b.raw} bytes raw, ${b.gzip} bytes gzip  ${target}`]);
  }
  console.log('\nbrowser benchmark (headless Chromium, release bundle)');
  for (const [name, value] of rows) console.log(`  ${name.padEnd(50)} ${value}`);

  // DuckDB-WASM and the floor.
  const duckStartup = ducks.map((d) => d.startup.instantiateMs + d.startup.connectMs);
  const duckDrop = ducks.map((d) => d.load.totalMs);
  const duckWithStartup = ducks.map((d, i) => duckStartup[i] + duckDrop[i]);
  const duckFilters = ducks.flatMap((d) => d.filterMs);
  const duckCompute = ducks.flatMap((d) => d.filterComputeMs);
  const duckPeak = ducks.map((d) => d.peak.js + d.peak.wasm);
  const floorDrop = floors.map((f) => f.load.totalMs);
  const floorPeak = floors.map((f) => f.peak.js); // the JS heap counts the ArrayBuffer read
  const duckWasm = reference
    ? (() => {
        const bytes = readFileSync(path.join(REFERENCE_DIR, 'node_modules/@duckdb/duckdb-wasm/dist/duckdb-eh.wasm'));
        return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
      })()
    : null;
  if (reference) {
    const d = (f) => median(ducks.map(f));
    console.log(`\nreference lines (same browser session, posts.csv only: ${(postsBytes / MB).toFixed(1)} MB)`);
    const refRows = [
      ['DuckDB-WASM', `@duckdb/duckdb-wasm ${duckdbPackageVersion()} (DuckDB ${ducks[0]?.startup.version}), exception-handling bundle, served locally`],
      ['  module import (apache-arrow as ES modules)', `${d((x) => x.startup.importMs).toFixed(0)} ms (median; not in its start-up)`],
      ['  start-up: instantiate / connect', `${d((x) => x.startup.instantiateMs).toFixed(0)} / ${d((x) => x.startup.connectMs).toFixed(0)} ms (median)`],
      ['  drop: register File / CREATE TABLE read_csv / KPI query', `${d((x) => x.load.registerMs).toFixed(0)} / ${d((x) => x.load.createMs).toFixed(0)} / ${d((x) => x.load.kpiMs).toFixed(0)} ms (median)`],
      [
        '  CREATE TABLE, run 1: sniff_csv alone / a bare scan (count(*) from read_csv)',
        `${ducks[0]?.probe.sniffMs?.toFixed(0)} / ${ducks[0]?.probe.scanMs?.toFixed(0)} ms (the rest of CREATE TABLE: building its columns)`,
      ],
      ['  filter change median / p95 (query only)', `${median(duckCompute).toFixed(1)} / ${quantile(duckCompute, 0.95).toFixed(1)} ms over ${duckCompute.length} changes`],
      ['  filter change median / p95 (query, DOM and a frame)', `${median(duckFilters).toFixed(1)} / ${quantile(duckFilters, 0.95).toFixed(1)} ms`],
      ['  page JS heap / worker wasm memory', `${(d((x) => x.peak.js) / MB).toFixed(0)} / ${(d((x) => x.peak.wasm) / MB).toFixed(0)} MB (median)`],
      ['  posts counted / ROAS / impressions', `${ducks[0]?.load.values.posts} / ${ducks[0]?.load.values.roas?.toFixed(6)} / ${ducks[0]?.load.values.impressions} (the app shows ROAS ${runs[0]?.shown.roas}, impressions ${runs[0]?.shown.impressions})`],
      ['floor: read the File (arrayBuffer) / one JS pass (its memory: the JS heap, which holds the bytes read)', `${median(floors.map((f) => f.load.readMs)).toFixed(0)} / ${median(floors.map((f) => f.load.passMs)).toFixed(0)} ms (median)`],
    ];
    for (const [name, value] of refRows) console.log(`  ${name.padEnd(60)} ${value}`);
  }

  // The one table of issue 16's targets.
  const app = median(total);
  const ratio = reference ? median(duckWithStartup) / app : null;
  const appFilterP95 = quantile(filters, 0.95);
  const appPeakRatio = median(peakHeap) / bytes;
  const pageWasm = bundles.find((b) => !b.file.startsWith('worker'));
  const demo = median(runs.map((r) => r.demoMs));
  const loadTaskCount = median(runs.map((r) => r.loadTasks.length));
  const afterTaskCount = median(runs.map((r) => r.afterTasks.length));
  const ref = (f) => (reference ? f() : '—');
  const memCell = (peak, file) => `${(peak / file).toFixed(2)} × (${(peak / MB).toFixed(0)} MB)`;
  const table = [
    [
      `${postsRows.toLocaleString('en')} posts (${(postsBytes / MB).toFixed(0)} MB): drop → every Executive Summary KPI rendered`,
      ms(app),
      ref(() => `${ms(median(duckDrop))} (+ start-up ${ms(median(duckStartup))})`),
      ref(() => ms(median(floorDrop))),
      '≤ 1000 ms',
      yes(app <= 1000),
    ],
    [
      'DuckDB-WASM with start-up ÷ this app',
      ref(() => `${ratio.toFixed(2)} ×`),
      ref(() => ms(median(duckWithStartup))),
      '—',
      '≥ 4 ×',
      reference ? yes(ratio >= 4) : '—',
    ],
    ['filter change p95', ms1(appFilterP95), ref(() => ms1(quantile(duckFilters, 0.95))), '—', '≤ 30 ms', yes(appFilterP95 <= 30)],
    ['filter change median', ms1(median(filters)), ref(() => ms1(median(duckFilters))), '—', '—', '—'],
    [
      'peak wasm + JS memory ÷ file size',
      memCell(median(peakHeap), bytes),
      ref(() => memCell(median(duckPeak), postsBytes)),
      ref(() => memCell(median(floorPeak), postsBytes)),
      '≤ 2.0 ×',
      yes(appPeakRatio <= 2.0),
    ],
    [
      'peak renderer RSS',
      `${(median(runs.map((r) => r.rss)) / MB).toFixed(0)} MB`,
      ref(() => `${(median(ducks.map((x) => x.rss)) / MB).toFixed(0)} MB`),
      ref(() => `${(median(floors.map((x) => x.rss)) / MB).toFixed(0)} MB`),
      '—',
      '—',
    ],
    [
      'main-thread tasks > 50 ms during the load',
      taskCell(runs, 'loadTasks'),
      ref(() => taskCell(ducks, 'loadTasks')),
      ref(() => taskCell(floors, 'tasks')),
      '0',
      yes(loadTaskCount === 0),
    ],
    [
      'main-thread tasks > 50 ms after it (filter changes)',
      taskCell(runs, 'afterTasks'),
      ref(() => taskCell(ducks, 'afterTasks')),
      '—',
      '0',
      yes(afterTaskCount === 0),
    ],
    [
      'page .wasm gzip -9',
      pageWasm ? `${(pageWasm.gzip / KB).toFixed(0)} KB` : '—',
      ref(() => `${(duckWasm.gzip / KB).toFixed(0)} KB`),
      '—',
      '≤ 400 KB',
      pageWasm ? yes(pageWasm.gzip <= 400 * KB) : '—',
    ],
    ["demo's first dashboard", ms(demo), '—', '—', '≤ 600 ms', yes(demo <= 600)],
  ];
  console.log(`\nissue 16 targets (medians of ${runs.length} runs; headless Chromium, one session)`);
  printTable(['figure', 'this app', 'DuckDB-WASM', 'floor', 'target', 'met?'], table);
}

/** The 10M-posts drop: every CSV of `dir` in one go, then what happened. */
async function tenMillion(opts) {
  const dir = opts.tenMillion;
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.csv'))
    .sort()
    .map((f) => path.join(dir, f));
  const sizes = files.map((f) => statSync(f).size);
  const bytes = sizes.reduce((a, b) => a + b, 0);
  console.log(`10M posts: ${files.length} files, ${(bytes / MB).toFixed(0)} MB: ${files.map((f, i) => `${path.basename(f)} ${(sizes[i] / MB).toFixed(0)} MB`).join(', ')}`);
  const server = await startServer({ dir: opts.dist });
  const browser = await launch(['--enable-precise-memory-info']);
  try {
    const before = new Set(rendererPids());
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    context.setDefaultTimeout(TIMEOUT_MS);
    await context.addInitScript(instrument);
    const page = await context.newPage();
    let crashed = false;
    page.on('crash', () => {
      crashed = true;
    });
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(new URL('data', server.url).href);
    const pids = rendererPids().filter((p) => !before.has(p));
    await page.locator('#clear-workspace').click();
    await page.evaluate(IDLE);
    const start = await page.evaluate(() => performance.now());
    const t0 = Date.now();
    await page.locator('input#file-input').setInputFiles(files);
    const posts = files.filter((f) => /posts/.test(path.basename(f)));
    // Loaded: a report for every posts file; or a message.
    const outcome = await page
      .waitForFunction(
        (names) =>
          ((window.__lastProgress = document.getElementById('ingest-progress')?.innerText ?? window.__lastProgress),
          document.getElementById('load-error'))
            ? 'message'
            : names.every((n) => document.querySelector(`[data-file-report="${n}"]`))
              ? 'loaded'
              : false,
        posts.map((f) => path.basename(f)),
        { timeout: 1_200_000, polling: 500 },
      )
      .then((h) => h.jsonValue())
      .catch((e) => (crashed ? 'crashed' : `timeout (${e.message.split('\n')[0]})`));
    const wallMs = Date.now() - t0;
    console.log(`outcome: ${outcome} after ${(wallMs / 1000).toFixed(1)} s`);
    if (!crashed) {
      const info = await page.evaluate((start) => {
        const answered = performance.getEntriesByName('ingest-answered').pop();
        const detail = answered ? JSON.parse(answered.detail ?? '{}') : null;
        return {
          ms: performance.now() - start,
          message: document.getElementById('load-error')?.innerText ?? null,
          reports: [...document.querySelectorAll('[data-file-report]')].map((r) => `${r.dataset.fileReport}: ${r.querySelector('.counts')?.innerText.replace(/\s+/g, ' ') ?? ''}`),
          dataset: document.getElementById('dataset-name')?.innerText ?? null,
          progress: window.__lastProgress?.replace(/\s+/g, ' ') ?? null,
          worker: detail,
          peak: window.__peak,
        };
      }, start);
      if (info.progress) console.log(`  last progress seen: ${info.progress}`);
      if (info.message) console.log(`message shown: ${info.message}`);
      for (const r of info.reports) console.log(`  report ${r}`);
      if (info.dataset) console.log(`  dataset: ${info.dataset}`);
      if (info.worker) {
        console.log(
          `  worker: parse ${info.worker.parse_ms} ms, finish ${info.worker.finish_ms} ms, ` +
            `wasm memory ${((info.worker.worker_memory_bytes ?? 0) / MB).toFixed(0)} MB (${((info.worker.worker_memory_bytes ?? 0) / bytes).toFixed(2)} × the files)`,
        );
      }
      const perWorker = Object.entries(info.peak?.perWorker ?? {});
      console.log(
        `  workers' wasm memory measured: peak of the live workers ${((info.peak?.workers ?? 0) / MB).toFixed(0)} MB` +
          ` (${((info.peak?.workers ?? 0) / bytes).toFixed(2)} × the files); each worker's peak: ` +
          `${perWorker.map(([k, b]) => `${k} ${(b / MB).toFixed(0)} MB`).join(', ') || 'none'}`,
      );
      if (outcome === 'loaded') console.log(`  drop → posts reports: ${(info.ms / 1000).toFixed(1)} s`);
    }
    // Did the tab survive: does the nav still work?
    let survived = false;
    if (!crashed) {
      try {
        await page.locator('nav[aria-label="Main"] a[href="/"]').first().click({ timeout: 30_000 });
        await page.locator('h1', { hasText: 'Executive Summary' }).waitFor({ timeout: 60_000 });
        const kpis = await page.locator('[data-kpi="roas"]').count();
        survived = true;
        console.log(`  nav → Executive Summary works (${kpis ? 'KPIs shown' : 'no KPIs: empty state'})`);
      } catch (e) {
        console.log(`  nav failed: ${e.message.split('\n')[0]}`);
      }
    }
    console.log(`  peak renderer RSS ${(rendererPeakRss(pids) / MB).toFixed(0)} MB`);
    if (errors.length) console.log(`  page errors: ${errors.join('; ')}`);
    console.log(`10M posts: ${outcome}; the tab ${crashed ? 'CRASHED' : survived ? 'survived (the nav works)' : 'did not answer the nav'}`);
    await context.close();
  } finally {
    await browser.close();
    await server.close();
  }
}

async function main() {
  const opts = options();
  if (opts.tenMillion) await tenMillion(opts);
  else await benchmark(opts);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
