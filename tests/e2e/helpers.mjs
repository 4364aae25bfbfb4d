// Shared e2e helpers: launch Debian's Chromium through playwright-core, a page object
// for the dashboard (routes, KPI hooks, uploads, console errors, screenshots, axe),
// and a tiny CSV parser for checking values independently of the app.
//
// The app under test is BASE_URL when set (the test command serves dist/ and sets it);
// otherwise a session serves ../../dist itself, so one spec can be run alone with
// `node --test tests/e2e/smoke.spec.mjs` after `trunk build --release --offline`.

import { mkdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

import { startServer } from './serve.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** The repository root. */
export const REPO_ROOT = path.resolve(HERE, '../..');
/** Where test artifacts go (gitignored). */
export const ARTIFACTS_DIR = path.join(HERE, 'artifacts');
/** Where screenshots go. */
export const SCREENSHOTS_DIR = path.join(ARTIFACTS_DIR, 'screenshots');
/** The e2e fixtures folder. */
export const FIXTURES_DIR = path.join(HERE, 'fixtures');
/** The real exports, byte-for-byte copies of ../shared/fixtures/real (never edited). */
export const REAL_FIXTURES_DIR = path.join(REPO_ROOT, 'tests/fixtures/real');

/** Relative tolerance of every KPI comparison. */
export const RELATIVE_TOLERANCE = 1e-9;

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** How long to wait for the app to show its KPIs (wasm start-up included). */
const KPI_TIMEOUT_MS = 20_000;
/** How long a click or a selection waits for its element. */
const ACTION_TIMEOUT_MS = 10_000;

/** Console or page errors that mean a Rust panic reached the browser. */
const PANIC_PATTERN = /panicked at|RuntimeError: unreachable/;

/** Launches headless Chromium (Debian's, never a downloaded build). */
export function launch(extraArgs = []) {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, ...extraArgs],
    headless: true,
  });
}

/**
 * A browser plus the app's base URL, for one spec file. Call `close()` in `after`.
 * `session.open(route, { width })` gives an {@link AppPage} already on that route.
 */
export async function startSession() {
  let server = null;
  let baseUrl = process.env.BASE_URL;
  if (!baseUrl) {
    server = await startServer({ dir: path.join(REPO_ROOT, 'dist') });
    baseUrl = server.url;
  }
  const browser = await launch();
  return {
    baseUrl,
    browser,
    /** Opens a new page (own context, so no state leaks between tests) on `route`. */
    async open(route = '/', { width = 1440, height = 900 } = {}) {
      const context = await browser.newContext({ viewport: { width, height } });
      context.setDefaultTimeout(ACTION_TIMEOUT_MS);
      const app = new AppPage(await context.newPage(), baseUrl);
      await app.goto(route);
      return app;
    },
    async close() {
      await browser.close();
      if (server) await server.close();
    },
  };
}

/** Page object of the dashboard, following the DOM/URL contract. */
export class AppPage {
  constructor(page, baseUrl) {
    this.page = page;
    this.baseUrl = baseUrl;
    /** Console messages of type "error" and uncaught page errors, as text. */
    this.errors = [];
    page.on('console', (message) => {
      if (message.type() === 'error') this.errors.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => this.errors.push(`pageerror: ${error.message}`));
    page.on('dialog', (dialog) => dialog.accept()); // e.g. "Clear workspace?" confirmations
  }

  /** A full page load of `route` (a path such as "/" or "/data?platform=tiktok"). */
  async goto(route = '/') {
    await this.page.goto(new URL(route.replace(/^\//, ''), this.baseUrl).href);
  }

  /** Client-side navigation through the main nav, keeping the loaded workspace. */
  async navigate(route) {
    await this.page.locator(`nav[aria-label="Main"] a[href="${route}"]`).first().click();
    await this.page.waitForURL((url) => url.pathname === route);
  }

  /** Waits until the app has rendered its view (the `<h1>` is there). */
  async waitForView() {
    await this.page.locator('main h1').first().waitFor({ timeout: KPI_TIMEOUT_MS });
  }

  /** The current URL's query parameter `key` (null when absent). */
  queryParam(key) {
    return new URL(this.page.url()).searchParams.get(key);
  }

  /** Waits until the URL matches `predicate(url)`, after a filter change. */
  async waitForUrl(predicate) {
    await this.page.waitForURL((url) => predicate(url));
  }

  /** Waits until the KPI cards are rendered (the ROAS value is there). */
  async waitForKpis() {
    await this.page.locator('[data-kpi="roas"]').first().waitFor({ timeout: KPI_TIMEOUT_MS });
  }

  /** The CSS selector of a KPI value: the overall one, or the one of `group`. */
  static kpiSelector(id, group) {
    return group
      ? `[data-kpi="${id}"][data-group="${group}"]`
      : `[data-kpi="${id}"]:not([data-group])`;
  }

  /**
   * The raw `data-value`s of every element showing KPI `id` (overall, or of `group`),
   * in document order: numbers, or null where the value is n/a (`data-value=""`).
   */
  async kpiValues(id, group) {
    const raws = await this.page
      .locator(AppPage.kpiSelector(id, group))
      .evaluateAll((elements) => elements.map((e) => e.getAttribute('data-value')));
    return raws.map((raw) => parseDataValue(id, group, raw));
  }

  /**
   * The value of KPI `id` (overall or of `group`). Fails when it is not shown, or when
   * two elements showing it disagree. Returns null when it is n/a.
   */
  async kpiValue(id, group) {
    const values = await this.kpiValues(id, group);
    const label = group ? `${id} (${group})` : id;
    if (values.length === 0) throw new Error(`KPI ${label} is not on the page`);
    for (const value of values.slice(1)) {
      if (!sameValue(value, values[0])) {
        throw new Error(`KPI ${label} is shown with different values: ${values.join(', ')}`);
      }
    }
    return values[0];
  }

  /** The visible text of the (first) element showing KPI `id`. */
  async kpiText(id, group) {
    return this.page.locator(AppPage.kpiSelector(id, group)).first().innerText();
  }

  /** The distinct `data-group`s shown for KPI `id` on the page. */
  async kpiGroups(id) {
    const groups = await this.page
      .locator(`[data-kpi="${id}"][data-group]`)
      .evaluateAll((elements) => elements.map((e) => e.getAttribute('data-group')));
    return [...new Set(groups)];
  }

  /** Clicks "Clear workspace" (on /data) so that only the next uploads are loaded. */
  async clearWorkspace() {
    await this.page.locator('#clear-workspace').click();
  }

  /** Puts files (absolute paths) into `input#file-input`, as a user picking them would. */
  async upload(filePaths) {
    await this.page.locator('input#file-input').setInputFiles(filePaths);
  }

  /**
   * From `/data`: clears the workspace, loads a CSV given as text (as a picked file
   * named `fileName`), then opens the Executive Summary and waits for its KPIs.
   */
  async loadCsvAndShowSummary(fileName, text) {
    await this.clearWorkspace();
    await this.page
      .locator('input#file-input')
      .setInputFiles({ name: fileName, mimeType: 'text/csv', buffer: Buffer.from(text) });
    await this.waitForFileReport(fileName);
    await this.navigate('/');
    await this.waitForKpis();
  }

  /** Waits for the `/data` report of a loaded file. */
  async waitForFileReport(fileName) {
    const report = this.page.locator(`[data-file-report="${fileName}"]`);
    await report.waitFor({ timeout: KPI_TIMEOUT_MS });
    return report;
  }

  /** Picks the platform of a file waiting in `#pending-files`. */
  async choosePendingPlatform(fileName, platform) {
    const block = this.page.locator(`[data-pending-file="${fileName}"]`);
    await block.waitFor({ timeout: KPI_TIMEOUT_MS });
    await block.locator('select[name=platform]').selectOption(platform);
  }

  /** Clicks `#load-files` to load the pending files. */
  async loadPendingFiles() {
    await this.page.locator('#load-files').click();
  }

  /** `{ read, used, rejected }` row counts of a loaded file's report. */
  async rowCounts(fileName) {
    return this.page
      .locator(`[data-file-report="${fileName}"]`)
      .evaluate((report) => {
        const read = (name) => {
          const attribute = `data-rows-${name}`;
          const holder = report.hasAttribute(attribute)
            ? report
            : report.querySelector(`[${attribute}]`);
          return holder ? Number(holder.getAttribute(attribute)) : NaN;
        };
        return { read: read('read'), used: read('used'), rejected: read('rejected') };
      });
  }

  /** Picks `value` in a filter `<select>` (e.g. "#filter-platform"). */
  async setFilter(selector, value) {
    await this.page.locator(selector).selectOption(value);
  }

  /** Errors seen so far that are panics (a subset of `errors`). */
  panics() {
    return this.errors.filter((error) => PANIC_PATTERN.test(error));
  }

  /** Names of the `performance.mark`s recorded so far. */
  async performanceMarks() {
    return this.page.evaluate(() =>
      performance.getEntriesByType('mark').map((mark) => mark.name),
    );
  }

  /** Saves a full-page screenshot as artifacts/screenshots/<name>.png; returns its path. */
  async screenshot(name) {
    mkdirSync(SCREENSHOTS_DIR, { recursive: true });
    const file = path.join(SCREENSHOTS_DIR, `${name}.png`);
    await this.page.screenshot({ path: file, fullPage: true });
    return file;
  }

  /** Resizes the viewport (keeping the page), e.g. to 390 px for a phone. */
  async setWidth(width, height = width < 600 ? 844 : 900) {
    await this.page.setViewportSize({ width, height });
  }

  /** Runs axe-core on the page; returns its serious and critical violations. */
  async seriousA11yViolations() {
    // Evaluated through the DevTools protocol: the app's CSP forbids inline <script> tags.
    await this.page.evaluate(readFileSync(AXE_SCRIPT, 'utf8'));
    const violations = await this.page.evaluate(async () => {
      // eslint-disable-next-line no-undef
      const result = await axe.run(document);
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.map((node) => node.target.join(' ')).slice(0, 5),
      }));
    });
    return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  }

  async close() {
    await this.page.context().close();
  }
}

const AXE_SCRIPT = path.join(HERE, 'node_modules/axe-core/axe.min.js');

function parseDataValue(id, group, raw) {
  if (raw === null) throw new Error(`KPI ${id} ${group ?? ''} has no data-value attribute`);
  if (raw.trim() === '') return null;
  const value = Number(raw);
  if (!Number.isFinite(value)) {
    throw new Error(`KPI ${id} ${group ?? ''} has a non-numeric data-value "${raw}"`);
  }
  return value;
}

function sameValue(a, b) {
  if (a === null || b === null) return a === b;
  return relativeDifference(a, b) <= RELATIVE_TOLERANCE;
}

/** Clicks `locator` and returns the download's file name and bytes. */
export async function downloadOf(page, locator) {
  const [download] = await Promise.all([page.waitForEvent('download'), locator.click()]);
  const bytes = await readFile(await download.path());
  return { name: download.suggestedFilename(), bytes, text: bytes.toString('utf8') };
}

/** |actual − expected| / max(|expected|, tiny): the relative error. */
export function relativeDifference(actual, expected) {
  return Math.abs(actual - expected) / Math.max(Math.abs(expected), Number.MIN_VALUE);
}

/**
 * Asserts `actual` equals `expected` within {@link RELATIVE_TOLERANCE} (both null = n/a).
 * Exact zero must be exactly zero.
 */
export function assertClose(actual, expected, label) {
  if (expected === null || actual === null) {
    if (actual !== expected) throw new Error(`${label}: expected ${expected}, got ${actual}`);
    return;
  }
  const ok = expected === 0 ? actual === 0 : relativeDifference(actual, expected) <= RELATIVE_TOLERANCE;
  if (!ok) {
    throw new Error(
      `${label}: expected ${expected}, got ${actual} (relative error ${relativeDifference(actual, expected)})`,
    );
  }
}

/**
 * Retries `check` (an async function that throws on failure) until it passes or
 * `timeoutMs` runs out, then throws its last error. For values that render a little
 * after the event that changed them.
 */
export async function eventually(check, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/**
 * Parses CSV text (RFC 4180: quoted fields, "" inside quotes, CRLF or LF) into rows of
 * strings. A trailing newline does not make an empty row.
 */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let inQuotes = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (inQuotes) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') {
        inQuotes = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      inQuotes = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += c;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Parses CSV text with a header line into objects keyed by the header's names. */
export function parseCsvRecords(text) {
  const [header, ...rows] = parseCsv(text.replace(/^\uFEFF/, ''));
  return rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i] ?? ''])));
}

/**
 * The remembered workspace's stored bytes in this page's IndexedDB (0 when none); run it
 * with `page.evaluate(rememberedLength)`.
 */
export function rememberedLength() {
  return new Promise((resolve) => {
    const open = indexedDB.open('kpi-dash', 1);
    // Not created yet: leave its creation to the app (an upgrade here would make it
    // without its object store).
    open.onupgradeneeded = () => open.transaction.abort();
    open.onerror = () => resolve(0);
    open.onsuccess = () => {
      try {
        // Stored in chunks under a manifest (issue 21): the chunks' bytes together.
        const get = open.result.transaction('workspace').objectStore('workspace').get('manifest');
        get.onsuccess = () =>
          resolve(typeof get.result === 'string' ? JSON.parse(get.result).chunks.reduce((n, [len]) => n + len, 0) : 0);
        get.onerror = () => resolve(0);
      } catch {
        resolve(0);
      }
    };
  });
}

/**
 * Records every message between the page and its workers in `window.__traffic`: its
 * direction, type, the bytes of the typed arrays it carries and the length of its text.
 * Run it with `page.evaluate` or, to see a start-up load too, `page.addInitScript`.
 */
export function recordWorkerTraffic() {
  window.__traffic = [];
  const describe = (dir, data) => {
    let typedBytes = 0;
    let text = 0;
    const walk = (v, depth) => {
      if (v == null || depth > 4) return;
      if (ArrayBuffer.isView(v)) typedBytes += v.byteLength;
      else if (typeof v === 'string') text += v.length;
      else if (Array.isArray(v)) v.forEach((x) => walk(x, depth + 1));
      else if (typeof v === 'object' && !(v instanceof Blob)) Object.values(v).forEach((x) => walk(x, depth + 1));
    };
    walk(data, 0);
    window.__traffic.push({ dir, type: data?.type ?? '?', typedBytes, text });
  };
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (data, transfer) {
    describe('to', data);
    return post.call(this, data, transfer);
  };
  const onmessage = Object.getOwnPropertyDescriptor(Worker.prototype, 'onmessage');
  Object.defineProperty(Worker.prototype, 'onmessage', {
    configurable: true,
    get() {
      return onmessage.get.call(this);
    },
    set(handler) {
      const wrapped = handler && ((e) => (describe('from', e.data), handler(e)));
      onmessage.set.call(this, wrapped);
    },
  });
}

/** The worker messages recorded since `from` (an index into the record; 0 = all). */
export async function trafficSince(page, from = 0) {
  return page.evaluate((from) => window.__traffic.slice(from), from);
}
