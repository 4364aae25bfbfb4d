//! Audience breakdowns as users have them, read into one shape: per creator, the share
//! of its audience in each age band, gender and country.
//!
//! # Where they come from
//! - **Wide creators columns** ([`AudienceColumns`], kept on each [`Creator`]):
//!   `age_13_17` … `age_65_plus` (also `Age 18-24`, `18-24`, `65+`), `female_share` /
//!   `male_share` (`Female %`, `Women`), and the top countries `country_1` /
//!   `country_1_share` … `country_5` or `top_country` / `top_country_share`.
//! - **Long rows** (the `audience` table, [`AudienceRow`]): `creator_id, dimension,
//!   value, share` such as `K01,country,US,0.41`. When a creator has long rows for a
//!   dimension, they are its breakdown of that dimension (its wide columns of that
//!   dimension are not used).
//! - Instagram's audience export (Meta Business Suite): its file layout is not
//!   documented in a form this reader could be written against, so it is not read.
//!
//! # Fractions or percents
//! A share written `34%` reads as 0.34 (the number parser's rule). A bare number is a
//! fraction unless the values say otherwise: for each dimension of each shape (wide
//! columns, long rows), when any value in the workspace is above 1 the dimension's
//! values are percents (34 → 0.34). A blank share is absent, never 0; a negative one is
//! left out. Shares that sum over 1 (beyond 1 %, rounding) are kept as given and
//! reported ([`AudienceBook::notes`]), never rescaled.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::store::{Campaign, Creator, Workspace};

/// The wide audience columns of a creators row (flattened into [`Creator`]).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AudienceColumns {
    pub age_13_17: Option<f64>,
    pub age_18_24: Option<f64>,
    pub age_25_34: Option<f64>,
    pub age_35_44: Option<f64>,
    pub age_45_54: Option<f64>,
    pub age_55_64: Option<f64>,
    pub age_65_plus: Option<f64>,
    pub male_share: Option<f64>,
    /// The share of the top country (`country`, from `top_country`).
    pub country_share: Option<f64>,
    pub country_1: Option<String>,
    pub country_1_share: Option<f64>,
    pub country_2: Option<String>,
    pub country_2_share: Option<f64>,
    pub country_3: Option<String>,
    pub country_3_share: Option<f64>,
    pub country_4: Option<String>,
    pub country_4_share: Option<f64>,
    pub country_5: Option<String>,
    pub country_5_share: Option<f64>,
}

/// A campaign's target audience as its file gives it (flattened into [`Campaign`]).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AudienceTarget {
    /// One or several countries: `US;CA`.
    pub target_country: Option<String>,
    /// Age ranges: `18-34`, `18-24;25-34`, `65+`.
    pub target_age: Option<String>,
    /// `female`, `male`.
    pub target_gender: Option<String>,
}

/// One long audience row: a share of one creator's audience.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AudienceRow {
    pub creator_id: String,
    pub dimension: String,
    pub value: String,
    /// Absent when the file's cell is blank.
    pub share: Option<f64>,
}

/// A dimension of an audience.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AudienceDimension {
    Age,
    Gender,
    Country,
}

impl AudienceDimension {
    /// Every dimension, in display order.
    pub const ALL: [AudienceDimension; 3] = [
        AudienceDimension::Age,
        AudienceDimension::Gender,
        AudienceDimension::Country,
    ];

    /// `age`, `gender`, `country` (the `data-audience` hook).
    pub fn name(self) -> &'static str {
        match self {
            AudienceDimension::Age => "age",
            AudienceDimension::Gender => "gender",
            AudienceDimension::Country => "country",
        }
    }

    /// Reads a long row's dimension (`age`, `age_band`, `gender`, `sex`, `country`, …).
    pub fn parse(raw: &str) -> Option<AudienceDimension> {
        match super::mapping::normalize_header(raw).as_str() {
            "age" | "ages" | "age_band" | "age_group" | "age_range" => Some(AudienceDimension::Age),
            "gender" | "sex" | "genders" => Some(AudienceDimension::Gender),
            "country" | "countries" | "geo" | "top_countries" | "location" => {
                Some(AudienceDimension::Country)
            }
            _ => None,
        }
    }
}

/// One bucket's share (0–1).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Share {
    /// `18-24`, `65+`, `female`, `US`.
    pub bucket: String,
    pub share: f64,
}

/// One creator's audience: the buckets of each dimension it has (sorted for display).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CreatorAudience {
    pub dimensions: Vec<(AudienceDimension, Vec<Share>)>,
}

impl CreatorAudience {
    /// The buckets of one dimension, when the creator has it.
    pub fn of(&self, dimension: AudienceDimension) -> Option<&[Share]> {
        self.dimensions
            .iter()
            .find(|(d, _)| *d == dimension)
            .map(|(_, s)| s.as_slice())
    }
}

/// Every creator's audience, and what reading them noticed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AudienceBook {
    pub creators: BTreeMap<String, CreatorAudience>,
    /// Percent readings and shares that sum over 1, in words.
    pub notes: Vec<String>,
}

/// The age bands of the wide columns, with their bucket labels.
const AGE_BANDS: [&str; 7] = ["13-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+"];

fn age_columns(a: &AudienceColumns) -> [Option<f64>; 7] {
    [
        a.age_13_17,
        a.age_18_24,
        a.age_25_34,
        a.age_35_44,
        a.age_45_54,
        a.age_55_64,
        a.age_65_plus,
    ]
}

/// The wide buckets of a creator, raw (before the percent rule).
fn wide_buckets(c: &Creator, dimension: AudienceDimension) -> Vec<(String, f64)> {
    let a = &c.audience;
    let mut out = Vec::new();
    match dimension {
        AudienceDimension::Age => {
            for (band, v) in AGE_BANDS.iter().zip(age_columns(a)) {
                if let Some(v) = v {
                    out.push(((*band).to_owned(), v));
                }
            }
        }
        AudienceDimension::Gender => {
            if let Some(v) = c.female_share {
                out.push(("female".to_owned(), v));
            }
            if let Some(v) = a.male_share {
                out.push(("male".to_owned(), v));
            }
        }
        AudienceDimension::Country => {
            let ranked = [
                (&a.country_1, a.country_1_share),
                (&a.country_2, a.country_2_share),
                (&a.country_3, a.country_3_share),
                (&a.country_4, a.country_4_share),
                (&a.country_5, a.country_5_share),
            ];
            for (name, share) in ranked {
                if let (Some(name), Some(share)) = (name, share) {
                    push_bucket(&mut out, country_key(name), share);
                }
            }
            if out.is_empty() {
                if let (Some(name), Some(share)) = (&c.country, a.country_share) {
                    out.push((country_key(name), share));
                }
            }
        }
    }
    out.retain(|(b, v)| !b.is_empty() && v.is_finite() && *v >= 0.0);
    out
}

/// Adds a share to its bucket (a bucket named twice adds up).
fn push_bucket(out: &mut Vec<(String, f64)>, bucket: String, share: f64) {
    match out.iter_mut().find(|(b, _)| *b == bucket) {
        Some((_, v)) => *v += share,
        None => out.push((bucket, share)),
    }
}

/// A country as a bucket: codes upper-cased (`us` → `US`), names as given.
pub fn country_key(raw: &str) -> String {
    let t = raw.trim();
    if t.len() <= 3 && t.chars().all(|c| c.is_ascii_alphabetic()) {
        t.to_ascii_uppercase()
    } else {
        t.to_owned()
    }
}

/// A gender as a bucket: `f`, `women`, `Female` → `female`; `m`, `men` → `male`.
pub fn gender_key(raw: &str) -> String {
    let t = raw.trim().to_lowercase();
    match t.as_str() {
        "f" | "female" | "females" | "woman" | "women" => "female".into(),
        "m" | "male" | "males" | "man" | "men" => "male".into(),
        _ => t,
    }
}

/// An age range `(from, to)` of `18-24`, `18–24`, `18_24`, `age 18 to 24`, `65+`,
/// `65_plus` (`to` = 200 for an open band).
pub fn age_range(raw: &str) -> Option<(u32, u32)> {
    let t = raw.trim().to_ascii_lowercase();
    let t = t.strip_prefix("age").unwrap_or(&t);
    let digits: Vec<u32> = t
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect();
    let open = t.contains('+') || t.contains("plus") || t.contains("over");
    match digits.as_slice() {
        [from] if open => Some((*from, 200)),
        [from, to] if from <= to => Some((*from, *to)),
        _ => None,
    }
}

/// An age bucket's label: `18-24`, `65+`.
pub fn age_key(raw: &str) -> Option<String> {
    age_range(raw).map(|(from, to)| {
        if to >= 200 {
            format!("{from}+")
        } else {
            format!("{from}-{to}")
        }
    })
}

/// The bucket of a long row's value in its dimension (`None`: not readable).
fn long_bucket(dimension: AudienceDimension, value: &str) -> Option<String> {
    let key = match dimension {
        AudienceDimension::Age => age_key(value)?,
        AudienceDimension::Gender => gender_key(value),
        AudienceDimension::Country => country_key(value),
    };
    (!key.is_empty()).then_some(key)
}

/// The bucket order of a dimension: ages by their first year, genders female, male,
/// then by name; countries by share, largest first.
fn sort_buckets(dimension: AudienceDimension, shares: &mut [Share]) {
    match dimension {
        AudienceDimension::Age => {
            shares.sort_by_key(|s| age_range(&s.bucket).map_or(u32::MAX, |r| r.0));
        }
        AudienceDimension::Gender => shares.sort_by(|a, b| {
            let rank = |s: &Share| match s.bucket.as_str() {
                "female" => 0,
                "male" => 1,
                _ => 2,
            };
            rank(a).cmp(&rank(b)).then_with(|| a.bucket.cmp(&b.bucket))
        }),
        AudienceDimension::Country => shares.sort_by(|a, b| {
            b.share
                .total_cmp(&a.share)
                .then_with(|| a.bucket.cmp(&b.bucket))
        }),
    }
}

/// The percent rule's divisor of each dimension of one shape: 100 when any value is
/// above 1, else 1.
fn divisors(values: impl Iterator<Item = (AudienceDimension, f64)>) -> [f64; 3] {
    let mut out = [1.0; 3];
    for (d, v) in values {
        if v > 1.0 {
            out[d as usize] = 100.0;
        }
    }
    out
}

/// Raw `(bucket, share)` pairs of one creator's dimension.
type Buckets = Vec<(String, f64)>;

/// Most creators named by one note about sums over 1.
const NOTE_NAMES: usize = 5;

/// Every creator's audience in `ws` (wide columns and long rows).
pub fn book(ws: &Workspace) -> AudienceBook {
    let mut notes = Vec::new();
    let wide: Vec<(&Creator, AudienceDimension, Buckets)> = ws
        .creators
        .iter()
        .flat_map(|c| {
            AudienceDimension::ALL
                .into_iter()
                .map(move |d| (c, d, wide_buckets(c, d)))
        })
        .filter(|(_, _, b)| !b.is_empty())
        .collect();
    let wide_div = divisors(
        wide.iter()
            .flat_map(|(_, d, b)| b.iter().map(move |(_, v)| (*d, *v))),
    );
    // Long rows: readable ones, grouped by creator and dimension.
    let mut long: BTreeMap<(String, AudienceDimension), Vec<(String, f64)>> = BTreeMap::new();
    let mut unread_dimensions: Vec<String> = Vec::new();
    for row in &ws.audience {
        let Some(share) = row.share.filter(|s| s.is_finite() && *s >= 0.0) else {
            continue;
        };
        let Some(d) = AudienceDimension::parse(&row.dimension) else {
            if !unread_dimensions.contains(&row.dimension) {
                unread_dimensions.push(row.dimension.clone());
            }
            continue;
        };
        let Some(bucket) = long_bucket(d, &row.value) else {
            continue;
        };
        let entry = long.entry((row.creator_id.clone(), d)).or_default();
        push_bucket(entry, bucket, share);
    }
    let long_div = divisors(
        long.iter()
            .flat_map(|((_, d), b)| b.iter().map(move |(_, v)| (*d, *v))),
    );
    for (shape, div) in [("wide columns", wide_div), ("long rows", long_div)] {
        for d in AudienceDimension::ALL {
            if div[d as usize] > 1.0 {
                notes.push(format!(
                    "Audience {} shares ({shape}) are read as percents: a value is above 1 (34 means 34%).",
                    d.name()
                ));
            }
        }
    }
    if !unread_dimensions.is_empty() {
        notes.push(format!(
            "Audience rows of {} are not read (dimensions read: age, gender, country).",
            unread_dimensions.join(", ")
        ));
    }
    let mut creators: BTreeMap<String, CreatorAudience> = BTreeMap::new();
    let mut put = |id: &str, d: AudienceDimension, buckets: &[(String, f64)], div: f64| {
        let mut shares: Vec<Share> = buckets
            .iter()
            .map(|(b, v)| Share {
                bucket: b.clone(),
                share: v / div,
            })
            .collect();
        sort_buckets(d, &mut shares);
        let entry = creators.entry(id.to_owned()).or_default();
        entry.dimensions.retain(|(x, _)| *x != d);
        entry.dimensions.push((d, shares));
    };
    for (c, d, b) in &wide {
        put(&c.creator_id, *d, b, wide_div[*d as usize]);
    }
    for ((id, d), b) in &long {
        put(id, *d, b, long_div[*d as usize]);
    }
    let mut over: Vec<String> = Vec::new();
    for (id, a) in creators.iter_mut() {
        a.dimensions.sort_by_key(|(d, _)| *d);
        for (d, shares) in &a.dimensions {
            let sum: f64 = shares.iter().map(|s| s.share).sum();
            if sum > 1.01 {
                over.push(format!("{id} ({} {:.0}%)", d.name(), (sum * 100.0).round()));
            }
        }
    }
    if !over.is_empty() {
        let more = over.len().saturating_sub(NOTE_NAMES);
        let mut list = over[..over.len().min(NOTE_NAMES)].join(", ");
        if more > 0 {
            list.push_str(&format!(" and {more} more"));
        }
        notes.push(format!(
            "Audience shares sum over 100% for {list}: kept as given, not rescaled."
        ));
    }
    AudienceBook { creators, notes }
}

/// A campaign's target audience, read: countries, age ranges and genders.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Target {
    pub countries: Vec<String>,
    pub ages: Vec<(u32, u32)>,
    pub genders: Vec<String>,
}

impl Target {
    /// The target of a campaign, when it names one that can be read.
    pub fn of(campaign: &Campaign) -> Option<Target> {
        let t = &campaign.target;
        let split = |raw: &Option<String>| -> Vec<String> {
            raw.as_deref()
                .unwrap_or("")
                .split([';', ',', '|', '/'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        };
        let target = Target {
            countries: split(&t.target_country)
                .iter()
                .map(|c| country_key(c))
                .collect(),
            ages: split(&t.target_age)
                .iter()
                .filter_map(|a| age_range(a))
                .collect(),
            genders: split(&t.target_gender)
                .iter()
                .map(|g| gender_key(g))
                .collect(),
        };
        (!target.dimensions().is_empty()).then_some(target)
    }

    /// The dimensions the target names.
    pub fn dimensions(&self) -> Vec<AudienceDimension> {
        let mut out = Vec::new();
        if !self.ages.is_empty() {
            out.push(AudienceDimension::Age);
        }
        if !self.genders.is_empty() {
            out.push(AudienceDimension::Gender);
        }
        if !self.countries.is_empty() {
            out.push(AudienceDimension::Country);
        }
        out
    }

    /// True when the bucket of `dimension` is in the target: a country in the list, a
    /// gender named, an age band that overlaps one of the target's ranges (a band
    /// partly inside counts whole).
    pub fn contains(&self, dimension: AudienceDimension, bucket: &str) -> bool {
        match dimension {
            AudienceDimension::Country => self
                .countries
                .iter()
                .any(|c| c.eq_ignore_ascii_case(bucket)),
            AudienceDimension::Gender => self.genders.iter().any(|g| g == bucket),
            AudienceDimension::Age => age_range(bucket)
                .is_some_and(|(from, to)| self.ages.iter().any(|&(lo, hi)| from <= hi && lo <= to)),
        }
    }

    /// The target in words: `US, CA · 18-34 · female`.
    pub fn words(&self) -> String {
        let mut parts = Vec::new();
        if !self.countries.is_empty() {
            parts.push(self.countries.join(", "));
        }
        if !self.ages.is_empty() {
            let ages: Vec<String> = self
                .ages
                .iter()
                .map(|&(a, b)| {
                    if b >= 200 {
                        format!("{a}+")
                    } else {
                        format!("{a}-{b}")
                    }
                })
                .collect();
            parts.push(format!("ages {}", ages.join(", ")));
        }
        if !self.genders.is_empty() {
            parts.push(self.genders.join(", "));
        }
        parts.join(" · ")
    }
}

/// The long rows of a loaded audience table (the loader's staged records).
pub fn rows_from_maps(rows: Vec<(usize, Map<String, Value>)>) -> Vec<AudienceRow> {
    let text = |m: &Map<String, Value>, k: &str| {
        m.get(k)
            .and_then(Value::as_str)
            .unwrap_or("")
            .trim()
            .to_owned()
    };
    rows.into_iter()
        .map(|(_, m)| AudienceRow {
            creator_id: text(&m, "creator_id"),
            dimension: text(&m, "dimension"),
            value: text(&m, "value"),
            share: m.get("share").and_then(Value::as_f64),
        })
        .collect()
}

/// Adds long rows to the workspace's: a row for a creator, dimension and value already
/// there replaces it (a file loaded twice counts once).
pub fn apply_rows(table: &mut Vec<AudienceRow>, rows: Vec<AudienceRow>) {
    let key = |r: &AudienceRow| {
        (
            r.creator_id.clone(),
            r.dimension.to_lowercase(),
            r.value.to_lowercase(),
        )
    };
    let mut index: std::collections::HashMap<(String, String, String), usize> =
        table.iter().enumerate().map(|(i, r)| (key(r), i)).collect();
    for row in rows {
        match index.get(&key(&row)) {
            Some(&i) => table[i] = row,
            None => {
                index.insert(key(&row), table.len());
                table.push(row);
            }
        }
    }
}

/// True when any creator has an audience breakdown.
pub fn any_audience(ws: &Workspace) -> bool {
    !ws.audience.is_empty()
        || ws.creators.iter().any(|c| {
            AudienceDimension::ALL
                .into_iter()
                .any(|d| !wide_buckets(c, d).is_empty())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_age_bands_and_targets() {
        assert_eq!(age_range("18-24"), Some((18, 24)));
        assert_eq!(age_range("Age 18–24"), Some((18, 24)));
        assert_eq!(age_range("65+"), Some((65, 200)));
        assert_eq!(age_range("age_65_plus"), Some((65, 200)));
        assert_eq!(age_key("18_24").as_deref(), Some("18-24"));
        assert_eq!(age_range("young"), None);
        let c = Campaign {
            target: AudienceTarget {
                target_country: Some("us; ca".into()),
                target_age: Some("18-34".into()),
                target_gender: None,
            },
            ..Campaign::default()
        };
        let t = Target::of(&c).unwrap();
        assert_eq!(t.countries, vec!["US", "CA"]);
        assert!(t.contains(AudienceDimension::Age, "25-34"));
        assert!(!t.contains(AudienceDimension::Age, "13-17"));
        assert!(t.contains(AudienceDimension::Country, "us"));
        assert_eq!(Target::of(&Campaign::default()), None);
    }
}
