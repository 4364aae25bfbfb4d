// The alert system on the demo: every one of the spec's nine rules fires, each under its
// severity, on exactly the subjects that the demo's CSVs say should raise it (computed
// here in JavaScript, independently of the app), and each alert links to its subject.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { demoData, distinct, kpisOf, sum, where } from './demo-data.mjs';
import { startSession } from './helpers.mjs';

/** The nine rules (snake_case, as `data-alert-rule` says) and their severity. */
const RULES = {
  engagement_below_target: 'critical',
  conversion_rate_low: 'critical',
  compliance_violation: 'critical',
  roas_low: 'warning',
  influencer_score_low: 'warning',
  budget_over_paced: 'warning',
  roas_above_target: 'success',
  viral_post: 'success',
  partnership_revenue: 'success',
};

/** Spec targets: the lower bound of each engagement-rate target range. */
const ER_TARGET_LOW = { campaign: 0.05, instagram: 0.06, tiktok: 0.07, youtube: 0.04, x: 0.03 };
const ROAS_TARGET = 5;

/** Whole days from ISO date a to ISO date b, inclusive of both. */
function daysInclusive(a, b) {
  return (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000 + 1;
}

/** Posts with `disclosed` = false that are sponsored: in a campaign, or with a cost > 0. */
function undisclosedSponsored(posts) {
  return posts.filter(
    (p) => p.disclosed === 'false' && (p.campaign_id.trim() !== '' || Number(p.cost || 0) > 0),
  );
}

/** Who answers for a post's disclosure: its creator, else its campaign, else its platform. */
const ownerOf = (p) => p.creator_id || p.campaign_id || p.platform;

/**
 * The subjects each rule must raise on the demo, from the CSVs. "Subject" is the id the
 * alert's link names: a campaign, platform, creator or post id.
 */
function expectedSubjects() {
  const { posts, campaigns, creators } = demoData();
  const byCampaign = distinct(posts, 'campaign_id').map((id) => [
    id,
    kpisOf(where(posts, 'campaign_id', id)),
  ]);
  const campaignsWhere = (test) => byCampaign.filter(([, k]) => test(k)).map(([id]) => id);
  // Budget pacing = spend / (budget × elapsed share of the campaign's days), as of the
  // last date in the data (2026-10-31); a finished campaign's share is 1.
  const asOf = distinct(posts, 'date').at(-1);
  const overPaced = campaigns
    .filter((c) => {
      const elapsed = Math.min(daysInclusive(c.start_date, asOf), daysInclusive(c.start_date, c.end_date));
      const planned = Number(c.budget) * (elapsed / daysInclusive(c.start_date, c.end_date));
      return sum(where(posts, 'campaign_id', c.campaign_id), 'cost') / planned > 1.1;
    })
    .map((c) => c.campaign_id);
  const revenueByCreator = distinct(posts, 'creator_id').map((id) => [
    id,
    sum(where(posts, 'creator_id', id), 'revenue'),
  ]);
  const lowPlatforms = distinct(posts, 'platform').filter(
    (p) => kpisOf(where(posts, 'platform', p)).engagement_rate < ER_TARGET_LOW[p] * 0.7,
  );
  return {
    engagement_below_target: [
      ...campaignsWhere((k) => k.engagement_rate < ER_TARGET_LOW.campaign * 0.7),
      ...lowPlatforms,
    ].sort(),
    conversion_rate_low: campaignsWhere((k) => k.conversion_rate < 0.02),
    // One alert per subject: each creator whose contract terms were not met, and each
    // creator (else campaign, else platform) with undisclosed SPONSORED posts (in a
    // campaign or with a cost above 0).
    compliance_violation: [
      ...new Set([
        ...creators.filter((c) => c.contract_terms_met === 'false').map((c) => c.creator_id),
        ...undisclosedSponsored(posts).map(ownerOf),
      ]),
    ].sort(),
    roas_low: campaignsWhere((k) => k.roas < 3),
    // The influencer score is the app's composite: only its known subject is checked.
    influencer_score_low: ['K15'],
    budget_over_paced: overPaced,
    roas_above_target: campaignsWhere((k) => k.roas >= 1.5 * ROAS_TARGET),
    viral_post: posts.filter((p) => Number(p.impressions) >= 1_000_000).map((p) => p.post_id),
    partnership_revenue: revenueByCreator.filter(([, r]) => r > 100_000).map(([id]) => id),
  };
}

/** Every alert on /alerts: rule, severity section, link text, link href. */
async function alertsOnPage(app) {
  await app.page.locator('[data-alert-rule]').first().waitFor();
  return app.page.locator('[data-alert-rule]').evaluateAll((items) =>
    items.map((item) => {
      const link = item.querySelector('a');
      return {
        rule: item.getAttribute('data-alert-rule'),
        severity: item.closest('section[data-severity]')?.getAttribute('data-severity'),
        text: link?.textContent.trim() ?? '',
        href: link?.getAttribute('href') ?? '',
      };
    }),
  );
}

/** The subject id an alert's link names ("Campaign C04" → "C04", "Platform x" → "x"). */
const subjectOf = (alert) => alert.text.split(/\s+/).at(-1);

let session;
before(async () => {
  session = await startSession();
});
after(async () => {
  await session?.close();
});

test('the demo raises every one of the nine rules, each in its severity section', async () => {
  const app = await session.open('/alerts');
  try {
    const alerts = await alertsOnPage(app);
    for (const [rule, severity] of Object.entries(RULES)) {
      const mine = alerts.filter((a) => a.rule === rule);
      assert.ok(mine.length > 0, `no ${rule} alert on /alerts`);
      for (const alert of mine) assert.equal(alert.severity, severity, `${rule} is not ${severity}`);
    }
    // Beside the nine, only the anomaly rule of issue 19 (severity notice; patterns.spec.mjs).
    assert.deepEqual(
      [...new Set(alerts.map((a) => a.rule))].filter((r) => r !== 'anomaly').sort(),
      Object.keys(RULES).sort(),
      'an alert has a rule outside the spec',
    );
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test('each rule fires on exactly the subjects the demo data says', async () => {
  const expected = expectedSubjects();
  // The known demo problems, as designed by the generator.
  // K29 broke its contract; K08 and K42 have the undisclosed posts (P00135, P00271,
  // P00455, P00550, P00686, P00869, P02720, all in campaigns): 3 subjects, not 8 rows.
  assert.deepEqual(expected.compliance_violation, ['K08', 'K29', 'K42']);
  assert.deepEqual(undisclosedSponsored(demoData().posts).map((p) => p.post_id).sort(), [
    'P00135', 'P00271', 'P00455', 'P00550', 'P00686', 'P00869', 'P02720',
  ]);
  assert.deepEqual(expected.engagement_below_target, ['C04', 'x']);
  assert.deepEqual(expected.conversion_rate_low, ['C02']);
  assert.deepEqual(expected.roas_low, ['C07']);
  assert.deepEqual(expected.budget_over_paced, ['C08']);
  assert.deepEqual(expected.roas_above_target, ['C03']);
  assert.deepEqual(expected.viral_post, ['P00822']);
  assert.deepEqual(expected.partnership_revenue, ['K01']);

  const app = await session.open('/alerts');
  try {
    const alerts = await alertsOnPage(app);
    for (const rule of Object.keys(RULES)) {
      const shown = alerts.filter((a) => a.rule === rule).map(subjectOf).sort();
      assert.deepEqual(shown, expected[rule], `${rule} subjects`);
    }
  } finally {
    await app.close();
  }
});

test('the critical badge and the summary counts equal the alerts listed', async () => {
  const app = await session.open('/alerts');
  try {
    const alerts = await alertsOnPage(app);
    const count = (severity) => alerts.filter((a) => a.severity === severity).length;
    // Alerts count subjects: 3 compliance (K08, K29, K42) + 2 engagement (C04, x)
    // + 1 conversion (C02) = 6 critical on the demo.
    assert.equal(count('critical'), 6);
    const badge = app.page.locator('#critical-badge');
    assert.equal(await badge.getAttribute('data-count'), String(count('critical')));
    await app.navigate('/');
    for (const severity of ['critical', 'warning', 'success']) {
      const counter = app.page.locator(`#alert-summary [data-severity-count="${severity}"]`);
      assert.equal(await counter.getAttribute('data-count'), String(count(severity)), severity);
    }
  } finally {
    await app.close();
  }
});

/** Clicks the alert of `rule` whose link names `subject`, on a fresh /alerts. */
async function clickAlert(rule, subject) {
  const app = await session.open('/alerts');
  const link = app.page
    .locator(`[data-alert-rule="${rule}"] a`)
    .filter({ hasText: new RegExp(`\\b${subject}$`) });
  await link.click();
  await app.waitForView();
  return app;
}

test('clicking an alert lands on its subject: campaign, creator, post and platform', async () => {
  const { campaigns, creators, posts } = demoData();
  const campaignName = (id) => where(campaigns, 'campaign_id', id)[0].name;
  const creatorName = (id) => where(creators, 'creator_id', id)[0].name;

  let app = await clickAlert('budget_over_paced', 'C08');
  try {
    assert.equal(new URL(app.page.url()).pathname, '/campaigns/C08');
    assert.equal(await app.page.locator('main h1').innerText(), campaignName('C08'));
  } finally {
    await app.close();
  }

  app = await clickAlert('compliance_violation', 'K29');
  try {
    assert.equal(new URL(app.page.url()).pathname, '/creators/K29');
    assert.equal(await app.page.locator('main h1').innerText(), creatorName('K29'));
  } finally {
    await app.close();
  }

  // A post has no page of its own: its alert opens the post's campaign with the post
  // picked out.
  const viral = where(posts, 'post_id', 'P00822')[0];
  app = await clickAlert('viral_post', 'P00822');
  try {
    assert.equal(new URL(app.page.url()).pathname, `/campaigns/${viral.campaign_id}`);
    assert.equal(app.queryParam('post'), 'P00822');
    const post = app.page.locator('[data-post="P00822"]');
    await post.waitFor();
    assert.match(await post.innerText(), /1,290,772/, 'the post panel shows its impressions');
  } finally {
    await app.close();
  }

  // A platform alert opens the campaigns filtered to that platform.
  app = await clickAlert('engagement_below_target', 'x');
  try {
    assert.equal(new URL(app.page.url()).pathname, '/campaigns');
    assert.equal(app.queryParam('platform'), 'x');
    assert.equal(await app.page.locator('#filter-platform').inputValue(), 'x');
  } finally {
    await app.close();
  }
});

test('a compliance alert names the undisclosed posts of its creator, each linking to it', async () => {
  const { posts } = demoData();
  const app = await session.open('/alerts');
  try {
    await alertsOnPage(app);
    for (const creator of ['K08', 'K42']) {
      const mine = undisclosedSponsored(posts).filter((p) => p.creator_id === creator);
      const item = app.page
        .locator('[data-alert-rule="compliance_violation"]')
        .filter({ has: app.page.locator('a', { hasText: new RegExp(`^Creator ${creator}$`) }) });
      assert.equal(await item.count(), 1, `one compliance alert for ${creator}`);
      const named = await item
        .locator('[data-alert-post]')
        .evaluateAll((links) => links.map((a) => [a.getAttribute('data-alert-post'), a.getAttribute('href')]));
      assert.deepEqual(
        named,
        mine.map((p) => [p.post_id, `/campaigns/${p.campaign_id}?post=${p.post_id}`]),
        `${creator}'s posts`,
      );
      assert.match(await item.locator('p').first().innerText(), new RegExp(`^Creator ${creator}: ${mine.length} sponsored posts? ha`));
    }
  } finally {
    await app.close();
  }
});
