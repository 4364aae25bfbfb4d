//! The KPI registry, walked entry by entry: every KPI evaluates on a complete workspace
//! (the generated demo) or says specifically why not, every KPI says why not on an empty
//! one, and every column an entry needs is a real canonical column.

use kpi_dash::data::calendar::Granularity;
use kpi_dash::data::demo::{self, DEMO_SEED};
use kpi_dash::data::schema::{TableKind, POSTS_COLUMNS};
use kpi_dash::data::store::Workspace;
use kpi_dash::metrics::engine::{compute, Filter, KpiValue, Results};
use kpi_dash::metrics::registry::{kpi, registry, Eval, KpiId, PLATFORM_ENGAGEMENT};
use kpi_dash::metrics::settings::Settings;

fn demo_results() -> Results {
    compute(
        &demo::generate(DEMO_SEED),
        &Filter::default(),
        &Settings::default(),
        Granularity::Month,
    )
}

/// A reason that names its cause: not empty and not the old "unknown KPI".
fn assert_specific(id: KpiId, reason: &str) {
    assert!(!reason.trim().is_empty(), "{id}: empty n/a reason");
    assert!(
        !reason.to_lowercase().contains("unknown"),
        "{id}: unspecific n/a reason {reason:?}"
    );
}

#[test]
fn every_kpi_has_a_value_on_the_demo_workspace() {
    let r = demo_results();
    for def in registry() {
        match r.overall.get(def.id) {
            KpiValue::Value(v) => assert!(v.is_finite(), "{}: {v}", def.id),
            // The demo is complete: every KPI is computable on it.
            KpiValue::NotAvailable { reason } => {
                panic!("{} is n/a on the demo workspace: {reason}", def.id)
            }
        }
    }
}

#[test]
fn every_group_and_period_value_is_a_number_or_a_specific_reason() {
    let r = demo_results();
    let sets = r
        .groups
        .iter()
        .map(|g| &g.kpis)
        .chain(r.periods.iter().map(|p| &p.kpis));
    for set in sets {
        for (def, value) in set.iter() {
            match value {
                KpiValue::Value(v) => assert!(v.is_finite(), "{}: {v}", def.id),
                KpiValue::NotAvailable { reason } => assert_specific(def.id, reason),
            }
        }
    }
}

#[test]
fn every_kpi_says_why_not_on_an_empty_workspace() {
    let r = compute(
        &Workspace::default(),
        &Filter::default(),
        &Settings::default(),
        Granularity::Month,
    );
    for (def, value) in r.overall.iter() {
        match value {
            KpiValue::NotAvailable { reason } => assert_specific(def.id, reason),
            KpiValue::Value(v) => panic!("{} is {v} on an empty workspace", def.id),
        }
    }
}

#[test]
fn posts_kpis_have_a_coverage_and_the_others_none() {
    let r = demo_results();
    for def in registry() {
        let coverage = r.overall.coverage(def.id);
        match def.eval {
            // Sums over the rows that have every input: a coverage. The demo has every
            // posts column on every row: 3,000 of 3,000.
            Eval::Ratio { .. }
            | Eval::PerThousand { .. }
            | Eval::Share { .. }
            | Eval::Total(_)
            | Eval::PerCampaign(_)
            | Eval::EngagementRate
            | Eval::EngagementsPer { .. }
            | Eval::PerEngagement(_)
            | Eval::FtcCompliance => {
                let c = coverage.unwrap_or_else(|| panic!("{} has no coverage", def.id));
                assert_eq!((c.used, c.of), (3_000, 3_000), "{}", def.id);
            }
            // Per-platform and per-creator flows, sentiment counts, EMV and the
            // campaign, creator and asset KPIs: no posts-row coverage.
            Eval::PlatformEngagementRate(_)
            | Eval::CommentSentiment
            | Eval::Emv
            | Eval::ClvRatio
            | Eval::BudgetPacing
            | Eval::InfluencerScore
            | Eval::Campaigns(_)
            | Eval::Creators(_)
            | Eval::AssetApprovalHours => assert_eq!(coverage, None, "{}", def.id),
        }
    }
}

#[test]
fn every_needed_column_is_a_canonical_column() {
    for def in registry() {
        for m in def.measures() {
            assert!(
                POSTS_COLUMNS.iter().any(|c| c.name == m.column()),
                "{}: {m:?} reads no posts column",
                def.id
            );
        }
        for input in def.inputs() {
            let (table, column) = input
                .split_once('.')
                .unwrap_or_else(|| panic!("{}: {input:?} is not table.column", def.id));
            let kind = TableKind::ALL
                .into_iter()
                .find(|k| k.name() == table)
                .unwrap_or_else(|| panic!("{}: no table {table:?}", def.id));
            assert!(
                kind.columns().iter().any(|c| c.name == column),
                "{}: {table} has no column {column:?}",
                def.id
            );
        }
        assert!(!def.inputs().is_empty(), "{} needs nothing", def.id);
    }
}

#[test]
fn the_registry_is_in_kpi_id_order_and_ids_round_trip() {
    assert_eq!(registry().len(), KpiId::ALL.len());
    for (i, def) in registry().iter().enumerate() {
        assert_eq!(def.id as usize, i);
        assert_eq!(KpiId::ALL[i], def.id);
        assert_eq!(kpi(def.id).id, def.id);
        assert_eq!(def.id.as_str().parse::<KpiId>(), Ok(def.id));
        assert_eq!(
            serde_json::to_string(&def.id).unwrap(),
            format!("\"{}\"", def.id.as_str())
        );
    }
    // The strings are the DOM hooks and JSON keys: a few, spelled out.
    assert_eq!(KpiId::Roas.as_str(), "roas");
    assert_eq!(KpiId::EngagementRateX.as_str(), "engagement_rate_x");
    assert_eq!(KpiId::AssetApprovalHours.as_str(), "asset_approval_hours");
    for (key, id) in PLATFORM_ENGAGEMENT {
        assert!(matches!(id.def().eval, Eval::PlatformEngagementRate(k) if k == key));
    }
}

#[test]
fn glossary_inputs_come_from_the_evaluation() {
    // ROAS = Σrevenue / Σcost: its needs are the two posts columns of its ratio.
    assert_eq!(KpiId::Roas.def().inputs(), ["posts.revenue", "posts.cost"]);
    // Impressions per campaign: Σimpressions, and the campaign key of each row.
    assert_eq!(
        KpiId::ImpressionsPerCampaign.def().inputs(),
        ["posts.impressions", "posts.campaign_id"]
    );
    // Brand recall lift reads only the campaigns' survey columns.
    assert_eq!(
        KpiId::BrandRecallLift.def().inputs(),
        ["campaigns.awareness_pre", "campaigns.awareness_post"]
    );
}

#[test]
fn campaign_creator_and_asset_kpis_name_their_registry_columns_when_missing() {
    // The demo's posts, without the campaigns, creators and assets tables: every KPI of
    // those tables is n/a and names the columns its registry entry lists.
    let mut ws = demo::generate(DEMO_SEED);
    ws.campaigns.clear();
    ws.creators.clear();
    ws.assets.clear();
    let r = compute(
        &ws,
        &Filter::default(),
        &Settings::default(),
        Granularity::Month,
    );
    let mut checked = 0;
    for def in registry() {
        let names_columns = matches!(
            def.eval,
            Eval::Campaigns(_)
                | Eval::Creators(_)
                | Eval::AssetApprovalHours
                | Eval::ClvRatio
                | Eval::BudgetPacing
        );
        if !names_columns {
            continue;
        }
        let columns = def.columns.join(", ");
        match r.overall.get(def.id) {
            KpiValue::NotAvailable { reason } => assert!(
                reason.contains(&format!("needs column(s): {columns}")),
                "{}: {reason:?} does not name {columns}",
                def.id
            ),
            KpiValue::Value(v) => panic!("{} is {v} without its table", def.id),
        }
        checked += 1;
    }
    // 4 campaign KPIs, 4 creator KPIs, asset approval, CLV : CPA and budget pacing.
    assert_eq!(checked, 11);
}
