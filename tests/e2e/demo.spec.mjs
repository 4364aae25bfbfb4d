// The demo's KPIs, checked independently of the app's metrics code: the project's
// generator writes the demo workspace as canonical CSVs, demo-data.mjs sums posts.csv in
// JavaScript, and the page (which opens on the demo) must show the same values.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { CORE_KPIS, demoData, kpisOf } from './demo-data.mjs';
import { assertClose, eventually, startSession } from './helpers.mjs';

let session;
before(async () => {
  session = await startSession();
});
after(async () => {
  await session?.close();
});

test('the demo summary shows the KPIs of the generated demo posts', async () => {
  const { posts } = demoData();
  assert.ok(posts.length >= 1000, `the demo has only ${posts.length} posts`);
  const expected = kpisOf(posts);
  const app = await session.open('/');
  try {
    await app.waitForKpis();
    await eventually(async () => {
      for (const id of CORE_KPIS) assertClose(await app.kpiValue(id), expected[id], `demo ${id}`);
    });

    // Every per-platform or per-campaign value of these KPIs shown on the summary, too.
    const keyColumns = { platform: 'platform', campaign: 'campaign_id' };
    for (const id of CORE_KPIS) {
      for (const group of await app.kpiGroups(id)) {
        const [dimension, key] = group.split(':');
        if (!(dimension in keyColumns)) continue;
        const groupRows = posts.filter((row) => row[keyColumns[dimension]] === key);
        assert.ok(groupRows.length > 0, `${id}: group ${group} is not in posts.csv`);
        assertClose(await app.kpiValue(id, group), kpisOf(groupRows)[id], `demo ${id} ${group}`);
      }
    }
    assert.deepEqual(app.panics(), []);
  } finally {
    await app.close();
  }
});
