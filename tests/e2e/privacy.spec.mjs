// Privacy you can prove: during a full session (load, upload, navigate every route,
// export CSV/SVG/PNG/JSON, make a snapshot link) no request leaves the page's origin and
// the Content-Security-Policy raises no violation; the policy is the strict one and is
// in effect (an injected inline script does not run, a cross-origin fetch is refused);
// the header's privacy statement links to the page that explains it.

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { FIXTURES_DIR, startSession } from './helpers.mjs';

const ROUTES = ['/', '/campaigns', '/campaigns/C1', '/creators', '/creators/K1', '/alerts', '/reports', '/glossary', '/data', '/settings', '/privacy'];

let session;
before(async () => {
  session = await startSession();
});
after(async () => {
  await session?.close();
});

/** Opens `route` with every request and CSP violation recorded from the first byte. */
async function openRecorded(route) {
  const context = await session.browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(10_000);
  const requests = [];
  context.on('request', (request) => requests.push(request.url()));
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective}: ${e.blockedURI}`);
    });
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(new URL(route.replace(/^\//, ''), session.baseUrl).href);
  return { context, page, requests, errors };
}

async function clickDownload(page, locator) {
  const [download] = await Promise.all([page.waitForEvent('download'), locator.click()]);
  await download.path();
  return download.suggestedFilename();
}

async function navigate(page, route) {
  const link = page.locator(`nav[aria-label="Main"] a[href="${route}"]`);
  if ((await link.count()) > 0) {
    await link.first().click();
  } else {
    await page.evaluate((href) => {
      const a = document.createElement('a');
      a.href = href;
      document.body.append(a);
      a.click();
      a.remove();
    }, route);
  }
  await page.waitForURL((url) => url.pathname === route);
  await page.locator('h1').first().waitFor();
}

test('a full session sends nothing off the origin and violates no CSP directive', async () => {
  const { context, page, requests, errors } = await openRecorded('/');
  try {
    const origin = new URL(session.baseUrl).origin;
    await page.locator('[data-kpi="roas"]').first().waitFor({ timeout: 20_000 });
    await navigate(page, '/data');
    await page.locator('input#file-input').setInputFiles([
      path.join(FIXTURES_DIR, 'share-posts.csv'),
      path.join(FIXTURES_DIR, 'share-campaigns.csv'),
    ]);
    await page.locator('[data-file-report="share-posts.csv"]').waitFor({ timeout: 20_000 });
    const downloads = [await clickDownload(page, page.locator('#export-workspace'))];
    for (const route of ROUTES) await navigate(page, route);
    await navigate(page, '/');
    await page.locator('[data-kpi="roas"]').first().waitFor();
    downloads.push(await clickDownload(page, page.locator('button.export-csv').first()));
    downloads.push(await clickDownload(page, page.locator('figure.chart .export-svg').first()));
    downloads.push(await clickDownload(page, page.locator('figure.chart .export-png').first()));
    await page.locator('#make-snapshot').click();
    await page.locator('#snapshot-link').waitFor();
    assert.equal(downloads.length, 4, downloads.join(', '));

    const network = requests.filter((url) => /^(https?|wss?):/.test(url));
    assert.ok(network.length > 0, 'requests were recorded');
    const foreign = network.filter((url) => new URL(url).origin !== origin);
    assert.deepEqual(foreign, [], 'every request stays on the page origin');
    const violations = await page.evaluate(() => window.__cspViolations);
    assert.deepEqual(violations, [], 'no CSP violation during the session');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the strict CSP is served and enforced', async () => {
  const { context, page, requests } = await openRecorded('/privacy');
  try {
    await page.locator('#csp-policy').waitFor({ timeout: 20_000 });
    const policy = await page
      .locator('meta[http-equiv="Content-Security-Policy"]')
      .getAttribute('content');
    const directives = Object.fromEntries(
      policy.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]),
    );
    assert.deepEqual(directives['default-src'], ["'self'"]);
    assert.deepEqual(directives['connect-src'], ["'self'"]);
    assert.deepEqual(directives['object-src'], ["'none'"]);
    assert.deepEqual(directives['base-uri'], ["'none'"]);
    const scriptSources = directives['script-src'];
    assert.deepEqual(scriptSources.slice(0, 2), ["'self'", "'wasm-unsafe-eval'"]);
    assert.ok(scriptSources.slice(2).every((s) => /^'sha256-[A-Za-z0-9+/]+=*'$/.test(s)), policy);
    assert.ok(!scriptSources.includes("'unsafe-inline'") && !policy.includes("'unsafe-eval'"), policy);
    assert.deepEqual(directives['style-src'], ["'self'"], 'no inline <style> elements');
    assert.equal(await page.locator('#csp-policy').innerText(), policy, 'the page shows the served policy');

    // In effect: an inline script injected at run time does not run, and a cross-origin
    // fetch is refused before any request is made.
    const outcome = await page.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.__injected = true;';
      document.head.append(script);
      let fetched = 'allowed';
      try {
        await fetch('https://example.com/collect');
      } catch {
        fetched = 'refused';
      }
      await new Promise((resolve) => setTimeout(resolve, 200)); // violation events are queued
      return { injected: window.__injected === true, fetched, violations: window.__cspViolations };
    });
    assert.equal(outcome.injected, false, 'inline script blocked');
    assert.equal(outcome.fetched, 'refused', 'cross-origin fetch blocked');
    assert.ok(outcome.violations.some((v) => v.startsWith('script-src')), outcome.violations.join());
    assert.ok(outcome.violations.some((v) => v.startsWith('connect-src')), outcome.violations.join());
    assert.ok(!requests.some((url) => url.startsWith('https://example.com')));
  } finally {
    await context.close();
  }
});

test('the privacy statement in the header links to its explanation', async () => {
  const app = await session.open('/');
  try {
    const statement = app.page.locator('header a.privacy');
    assert.equal((await statement.innerText()).trim(), 'Your data stays in this browser');
    await statement.click();
    await app.page.waitForURL((url) => url.pathname === '/privacy');
    assert.equal(await app.page.locator('h1').innerText(), 'Your data stays in this browser');
    assert.ok((await app.page.locator('main').innerText()).includes('never uploaded'));
  } finally {
    await app.close();
  }
});
