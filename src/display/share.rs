//! Snapshot links: the aggregated results of a view (never the raw rows) as compact JSON,
//! deflated and base64url-encoded into the URL fragment `#s=…`, which browsers never send
//! to a server. A payload longer than [`MAX_SNAPSHOT_CHARS`] is refused, both when a
//! link is made and when one is opened.
//!
//! A link may come from a stranger, so opening one bounds the work, not just the bytes:
//! the payload inflates to at most [`MAX_INFLATED_BYTES`], and while its JSON is read
//! every list and string is held to the limits below ([`MAX_GROUPS`], [`MAX_KPIS`],
//! [`MAX_GROUP_KPIS`], [`MAX_CONTEXT_ENTRIES`], [`MAX_CURRENCY_CHARS`],
//! [`MAX_NAME_CHARS`], [`MAX_TEXT_CHARS`], [`MAX_REASON_CHARS`], [`MAX_ID_CHARS`]): the
//! first one crossed stops the decoding with a message. [`Snapshot::check`] validates
//! the whole snapshot again before anything renders, so what renders is bounded too.
//! [`Snapshot::of`] clips the strings it is given to the same limits, so every link
//! the dashboard makes opens.

use miniz_oxide::deflate::compress_to_vec;
use miniz_oxide::inflate::decompress_to_vec_with_limit;
use serde::{Deserialize, Serialize};

use crate::data::ingest::NumberLocale;
use crate::data::schema::Measure;
use crate::metrics::engine::{Coverage, Dimension, GroupResult, KpiSet, KpiValue, Results};
use crate::metrics::registry::KpiId;

use super::export::ExportContext;

/// The longest snapshot payload (characters after `#s=`) a link may carry. Links this
/// long still paste whole into e-mail and chat tools.
pub const MAX_SNAPSHOT_CHARS: usize = 8_000;
/// The largest JSON a payload may inflate to (guards against deflate bombs).
pub const MAX_INFLATED_BYTES: usize = 1 << 20;
/// The most groups (platforms, campaigns and creators) a snapshot may carry; one the
/// dashboard makes has the platforms and at most 2 × 10 others.
pub const MAX_GROUPS: usize = 64;
/// The most overall KPIs a snapshot may carry (the registry has fewer).
pub const MAX_KPIS: usize = 128;
/// The most KPIs a group may carry (one the dashboard makes has [`GROUP_KPIS`]).
pub const MAX_GROUP_KPIS: usize = 8;
/// The most context (settings) entries a snapshot may carry.
pub const MAX_CONTEXT_ENTRIES: usize = 16;
/// The longest currency symbol, in characters ("US$", "CHF", "€").
pub const MAX_CURRENCY_CHARS: usize = 8;
/// The longest name, in characters: the dataset's, a group's key and display name.
pub const MAX_NAME_CHARS: usize = 300;
/// The longest text, in characters: the view's query string and a context value.
pub const MAX_TEXT_CHARS: usize = 2_000;
/// The longest reason a KPI is n/a, in characters.
pub const MAX_REASON_CHARS: usize = 300;
/// The longest identifier, in characters: a KPI id, a dimension, a context label, a
/// KPI value written as text.
pub const MAX_ID_CHARS: usize = 64;
/// The snapshot format version this build reads and writes.
const VERSION: u32 = 1;
/// How many campaigns and creators (by revenue) a snapshot keeps.
const TOP_GROUPS: usize = 10;
/// The KPIs kept for each group.
pub const GROUP_KPIS: [KpiId; 4] = [
    KpiId::Roas,
    KpiId::EngagementRate,
    KpiId::ConversionRate,
    KpiId::Ctr,
];

/// One KPI value: the number, or the reason it is n/a.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SnapshotKpi {
    #[serde(deserialize_with = "bounded::id")]
    pub id: String,
    /// Written as a string: Rust's shortest round-trip form, parsed back exactly
    /// (serde_json's default float parser may be one ULP off).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "exact_float")]
    pub v: Option<f64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "bounded::reason"
    )]
    pub na: Option<String>,
    /// The rows the value used, `[used, of]` (KPIs computed from posts rows).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub c: Option<[u64; 2]>,
    /// A ratio KPI's numerator and denominator, `[Σnumerator, Σdenominator]`, for the
    /// explain panel (links made before it have none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p: Option<[f64; 2]>,
}

impl SnapshotKpi {
    /// A snapshot value with the coverage of the live one.
    fn covered(id: KpiId, value: &KpiValue, coverage: Option<Coverage>) -> SnapshotKpi {
        let (v, na) = match value {
            KpiValue::Value(v) if v.is_finite() => (Some(*v), None),
            KpiValue::Value(_) => (None, Some("not a finite number".into())),
            KpiValue::NotAvailable { reason } => (None, Some(clip(reason, MAX_REASON_CHARS))),
        };
        SnapshotKpi {
            id: clip(id.as_str(), MAX_ID_CHARS),
            v,
            na,
            c: coverage.map(|c| [c.used, c.of]),
            p: None,
        }
    }

    /// The numerator and denominator the snapshot carries, when both are finite.
    pub fn parts(&self) -> Option<[f64; 2]> {
        self.p.filter(|p| p.iter().all(|v| v.is_finite()))
    }

    /// The coverage the snapshot carries (none when the used rows exceed the scope's).
    pub fn coverage(&self) -> Option<Coverage> {
        let [used, of] = self.c?;
        (used <= of).then_some(Coverage { used, of })
    }

    /// Back to an engine value.
    pub fn value(&self) -> KpiValue {
        match self.v {
            Some(v) if v.is_finite() => KpiValue::Value(v),
            _ => KpiValue::na(self.na.clone().unwrap_or_else(|| "not available".into())),
        }
    }
}

/// Serde of an optional `f64` as its exact decimal string.
mod exact_float {
    use serde::{de::Error, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => s.serialize_str(&v.to_string()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
        let text = super::bounded::value_text(d)?;
        text.map(|t| t.parse::<f64>().map_err(D::Error::custom))
            .transpose()
    }
}

/// Deserializers that refuse, as they read, a list or a string longer than its limit
/// (the message names what is too long and the limit).
mod bounded {
    use super::*;
    use serde::de::{DeserializeSeed, Error, SeqAccess, Visitor};
    use serde::Deserializer;
    use std::fmt;
    use std::marker::PhantomData;

    /// A string of at most `max` characters; `what` names it in the message.
    #[derive(Clone, Copy)]
    struct Text {
        max: usize,
        what: &'static str,
    }

    impl<'de> Visitor<'de> for Text {
        type Value = String;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "{} of at most {} characters", self.what, self.max)
        }
        fn visit_str<E: Error>(self, s: &str) -> Result<String, E> {
            // More bytes than 4 per character is too long without counting.
            if s.len() > 4 * self.max || s.chars().count() > self.max {
                return Err(E::custom(too_long(self.what, self.max)));
            }
            Ok(s.to_owned())
        }
    }

    impl<'de> DeserializeSeed<'de> for Text {
        type Value = String;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
            d.deserialize_str(self)
        }
    }

    /// `null` or a [`Text`].
    struct OptionalText(Text);

    impl<'de> Visitor<'de> for OptionalText {
        type Value = Option<String>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "null or ")?;
            self.0.expecting(f)
        }
        fn visit_none<E: Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            self.0.deserialize(d).map(Some)
        }
    }

    /// A list of at most `max` elements, each read by `seed`.
    struct List<S> {
        max: usize,
        what: &'static str,
        seed: S,
    }

    impl<'de, S: DeserializeSeed<'de> + Copy> Visitor<'de> for List<S> {
        type Value = Vec<S::Value>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a list of at most {} {}", self.max, self.what)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(self.max));
            while let Some(item) = seq.next_element_seed(self.seed)? {
                if out.len() == self.max {
                    return Err(A::Error::custom(format!(
                        "it has more than {} {}, the most a snapshot may carry",
                        self.max, self.what
                    )));
                }
                out.push(item);
            }
            Ok(out)
        }
    }

    /// Reads a `T` with its own `Deserialize` (whose fields are bounded themselves).
    struct Plain<T>(PhantomData<T>);

    impl<T> Clone for Plain<T> {
        fn clone(&self) -> Self {
            *self
        }
    }
    impl<T> Copy for Plain<T> {}

    impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for Plain<T> {
        type Value = T;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
            T::deserialize(d)
        }
    }

    /// A context entry: `[label, value]`.
    #[derive(Clone, Copy)]
    struct Entry;

    impl<'de> Visitor<'de> for Entry {
        type Value = (String, String);
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a [label, value] pair")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let label = seq
                .next_element_seed(Text {
                    max: MAX_ID_CHARS,
                    what: "a setting's label",
                })?
                .ok_or_else(|| A::Error::invalid_length(0, &self))?;
            let value = seq
                .next_element_seed(Text {
                    max: MAX_TEXT_CHARS,
                    what: "a setting's value",
                })?
                .ok_or_else(|| A::Error::invalid_length(1, &self))?;
            if seq.next_element::<serde::de::IgnoredAny>()?.is_some() {
                return Err(A::Error::invalid_length(3, &self));
            }
            Ok((label, value))
        }
    }

    impl<'de> DeserializeSeed<'de> for Entry {
        type Value = (String, String);
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_tuple(2, self)
        }
    }

    fn text<'de, D: Deserializer<'de>>(
        d: D,
        max: usize,
        what: &'static str,
    ) -> Result<String, D::Error> {
        Text { max, what }.deserialize(d)
    }

    fn list<'de, D: Deserializer<'de>, S: DeserializeSeed<'de> + Copy>(
        d: D,
        max: usize,
        what: &'static str,
        seed: S,
    ) -> Result<Vec<S::Value>, D::Error> {
        d.deserialize_seq(List { max, what, seed })
    }

    pub fn id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        text(d, MAX_ID_CHARS, "a KPI id")
    }
    pub fn dim<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        text(d, MAX_ID_CHARS, "a group's dimension")
    }
    pub fn key<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        text(d, MAX_NAME_CHARS, "a group's key")
    }
    pub fn name<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        text(d, MAX_NAME_CHARS, "a group's name")
    }
    pub fn dataset<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        text(d, MAX_NAME_CHARS, "the dataset's name")
    }
    pub fn query<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        text(d, MAX_TEXT_CHARS, "the view's filters")
    }
    pub fn currency<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        text(d, MAX_CURRENCY_CHARS, "the currency symbol")
    }
    pub fn reason<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        d.deserialize_option(OptionalText(Text {
            max: MAX_REASON_CHARS,
            what: "a KPI's n/a reason",
        }))
    }
    pub fn value_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        d.deserialize_option(OptionalText(Text {
            max: MAX_ID_CHARS,
            what: "a KPI value",
        }))
    }
    pub fn kpis<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<SnapshotKpi>, D::Error> {
        list(d, MAX_KPIS, "KPIs", Plain(PhantomData))
    }
    pub fn group_kpis<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<SnapshotKpi>, D::Error> {
        list(d, MAX_GROUP_KPIS, "KPIs in a group", Plain(PhantomData))
    }
    pub fn groups<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<SnapshotGroup>, D::Error> {
        list(d, MAX_GROUPS, "groups", Plain(PhantomData))
    }
    pub fn context<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(String, String)>, D::Error> {
        list(d, MAX_CONTEXT_ENTRIES, "settings", Entry)
    }
}

/// The message of a string over its limit.
fn too_long(what: &str, max: usize) -> String {
    format!("{what} is longer than {max} characters, the most a snapshot may carry")
}

/// `text` cut to at most `max` characters (the last one an ellipsis when cut).
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Characters a currency symbol may not start with (a spreadsheet would read a formula).
const FORMULA_STARTS: [char; 4] = ['=', '+', '-', '@'];

/// One group's (platform, campaign or creator) revenue and key KPIs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SnapshotGroup {
    /// [`Dimension::name`].
    #[serde(deserialize_with = "bounded::dim")]
    pub dim: String,
    #[serde(deserialize_with = "bounded::key")]
    pub key: String,
    /// Display name (the campaign's or creator's name, else the key).
    #[serde(deserialize_with = "bounded::name")]
    pub name: String,
    pub revenue: f64,
    #[serde(deserialize_with = "bounded::group_kpis")]
    pub kpis: Vec<SnapshotKpi>,
}

/// What a snapshot link carries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub version: u32,
    /// The dataset's name as the sender saw it.
    #[serde(deserialize_with = "bounded::dataset")]
    pub dataset: String,
    /// The view's query string (filters), for the record.
    #[serde(deserialize_with = "bounded::query")]
    pub query: String,
    /// [`ExportContext`] entries: settings and date range.
    #[serde(deserialize_with = "bounded::context")]
    pub context: Vec<(String, String)>,
    #[serde(deserialize_with = "bounded::currency")]
    pub currency_symbol: String,
    pub locale: NumberLocale,
    /// Every overall KPI, in registry order.
    #[serde(deserialize_with = "bounded::kpis")]
    pub kpis: Vec<SnapshotKpi>,
    /// Platforms, then the top campaigns and creators by revenue.
    #[serde(deserialize_with = "bounded::groups")]
    pub groups: Vec<SnapshotGroup>,
    /// True when the groups were left out to fit [`MAX_SNAPSHOT_CHARS`].
    #[serde(default)]
    pub groups_omitted: bool,
}

/// Why a snapshot could not be made or opened.
#[derive(Clone, Debug, PartialEq)]
pub enum SnapshotError {
    /// The payload is longer than [`MAX_SNAPSHOT_CHARS`].
    TooLarge { chars: usize },
    /// The link is damaged or from an incompatible version.
    Invalid(String),
    /// The snapshot holds more than a snapshot may (too many groups or KPIs, a string
    /// too long): refused before anything renders.
    OverLimit(String),
}

impl std::fmt::Display for SnapshotError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SnapshotError::TooLarge { chars } => write!(
                f,
                "This snapshot would need {chars} characters, more than the {MAX_SNAPSHOT_CHARS} a snapshot link may carry. Narrow the filters and try again, or share a view link instead."
            ),
            SnapshotError::Invalid(why) => write!(f, "This snapshot link cannot be opened: {why}."),
            SnapshotError::OverLimit(why) => write!(
                f,
                "This snapshot link is refused: {why}. A link the dashboard makes stays within these limits, so this one was altered or made elsewhere; nothing from it is shown."
            ),
        }
    }
}

/// The inputs of a snapshot besides the results.
pub struct SnapshotSource<'a> {
    pub dataset: &'a str,
    pub query: &'a str,
    pub context: &'a ExportContext,
    pub currency_symbol: &'a str,
    pub locale: NumberLocale,
}

impl Snapshot {
    /// The snapshot of `results`; `name` gives a group's display name.
    pub fn of(
        results: &Results,
        source: &SnapshotSource<'_>,
        name: impl Fn(Dimension, &str) -> String,
    ) -> Snapshot {
        let group = |g: &GroupResult| SnapshotGroup {
            dim: g.dimension.name().to_owned(),
            key: clip(&g.key, MAX_NAME_CHARS),
            name: clip(&name(g.dimension, &g.key), MAX_NAME_CHARS),
            revenue: g.sums.get(Measure::Revenue),
            kpis: GROUP_KPIS
                .iter()
                .map(|&id| SnapshotKpi::covered(id, &g.kpis.get(id), g.kpis.coverage(id)))
                .collect(),
        };
        let mut groups: Vec<SnapshotGroup> =
            results.groups_of(Dimension::Platform).map(group).collect();
        for dim in [Dimension::Campaign, Dimension::Creator] {
            let mut top: Vec<&GroupResult> = results.groups_of(dim).collect();
            top.sort_by(|a, b| {
                b.sums
                    .get(Measure::Revenue)
                    .total_cmp(&a.sums.get(Measure::Revenue))
            });
            groups.extend(top.into_iter().take(TOP_GROUPS).map(group));
        }
        Snapshot {
            version: VERSION,
            dataset: clip(source.dataset, MAX_NAME_CHARS),
            query: clip(source.query, MAX_TEXT_CHARS),
            context: source
                .context
                .entries
                .iter()
                .take(MAX_CONTEXT_ENTRIES)
                .map(|(k, v)| (clip(k, MAX_ID_CHARS), clip(v, MAX_TEXT_CHARS)))
                .collect(),
            currency_symbol: safe_currency(source.currency_symbol),
            locale: source.locale,
            kpis: overall_kpis(&results.overall),
            groups: groups.into_iter().take(MAX_GROUPS).collect(),
            groups_omitted: false,
        }
    }

    /// Whether every list and string is within its limit and the currency symbol could
    /// not start a spreadsheet formula; the message names the first that is not.
    pub fn check(&self) -> Result<(), SnapshotError> {
        let over = |what: &str, n: usize, max: usize| {
            SnapshotError::OverLimit(format!(
                "it has {n} {what}, more than the {max} a snapshot may carry"
            ))
        };
        let text = |what: &str, s: &str, max: usize| match s.chars().count() > max {
            true => Err(SnapshotError::OverLimit(too_long(what, max))),
            false => Ok(()),
        };
        if self.groups.len() > MAX_GROUPS {
            return Err(over("groups", self.groups.len(), MAX_GROUPS));
        }
        if self.kpis.len() > MAX_KPIS {
            return Err(over("KPIs", self.kpis.len(), MAX_KPIS));
        }
        if self.context.len() > MAX_CONTEXT_ENTRIES {
            return Err(over("settings", self.context.len(), MAX_CONTEXT_ENTRIES));
        }
        text("the dataset's name", &self.dataset, MAX_NAME_CHARS)?;
        text("the view's filters", &self.query, MAX_TEXT_CHARS)?;
        text(
            "the currency symbol",
            &self.currency_symbol,
            MAX_CURRENCY_CHARS,
        )?;
        let symbol = &self.currency_symbol;
        if symbol.starts_with(FORMULA_STARTS) || symbol.chars().any(char::is_control) {
            return Err(SnapshotError::OverLimit(
                "the currency symbol starts with = + - or @, or holds a control character".into(),
            ));
        }
        for (label, value) in &self.context {
            text("a setting's label", label, MAX_ID_CHARS)?;
            text("a setting's value", value, MAX_TEXT_CHARS)?;
        }
        let kpi = |k: &SnapshotKpi| {
            text("a KPI id", &k.id, MAX_ID_CHARS)?;
            text(
                "a KPI's n/a reason",
                k.na.as_deref().unwrap_or(""),
                MAX_REASON_CHARS,
            )
        };
        self.kpis.iter().try_for_each(kpi)?;
        for g in &self.groups {
            text("a group's dimension", &g.dim, MAX_ID_CHARS)?;
            text("a group's key", &g.key, MAX_NAME_CHARS)?;
            text("a group's name", &g.name, MAX_NAME_CHARS)?;
            if g.kpis.len() > MAX_GROUP_KPIS {
                return Err(over("KPIs in a group", g.kpis.len(), MAX_GROUP_KPIS));
            }
            g.kpis.iter().try_for_each(kpi)?;
        }
        Ok(())
    }

    /// The groups of one dimension.
    pub fn groups_of(&self, dim: Dimension) -> impl Iterator<Item = &SnapshotGroup> {
        self.groups.iter().filter(move |g| g.dim == dim.name())
    }
}

fn overall_kpis(set: &KpiSet) -> Vec<SnapshotKpi> {
    set.iter()
        .take(MAX_KPIS)
        .map(|(def, value)| SnapshotKpi::covered(def.id, value, set.coverage(def.id)))
        .collect()
}

/// A currency symbol a snapshot may carry: at most [`MAX_CURRENCY_CHARS`] characters,
/// no control character, no leading formula character.
fn safe_currency(symbol: &str) -> String {
    let kept: String = symbol
        .trim_start_matches(FORMULA_STARTS)
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_CURRENCY_CHARS)
        .collect();
    kept
}

/// The `#s=` payload of a snapshot. When it is too long the groups are left out
/// (`groups_omitted`); when even that is too long, [`SnapshotError::TooLarge`]. A
/// snapshot outside the limits ([`Snapshot::check`]) is refused, as opening it would be.
pub fn encode(snapshot: &Snapshot) -> Result<String, SnapshotError> {
    snapshot.check()?;
    let payload = pack(snapshot)?;
    if payload.len() <= MAX_SNAPSHOT_CHARS {
        return Ok(payload);
    }
    let slim = Snapshot {
        groups: Vec::new(),
        groups_omitted: true,
        ..snapshot.clone()
    };
    let payload = pack(&slim)?;
    if payload.len() <= MAX_SNAPSHOT_CHARS {
        Ok(payload)
    } else {
        Err(SnapshotError::TooLarge {
            chars: payload.len(),
        })
    }
}

fn pack(snapshot: &Snapshot) -> Result<String, SnapshotError> {
    let json = serde_json::to_vec(snapshot).map_err(|e| SnapshotError::Invalid(e.to_string()))?;
    Ok(base64url_encode(&compress_to_vec(&json, 9)))
}

/// Reads a `#s=` payload back, refusing one longer than [`MAX_SNAPSHOT_CHARS`], one
/// that inflates past [`MAX_INFLATED_BYTES`], and (as its JSON is read, then once
/// more as a whole) one outside the limits of [`Snapshot::check`].
pub fn decode(payload: &str) -> Result<Snapshot, SnapshotError> {
    if payload.len() > MAX_SNAPSHOT_CHARS {
        return Err(SnapshotError::TooLarge {
            chars: payload.len(),
        });
    }
    let invalid = |why: &str| SnapshotError::Invalid(why.to_owned());
    let deflated = base64url_decode(payload).ok_or_else(|| invalid("it is not base64url"))?;
    let json = decompress_to_vec_with_limit(&deflated, MAX_INFLATED_BYTES).map_err(|e| match e
        .status
    {
        miniz_oxide::inflate::TINFLStatus::HasMoreOutput => SnapshotError::OverLimit(format!(
            "it unpacks to more than {} KiB",
            MAX_INFLATED_BYTES / 1024
        )),
        _ => invalid("its data is damaged"),
    })?;
    let snapshot: Snapshot = serde_json::from_slice(&json).map_err(|e| {
        let text = e.to_string();
        // serde_json appends the position; the limits' own messages read alone.
        let why = text.split(" at line ").next().unwrap_or(&text).to_owned();
        match why.contains("the most a snapshot may carry") {
            true => SnapshotError::OverLimit(why),
            false => SnapshotError::Invalid(format!("unexpected content ({text})")),
        }
    })?;
    if snapshot.version != VERSION {
        return Err(invalid("it was made by another version of the dashboard"));
    }
    snapshot.check()?;
    Ok(snapshot)
}

/// The snapshot payload of a URL fragment (`#s=…`, with or without the `#`).
pub fn fragment_payload(fragment: &str) -> Option<&str> {
    fragment
        .trim_start_matches('#')
        .split('&')
        .find_map(|part| part.strip_prefix("s="))
}

const BASE64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base64url without padding (RFC 4648 §5).
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(BASE64URL[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// Decodes base64url (padding optional); `None` on any other character.
pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let digits: Vec<u32> = text
        .trim_end_matches('=')
        .bytes()
        .map(|c| BASE64URL.iter().position(|&d| d == c).map(|p| p as u32))
        .collect::<Option<_>>()?;
    if digits.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, d)| n | d << (18 - 6 * i));
        for i in 0..chunk.len() - 1 {
            out.push((n >> (16 - 8 * i) & 0xFF) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::calendar::Granularity;
    use crate::data::ingest::{load, LoadOptions};
    use crate::data::store::Workspace;
    use crate::display::query::ViewQuery;
    use crate::metrics::engine::{compute, Filter};
    use crate::metrics::settings::{SavedSettings, Settings};

    fn results() -> Results {
        // Two TikTok posts of C1: revenue 50 + 150 = 200, cost 20 + 20 = 40, so ROAS 5.
        let csv =
            "platform,date,campaign_id,creator_id,impressions,reach,likes,clicks,revenue,cost\n\
                   tiktok,2025-01-02,C1,K1,1000,800,40,10,50,20\n\
                   tiktok,2025-01-03,C1,K2,3000,2000,60,30,150,20\n";
        let mut ws = Workspace::default();
        load(&mut ws, "p.csv", csv.as_bytes(), &LoadOptions::default()).unwrap();
        compute(
            &ws,
            &Filter::default(),
            &Settings::default(),
            Granularity::Week,
        )
    }

    fn snapshot(results: &Results) -> Snapshot {
        let context = ExportContext::new(&SavedSettings::default(), &ViewQuery::default(), None);
        let source = SnapshotSource {
            dataset: "posts.csv",
            query: "platform=tiktok",
            context: &context,
            currency_symbol: "$",
            locale: NumberLocale::default(),
        };
        Snapshot::of(results, &source, |_, key| format!("name of {key}"))
    }

    #[test]
    fn base64url_round_trips_every_length() {
        assert_eq!(base64url_encode(b"foob"), "Zm9vYg");
        assert_eq!(base64url_encode(&[0xfb, 0xff]), "-_8");
        for len in 0..40 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            assert_eq!(base64url_decode(&base64url_encode(&bytes)), Some(bytes));
        }
        assert_eq!(base64url_decode("ab$d"), None);
        assert_eq!(base64url_decode("abcde"), None);
    }

    #[test]
    fn snapshot_round_trips_with_the_same_values() {
        let r = results();
        let snap = snapshot(&r);
        let roas = snap
            .kpis
            .iter()
            .find(|k| k.id == KpiId::Roas.as_str())
            .unwrap();
        assert_eq!(roas.v, Some(5.0)); // 200 / 40
        assert_eq!(snap.groups_of(Dimension::Creator).count(), 2);
        let payload = encode(&snap).unwrap();
        assert!(payload.len() <= MAX_SNAPSHOT_CHARS);
        let back = decode(fragment_payload(&format!("#s={payload}")).unwrap()).unwrap();
        assert_eq!(back, snap);
        for (def, value) in r.overall.iter() {
            let kept = back.kpis.iter().find(|k| k.id == def.id.as_str()).unwrap();
            assert_eq!(&kept.value(), value, "{}", def.id);
            // The coverage travels with the value.
            assert_eq!(kept.coverage(), r.overall.coverage(def.id), "{}", def.id);
        }
    }

    /// `len` pseudo-random letters (xorshift), which deflate cannot shrink much.
    fn noise(seed: u64, len: usize) -> String {
        let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                char::from(b'a' + (x % 26) as u8)
            })
            .collect()
    }

    #[test]
    fn too_large_snapshots_drop_groups_then_fail_with_a_message() {
        let r = results();
        let mut snap = snapshot(&r);
        // 40 groups with pseudo-random (incompressible) names of 300 characters, within
        // every limit but over 8,000 characters together: the groups go.
        let template = snap.groups[0].clone();
        snap.groups = (0..40)
            .map(|i| SnapshotGroup {
                name: noise(i + 1, MAX_NAME_CHARS),
                ..template.clone()
            })
            .collect();
        let slim = decode(&encode(&snap).unwrap()).unwrap();
        assert!(slim.groups_omitted && slim.groups.is_empty());
        // Settings too large on their own (16 values of 2,000 random letters): an error.
        snap.context = (0..MAX_CONTEXT_ENTRIES as u64)
            .map(|i| (format!("k{i}"), noise(99 + i, MAX_TEXT_CHARS)))
            .collect();
        let err = encode(&snap).unwrap_err();
        assert!(matches!(err, SnapshotError::TooLarge { chars } if chars > MAX_SNAPSHOT_CHARS));
        assert!(err.to_string().contains("8000"));
    }

    /// The payload of `snapshot` as it is, with no check (as a hostile sender makes it).
    fn unchecked_payload(snapshot: &Snapshot) -> String {
        pack(snapshot).unwrap()
    }

    /// Decodes a valid snapshot changed by `edit`; the refusal's message.
    fn refusal(edit: impl FnOnce(&mut Snapshot)) -> String {
        let mut snap = snapshot(&results());
        edit(&mut snap);
        match decode(&unchecked_payload(&snap)) {
            Err(e @ SnapshotError::OverLimit(_)) => e.to_string(),
            other => panic!("not refused over a limit: {other:?}"),
        }
    }

    #[test]
    fn an_amplifying_link_is_refused_as_it_is_read() {
        // The link: an 850,000-character currency symbol and 1,500 groups, which
        // deflate to a few KB and inflate to under the 1 MiB cap.
        let mut snap = snapshot(&results());
        snap.currency_symbol = "X".repeat(850_000);
        let group = SnapshotGroup {
            dim: "creator".into(),
            key: "k".into(),
            name: "n".into(),
            revenue: 1.0,
            kpis: vec![SnapshotKpi::covered(
                KpiId::Roas,
                &KpiValue::Value(2.0),
                None,
            )],
        };
        snap.groups = vec![group; 1_500];
        assert!(serde_json::to_vec(&snap).unwrap().len() < MAX_INFLATED_BYTES);
        let payload = unchecked_payload(&snap);
        // A link that fits in a chat message.
        assert!(
            payload.len() < MAX_SNAPSHOT_CHARS,
            "{} characters",
            payload.len()
        );
        let started = std::time::Instant::now();
        let err = decode(&payload).unwrap_err();
        let message = err.to_string();
        assert!(
            message.contains("the currency symbol is longer than 8 characters"),
            "{message}"
        );
        assert!(matches!(err, SnapshotError::OverLimit(_)));
        // Bounded work: the decoder stops at the first limit crossed (well under a second
        // even in a debug build).
        assert!(started.elapsed().as_secs_f64() < 1.0);
        // With a short symbol, the 1,500 groups are refused by count.
        snap.currency_symbol = "$".into();
        let message = decode(&unchecked_payload(&snap)).unwrap_err().to_string();
        assert!(message.contains("more than 64 groups"), "{message}");
    }

    #[test]
    fn every_limit_is_checked_while_decoding() {
        let long = |n: usize| "a".repeat(n);
        let kpi = SnapshotKpi::covered(KpiId::Roas, &KpiValue::Value(1.0), None);
        type Edit = Box<dyn FnOnce(&mut Snapshot)>;
        let cases: Vec<(Edit, &str)> = vec![
            (
                Box::new(|s| s.groups = vec![s.groups[0].clone(); MAX_GROUPS + 1]),
                "more than 64 groups",
            ),
            (
                Box::new(move |s| s.kpis = vec![kpi; MAX_KPIS + 1]),
                "more than 128 KPIs",
            ),
            (
                Box::new(|s| s.groups[0].kpis = vec![s.groups[0].kpis[0].clone(); 9]),
                "more than 8 KPIs in a group",
            ),
            (
                Box::new(|s| s.context = vec![("a".into(), "b".into()); 17]),
                "more than 16 settings",
            ),
            (
                Box::new(|s| s.currency_symbol = "US$US$US$".into()),
                "the currency symbol is longer than 8",
            ),
            (
                Box::new(move |s| s.dataset = long(301)),
                "the dataset's name is longer than 300",
            ),
            (
                Box::new(move |s| s.groups[1].name = long(301)),
                "a group's name is longer than 300",
            ),
            (
                Box::new(move |s| s.groups[1].key = long(301)),
                "a group's key is longer than 300",
            ),
            (
                Box::new(move |s| s.query = long(2_001)),
                "the view's filters is longer than 2000",
            ),
            (
                Box::new(move |s| s.context[0].1 = long(2_001)),
                "a setting's value is longer than 2000",
            ),
            (
                Box::new(move |s| s.context[0].0 = long(65)),
                "a setting's label is longer than 64",
            ),
            (
                Box::new(move |s| s.kpis[0].na = Some(long(301))),
                "a KPI's n/a reason is longer than 300",
            ),
            (
                Box::new(move |s| s.groups[0].kpis[0].id = long(65)),
                "a KPI id is longer than 64",
            ),
            (
                Box::new(move |s| s.groups[0].dim = long(65)),
                "a group's dimension is longer than 64",
            ),
            (
                Box::new(|s| s.currency_symbol = "=1+1".into()),
                "the currency symbol starts with =",
            ),
        ];
        for (edit, expected) in cases {
            let message = refusal(edit);
            assert!(message.contains(expected), "{expected}: {message}");
            assert!(
                message.starts_with("This snapshot link is refused"),
                "{message}"
            );
        }
        // Exactly at the limits, a snapshot opens; characters count, not bytes.
        let mut snap = snapshot(&results());
        snap.currency_symbol = "€".repeat(MAX_CURRENCY_CHARS);
        snap.dataset = "é".repeat(MAX_NAME_CHARS);
        snap.groups = vec![snap.groups[0].clone(); MAX_GROUPS];
        assert_eq!(decode(&unchecked_payload(&snap)).unwrap(), snap);
    }

    #[test]
    fn a_deflate_bomb_is_refused_by_its_inflated_size() {
        // 2 MiB of spaces before a valid snapshot: deflates to a few KB, inflates past 1 MiB.
        let snap = snapshot(&results());
        let mut json = vec![b' '; 2 << 20];
        json.extend(serde_json::to_vec(&snap).unwrap());
        let payload = base64url_encode(&compress_to_vec(&json, 9));
        assert!(payload.len() < MAX_SNAPSHOT_CHARS);
        let message = decode(&payload).unwrap_err().to_string();
        assert!(
            message.contains("unpacks to more than 1024 KiB"),
            "{message}"
        );
    }

    #[test]
    fn snapshots_the_dashboard_makes_stay_within_the_limits() {
        // Over-long names and a formula-like, over-long currency symbol are clipped, so
        // the link opens.
        let r = results();
        let context = ExportContext::new(&SavedSettings::default(), &ViewQuery::default(), None);
        let dataset = "d".repeat(5_000);
        let source = SnapshotSource {
            dataset: &dataset,
            query: "",
            context: &context,
            currency_symbol: "=HYPERLINK(\"http://evil.example\")",
            locale: NumberLocale::default(),
        };
        let snap = Snapshot::of(&r, &source, |_, _| "n".repeat(1_000));
        assert_eq!(snap.dataset.chars().count(), MAX_NAME_CHARS);
        assert!(snap.dataset.ends_with('…'));
        assert_eq!(snap.currency_symbol, "HYPERLIN");
        assert!(snap
            .groups
            .iter()
            .all(|g| g.name.chars().count() == MAX_NAME_CHARS));
        let back = decode(&encode(&snap).unwrap()).unwrap();
        assert_eq!(back, snap);
        // A snapshot outside the limits is not encoded either.
        let mut bad = snap.clone();
        bad.currency_symbol = "@x".into();
        assert!(matches!(encode(&bad), Err(SnapshotError::OverLimit(_))));
    }

    #[test]
    fn kpi_values_survive_bit_for_bit() {
        let value = 0.982_758_620_689_655_1_f64; // 57 / 58
        let kpi = SnapshotKpi::covered(KpiId::DeliveryRate, &KpiValue::Value(57.0 / 58.0), None);
        let back: SnapshotKpi =
            serde_json::from_str(&serde_json::to_string(&kpi).unwrap()).unwrap();
        assert_eq!(back.v.map(f64::to_bits), Some((57.0_f64 / 58.0).to_bits()));
        assert_eq!(back.v, Some(value));
    }

    #[test]
    fn damaged_or_oversized_links_are_refused() {
        assert!(matches!(decode("!!!"), Err(SnapshotError::Invalid(_))));
        assert!(matches!(decode("AAAA"), Err(SnapshotError::Invalid(_))));
        let long = "A".repeat(MAX_SNAPSHOT_CHARS + 1);
        assert!(matches!(decode(&long), Err(SnapshotError::TooLarge { .. })));
        assert_eq!(fragment_payload("#x=1&s=abc"), Some("abc"));
        assert_eq!(fragment_payload("#top"), None);
    }
}
