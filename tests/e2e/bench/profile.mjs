// Where the benchmark's times go (issue 16): CPU profiles and traces of the release
// bundle in headless Chromium, split into parts, medians over the runs.
//
// - filter: after a load of DIR, each filter change on the Executive Summary (as in
//   browser.mjs) split into: the page before it asks; per question (results, trend
//   comparison, alerts) the worker's handler (compute + serialize, as its CPU profile
//   splits it when the bundle has a name section), the answer's bytes, postMessage and
//   the wait until the page's handler starts; the page's decode (its onmessage handler);
//   the reactive update and DOM up to `kpis-rendered`; the frame after it. Beside that,
//   the page's and the worker's CPU profiles by category (wasm, DOM bindings, GC,
//   "(program)") and the trace's style / layout / paint.
// - demo: navigation → first `kpis-rendered`: the .wasm and .js fetched (resource
//   timing), compile + instantiate (wrapped), main() to the mark (by category and by
//   top functions), style / layout / paint, fonts and CSS.
// - load: the main-thread tasks over 50 ms from the drop to the KPIs rendered, each with
//   its top self-time and inclusive functions from the page's CPU profile.
//
// Function names need a bundle with a name section: trunk's wasm-opt drops it, so
// `--names` expects DIST's .wasm files to have been replaced by copies built with
// `wasm-opt -g` (see the report of issue 16's profiling; `bench/profile-names.sh`).
//
// usage: node tests/e2e/bench/profile.mjs --data DIR [--dist DIR] [--runs 3]
//        [--part filter,demo,load] [--changes 20] [--out DIR] [--top 15] [--no-cpu]
// (--no-cpu: the filter part's timings only, without its CPU-profiled pass)
// Writes each CPU profile (.cpuprofile, openable in DevTools) under --out.

import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { launch, REPO_ROOT } from '../helpers.mjs';
import { startServer } from '../serve.mjs';
import { median } from './proc.mjs';

const TIMEOUT_MS = 600_000;

function options() {
  const out = {
    data: null,
    dist: path.join(REPO_ROOT, 'dist'),
    runs: 3,
    parts: ['filter', 'demo', 'load'],
    changes: 20,
    out: path.join(REPO_ROOT, 'target/profiles'),
    top: 15,
    cpu: true,
  };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--data') out.data = path.resolve(value);
    else if (flag === '--dist') out.dist = path.resolve(value);
    else if (flag === '--runs') out.runs = Math.max(1, Number(value));
    else if (flag === '--part') out.parts = value.split(',');
    else if (flag === '--changes') out.changes = Number(value);
    else if (flag === '--out') out.out = path.resolve(value);
    else if (flag === '--top') out.top = Number(value);
    else if (flag === '--no-cpu') {
      out.cpu = false;
      i -= 1;
    }
    else throw new Error(`unknown argument ${flag}`);
  }
  if (!out.data && out.parts.some((p) => p !== 'demo')) throw new Error('usage: profile.mjs --data DIR [...]');
  return out;
}

// Installed before the app starts (page and, through the Blob hook, every worker
// script): each message handler's start and end, each postMessage, on the same clock
// (timeOrigin + now), collected on the page in window.__prof.
function hooks() {
  const now = () => performance.timeOrigin + performance.now();
  const describe = (data) => {
    if (!data || typeof data !== 'object') return { type: String(data) };
    const d = { type: data.type, id: data.id };
    if (typeof data.answer === 'string') d.bytes = data.answer.length + (data.reasons?.length ?? 0);
    if (typeof data.question === 'string') {
      try {
        d.question = Object.keys(JSON.parse(data.question))[0] ?? JSON.parse(data.question);
      } catch {
        d.question = '?';
      }
    }
    return d;
  };
  const isWorker = typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope;
  const channel = new BroadcastChannel('profile-hooks');
  if (isWorker) {
    const send = (r) => channel.postMessage({ thread: 'worker', ...r });
    let handler = null;
    Object.defineProperty(self, 'onmessage', {
      configurable: true,
      get: () => handler,
      set(f) {
        handler = f;
        self.addEventListener('message', (e) => {
          if (handler !== f) return;
          const t0 = now();
          try {
            f.call(self, e);
          } finally {
            send({ what: 'handle', t0, t1: now(), ...describe(e.data) });
          }
        });
      },
    });
    const post = self.postMessage.bind(self);
    self.postMessage = (...args) => {
      const t0 = now();
      const r = post(...args);
      send({ what: 'post', t0, t1: now(), ...describe(args[0]) });
      return r;
    };
  } else {
    window.__prof = { records: [] };
    channel.onmessage = (e) => window.__prof.records.push(e.data);
    const NativeWorker = window.Worker;
    window.Worker = function Worker(url, opts) {
      const worker = new NativeWorker(url, opts);
      let handler = null;
      worker.addEventListener('message', (e) => {
        const t0 = now();
        if (handler) handler.call(worker, e);
        window.__prof.records.push({ thread: 'page', what: 'handle', t0, t1: now(), ...describe(e.data) });
      });
      Object.defineProperty(worker, 'onmessage', { configurable: true, get: () => handler, set: (f) => (handler = f) });
      const post = worker.postMessage.bind(worker);
      worker.postMessage = (...args) => {
        const t0 = now();
        const r = post(...args);
        window.__prof.records.push({ thread: 'page', what: 'post', t0, t1: now(), ...describe(args[0]) });
        return r;
      };
      return worker;
    };
    window.Worker.prototype = NativeWorker.prototype;
    // Compile + instantiate of the page's .wasm.
    window.__prof.wasm = [];
    for (const name of ['instantiateStreaming', 'instantiate', 'compileStreaming']) {
      const native = WebAssembly[name];
      WebAssembly[name] = (...args) => {
        const t0 = now();
        return native.apply(WebAssembly, args).then((r) => {
          window.__prof.wasm.push({ name, t0, t1: now() });
          return r;
        });
      };
    }
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  }
  // Worker scripts made from a Blob get these hooks first.
  const HOOK = `(${hooks.toString()})();\n`;
  const NativeBlob = self.Blob;
  self.Blob = function Blob(parts, o) {
    const script = /javascript/.test(o?.type ?? '') && Array.isArray(parts);
    return new NativeBlob(script ? [HOOK, ...parts] : parts, o);
  };
  self.Blob.prototype = NativeBlob.prototype;
}

// ---------------------------------------------------------------- CPU profiles

/** Attaches the CPU profiler to the page and to each worker it starts (non-flat
 * auto-attach on the page's own CDP session). */
async function profilers(context, page) {
  const session = await context.newCDPSession(page);
  const workers = new Map(); // sessionId → { url }
  let seq = 0;
  const pending = new Map();
  session.on('Target.attachedToTarget', (e) => {
    if (e.targetInfo.type === 'worker') workers.set(e.sessionId, { url: e.targetInfo.url });
  });
  session.on('Target.detachedFromTarget', (e) => workers.delete(e.sessionId));
  session.on('Target.receivedMessageFromTarget', (e) => {
    const msg = JSON.parse(e.message);
    const p = pending.get(msg.id);
    if (p) {
      pending.delete(msg.id);
      if (msg.error) p.reject(new Error(msg.error.message));
      else p.resolve(msg.result);
    }
  });
  const toWorker = (sessionId, method, params = {}) =>
    new Promise((resolve, reject) => {
      const id = ++seq;
      pending.set(id, { resolve, reject });
      session.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch(reject);
    });
  await session.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  await session.send('Profiler.enable');
  await session.send('Profiler.setSamplingInterval', { interval: 100 });
  return {
    session,
    workerCount: () => workers.size,
    async start() {
      await session.send('Profiler.start');
      for (const id of workers.keys()) {
        await toWorker(id, 'Profiler.enable');
        await toWorker(id, 'Profiler.setSamplingInterval', { interval: 100 });
        await toWorker(id, 'Profiler.start');
      }
    },
    async stop() {
      const pageProfile = (await session.send('Profiler.stop')).profile;
      const workerProfiles = [];
      for (const [id, w] of workers) {
        try {
          workerProfiles.push({ url: w.url, profile: (await toWorker(id, 'Profiler.stop')).profile });
        } catch {
          // a worker that ended meanwhile
        }
      }
      return { page: pageProfile, workers: workerProfiles };
    },
  };
}

/** The category of a profile node's own time. */
function category(frame) {
  const { functionName: f, url } = frame;
  if (f === '(idle)') return 'idle';
  if (f === '(program)') return 'program (style/layout/paint, native)';
  if (f === '(garbage collector)') return 'gc';
  if (f === '(root)') return 'root';
  if (url.startsWith('wasm://') || /\.wasm/.test(url) || /^\$?func\d+|::/.test(f)) return 'wasm';
  if (/\.js/.test(url) && /^__wbg_|^__wbindgen|getStringFromWasm|passStringToWasm|getObject|addHeapObject|takeObject|handleError|getArrayU8/.test(f))
    return 'wasm-bindgen glue';
  if (url === '' && f) return 'browser API (DOM, TextDecoder, JSON)';
  return 'js';
}

/** Self and inclusive times (ms) of a profile's nodes, optionally within [t0, t1] µs. */
function analyse(profile, window = null) {
  const byId = new Map(profile.nodes.map((n) => [n.id, { ...n, self: 0 }]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  let t = profile.startTime;
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) {
    t += timeDeltas[i];
    // A sample's time: until the next one.
    const next = i + 1 < samples.length ? timeDeltas[i + 1] : 0;
    if (window && (t < window[0] || t > window[1])) continue;
    byId.get(samples[i]).self += next / 1000;
  }
  const categories = {};
  const selfBy = new Map();
  const inclBy = new Map();
  for (const n of byId.values()) {
    if (!n.self) continue;
    const c = category(n.callFrame);
    categories[c] = (categories[c] ?? 0) + n.self;
    const name = label(n.callFrame);
    selfBy.set(name, (selfBy.get(name) ?? 0) + n.self);
    // Inclusive: once per distinct name on the stack.
    const seen = new Set();
    for (let id = n.id; id != null; id = parent.get(id)) {
      const nm = label(byId.get(id).callFrame);
      if (seen.has(nm)) continue;
      seen.add(nm);
      inclBy.set(nm, (inclBy.get(nm) ?? 0) + n.self);
    }
  }
  return { categories, selfBy, inclBy };
}

function label(frame) {
  let f = frame.functionName || '(anonymous)';
  // Rust symbols: drop the hash.
  f = f.replace(/::h[0-9a-f]{16}$/, '');
  if (frame.url && !frame.url.startsWith('wasm') && !f.startsWith('(')) f += ` [${path.basename(frame.url.split('?')[0])}]`;
  return f;
}

/** Adds `from`'s maps into `into` (summing). */
function addInto(into, from) {
  for (const [k, v] of Object.entries(from.categories)) into.categories[k] = (into.categories[k] ?? 0) + v;
  for (const key of ['selfBy', 'inclBy'])
    for (const [k, v] of from[key]) into[key].set(k, (into[key].get(k) ?? 0) + v);
}
const emptyAnalysis = () => ({ categories: {}, selfBy: new Map(), inclBy: new Map() });

function printTop(title, map, n, scale = 1) {
  console.log(`    ${title}`);
  for (const [k, v] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) {
    console.log(`      ${(v / scale).toFixed(2).padStart(9)} ms  ${k.length > 140 ? k.slice(0, 137) + '...' : k}`);
  }
}

// ---------------------------------------------------------------- traces

const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'blink.user_timing',
  'v8',
  'loading',
];

/** The renderer main thread's time per trace event name within [t0, t1] (trace µs). */
function traceParts(events, window) {
  const names = new Map();
  for (const e of events) {
    if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args.name);
  }
  const pid = pageProcess(events);
  const mainThreads = new Set(
    [...names].filter(([k, n]) => n === 'CrRendererMain' && (pid == null || k.startsWith(`${pid}:`))).map(([k]) => k),
  );
  const parts = {};
  const WANT = new Set([
    'UpdateLayoutTree',
    'Layout',
    'PrePaint',
    'Paint',
    'Layerize',
    'UpdateLayer',
    'Commit',
    'HitTest',
    'ParseAuthorStyleSheet',
    'ScheduleStyleRecalculation',
    'InvalidateLayout',
    'MinorGC',
    'MajorGC',
    'V8.GC_SCAVENGER',
    'v8.compile',
    'v8.wasm.compileLazy',
    'v8.wasm.streamingCompile',
    'wasm.SyncCompile',
    'wasm.CompileLazy',
    'v8.wasm.tierUp',
    'ParseHTML',
    'EvaluateScript',
    'FunctionCall',
    'FireAnimationFrame',
    'RunMicrotasks',
  ]);
  for (const e of events) {
    if (!mainThreads.has(`${e.pid}:${e.tid}`)) continue;
    if (e.ph !== 'X' || !WANT.has(e.name)) continue;
    if (window && (e.ts < window[0] || e.ts > window[1])) continue;
    parts[e.name] = (parts[e.name] ?? 0) + (e.dur ?? 0) / 1000;
  }
  return parts;
}

/** The renderer process of the profiled page: the one whose user-timing marks the trace has. */
function pageProcess(events) {
  return events.find((e) => e.cat?.includes('user_timing') && /^(prof-|kpis-rendered)/.test(e.name))?.pid ?? null;
}

/** The trace timestamps (µs) of user-timing marks named `name`. */
function traceMarks(events, name) {
  return events.filter((e) => e.name === name && e.cat.includes('user_timing')).map((e) => e.ts);
}

/** Main-thread tasks of the trace over `minMs`, with their start and duration (µs). */
function traceTasks(events, minMs, window) {
  const names = new Map();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args.name);
  const pid = pageProcess(events);
  return events.filter(
    (e) =>
      e.ph === 'X' &&
      (pid == null || e.pid === pid) &&
      e.name === 'RunTask' &&
      names.get(`${e.pid}:${e.tid}`) === 'CrRendererMain' &&
      e.dur / 1000 > minMs &&
      (!window || (e.ts >= window[0] && e.ts <= window[1])),
  );
}

// ---------------------------------------------------------------- the parts

const IDLE = () =>
  new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 0))));

async function loaded(browser, baseUrl, files, { traceLoad = false, out = null, run = 0 } = {}) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  context.setDefaultTimeout(TIMEOUT_MS);
  await context.addInitScript(hooks);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(new URL('data', baseUrl).href);
  const prof = await profilers(context, page);
  await page.locator('#clear-workspace').click();
  await page.evaluate(IDLE);
  let load = null;
  if (traceLoad) {
    await browser.startTracing(page, { categories: TRACE_CATEGORIES });
    await prof.start();
    await page.evaluate(() => {
      window.__longTasks = [];
      performance.mark('prof-load-start');
    });
  }
  await page.locator('input#file-input').setInputFiles(files);
  await page.locator('[data-file-report="posts.csv"]').waitFor({ timeout: TIMEOUT_MS });
  await page.evaluate(IDLE);
  await page.evaluate(() => performance.clearMarks('kpis-rendered'));
  await page.locator('nav[aria-label="Main"] a[href="/"]').first().click();
  await page.locator('[data-kpi="roas"]').first().waitFor({ timeout: TIMEOUT_MS });
  await page.evaluate(IDLE);
  if (traceLoad) {
    await page.evaluate(() => performance.mark('prof-load-end'));
    const profiles = await prof.stop();
    const trace = JSON.parse((await browser.stopTracing()).toString());
    const events = trace.traceEvents ?? trace;
    const longTasks = await page.evaluate(() => window.__longTasks.slice());
    if (out) {
      writeFileSync(path.join(out, `load-page-${run}.cpuprofile`), JSON.stringify(profiles.page));
      writeFileSync(path.join(out, `load-trace-${run}.json`), JSON.stringify(trace));
    }
    load = { profiles, events, longTasks };
  }
  return { context, page, prof, errors, load };
}

/** The changes browser.mjs times: each select's first four options, then back to all. */
async function changesOf(page, max) {
  const changes = [];
  for (const id of ['filter-platform', 'filter-campaign', 'filter-creator', 'filter-preset']) {
    const values = await page.locator(`select#${id} option`).evaluateAll((o) => o.map((x) => x.value));
    const picks = values.filter((v) => v !== '' && v !== 'all').slice(0, 4);
    const reset = values.includes('all') ? 'all' : '';
    for (const value of [...picks, reset]) changes.push([id, value]);
  }
  return changes.slice(0, max);
}

/** One filter change, timed and split; its CPU profiles. */
async function oneChange(page, prof, [id, value], i) {
  if (prof) await prof.start();
  const r = await page.evaluate(
    async ([id, value, i]) => {
      const now = () => performance.timeOrigin + performance.now();
      const select = document.getElementById(id);
      if (!select || select.value === value) return null;
      window.__prof.records = [];
      const before = performance.now();
      const rendered = new Promise((resolve) => {
        const observer = new PerformanceObserver((list) => {
          const mark = list.getEntries().find((e) => e.name === 'kpis-rendered' && e.startTime >= before);
          if (mark) {
            observer.disconnect();
            resolve(mark.startTime);
          }
        });
        observer.observe({ type: 'mark' });
        setTimeout(() => resolve(null), 30_000);
      });
      performance.mark(`prof-change-start`);
      const t0 = now();
      select.value = value;
      select.dispatchEvent(new Event('change', { bubbles: true }));
      const dispatched = now();
      const at = await rendered;
      const markAt = at == null ? null : performance.timeOrigin + at;
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      const t1 = now();
      performance.mark(`prof-change-end`);
      // Let the workers' last records arrive.
      await new Promise((r) => setTimeout(r, 30));
      return { i, t0, dispatched, markAt, t1, records: window.__prof.records.slice() };
    },
    [id, value, i],
  );
  const profiles = prof ? await prof.stop() : null;
  return r ? { ...r, change: `${id}=${value}`, profiles } : null;
}

/** Splits one change's records into parts (ms). */
function split(c) {
  const rec = c.records;
  const asks = rec.filter((r) => r.thread === 'page' && r.what === 'post' && r.type === 'ask');
  const workerHandles = rec.filter((r) => r.thread === 'worker' && r.what === 'handle' && r.type === 'ask');
  const workerPosts = rec.filter((r) => r.thread === 'worker' && r.what === 'post' && r.type === 'answer');
  const pageHandles = rec.filter((r) => r.thread === 'page' && r.what === 'handle' && r.type === 'answer');
  const parts = { total: c.t1 - c.t0, cached: asks.length === 0 };
  parts['page: change → last ask posted'] = asks.length ? Math.max(...asks.map((a) => a.t1)) - c.t0 : 0;
  for (const h of workerHandles) {
    const post = workerPosts.find((p) => p.id === h.id);
    const q = h.question ?? '?';
    parts[`worker ${q}: compute + serialize`] = (post ? post.t0 : h.t1) - h.t0;
    parts[`worker ${q}: postMessage`] = post ? post.t1 - post.t0 : 0;
    parts[`worker ${q}: answer bytes`] = post?.bytes ?? 0;
    const ask = asks.find((a) => a.id === h.id);
    parts[`worker ${q}: queued (ask posted → handler starts)`] = ask ? h.t0 - ask.t1 : 0;
    const landed = pageHandles.find((p) => p.id === h.id);
    if (landed && post) {
      parts[`page ${q}: posted → page handler starts`] = landed.t0 - post.t1;
      parts[`page ${q}: decode (onmessage handler)`] = landed.t1 - landed.t0;
    }
  }
  if (workerHandles.length) {
    parts['worker: all questions, first handler start → last post'] =
      Math.max(...workerPosts.map((p) => p.t1), 0) - Math.min(...workerHandles.map((h) => h.t0));
  }
  const lastAnswer = pageHandles.length ? Math.max(...pageHandles.map((p) => p.t1)) : c.dispatched;
  if (c.markAt != null) {
    parts['page: last answer decoded → kpis-rendered (reactive update + DOM)'] = c.markAt - lastAnswer;
    parts['page: kpis-rendered → frame shown (style/layout/paint)'] = c.t1 - c.markAt;
  }
  return parts;
}

async function filterProfile(browser, baseUrl, files, opts, label) {
  const all = [];
  const pageAgg = emptyAnalysis();
  const workerAgg = emptyAnalysis();
  let profiled = 0;
  for (let run = 0; run < opts.runs; run++) {
    // Pass 1, the timings: hooks and a trace, no CPU profiler (its sampling slows wasm).
    {
      const { context, page, errors } = await loaded(browser, baseUrl, files);
      await page.waitForTimeout(300);
      const changes = await changesOf(page, opts.changes);
      await browser.startTracing(page, { categories: TRACE_CATEGORIES });
      const done = [];
      for (let i = 0; i < changes.length; i++) {
        const c = await oneChange(page, null, changes[i], i);
        if (c) done.push(c);
        await page.waitForTimeout(50);
      }
      const trace = JSON.parse((await browser.stopTracing()).toString());
      const events = trace.traceEvents ?? trace;
      if (run === 0) writeFileSync(path.join(opts.out, `filter-${label}-trace.json`), JSON.stringify(trace));
      const starts = traceMarks(events, 'prof-change-start');
      const ends = traceMarks(events, 'prof-change-end');
      done.forEach((c, k) => {
        c.parts = split(c);
        if (starts[k] != null && ends[k] != null) {
          const tp = traceParts(events, [starts[k], ends[k]]);
          for (const [n, v] of Object.entries(tp)) c.parts[`trace: ${n}`] = v;
          c.parts['trace: style + layout + paint (UpdateLayoutTree+Layout+PrePaint+Paint+Layerize+Commit)'] = [
            'UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'Commit',
          ].reduce((sum, n) => sum + (tp[n] ?? 0), 0);
        }
      });
      const first = done.find((c) => !c.parts.cached);
      if (run === 0 && first) {
        console.log(`  (one change, ${first.change}: its records, ms after the change)`);
        for (const r of first.records.sort((a, b) => a.t0 - b.t0)) {
          console.log(`    ${r.thread.padEnd(6)} ${r.what.padEnd(6)} ${String(r.type).padEnd(7)} ${(r.question ?? '').padEnd(10)} id ${String(r.id ?? '').padEnd(4)} ${(r.t0 - first.t0).toFixed(1).padStart(7)} → ${(r.t1 - first.t0).toFixed(1).padStart(7)} ${r.bytes ? r.bytes + ' B' : ''}`);
        }
        if (first.markAt) console.log(`    kpis-rendered at ${(first.markAt - first.t0).toFixed(1)}, frame at ${(first.t1 - first.t0).toFixed(1)}`);
      }
      if (errors.length) console.log(`  page errors: ${errors.join('; ')}`);
      all.push(...done);
      await context.close();
    }
    // Pass 2, the CPU profiles of the page and the worker (same changes, a fresh load).
    if (opts.cpu) {
      const { context, page, prof, errors } = await loaded(browser, baseUrl, files);
      await page.waitForTimeout(300);
      const changes = await changesOf(page, opts.changes);
      for (let i = 0; i < changes.length; i++) {
        const c = await oneChange(page, prof, changes[i], i);
        await page.waitForTimeout(50);
        if (!c || split(c).cached) continue;
        addInto(pageAgg, analyse(c.profiles.page));
        for (const w of c.profiles.workers) addInto(workerAgg, analyse(w.profile));
        profiled += 1;
        if (i === 1) {
          writeFileSync(path.join(opts.out, `filter-${label}-page-${run}.cpuprofile`), JSON.stringify(c.profiles.page));
          c.profiles.workers.forEach((w, j) =>
            writeFileSync(path.join(opts.out, `filter-${label}-worker${j}-${run}.cpuprofile`), JSON.stringify(w.profile)),
          );
        }
      }
      if (errors.length) console.log(`  page errors: ${errors.join('; ')}`);
      await context.close();
    }
  }
  const asked = all.filter((c) => !c.parts.cached);
  console.log(`\nfilter change, ${label}: ${all.length} changes over ${opts.runs} runs (${asked.length} asked the worker, ${all.length - asked.length} answered from the page's cache)`);
  const keys = [...new Set(asked.flatMap((c) => Object.keys(c.parts)))].filter((k) => k !== 'cached');
  const med = (k, set) => median(set.map((c) => c.parts[k] ?? 0));
  console.log(`  ${'part'.padEnd(72)} ${'median'.padStart(9)} ${'p95-ish max'.padStart(11)}  (changes that asked the worker)`);
  for (const k of keys) {
    const vals = asked.map((c) => c.parts[k] ?? 0);
    const unit = k.endsWith('bytes') ? 'B ' : 'ms';
    console.log(`  ${k.padEnd(72)} ${med(k, asked).toFixed(1).padStart(9)} ${Math.max(...vals).toFixed(1).padStart(11)} ${unit}`);
  }
  const cached = all.filter((c) => c.parts.cached);
  if (cached.length) {
    console.log(`  cached changes: total median ${med('total', cached).toFixed(1)} ms; reactive+DOM ${med('page: last answer decoded → kpis-rendered (reactive update + DOM)', cached).toFixed(1)} ms; trace Layout ${med('trace: Layout', cached).toFixed(1)} ms`);
  }
  const per = (agg, who) => {
    console.log(`  ${who} CPU profile, per change that asked (mean over ${profiled}):`);
    for (const [k, v] of Object.entries(agg.categories).sort((a, b) => b[1] - a[1])) {
      if (k === 'idle' || k === 'root') continue;
      console.log(`      ${(v / profiled).toFixed(2).padStart(9)} ms  ${k}`);
    }
    printTop('top self time', agg.selfBy, opts.top, profiled);
    printTop('top inclusive time', agg.inclBy, opts.top, profiled);
  };
  per(pageAgg, 'page');
  per(workerAgg, 'worker');
  return all;
}

async function demoProfile(browser, baseUrl, opts) {
  const rows = [];
  const agg = emptyAnalysis();
  for (let k = 0; k < 2 * opts.runs; k++) {
    // Even k: the timings (trace only); odd k: the CPU profile.
    const cpu = k % 2 === 1;
    const run = Math.floor(k / 2);
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.addInitScript(hooks);
    const page = await context.newPage();
    const prof = cpu ? await profilers(context, page) : null;
    await browser.startTracing(page, { categories: TRACE_CATEGORIES });
    if (cpu) await prof.start();
    await page.goto(baseUrl);
    await page.locator('[data-kpi="roas"]').first().waitFor({ timeout: TIMEOUT_MS });
    await page.evaluate(IDLE);
    const profiles = cpu ? await prof.stop() : null;
    const trace = JSON.parse((await browser.stopTracing()).toString());
    const events = trace.traceEvents ?? trace;
    const info = await page.evaluate(() => {
      const mark = performance.getEntriesByName('kpis-rendered')[0]?.startTime;
      const nav = performance.getEntriesByType('navigation')[0];
      const res = performance.getEntriesByType('resource').map((r) => ({
        name: r.name.split('/').pop(),
        start: r.startTime,
        end: r.responseEnd,
        bytes: r.encodedBodySize,
      }));
      const wasm = window.__prof.wasm.map((w) => ({ ...w, t0: w.t0 - performance.timeOrigin, t1: w.t1 - performance.timeOrigin }));
      const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null;
      return {
        mark,
        fcp,
        html: nav ? nav.responseEnd : null,
        dcl: nav ? nav.domContentLoadedEventEnd : null,
        res,
        wasm,
        fonts: document.fonts.size,
      };
    });
    // The page's profile from the navigation to the mark: trace and profile clocks agree
    // (both base::TimeTicks), the mark is in the trace.
    const markTs = traceMarks(events, 'kpis-rendered')[0];
    if (cpu) {
      addInto(agg, analyse(profiles.page, markTs ? [0, markTs] : null));
      writeFileSync(path.join(opts.out, `demo-page-${run}.cpuprofile`), JSON.stringify(profiles.page));
      await context.close();
      continue;
    }
    const navStart = events.find((e) => e.name === 'navigationStart' && e.args?.data?.isLoadingMainFrame)?.ts;
    const tp = traceParts(events, navStart && markTs ? [navStart, markTs] : null);
    writeFileSync(path.join(opts.out, `demo-trace-${run}.json`), JSON.stringify(trace));
    const wasmRes = info.res.find((r) => r.name.endsWith('_bg.wasm'));
    const jsRes = info.res.find((r) => /^kpi-dash-.*\.js$/.test(r.name));
    const css = info.res.filter((r) => r.name.endsWith('.css'));
    const inst = info.wasm.find((w) => w.name === 'instantiateStreaming') ?? info.wasm[0];
    const row = {
      'navigation → HTML received': info.html,
      'page .js fetched (start → end)': jsRes ? jsRes.end - jsRes.start : 0,
      'page .wasm fetched (start → end)': wasmRes ? wasmRes.end - wasmRes.start : 0,
      'page .wasm fetch start (after navigation)': wasmRes?.start ?? 0,
      'CSS fetched (all, end)': css.length ? Math.max(...css.map((r) => r.end)) : 0,
      'instantiateStreaming: call → resolved (fetch + compile + instantiate)': inst ? inst.t1 - inst.t0 : 0,
      'instantiateStreaming: wasm received → resolved (compile tail + instantiate)': inst && wasmRes ? inst.t1 - wasmRes.end : 0,
      'instantiated → kpis-rendered (main(), demo, compute, first render)': inst ? info.mark - inst.t1 : 0,
      'first-contentful-paint': info.fcp ?? 0,
      'navigation → kpis-rendered': info.mark,
      'fonts (document.fonts.size)': info.fonts,
    };
    for (const [k, v] of Object.entries(tp)) row[`trace: ${k}`] = v;
    rows.push(row);
    await context.close();
  }
  console.log(`\ndemo's first dashboard: ${opts.runs} runs (ms, median)`);
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  for (const k of keys) console.log(`  ${k.padEnd(80)} ${median(rows.map((r) => r[k] ?? 0)).toFixed(1).padStart(9)}   [${rows.map((r) => (r[k] ?? 0).toFixed(0)).join(', ')}]`);
  console.log('  page main thread CPU profile, navigation → kpis-rendered (mean per run, separate runs with the profiler on):');
  for (const [k, v] of Object.entries(agg.categories).sort((a, b) => b[1] - a[1])) {
    console.log(`      ${(v / opts.runs).toFixed(2).padStart(9)} ms  ${k}`);
  }
  printTop('top self time (mean per run)', agg.selfBy, opts.top, opts.runs);
  printTop('top inclusive time (mean per run)', agg.inclBy, opts.top, opts.runs);
}

async function loadProfile(browser, baseUrl, files, opts) {
  console.log(`\nlong tasks (> 50 ms) on the page's main thread from the drop to the KPIs rendered`);
  for (let run = 0; run < opts.runs; run++) {
    const { context, load, errors } = await loaded(browser, baseUrl, files, { traceLoad: true, out: opts.out, run });
    const tasks = traceTasks(load.events, 50);
    const [startTs] = traceMarks(load.events, 'prof-load-start');
    console.log(`  run ${run + 1}: ${load.longTasks.length} long tasks by PerformanceObserver (${load.longTasks.map((t) => t.duration.toFixed(0)).join(', ')} ms); ${tasks.length} trace RunTasks > 50 ms`);
    for (const t of tasks) {
      const a = analyse(load.profiles.page, [t.ts, t.ts + t.dur]);
      const tp = traceParts(load.events, [t.ts, t.ts + t.dur]);
      const cats = Object.entries(a.categories)
        .filter(([k]) => k !== 'idle' && k !== 'root')
        .sort((x, y) => y[1] - x[1])
        .map(([k, v]) => `${k} ${v.toFixed(0)}`)
        .join(', ');
      const trace = Object.entries(tp)
        .filter(([, v]) => v >= 1)
        .sort((x, y) => y[1] - x[1])
        .map(([k, v]) => `${k} ${v.toFixed(0)}`)
        .join(', ');
      console.log(`    task at +${startTs ? ((t.ts - startTs) / 1000).toFixed(0) : '?'} ms, ${(t.dur / 1000).toFixed(0)} ms: cpu ${cats}; trace ${trace}`);
      printTop('top self', a.selfBy, 8);
      printTop('top inclusive', a.inclBy, 12);
    }
    if (errors.length) console.log(`  page errors: ${errors.join('; ')}`);
    await context.close();
  }
}

async function main() {
  const opts = options();
  mkdirSync(opts.out, { recursive: true });
  const files = opts.data
    ? readdirSync(opts.data)
        .filter((f) => f.endsWith('.csv'))
        .sort()
        .map((f) => path.join(opts.data, f))
    : [];
  const server = await startServer({ dir: opts.dist });
  const browser = await launch(['--enable-precise-memory-info']);
  console.log(`profile: ${opts.dist}, data ${opts.data ?? '-'}, ${opts.runs} runs, parts ${opts.parts.join(',')}; profiles under ${opts.out}`);
  try {
    const label = opts.data ? path.basename(opts.data) : 'demo';
    if (opts.parts.includes('filter')) await filterProfile(browser, server.url, files, opts, label);
    if (opts.parts.includes('demo')) await demoProfile(browser, server.url, opts);
    if (opts.parts.includes('load')) await loadProfile(browser, server.url, files, opts);
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
