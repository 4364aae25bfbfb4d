// Hostile snapshot links (issue 14, item 4): a link of a few KB that inflates, within the
// 1 MiB cap, to an 850,000-character currency symbol and 1,500 groups is refused at once
// with a message naming the limit, and the page stays usable; so are a link with too many
// groups and a deflate bomb. A normal snapshot link, made here the same way, still opens.
//
// The links are built here as the app builds them (src/display/share.rs): the snapshot's
// JSON, raw-deflated (level 9), base64url without padding, after `#s=`.

import assert from 'node:assert/strict';
import { deflateRawSync } from 'node:zlib';
import { after, before, test } from 'node:test';

import { startSession } from './helpers.mjs';

/** How long opening a refused link may take, start-up of the wasm app included. */
const REFUSE_WITHIN_MS = 5_000;

let session;
before(async () => {
  session = await startSession();
});
after(async () => {
  await session?.close();
});

/** The `#s=` payload of a snapshot object. */
function payloadOf(snapshot) {
  return deflateRawSync(Buffer.from(JSON.stringify(snapshot)), { level: 9 }).toString('base64url');
}

/** A valid snapshot: ROAS 5 (revenue 200 / cost 40), one platform and one creator. */
function normalSnapshot() {
  return {
    version: 1,
    dataset: 'posts.csv',
    query: 'platform=tiktok',
    context: [
      ['Currency', '$'],
      ['Date range', '2025-01-02 to 2025-01-03'],
    ],
    currency_symbol: '$',
    locale: 'dot_decimal',
    kpis: [
      { id: 'roas', v: '5' },
      { id: 'emv', v: '200' },
      { id: 'ctr', na: 'no impressions in view' },
    ],
    groups: [
      { dim: 'platform', key: 'tiktok', name: 'tiktok', revenue: 200, kpis: [{ id: 'roas', v: '5' }] },
      { dim: 'creator', key: 'K1', name: 'Anna', revenue: 50, kpis: [{ id: 'roas', v: '2.5' }] },
    ],
    groups_omitted: false,
  };
}

let opened = 0;

/**
 * Opens `#s=payload` (a fresh query string each time, so the page loads again rather
 * than only changing its fragment), waits for `#snapshot-error`; its text and the time
 * it took.
 */
async function openRefused(app, payload) {
  opened += 1;
  const started = Date.now();
  await app.goto(`/?open=${opened}#s=${payload}`);
  const error = app.page.locator('#snapshot-error');
  await error.waitFor({ timeout: REFUSE_WITHIN_MS });
  return { text: await error.innerText(), ms: Date.now() - started };
}

test('a 2 KB link inflating to an 850,000-character currency symbol and 1,500 groups is refused quickly', async () => {
  const hostile = normalSnapshot();
  hostile.currency_symbol = 'X'.repeat(850_000);
  // 1,500 copies of one group: deflate shrinks repeats to almost nothing.
  hostile.groups = Array.from({ length: 1_500 }, () => ({
    dim: 'creator',
    key: 'K1',
    name: 'Creator',
    revenue: 1,
    kpis: [{ id: 'roas', v: '2' }],
  }));
  const json = JSON.stringify(hostile);
  assert.ok(json.length > 850_000 && json.length < 1 << 20, `inflates to ${json.length} bytes, under the 1 MiB cap`);
  const payload = payloadOf(hostile);
  assert.ok(payload.length < 3_000, `a ${payload.length}-character link`);

  const app = await session.open('/privacy');
  try {
    const { text, ms } = await openRefused(app, payload);
    assert.match(text, /This snapshot link is refused: the currency symbol is longer than 8 characters/);
    assert.ok(ms < REFUSE_WITHIN_MS, `refused in ${ms} ms`);
    console.log(`# a ${payload.length}-character link inflating to ${json.length} bytes: refused in ${ms} ms`);
    // Nothing of it rendered, and the page is usable: its link back to the dashboard works.
    assert.equal(await app.page.locator('[data-kpi]').count(), 0);
    assert.deepEqual(app.panics(), []);
    await app.page.locator('#open-dashboard').click();
    await app.waitForKpis();
  } finally {
    await app.close();
  }
});

test('a link with more groups than a snapshot carries, or a deflate bomb, is refused with the limit', async () => {
  const app = await session.open('/privacy');
  try {
    const many = normalSnapshot();
    many.groups = Array.from({ length: 1_500 }, (_, i) => ({ dim: 'creator', key: `K${i}`, name: 'n', revenue: 1, kpis: [] }));
    const refusedGroups = await openRefused(app, payloadOf(many));
    assert.match(refusedGroups.text, /more than 64 groups/);

    // 4 MiB of spaces before a valid snapshot: a few KB deflated, past the 1 MiB cap inflated.
    const bomb = Buffer.concat([Buffer.alloc(4 << 20, 0x20), Buffer.from(JSON.stringify(normalSnapshot()))]);
    const bombPayload = deflateRawSync(bomb, { level: 9 }).toString('base64url');
    assert.ok(bombPayload.length < 8_000, `${bombPayload.length} characters`);
    const refusedBomb = await openRefused(app, bombPayload);
    assert.match(refusedBomb.text, /unpacks to more than 1024 KiB/);
    assert.deepEqual(app.panics(), []);
  } finally {
    await app.close();
  }
});

test('a normal snapshot link still opens with its values', async () => {
  const app = await session.open(`/#s=${payloadOf(normalSnapshot())}`);
  try {
    await app.page.locator('#snapshot-notice').waitFor();
    assert.equal(await app.kpiValue('roas'), 5);
    assert.equal(await app.kpiValue('emv'), 200);
    assert.equal(await app.kpiValue('ctr'), null);
    assert.equal(await app.kpiValue('roas', 'creator:K1'), 2.5);
    assert.match(await app.page.locator('#snapshot-notice').innerText(), /posts\.csv/);
    assert.equal(await app.page.locator('#snapshot-error').count(), 0);
    assert.deepEqual(app.panics(), []);
  } finally {
    await app.close();
  }
});
