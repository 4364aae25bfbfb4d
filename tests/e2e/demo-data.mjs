// The demo workspace as plain rows, and the spec's post KPIs recomputed from them in
// JavaScript, independently of the app's metrics code: the project's `gen` binary writes
// the demo as canonical CSVs, and the tests compare the page with these sums.
//
// Every post KPI of the spec is a ratio of sums over the posts in view (engagements =
// likes + comments + shares + saves), so any filter is a row filter here.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { REPO_ROOT, parseCsvRecords } from './helpers.mjs';

let cached = null;

/**
 * `{ posts, campaigns, creators }`: the demo's CSV rows (objects of strings), generated
 * once per test file with `cargo run --bin gen -- --demo`.
 */
export function demoData() {
  if (cached) return cached;
  const out = mkdtempSync(path.join(tmpdir(), 'kpi-demo-'));
  try {
    execFileSync('cargo', ['run', '--quiet', '--bin', 'gen', '--', '--demo', '--out', out], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const read = (name) => parseCsvRecords(readFileSync(path.join(out, name), 'utf8'));
    // The demo's posts have a time of day (`2026-10-31T18:05:00`): `date` keeps the
    // ISO day the tests compare as strings, `time` the rest.
    const posts = read('posts.csv').map((p) => ({ ...p, date: p.date.slice(0, 10), time: p.date.slice(11) }));
    cached = {
      posts,
      campaigns: read('campaigns.csv'),
      creators: read('creators.csv'),
    };
    return cached;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** Σ of columns over rows (empty cells add nothing). */
export function sum(rows, ...columns) {
  let total = 0;
  for (const row of rows) {
    for (const column of columns) {
      const raw = (row[column] ?? '').trim();
      if (raw === '') continue;
      const value = Number(raw);
      if (!Number.isFinite(value)) throw new Error(`${column} = "${raw}" is not a number`);
      total += value;
    }
  }
  return total;
}

/** a / b, or null (n/a) when b is zero. */
export const ratio = (a, b) => (b === 0 ? null : a / b);

/** Σpost_count, where an empty post_count counts 1. */
export function postCount(rows) {
  return rows.reduce((n, row) => n + (row.post_count?.trim() ? Number(row.post_count) : 1), 0);
}

/** The post KPIs that are plain ratios of sums, by registry id. */
export function kpisOf(rows) {
  const engagements = sum(rows, 'likes', 'comments', 'shares', 'saves');
  const impressions = sum(rows, 'impressions');
  const clicks = sum(rows, 'clicks');
  const cost = sum(rows, 'cost');
  const brand = sum(rows, 'brand_mentions');
  return {
    engagement_rate: ratio(engagements, sum(rows, 'reach')),
    avg_engagement_per_post: ratio(engagements, postCount(rows)),
    share_of_voice: ratio(brand, brand + sum(rows, 'competitor_mentions')),
    ctr: ratio(clicks, impressions),
    conversion_rate: ratio(sum(rows, 'conversions'), clicks),
    aov: ratio(sum(rows, 'revenue'), sum(rows, 'conversions')),
    cpl: ratio(cost, sum(rows, 'leads')),
    lead_quality: ratio(sum(rows, 'sqls'), sum(rows, 'leads')),
    impressions,
    reach: sum(rows, 'reach'),
    roas: ratio(sum(rows, 'revenue'), cost),
    cpa: ratio(cost, sum(rows, 'new_customers')),
    cpm: impressions === 0 ? null : (cost / impressions) * 1000,
    cpe: ratio(cost, engagements),
    cpv: ratio(cost, sum(rows, 'views')),
    vtr: ratio(sum(rows, 'views'), impressions),
  };
}

/** The six headline post KPIs most views show. */
export const CORE_KPIS = ['engagement_rate', 'roas', 'cpa', 'ctr', 'conversion_rate', 'cpm'];

/** Rows whose `column` equals `value`. */
export const where = (rows, column, value) => rows.filter((row) => row[column] === value);

/** Rows dated from `from` to `to` inclusive (ISO dates compare as strings). */
export const between = (rows, from, to) => rows.filter((row) => row.date >= from && row.date <= to);

/** The distinct values of a column, sorted. */
export const distinct = (rows, column) => [...new Set(rows.map((row) => row[column]))].sort();

/** ISO date `days` after (or before, when negative) an ISO date. */
export function addDays(iso, days) {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
