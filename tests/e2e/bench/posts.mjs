// A deterministic posts CSV in the canonical columns, written from JS so that the scale
// spec can check the app's KPIs against sums computed here, independently of the Rust
// generator. Dates ascend over two years; counts are integers, revenue and cost have
// cents; `badDates` extra lines carry an unreadable date (rejected rows).

import { closeSync, openSync, writeSync } from 'node:fs';

const PLATFORMS = ['instagram', 'tiktok', 'youtube', 'x'];
const FORMATS = ['reel', 'video', 'story', 'carousel', 'short'];
const HEADER =
  'platform,date,post_id,campaign_id,creator_id,format,impressions,reach,views,likes,comments,shares,saves,clicks,conversions,revenue,cost\n';
const START_MS = Date.UTC(2024, 0, 1);
const DAYS = 730;

/** Mulberry32: a tiny seeded PRNG giving floats in [0, 1). */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function emptySums() {
  return { impressions: 0, reach: 0, clicks: 0, revenue: 0, cost: 0, engagements: 0, rows: 0 };
}

/**
 * Writes `rows` posts (plus `badDates` rejected lines) to `file` and returns the sums
 * the KPIs are ratios of: `{ overall, byPlatform: { tiktok: {...}, ... }, byCreator:
 * { K1: {...}, ... } }`. Post ids
 * are `idPrefix` and the row number.
 */
export function writePostsCsv(file, { rows, badDates = 0, seed = 1, idPrefix = 'P' }) {
  const random = prng(seed);
  const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
  const overall = emptySums();
  const byPlatform = Object.fromEntries(PLATFORMS.map((p) => [p, emptySums()]));
  const byCreator = {};
  const fd = openSync(file, 'w');
  let buffer = HEADER;
  const badEvery = badDates > 0 ? Math.floor(rows / (badDates + 1)) : Infinity;
  let bad = 0;
  for (let i = 0; i < rows; i += 1) {
    const day = Math.floor((i * DAYS) / rows);
    const date = new Date(START_MS + day * 86_400_000).toISOString().slice(0, 10);
    const platform = PLATFORMS[int(0, PLATFORMS.length - 1)];
    const impressions = int(500, 50_000);
    const reach = Math.floor(impressions * (0.5 + random() * 0.4));
    const views = Math.floor(impressions * random());
    const likes = int(0, Math.floor(reach / 10));
    const comments = int(0, 200);
    const shares = int(0, 100);
    const saves = int(0, 100);
    const clicks = int(0, Math.floor(impressions / 50));
    const conversions = int(0, Math.floor(clicks / 10));
    const revenueCents = conversions * int(1_000, 9_000);
    const costCents = int(500, 50_000);
    const campaign = `C${int(1, 30)}`;
    const creator = `K${int(1, 400)}`;
    const fields = [
      platform,
      date,
      `${idPrefix}${i + 1}`,
      campaign,
      creator,
      FORMATS[int(0, FORMATS.length - 1)],
      impressions,
      reach,
      views,
      likes,
      comments,
      shares,
      saves,
      clicks,
      conversions,
      (revenueCents / 100).toFixed(2),
      (costCents / 100).toFixed(2),
    ];
    buffer += `${fields.join(',')}\n`;
    byCreator[creator] ??= emptySums();
    for (const sums of [overall, byPlatform[platform], byCreator[creator]]) {
      sums.impressions += impressions;
      sums.reach += reach;
      sums.clicks += clicks;
      sums.revenue += revenueCents / 100;
      sums.cost += costCents / 100;
      sums.engagements += likes + comments + shares + saves;
      sums.rows += 1;
    }
    if (bad < badDates && (i + 1) % badEvery === 0) {
      bad += 1;
      buffer += `tiktok,not-a-date,BAD${bad},C1,K1,reel,1,1,1,1,1,1,1,1,1,1.00,1.00\n`;
    }
    if (buffer.length > 1 << 20) {
      writeSync(fd, buffer);
      buffer = '';
    }
  }
  writeSync(fd, buffer);
  closeSync(fd);
  return { overall, byPlatform, byCreator };
}
