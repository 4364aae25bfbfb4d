//! The dashboard's URL query: filters (`from`, `to`, `platform`, `campaign`, `creator`,
//! `format`), compare mode (`compare`) and granularity (`g`); date presets relative to
//! the last date in the data; and the compare period. Pure, so links round-trip.

use crate::data::calendar::{
    format_day, parse_iso_day, parse_iso_day_checked, DateError, Day, Granularity,
};
use crate::metrics::engine::Filter;
use crate::metrics::trend::CompareMode;

/// The granularity used when the URL gives none.
pub const DEFAULT_GRANULARITY: Granularity = Granularity::Week;

/// Everything the URL query holds. Empty strings mean "all".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ViewQuery {
    pub from: Option<Day>,
    pub to: Option<Day>,
    pub platform: String,
    pub campaign: String,
    pub creator: String,
    pub format: String,
    pub compare: CompareMode,
    pub granularity: Granularity,
}

impl Default for ViewQuery {
    fn default() -> Self {
        ViewQuery {
            from: None,
            to: None,
            platform: String::new(),
            campaign: String::new(),
            creator: String::new(),
            format: String::new(),
            compare: CompareMode::PreviousPeriod,
            granularity: DEFAULT_GRANULARITY,
        }
    }
}

/// A date of the URL query that was refused (not `YYYY-MM-DD`, trailing text, no such
/// day, outside the supported years, or an end before the start): the UI shows
/// [`QueryError::message`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryError {
    /// `from` or `to`.
    pub key: &'static str,
    /// The value as the URL gave it (cut to 40 characters).
    pub value: String,
    /// Why it was refused.
    pub reason: QueryProblem,
}

/// Why a date of the URL query was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QueryProblem {
    /// The date itself cannot be read.
    Date(DateError),
    /// `to` is a day before `from` (the start date as written).
    EndBeforeStart { from: String },
}

impl PartialEq<DateError> for QueryProblem {
    fn eq(&self, other: &DateError) -> bool {
        matches!(self, QueryProblem::Date(e) if e == other)
    }
}

impl std::fmt::Display for QueryProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            QueryProblem::Date(e) => e.fmt(f),
            QueryProblem::EndBeforeStart { from } => {
                write!(f, "it is before the start date ({from})")
            }
        }
    }
}

impl QueryError {
    /// A sentence for a notice: which date, its value, why, and that nothing changed.
    pub fn message(&self) -> String {
        let which = if self.key == "from" { "start" } else { "end" };
        format!(
            "The link's {which} date ({}={}) was not applied: {}. The filter was left as it was.",
            self.key, self.value, self.reason
        )
    }
}

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

/// Why a range typed in the filter bar is refused: `Some` when `to` is a day before
/// `from` (the sentence for the notice; the filter is left as it was).
pub fn reversed_range_message(from: Option<Day>, to: Option<Day>) -> Option<String> {
    let (from, to) = (from?, to?);
    (to < from).then(|| {
        format!(
            "The end date {} is before the start date {}: not applied. The filter was left as it was.",
            format_day(to),
            format_day(from)
        )
    })
}

/// A filter value of the URL query that names nothing in the data (`?platform=xyz`):
/// the dropdown shows it as unknown and the notice says so.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownValue {
    /// `platform`, `campaign`, `creator` or `format`.
    pub key: &'static str,
    pub value: String,
}

impl UnknownValue {
    /// The label of the dropdown's option for the value.
    pub fn option_label(value: &str) -> String {
        format!("unknown: {}", clip(value))
    }

    /// A sentence for the notice.
    pub fn message(&self) -> String {
        format!(
            "The link's {key} \"{}\" is not in the data: no row matches it, so every KPI is n/a. Pick a {key} from the list, or All.",
            clip(&self.value),
            key = self.key
        )
    }
}

/// A value cut to 40 characters for a message.
fn clip(value: &str) -> String {
    let mut out: String = value.chars().take(40).collect();
    if value.chars().count() > 40 {
        out.push('…');
    }
    out
}

impl ViewQuery {
    /// Reads the query through a key lookup; unknown or malformed values fall back to
    /// defaults (a refused date is left out, and so is a `to` before `from`:
    /// [`ViewQuery::try_parse`] says why).
    pub fn parse(get: impl Fn(&str) -> Option<String>) -> ViewQuery {
        let date = |k: &str| get(k).and_then(|v| parse_iso_day(&v));
        let from = date("from");
        let to = date("to").filter(|&to| from.is_none_or(|from| to >= from));
        ViewQuery {
            from,
            to,
            ..ViewQuery::parse_rest(&get)
        }
    }

    /// Reads the query, refusing it whole when a date is refused: `Err` lists each
    /// refused date. An empty or blank `from`/`to` is no date, not an error.
    pub fn try_parse(get: impl Fn(&str) -> Option<String>) -> Result<ViewQuery, Vec<QueryError>> {
        let mut errors = Vec::new();
        let mut date = |key: &'static str| -> Option<Day> {
            let raw = get(key)?;
            if raw.trim().is_empty() {
                return None;
            }
            match parse_iso_day_checked(&raw) {
                Ok(day) => Some(day),
                Err(reason) => {
                    errors.push(QueryError {
                        key,
                        value: raw.chars().take(40).collect(),
                        reason: QueryProblem::Date(reason),
                    });
                    None
                }
            }
        };
        let (from, to) = (date("from"), date("to"));
        if let (Some(start), Some(end)) = (from, to) {
            if end < start {
                errors.push(QueryError {
                    key: "to",
                    value: format_day(end),
                    reason: QueryProblem::EndBeforeStart {
                        from: format_day(start),
                    },
                });
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ViewQuery {
            from,
            to,
            ..ViewQuery::parse_rest(&get)
        })
    }

    /// The query the page should show for this URL, given the one it showed before:
    /// a URL with a refused date leaves `previous` as it was (on the first read, with no
    /// previous query, the rest of the URL applies without the refused dates); the
    /// errors are for the notice.
    pub fn parse_or_keep(
        get: impl Fn(&str) -> Option<String>,
        previous: Option<&ViewQuery>,
    ) -> (ViewQuery, Vec<QueryError>) {
        match ViewQuery::try_parse(&get) {
            Ok(q) => (q, Vec::new()),
            Err(errors) => (
                previous.cloned().unwrap_or_else(|| ViewQuery::parse(&get)),
                errors,
            ),
        }
    }

    fn parse_rest(get: &impl Fn(&str) -> Option<String>) -> ViewQuery {
        let text = |k: &str| get(k).map(|v| v.trim().to_owned()).unwrap_or_default();
        ViewQuery {
            from: None,
            to: None,
            platform: text("platform"),
            campaign: text("campaign"),
            creator: text("creator"),
            format: text("format"),
            compare: match text("compare").as_str() {
                "year" => CompareMode::YearAgo,
                _ => CompareMode::PreviousPeriod,
            },
            granularity: Granularity::from_name(&text("g")).unwrap_or(DEFAULT_GRANULARITY),
        }
    }

    /// `key=value&…` with empty and default values left out (no leading `?`).
    pub fn to_query_string(&self) -> String {
        let from = self.from.map(format_day).unwrap_or_default();
        let to = self.to.map(format_day).unwrap_or_default();
        let compare = match self.compare {
            CompareMode::PreviousPeriod => "",
            CompareMode::YearAgo => "year",
        };
        let g = if self.granularity == DEFAULT_GRANULARITY {
            ""
        } else {
            self.granularity.name()
        };
        [
            ("from", from.as_str()),
            ("to", to.as_str()),
            ("platform", self.platform.as_str()),
            ("campaign", self.campaign.as_str()),
            ("creator", self.creator.as_str()),
            ("format", self.format.as_str()),
            ("compare", compare),
            ("g", g),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&")
    }

    /// The filter values that name nothing in the data, in the bar's order; `known`
    /// tells whether `(key, value)` is one of the data's values. An empty value is All,
    /// never unknown.
    pub fn unknown_values(&self, known: impl Fn(&str, &str) -> bool) -> Vec<UnknownValue> {
        [
            ("platform", &self.platform),
            ("campaign", &self.campaign),
            ("creator", &self.creator),
            ("format", &self.format),
        ]
        .into_iter()
        .filter(|(key, value)| !value.is_empty() && !known(key, value))
        .map(|(key, value)| UnknownValue {
            key,
            value: value.clone(),
        })
        .collect()
    }

    /// The engine filter for this query.
    pub fn filter(&self) -> Filter {
        let list = |v: &str| {
            if v.is_empty() {
                Vec::new()
            } else {
                vec![v.to_owned()]
            }
        };
        Filter {
            from: self.from,
            to: self.to,
            platforms: list(&self.platform),
            campaigns: list(&self.campaign),
            creators: list(&self.creator),
            formats: list(&self.format),
        }
    }
}

/// Date-range presets of the filter bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Preset {
    All,
    Last7,
    Last30,
    Last90,
    QuarterToDate,
}

impl Preset {
    /// Every preset, in menu order.
    pub const ALL: [Preset; 5] = [
        Preset::All,
        Preset::Last7,
        Preset::Last30,
        Preset::Last90,
        Preset::QuarterToDate,
    ];

    /// The `select#filter-preset` value.
    pub fn value(self) -> &'static str {
        match self {
            Preset::All => "all",
            Preset::Last7 => "7d",
            Preset::Last30 => "30d",
            Preset::Last90 => "90d",
            Preset::QuarterToDate => "qtd",
        }
    }

    /// Menu label.
    pub fn label(self) -> &'static str {
        match self {
            Preset::All => "All time",
            Preset::Last7 => "Last 7 days",
            Preset::Last30 => "Last 30 days",
            Preset::Last90 => "Last 90 days",
            Preset::QuarterToDate => "Quarter to date",
        }
    }

    /// Parses [`Preset::value`].
    pub fn from_value(v: &str) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.value() == v)
    }

    /// The `(from, to)` range, relative to the last date in the data.
    pub fn range(self, last: Day) -> (Option<Day>, Option<Day>) {
        let back = |days: Day| (Some(last.saturating_sub(days - 1)), Some(last));
        match self {
            Preset::All => (None, None),
            Preset::Last7 => back(7),
            Preset::Last30 => back(30),
            Preset::Last90 => back(90),
            Preset::QuarterToDate => (Some(Granularity::Quarter.period_start(last)), Some(last)),
        }
    }

    /// The preset whose range is exactly `(from, to)`, if any.
    pub fn matching(from: Option<Day>, to: Option<Day>, last: Option<Day>) -> Option<Preset> {
        if from.is_none() && to.is_none() {
            return Some(Preset::All);
        }
        let last = last?;
        Preset::ALL
            .into_iter()
            .find(|p| p.range(last) == (from, to))
    }
}

/// Percent-encodes a query value (RFC 3986 unreserved characters stay as they are).
pub fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn day(s: &str) -> Day {
        parse_iso_day(s).unwrap()
    }

    fn parse(pairs: &[(&str, &str)]) -> ViewQuery {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        ViewQuery::parse(|k| map.get(k).cloned())
    }

    #[test]
    fn round_trips_through_the_query_string() {
        let q = parse(&[
            ("from", "2025-01-01"),
            ("to", "2025-03-31"),
            ("platform", "tiktok"),
            ("campaign", "C 1&2"),
            ("compare", "year"),
            ("g", "month"),
        ]);
        assert_eq!(q.from, Some(day("2025-01-01")));
        assert_eq!(q.compare, CompareMode::YearAgo);
        assert_eq!(q.granularity, Granularity::Month);
        assert_eq!(
            q.to_query_string(),
            "from=2025-01-01&to=2025-03-31&platform=tiktok&campaign=C%201%262&compare=year&g=month"
        );
        assert_eq!(ViewQuery::default().to_query_string(), "");
    }

    #[test]
    fn malformed_values_fall_back_to_defaults() {
        let q = parse(&[("from", "01/02/2025"), ("g", "hour"), ("compare", "x")]);
        assert_eq!(q, ViewQuery::default());
    }

    #[test]
    fn presets_are_relative_to_the_last_date() {
        let last = day("2025-05-15");
        assert_eq!(
            Preset::Last7.range(last),
            (Some(day("2025-05-09")), Some(last))
        );
        assert_eq!(Preset::Last30.range(last).0, Some(day("2025-04-16")));
        assert_eq!(Preset::QuarterToDate.range(last).0, Some(day("2025-04-01")));
        assert_eq!(Preset::All.range(last), (None, None));
        let (f, t) = Preset::Last90.range(last);
        assert_eq!(Preset::matching(f, t, Some(last)), Some(Preset::Last90));
        assert_eq!(
            Preset::matching(Some(day("2025-01-02")), t, Some(last)),
            None
        );
    }

    #[test]
    fn filter_lists_are_empty_for_all() {
        let f = parse(&[("format", "reel")]).filter();
        assert_eq!(f.formats, vec!["reel".to_string()]);
        assert!(f.platforms.is_empty() && f.from.is_none());
    }
}
