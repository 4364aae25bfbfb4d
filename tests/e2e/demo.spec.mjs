// The demo's KPIs, checked independently of the app's metrics code: the project's
// generator writes the demo workspace as canonical CSVs, this file sums posts.csv in
// JavaScript, and the page (which opens on the demo) must show the same values.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { REPO_ROOT, assertClose, eventually, parseCsvRecords, startSession } from './helpers.mjs';

/** True when the crate has a `gen` binary (the demo and benchmark generator). */
function hasGenBinary() {
  const metadata = JSON.parse(
    execFileSync('cargo', ['metadata', '--no-deps', '--format-version', '1', '--offline'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    }),
  );
  return metadata.packages.some((pkg) =>
    pkg.targets.some((target) => target.name === 'gen' && target.kind.includes('bin')),
  );
}

/** Runs `gen --demo` into a temporary folder and returns the parsed posts.csv rows. */
function generateDemoPosts() {
  const out = mkdtempSync(path.join(tmpdir(), 'kpi-demo-'));
  try {
    execFileSync('cargo', ['run', '--quiet', '--bin', 'gen', '--', '--demo', '--out', out], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    return parseCsvRecords(readFileSync(path.join(out, 'posts.csv'), 'utf8'));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** Σ of a column over rows (empty cells add nothing). */
function sum(rows, ...columns) {
  let total = 0;
  for (const row of rows) {
    for (const column of columns) {
      const raw = (row[column] ?? '').trim();
      if (raw === '') continue;
      const value = Number(raw);
      if (!Number.isFinite(value)) throw new Error(`posts.csv: ${column} = "${raw}" is not a number`);
      total += value;
    }
  }
  return total;
}

/** a / b, or null (n/a) when b is zero. */
const ratio = (a, b) => (b === 0 ? null : a / b);

/** The six Σ-based KPIs of a set of posts rows. */
function kpisOf(rows) {
  const impressions = sum(rows, 'impressions');
  const clicks = sum(rows, 'clicks');
  const cost = sum(rows, 'cost');
  return {
    engagement_rate: ratio(sum(rows, 'likes', 'comments', 'shares', 'saves'), sum(rows, 'reach')),
    roas: ratio(sum(rows, 'revenue'), cost),
    cpa: ratio(cost, sum(rows, 'new_customers')),
    ctr: ratio(clicks, impressions),
    conversion_rate: ratio(sum(rows, 'conversions'), clicks),
    cpm: impressions === 0 ? null : (cost / impressions) * 1000,
  };
}

const GEN_MISSING = hasGenBinary()
  ? false
  : 'no `gen` binary in the crate yet (cargo run --bin gen -- --demo --out DIR): demo values not checked';

let session;
before(async () => {
  if (!GEN_MISSING) session = await startSession();
});
after(async () => {
  await session?.close();
});

test('the demo summary shows the KPIs of the generated demo posts', { skip: GEN_MISSING }, async () => {
  const rows = generateDemoPosts();
  assert.ok(rows.length >= 1000, `the demo has only ${rows.length} posts`);
  const expected = kpisOf(rows);
  const app = await session.open('/');
  try {
    await app.waitForKpis();
    await eventually(async () => {
      for (const [id, value] of Object.entries(expected)) {
        assertClose(await app.kpiValue(id), value, `demo ${id}`);
      }
    });

    // Every per-platform or per-campaign value of these KPIs shown on the summary, too.
    const keyColumns = { platform: 'platform', campaign: 'campaign_id' };
    for (const id of Object.keys(expected)) {
      for (const group of await app.kpiGroups(id)) {
        const [dimension, key] = group.split(':');
        if (!(dimension in keyColumns)) continue;
        const groupRows = rows.filter((row) => row[keyColumns[dimension]] === key);
        assert.ok(groupRows.length > 0, `${id}: group ${group} is not in posts.csv`);
        assertClose(await app.kpiValue(id, group), kpisOf(groupRows)[id], `demo ${id} ${group}`);
      }
    }
    assert.deepEqual(app.panics(), []);
  } finally {
    await app.close();
  }
});
