//! The demo's planted problems, checked from the raw rows by hand-written arithmetic
//! (deliberately not through the metrics engine).

use std::collections::BTreeMap;

use kpi_dash::data::demo::{self, DEMO_SEED};
use kpi_dash::data::schema::Measure;
use kpi_dash::data::store::{Disclosure, Workspace};

/// Σ of measures per key, where `key(i)` names the group of post `i`.
struct Totals(BTreeMap<String, BTreeMap<Measure, f64>>);

impl Totals {
    fn by(ws: &Workspace, key: impl Fn(usize) -> String) -> Totals {
        let mut groups: BTreeMap<String, BTreeMap<Measure, f64>> = BTreeMap::new();
        for i in 0..ws.posts.len() {
            let group = groups.entry(key(i)).or_default();
            for m in Measure::ALL {
                *group.entry(m).or_default() += ws.posts.measure(m)[i];
            }
        }
        Totals(groups)
    }

    fn sum(&self, key: &str, m: Measure) -> f64 {
        self.0
            .get(key)
            .and_then(|g| g.get(&m))
            .copied()
            .unwrap_or(f64::NAN)
    }

    /// (likes + comments + shares + saves) / reach.
    fn engagement_rate(&self, key: &str) -> f64 {
        let engagements = self.sum(key, Measure::Likes)
            + self.sum(key, Measure::Comments)
            + self.sum(key, Measure::Shares)
            + self.sum(key, Measure::Saves);
        engagements / self.sum(key, Measure::Reach)
    }

    fn ratio(&self, key: &str, num: Measure, den: Measure) -> f64 {
        self.sum(key, num) / self.sum(key, den)
    }
}

fn by_campaign(ws: &Workspace) -> Totals {
    Totals::by(ws, |i| {
        ws.posts.campaigns.value(ws.posts.campaign[i]).to_owned()
    })
}

fn by_creator(ws: &Workspace) -> Totals {
    Totals::by(ws, |i| {
        ws.posts.creators.value(ws.posts.creator[i]).to_owned()
    })
}

fn by_platform(ws: &Workspace) -> Totals {
    Totals::by(ws, |i| {
        ws.posts.platforms.value(ws.posts.platform[i]).to_owned()
    })
}

#[test]
fn print_figures() {
    let ws = demo::generate(DEMO_SEED);
    let c = by_campaign(&ws);
    for (id, _) in &c.0 {
        let camp = ws.campaign(id).unwrap();
        println!(
            "{id} {:?} posts {} ER {:.4} CTR {:.4} CR {:.4} ROAS {:.2} CPM {:.2} cost {:.0} budget {:?} imp {:.0}",
            camp.objective,
            c.sum(id, Measure::PostCount),
            c.engagement_rate(id),
            c.ratio(id, Measure::Clicks, Measure::Impressions),
            c.ratio(id, Measure::Conversions, Measure::Clicks),
            c.ratio(id, Measure::Revenue, Measure::Cost),
            1000.0 * c.ratio(id, Measure::Cost, Measure::Impressions),
            c.sum(id, Measure::Cost),
            camp.budget,
            c.sum(id, Measure::Impressions),
        );
    }
    let p = by_platform(&ws);
    for (id, _) in &p.0 {
        println!(
            "{id} posts {} ER {:.4}",
            p.sum(id, Measure::PostCount),
            p.engagement_rate(id)
        );
    }
    let k = by_creator(&ws);
    for cr in &ws.creators {
        let id = &cr.creator_id;
        let plat = cr.platform.as_deref().unwrap();
        let target = match plat {
            "instagram" => 0.06,
            "tiktok" => 0.07,
            "youtube" => 0.04,
            _ => 0.03,
        };
        let er = k.engagement_rate(id);
        let cr_ = k.ratio(id, Measure::Conversions, Measure::Clicks);
        let score = 100.0
            * (0.4 * (er / target).min(1.0)
                + 0.4 * (cr_ / 0.03).min(1.0)
                + 0.2 * cr.brand_fit.unwrap() / 100.0);
        println!(
            "{id} {plat} fol {:?} posts {} ER {:.4} CR {:.4} score {:.1} rev {:.0}",
            cr.followers_start,
            k.sum(id, Measure::PostCount),
            er,
            cr_,
            score,
            k.sum(id, Measure::Revenue)
        );
    }
    let maxi = ws
        .posts
        .measure(Measure::Impressions)
        .iter()
        .cloned()
        .fold(0.0, f64::max);
    println!(
        "max imp {maxi} undisclosed {}",
        ws.posts
            .disclosure
            .iter()
            .filter(|d| **d == Disclosure::Undisclosed)
            .count()
    );
    println!(
        "total cost {:.0}",
        ws.posts.measure(Measure::Cost).iter().sum::<f64>()
    );
}
