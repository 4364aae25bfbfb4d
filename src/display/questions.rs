//! The questions the views ask of the data, and one function that answers them,
//! [`answer`], wherever the workspace lives: on the page (the demo and small files) or
//! in the worker that owns the columns of a streamed load. There a question and its
//! answer cross as JSON: small aggregate results, never rows. [`Outline`] is what the
//! page keeps of a workspace it does not hold (counts, date span, filter choices), and
//! [`shell`] the tables it names things from.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::data::calendar::{format_day, Day, Granularity};
use crate::data::ingest::workspace_json;
use crate::data::store::{PostRow, Workspace};
use crate::metrics::alerts::{evaluate, Alert};
use crate::metrics::drivers::{drivers, Drivers};
use crate::metrics::engine::Dimension;
use crate::metrics::engine::{compute, compute_sums, day_sums, Filter, Results};
use crate::metrics::explain::{explain, ExplainQuery, Explanation};
use crate::metrics::registry::KpiId;
use crate::metrics::renewal::{renewal_inputs, RenewalInputs};
use crate::metrics::settings::Settings;
use crate::metrics::trend::{compare_window, CompareMode, CompareWindow};
use crate::metrics::value_json::{from_json_sharing_reasons, to_json_sharing_reasons};
use crate::metrics::variation::{variations, Variation, Window};

use super::explain::rows_csv;
use super::report::{build_report, Cadence, CadenceReport};

/// What a view asks of the data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Question {
    /// The engine's results for the rows `filter` selects.
    Results {
        filter: Filter,
        granularity: Granularity,
    },
    /// The trend comparison of `filter` (see [`Comparison`]).
    Comparison {
        filter: Filter,
        compare: CompareMode,
        granularity: Granularity,
    },
    /// The alerts raised by the rows `filter` selects (`granularity` only picks the
    /// cached results they are drawn from).
    Alerts {
        filter: Filter,
        granularity: Granularity,
    },
    /// The cadence report of `filter`.
    Report { filter: Filter, cadence: Cadence },
    /// The renewal inputs of one creator in `filter`.
    Renewal {
        filter: Filter,
        granularity: Granularity,
        creator: String,
    },
    /// The post `post_id` of `campaign`, when there is one.
    Post { campaign: String, post_id: String },
    /// The whole workspace as its JSON document (export, "remember").
    Document,
    /// The plan of `filter` (its dates aside): forecasts, curves and what the
    /// reallocation needs (see [`crate::metrics::plan`]).
    Plan { filter: Filter },
    /// One KPI of a view taken apart (the explain panel).
    Explain(ExplainQuery),
    /// Every row behind one KPI of a view, as CSV (an [`Answer::Text`]).
    ExplainRows(ExplainQuery),
    /// Why `kpi` moved over the trend comparison of `filter`: its change split by the
    /// groups of `dimension` (see [`crate::metrics::drivers`]).
    Drivers {
        filter: Filter,
        compare: CompareMode,
        granularity: Granularity,
        kpi: KpiId,
        dimension: Dimension,
    },
    /// The engagement patterns of `filter` (see [`crate::metrics::patterns`]).
    Patterns { filter: Filter },
    /// The audience of a view, a creator, or a campaign against its target (see
    /// [`crate::metrics::audience`]).
    Audience(crate::metrics::audience::AudienceQuery),
}

/// The answer to a [`Question`], variant for variant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Answer {
    Results(Arc<Results>),
    Comparison(Option<Arc<Comparison>>),
    Alerts(Arc<Vec<Alert>>),
    Report(Option<Arc<CadenceReport>>),
    Renewal(RenewalInputs),
    Post(Option<Box<PostRow>>),
    Document(Arc<String>),
    Plan(Option<Arc<crate::metrics::plan::Plan>>),
    Explain(Arc<Explanation>),
    /// A text file (the explain panel's rows CSV).
    Text(Arc<String>),
    Drivers(Option<Arc<Drivers>>),
    Patterns(Arc<crate::metrics::patterns::Patterns>),
    Audience(Arc<crate::metrics::audience::AudienceView>),
}

/// Answers `question` from `ws` under `settings`.
pub fn answer(ws: &Workspace, settings: &Settings, question: &Question) -> Answer {
    match question {
        Question::Audience(q) => {
            Answer::Audience(Arc::new(crate::metrics::audience::audience(ws, q)))
        }
        Question::Patterns { filter } => Answer::Patterns(Arc::new(
            crate::metrics::patterns::patterns(ws, filter, settings),
        )),
        Question::Results {
            filter,
            granularity,
        } => Answer::Results(Arc::new(compute(ws, filter, settings, *granularity))),
        Question::Comparison {
            filter,
            compare,
            granularity,
        } => Answer::Comparison(
            comparison(ws, filter, *compare, settings, *granularity).map(Arc::new),
        ),
        Question::Alerts {
            filter,
            granularity,
        } => {
            let results = compute(ws, filter, settings, *granularity);
            Answer::Alerts(Arc::new(evaluate(ws, filter, settings, &results)))
        }
        Question::Report { filter, cadence } => {
            Answer::Report(build_report(ws, filter, settings, *cadence).map(Arc::new))
        }
        Question::Renewal {
            filter,
            granularity,
            creator,
        } => {
            let results = compute(ws, filter, settings, *granularity);
            Answer::Renewal(renewal_inputs(ws, filter, creator, &results, None))
        }
        Question::Post { campaign, post_id } => {
            Answer::Post(find_post(ws, campaign, post_id).map(Box::new))
        }
        Question::Document => Answer::Document(Arc::new(workspace_json(ws))),
        Question::Plan { filter } => {
            Answer::Plan(crate::metrics::plan::plan(ws, filter, settings).map(Arc::new))
        }
        Question::Explain(q) => Answer::Explain(Arc::new(explain(ws, settings, q))),
        Question::ExplainRows(q) => Answer::Text(Arc::new(rows_csv(ws, settings, q))),
        Question::Drivers {
            filter,
            compare,
            granularity,
            kpi,
            dimension,
        } => Answer::Drivers(
            drivers(
                ws,
                settings,
                filter,
                *compare,
                *granularity,
                *kpi,
                *dimension,
            )
            .map(Arc::new),
        ),
    }
}

/// An answer as the data worker sends it: its JSON, in which n/a values name an index
/// into its reasons, and the JSON list of those reasons.
pub fn answer_to_json(answer: &Answer) -> Result<(String, String), serde_json::Error> {
    let (json, reasons) = to_json_sharing_reasons(answer)?;
    let reasons = serde_json::to_string(&reasons)?;
    Ok((json, reasons))
}

/// Reads an answer of [`answer_to_json`]; the error is the JSON parser's.
pub fn answer_from_json(json: &str, reasons: &str) -> Result<Answer, serde_json::Error> {
    let reasons: Vec<String> = serde_json::from_str(reasons)?;
    from_json_sharing_reasons(json, reasons)
}

/// The first posts row with this post id in this campaign.
pub fn find_post(ws: &Workspace, campaign: &str, post_id: &str) -> Option<PostRow> {
    let posts = &ws.posts;
    (0..posts.len())
        .find(|&i| {
            posts.post_id.get(i) == post_id && posts.campaigns.value(posts.campaign[i]) == campaign
        })
        .map(|i| posts.row(i))
}

/// What the trend arrows compare: the current window's results against the compare
/// window's, and the two windows. Only the overall values are compared, so the two
/// results carry no groups or periods (which keeps the worker's answer small).
#[derive(Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub current: Results,
    pub previous: Results,
    pub window: CompareWindow,
    /// Whether each change is within the days' normal variation (the KPIs it applies to).
    #[serde(default)]
    pub variation: Vec<(KpiId, Variation)>,
}

impl Comparison {
    /// `<current dates> vs <previous dates>`.
    pub fn label(&self) -> String {
        format!(
            "{} vs {}",
            date_range(&self.window.current),
            date_range(&self.window.previous)
        )
    }

    /// The compare window's dates, `YYYY-MM-DD to YYYY-MM-DD`.
    pub fn previous_range(&self) -> String {
        date_range(&self.window.previous)
    }

    /// The variation flag of one KPI's change, when it has one.
    pub fn variation(&self, id: KpiId) -> Option<&Variation> {
        self.variation
            .iter()
            .find(|(k, _)| *k == id)
            .map(|(_, v)| v)
    }
}

fn date_range(f: &Filter) -> String {
    match (f.from, f.to) {
        (Some(a), Some(b)) => format!("{} to {}", format_day(a), format_day(b)),
        _ => String::new(),
    }
}

/// The comparison for `filter`: its date range (or the last 90 days of the data when it
/// has none) against the previous period of equal length or the year before, overall.
pub fn comparison(
    ws: &Workspace,
    filter: &Filter,
    compare: CompareMode,
    settings: &Settings,
    granularity: Granularity,
) -> Option<Comparison> {
    let window = compare_window(ws, filter, compare)?;
    // The two windows' overall values, and their rows' sums by day (a light pass) for
    // the variation flag.
    let current = compute_sums(ws, &window.current, settings, granularity);
    let previous = compute_sums(ws, &window.previous, settings, granularity);
    let (current_days, previous_days) = (
        day_sums(ws, &window.current),
        day_sums(ws, &window.previous),
    );
    let variation = variations(
        settings,
        Window {
            results: &previous,
            days: &previous_days,
            filter: &window.previous,
        },
        Window {
            results: &current,
            days: &current_days,
            filter: &window.current,
        },
    );
    let overall_of = |r: Results| Results {
        groups: Vec::new(),
        periods: Vec::new(),
        ..r
    };
    Some(Comparison {
        current: overall_of(current),
        previous: overall_of(previous),
        window,
        variation,
    })
}

/// What the page keeps of a workspace whose posts it does not hold: the row counts of
/// each table, the posts' date span and the filter bar's choices.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Outline {
    pub posts: usize,
    pub undated_posts: usize,
    pub campaigns: usize,
    pub creators: usize,
    pub assets: usize,
    pub comments: usize,
    /// First and last dated day of the posts.
    pub span: Option<(Day, Day)>,
    /// The distinct keys of the posts, by dimension (platform, campaign, creator,
    /// format), as the filter bar lists them.
    pub platforms: Vec<String>,
    pub campaign_ids: Vec<String>,
    pub creator_ids: Vec<String>,
    pub formats: Vec<String>,
}

impl Outline {
    /// The outline of `ws`.
    pub fn of(ws: &Workspace) -> Outline {
        let p = &ws.posts;
        Outline {
            posts: p.len(),
            undated_posts: p.undated_rows(),
            campaigns: ws.campaigns.len(),
            creators: ws.creators.len(),
            assets: ws.assets.len(),
            comments: ws.comments.len(),
            span: p.date_span(),
            platforms: p.platforms.values().to_vec(),
            campaign_ids: p.campaigns.values().to_vec(),
            creator_ids: p.creators.values().to_vec(),
            formats: p.formats.values().to_vec(),
        }
    }

    /// True when no table has a row.
    pub fn is_empty(&self) -> bool {
        self.posts + self.campaigns + self.creators + self.assets + self.comments == 0
    }
}

/// The tables the page names things from (campaigns and creators), without the posts,
/// assets and comments that stay with the workspace's owner.
pub fn shell(ws: &Workspace) -> Workspace {
    Workspace {
        campaigns: ws.campaigns.clone(),
        creators: ws.creators.clone(),
        audience: ws.audience.clone(),
        ..Workspace::default()
    }
}

/// The campaigns and creators of a workspace, to name things by: all that a view knows
/// of the data besides its answers, wherever the data lives. It has no posts, assets or
/// comments, and gives no way to reach them.
#[derive(Clone, Debug, Default)]
pub struct Names(Workspace);

impl Names {
    /// The names of `ws` (its campaigns and creators tables).
    pub fn of(ws: &Workspace) -> Names {
        Names(shell(ws))
    }

    /// The campaign with this id.
    pub fn campaign(&self, id: &str) -> Option<&crate::data::store::Campaign> {
        self.0.campaign(id)
    }

    /// The creator with this id.
    pub fn creator(&self, id: &str) -> Option<&crate::data::store::Creator> {
        self.0.creator(id)
    }

    /// The campaign's name, when the campaigns table gives one.
    pub fn campaign_name(&self, id: &str) -> Option<&str> {
        self.0.campaign_name(id)
    }

    /// The creator's name (handle), when the creators table gives one.
    pub fn creator_name(&self, id: &str) -> Option<&str> {
        self.0.creator_name(id)
    }

    /// The headline KPIs of a campaign's page (by its objective).
    pub fn headline(&self, campaign_id: &str) -> &'static [crate::metrics::registry::KpiId] {
        crate::metrics::objective::campaign_headline(&self.0, campaign_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::calendar::parse_iso_day;
    use crate::data::ingest::{load, LoadOptions};
    use crate::metrics::engine::KpiValue;
    use crate::metrics::registry::KpiId;

    /// Three tiktok posts of two creators (one undated) and one youtube post; a
    /// campaigns table with one campaign.
    fn workspace() -> Workspace {
        let posts = "platform,date,post_id,campaign_id,creator_id,impressions,reach,likes,clicks,revenue,cost\n\
                     tiktok,2025-02-10,p1,C1,K1,1000,800,10,10,300,100\n\
                     tiktok,2025-03-05,p2,C1,K1,1000,800,10,10,500,100\n\
                     tiktok,,p3,C2,K2,1000,800,10,10,300,300\n\
                     youtube,2025-03-22,p4,C2,K2,2000,1000,30,20,100,500\n";
        let campaigns = "campaign_id,name,budget\nC1,Spring,1000\n";
        let mut ws = Workspace::default();
        let options = LoadOptions::default();
        load(&mut ws, "posts.csv", posts.as_bytes(), &options).unwrap();
        load(&mut ws, "campaigns.csv", campaigns.as_bytes(), &options).unwrap();
        ws
    }

    #[test]
    fn the_outline_counts_tables_and_lists_filter_keys() {
        let o = Outline::of(&workspace());
        assert_eq!(
            (o.posts, o.undated_posts, o.campaigns, o.creators),
            (4, 1, 1, 0)
        );
        let day = |s| parse_iso_day(s).unwrap();
        assert_eq!(o.span, Some((day("2025-02-10"), day("2025-03-22"))));
        assert_eq!(o.platforms, ["tiktok", "youtube"]);
        assert_eq!(o.campaign_ids, ["C1", "C2"]);
        assert_eq!(o.creator_ids, ["K1", "K2"]);
        assert!(!o.is_empty());
        assert!(Outline::of(&Workspace::default()).is_empty());
    }

    #[test]
    fn names_name_campaigns_and_creators_and_hold_no_posts() {
        let ws = workspace();
        let names = Names::of(&ws);
        assert_eq!(names.campaign_name("C1"), Some("Spring"));
        assert_eq!(names.campaign("C1").and_then(|c| c.budget), Some(1000.0));
        // C2 has posts but no campaigns row, K1 no creators table: no name to give.
        assert_eq!(names.campaign_name("C2"), None);
        assert_eq!(names.creator_name("K1"), None);
        assert_eq!(names.0.posts.len(), 0);
    }

    #[test]
    fn the_shell_keeps_only_campaigns_and_creators() {
        let s = shell(&workspace());
        assert_eq!(s.posts.len(), 0);
        assert_eq!(s.campaign_name("C1"), Some("Spring"));
    }

    #[test]
    fn answers_cross_as_json_with_each_reason_once() {
        let ws = workspace();
        let question = Question::Results {
            filter: Filter {
                platforms: vec!["tiktok".into()],
                ..Filter::default()
            },
            granularity: Granularity::Month,
        };
        let sent: Question =
            serde_json::from_str(&serde_json::to_string(&question).unwrap()).unwrap();
        let answer = answer(&ws, &Settings::default(), &sent);
        let Answer::Results(r) = &answer else {
            panic!("not results")
        };
        // tiktok: revenue 300 + 500 + 300 = 1100 over cost 100 + 100 + 300 = 500.
        assert_eq!(r.overall.get(KpiId::Roas), KpiValue::Value(2.2));
        let (json, reasons) = answer_to_json(&answer).unwrap();
        let back = answer_from_json(&json, &reasons).unwrap();
        assert_eq!(back, answer);
        // Every n/a of every group names one of the few distinct reasons.
        let na_values = json.matches(r#"{"na":"#).count();
        let distinct: Vec<String> = serde_json::from_str(&reasons).unwrap();
        assert!(
            na_values > 3 * distinct.len(),
            "{na_values} n/a, {} reasons",
            distinct.len()
        );
        assert!(!json.contains("needs column"));
        // A damaged index is an error, not a panic.
        assert!(answer_from_json(&json, "[]").is_err());
    }

    #[test]
    fn a_comparison_carries_only_the_overall_values() {
        let ws = workspace();
        let question = Question::Comparison {
            filter: Filter {
                from: parse_iso_day("2025-03-01"),
                to: parse_iso_day("2025-03-31"),
                ..Filter::default()
            },
            compare: CompareMode::PreviousPeriod,
            granularity: Granularity::Month,
        };
        let Answer::Comparison(Some(c)) = answer(&ws, &Settings::default(), &question) else {
            panic!("a dated range has a comparison")
        };
        // March: p2 and p4, revenue 500 + 100 over cost 100 + 500; the 31 days before
        // (29 January to 28 February): p1, 300 over 100.
        assert_eq!(c.current.overall.get(KpiId::Roas), KpiValue::Value(1.0));
        assert_eq!(c.previous.overall.get(KpiId::Roas), KpiValue::Value(3.0));
        assert!(c.current.groups.is_empty() && c.current.periods.is_empty());
    }

    #[test]
    fn post_and_report_questions() {
        let ws = workspace();
        let settings = Settings::default();
        let post = |campaign: &str, id: &str| {
            answer(
                &ws,
                &settings,
                &Question::Post {
                    campaign: campaign.into(),
                    post_id: id.into(),
                },
            )
        };
        let Answer::Post(Some(row)) = post("C2", "p4") else {
            panic!("p4 is in C2")
        };
        assert_eq!(
            (row.platform.as_str(), row.creator_id.as_str()),
            ("youtube", "K2")
        );
        assert_eq!(post("C1", "p4"), Answer::Post(None));
        let report = answer(
            &ws,
            &settings,
            &Question::Report {
                filter: Filter::default(),
                cadence: Cadence::Monthly,
            },
        );
        let (json, reasons) = answer_to_json(&report).unwrap();
        assert_eq!(answer_from_json(&json, &reasons).unwrap(), report);
        let Answer::Report(Some(r)) = report else {
            panic!("dated data has a report")
        };
        // March 2025 to the 22nd: p2 and p4, revenue 500 + 100 over cost 100 + 500.
        let roas = r.kpis.iter().find(|k| k.def.id == KpiId::Roas).unwrap();
        assert_eq!(roas.current, KpiValue::Value(1.0));
    }
}
