// The reference page's script (driven by tests/e2e/bench/reference.mjs): DuckDB-WASM's
// start-up, drop → KPIs and filter changes, and the floor (read the File, one JS pass
// over its bytes). Every figure is taken with performance.now() in this page.

const IDLE = () =>
  new Promise((resolve) =>
    requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 0))),
  );

window.__longTasks = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
}).observe({ type: 'longtask', buffered: true });
window.__peakJs = 0;
setInterval(() => {
  window.__peakJs = Math.max(window.__peakJs, performance.memory?.usedJSHeapSize ?? 0);
}, 50);

let duckdb = null;
let db = null;
let conn = null;

/** The Executive Summary's main sums and ratios, over the rows `where` selects. */
function kpiSql(where) {
  const sum = (c) => `sum(${c})::DOUBLE`;
  return `SELECT *, revenue / spend AS roas, engagements / reach AS engagement_rate_reach,
      engagements / impressions AS engagement_rate_impressions, clicks / impressions AS ctr,
      conversions / clicks AS conversion_rate, spend / impressions * 1000 AS cpm,
      spend / engagements AS cpe, spend / conversions AS cpa, revenue - spend AS profit,
      (positive - negative) / (positive + neutral + negative) AS comment_sentiment
    FROM (SELECT count(*)::DOUBLE AS posts, ${sum('impressions')} AS impressions,
      ${sum('reach')} AS reach, ${sum('views')} AS views,
      ${sum('likes')} + ${sum('comments')} + ${sum('shares')} + ${sum('saves')} AS engagements,
      ${sum('clicks')} AS clicks, ${sum('conversions')} AS conversions,
      ${sum('revenue')} AS revenue, ${sum('cost')} AS spend, ${sum('leads')} AS leads,
      ${sum('new_customers')} AS new_customers, ${sum('comments_positive')} AS positive,
      ${sum('comments_neutral')} AS neutral, ${sum('comments_negative')} AS negative,
      count(DISTINCT creator_id)::DOUBLE AS creators, count(DISTINCT campaign_id)::DOUBLE AS campaigns
      FROM posts ${where ? `WHERE ${where}` : ''})`;
}

/** Runs the KPI query and writes its values into the page, as a dashboard would. */
async function kpis(where) {
  const table = await conn.query(kpiSql(where));
  const row = table.toArray()[0]?.toJSON() ?? {};
  const values = Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]));
  document.getElementById('kpis').replaceChildren(
    ...Object.entries(values).flatMap(([k, v]) => {
      const dt = document.createElement('dt');
      dt.textContent = k;
      const dd = document.createElement('dd');
      dd.textContent = v.toLocaleString('en', { maximumFractionDigits: 4 });
      return [dt, dd];
    }),
  );
  return values;
}

async function wasmMemoryBytes() {
  const channel = new BroadcastChannel('duckdb-memory');
  try {
    return await new Promise((resolve) => {
      channel.onmessage = (e) => resolve(e.data.bytes);
      channel.postMessage('size?');
      setTimeout(() => resolve(null), 2000);
    });
  } finally {
    channel.close();
  }
}

window.ref = {
  /** DuckDB-WASM's start-up: import the module, instantiate the bundle, connect. */
  async startup(bundle = 'eh') {
    const dist = (f) => new URL(`/node_modules/@duckdb/duckdb-wasm/dist/${f}`, location.href).href;
    const t0 = performance.now();
    duckdb = await import('@duckdb/duckdb-wasm');
    const t1 = performance.now();
    const worker = new Worker(`/duckdb-worker.js?bundle=${bundle}`);
    db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
    if (bundle === 'coi') {
      await db.instantiate(dist('duckdb-coi.wasm'), dist('duckdb-browser-coi.pthread.worker.js'));
    } else {
      await db.instantiate(dist('duckdb-eh.wasm'));
    }
    const t2 = performance.now();
    conn = await db.connect();
    const t3 = performance.now();
    const threads = (await conn.query("SELECT current_setting('threads') AS t")).toArray()[0]?.toJSON().t;
    return {
      importMs: t1 - t0, instantiateMs: t2 - t1, connectMs: t3 - t2, totalMs: t3 - t0,
      version: await db.getVersion(), threads: Number(threads), isolated: globalThis.crossOriginIsolated === true,
    };
  },
  /** Sets DuckDB's thread count (the coi bundle). */
  async threads(n) {
    await conn.query(`SET threads = ${Number(n)}`);
  },
  /** Called just before the File is put in an input: the drop's time zero. */
  armDrop() {
    window.__longTasks = [];
    window.__dropAt = performance.now();
    window.__dropDone = new Promise((resolve) => {
      window.__resolveDrop = resolve;
    });
  },
  /** The filter bar's values: platforms, campaigns, creators, and the last date. */
  async choices() {
    const list = async (sql) => (await conn.query(sql)).toArray().map((r) => String(Object.values(r.toJSON())[0]));
    return {
      platform: await list('SELECT DISTINCT platform FROM posts ORDER BY 1 LIMIT 4'),
      campaign_id: await list('SELECT DISTINCT campaign_id FROM posts ORDER BY 1 LIMIT 4'),
      creator_id: await list('SELECT DISTINCT creator_id FROM posts ORDER BY 1 LIMIT 4'),
      lastDate: (await list('SELECT max(date)::VARCHAR FROM posts'))[0],
    };
  },
  /** A filter change: the KPI query with `where`, written into the page, plus a frame. */
  async filter(where) {
    const t0 = performance.now();
    const values = await kpis(where);
    const t1 = performance.now();
    await IDLE();
    return { ms: performance.now() - t0, computeMs: t1 - t0, posts: values.posts };
  },
  /** Runs `text` and returns its time and first row (for looking into where time goes). */
  async sql(text) {
    const t0 = performance.now();
    const table = await conn.query(text);
    return { ms: performance.now() - t0, rows: table.numRows, first: JSON.parse(JSON.stringify(table.toArray()[0]?.toJSON() ?? {}, (k, v) => (typeof v === 'bigint' ? Number(v) : v))) };
  },
  peaks: async () => ({ js: window.__peakJs, wasm: await wasmMemoryBytes(), longTasks: window.__longTasks.slice() }),
};

document.getElementById('duckdb-file').addEventListener('change', async (event) => {
  const file = event.target.files[0];
  const t0 = window.__dropAt;
  try {
    await db.registerFileHandle('posts.csv', file, duckdb.DuckDBDataProtocol.BROWSER_FILEREADER, true);
    const t1 = performance.now();
    await conn.query("CREATE TABLE posts AS SELECT * FROM read_csv('posts.csv', header = true)");
    const t2 = performance.now();
    const values = await kpis('');
    const t3 = performance.now();
    await IDLE();
    const t4 = performance.now();
    window.__resolveDrop({
      registerMs: t1 - t0, createMs: t2 - t1, kpiMs: t3 - t2, totalMs: t4 - t0, values,
    });
  } catch (error) {
    window.__resolveDrop({ error: String(error?.message ?? error) });
  }
});

document.getElementById('floor-file').addEventListener('change', async (event) => {
  const file = event.target.files[0];
  const t0 = window.__dropAt;
  const bytes = new Uint8Array(await file.arrayBuffer());
  const t1 = performance.now();
  let lines = 0;
  for (let i = 0; i < bytes.length; i += 1) if (bytes[i] === 10) lines += 1;
  const t2 = performance.now();
  // (usedJSHeapSize counts the ArrayBuffer read: the bytes held are in it.)
  window.__peakJs = Math.max(window.__peakJs, performance.memory?.usedJSHeapSize ?? 0);
  await IDLE();
  window.__resolveDrop({ readMs: t1 - t0, passMs: t2 - t1, totalMs: performance.now() - t0, lines, held: bytes.length });
});
