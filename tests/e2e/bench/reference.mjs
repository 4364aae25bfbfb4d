// The reference lines of `.ci/bench` (issue 16), run in the same headless Chromium as the
// app, on the same posts CSV: DuckDB-WASM (from npm, installed by `.ci/bench` into
// tests/e2e/bench/reference/node_modules and served by the benchmark's own server, no
// CDN) and the floor (read the File, one JS pass over its bytes counting newlines).
//
// DuckDB-WASM: start-up (import the module, instantiate the bundle, connect); drop → KPIs
// (the File put in an <input type=file>, registered, CREATE TABLE from read_csv, one
// query of the Executive Summary's main sums and ratios, written into the page, and a
// frame); filter changes (the same query WHERE platform= / campaign_id= / creator_id= /
// a 90-day range, four values each then no filter, as the app's filter bar does); peak
// memory: the page's JS heap plus the worker's wasm memory, and the renderer's peak RSS;
// long tasks over 50 ms on the page.

import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { mimeType, startServer } from '../serve.mjs';
import { rendererPeakRss, rendererPids } from './proc.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** The bench-only npm package folder. */
export const REFERENCE_DIR = path.join(HERE, 'reference');
const PACKAGE = path.join(REFERENCE_DIR, 'node_modules/@duckdb/duckdb-wasm/package.json');
const TIMEOUT_MS = 600_000;

/** The installed @duckdb/duckdb-wasm version, or null when it is not installed. */
export function duckdbPackageVersion() {
  return existsSync(PACKAGE) ? JSON.parse(readFileSync(PACKAGE, 'utf8')).version : null;
}

/** Serves the reference page and DuckDB-WASM's files. */
export function startReferenceServer() {
  return startServer({ dir: REFERENCE_DIR });
}

/**
 * Serves the same folder cross-origin isolated (COOP same-origin, COEP require-corp),
 * for DuckDB-WASM's multi-threaded ("coi") bundle, which needs SharedArrayBuffer.
 */
export function startIsolatedReferenceServer() {
  const server = createServer(async (req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    let file = path.resolve(REFERENCE_DIR, `.${urlPath}`);
    if (file !== REFERENCE_DIR && !file.startsWith(REFERENCE_DIR + path.sep)) file = null;
    if (file && urlPath.endsWith('/')) file = path.join(file, 'index.html');
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        'Content-Type': mimeType(file),
        'Cache-Control': 'no-store',
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Embedder-Policy': 'require-corp',
        'Cross-Origin-Resource-Policy': 'same-origin',
      });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        url: `http://127.0.0.1:${server.address().port}/`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

async function openPage(browser, url) {
  const before = new Set(rendererPids());
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  context.setDefaultTimeout(TIMEOUT_MS);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForFunction(() => window.ref);
  const pids = rendererPids().filter((p) => !before.has(p));
  return { context, page, errors, pids };
}

/** Puts `file` in the input `#id` and waits for the page's handler to finish. */
async function drop(page, id, file) {
  await page.evaluate(() => window.ref.armDrop());
  await page.locator(`#${id}`).setInputFiles(file);
  return page.evaluate(() => window.__dropDone);
}

/**
 * One DuckDB-WASM run on `postsFile`: start-up, drop → KPIs, filter changes, memory;
 * with `options.probe`, then the time of read_csv's sniffing and of a bare scan.
 */
export async function duckdbRun(browser, url, postsFile, options = {}) {
  const { context, page, errors, pids } = await openPage(browser, url);
  try {
    const startup = await page.evaluate((bundle) => window.ref.startup(bundle), options.bundle ?? 'eh');
    if (options.threads) {
      await page.evaluate((n) => window.ref.threads(n), options.threads);
      startup.threads = options.threads;
    }
    const load = await drop(page, 'duckdb-file', postsFile);
    if (load.error) throw new Error(`DuckDB-WASM: ${load.error}`);
    const loadTasks = await page.evaluate(() => window.__longTasks.splice(0));
    const choices = await page.evaluate(() => window.ref.choices());
    const wheres = [];
    for (const column of ['platform', 'campaign_id', 'creator_id']) {
      for (const value of choices[column]) wheres.push(`${column} = '${value.replaceAll("'", "''")}'`);
      wheres.push('');
    }
    const last = new Date(`${choices.lastDate}T00:00:00Z`);
    for (let k = 0; k < 4; k += 1) {
      const end = new Date(last.getTime() - k * 90 * 86_400_000);
      const start = new Date(end.getTime() - 89 * 86_400_000);
      const day = (d) => d.toISOString().slice(0, 10);
      wheres.push(`date BETWEEN DATE '${day(start)}' AND DATE '${day(end)}'`);
    }
    wheres.push('');
    await page.evaluate(() => {
      window.__longTasks = [];
    });
    const filters = [];
    for (const where of wheres) {
      filters.push(await page.evaluate((w) => window.ref.filter(w), where));
      await page.waitForTimeout(50);
    }
    const peaks = await page.evaluate(() => window.ref.peaks());
    // Where CREATE TABLE's time goes (after the figures above): the dialect sniffing
    // alone, and a scan of the CSV that materialises no column.
    const probe = {};
    if (options.probe) {
      probe.sniffMs = (await page.evaluate(() => window.ref.sql("SELECT * FROM sniff_csv('posts.csv')"))).ms;
      probe.scanMs = (
        await page.evaluate(() => window.ref.sql("SELECT count(*) FROM read_csv('posts.csv', header = true)"))
      ).ms;
    }
    return {
      probe,
      startup,
      load,
      loadTasks,
      filterMs: filters.map((f) => f.ms),
      filterComputeMs: filters.map((f) => f.computeMs),
      afterTasks: peaks.longTasks,
      peak: { js: peaks.js, wasm: peaks.wasm ?? 0 },
      rss: rendererPeakRss(pids),
      errors,
    };
  } finally {
    await context.close();
  }
}

/** One floor run: the File read whole (`arrayBuffer`) and one JS pass counting newlines. */
export async function floorRun(browser, url, postsFile) {
  const { context, page, errors, pids } = await openPage(browser, url);
  try {
    const load = await drop(page, 'floor-file', postsFile);
    const tasks = await page.evaluate(() => window.__longTasks.slice());
    const js = await page.evaluate(() => window.__peakJs);
    return { load, tasks, peak: { js, held: load.held }, rss: rendererPeakRss(pids), errors };
  } finally {
    await context.close();
  }
}
