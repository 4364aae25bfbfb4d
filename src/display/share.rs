//! Snapshot links: the aggregated results of a view (never the raw rows) as compact JSON,
//! deflated and base64url-encoded into the URL fragment `#s=…`, which browsers never send
//! to a server. A payload longer than [`MAX_SNAPSHOT_CHARS`] is refused, both when a
//! link is made and when one is opened.

use miniz_oxide::deflate::compress_to_vec;
use miniz_oxide::inflate::decompress_to_vec_with_limit;
use serde::{Deserialize, Serialize};

use crate::data::ingest::NumberLocale;
use crate::data::schema::Measure;
use crate::metrics::engine::{Dimension, GroupResult, KpiSet, KpiValue, Results};

use super::export::ExportContext;

/// The longest snapshot payload (characters after `#s=`) a link may carry. Links this
/// long still paste whole into e-mail and chat tools.
pub const MAX_SNAPSHOT_CHARS: usize = 8_000;
/// The largest JSON a payload may inflate to (guards against deflate bombs).
const MAX_INFLATED_BYTES: usize = 1 << 20;
/// The snapshot format version this build reads and writes.
const VERSION: u32 = 1;
/// How many campaigns and creators (by revenue) a snapshot keeps.
const TOP_GROUPS: usize = 10;
/// The KPIs kept for each group.
pub const GROUP_KPIS: [&str; 4] = ["roas", "engagement_rate", "conversion_rate", "ctr"];

/// One KPI value: the number, or the reason it is n/a.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SnapshotKpi {
    pub id: String,
    /// Written as a string: Rust's shortest round-trip form, parsed back exactly
    /// (serde_json's default float parser may be one ULP off).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "exact_float")]
    pub v: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub na: Option<String>,
}

impl SnapshotKpi {
    fn of(id: &str, value: &KpiValue) -> SnapshotKpi {
        let (v, na) = match value {
            KpiValue::Value(v) if v.is_finite() => (Some(*v), None),
            KpiValue::Value(_) => (None, Some("not a finite number".into())),
            KpiValue::NotAvailable { reason } => (None, Some(reason.clone())),
        };
        SnapshotKpi {
            id: id.to_owned(),
            v,
            na,
        }
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
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => s.serialize_str(&v.to_string()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
        let text: Option<String> = Option::deserialize(d)?;
        text.map(|t| t.parse::<f64>().map_err(D::Error::custom))
            .transpose()
    }
}

/// One group's (platform, campaign or creator) revenue and key KPIs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SnapshotGroup {
    /// [`Dimension::name`].
    pub dim: String,
    pub key: String,
    /// Display name (the campaign's or creator's name, else the key).
    pub name: String,
    pub revenue: f64,
    pub kpis: Vec<SnapshotKpi>,
}

/// What a snapshot link carries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub version: u32,
    /// The dataset's name as the sender saw it.
    pub dataset: String,
    /// The view's query string (filters), for the record.
    pub query: String,
    /// [`ExportContext`] entries: settings and date range.
    pub context: Vec<(String, String)>,
    pub currency_symbol: String,
    pub locale: NumberLocale,
    /// Every overall KPI, in registry order.
    pub kpis: Vec<SnapshotKpi>,
    /// Platforms, then the top campaigns and creators by revenue.
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
}

impl std::fmt::Display for SnapshotError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SnapshotError::TooLarge { chars } => write!(
                f,
                "This snapshot would need {chars} characters, more than the {MAX_SNAPSHOT_CHARS} a snapshot link may carry. Narrow the filters and try again, or share a view link instead."
            ),
            SnapshotError::Invalid(why) => write!(f, "This snapshot link cannot be opened: {why}."),
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
            key: g.key.clone(),
            name: name(g.dimension, &g.key),
            revenue: g.sums.get(Measure::Revenue),
            kpis: GROUP_KPIS
                .iter()
                .map(|id| SnapshotKpi::of(id, &g.kpis.get(id)))
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
            dataset: source.dataset.to_owned(),
            query: source.query.to_owned(),
            context: source
                .context
                .entries
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
            currency_symbol: source.currency_symbol.to_owned(),
            locale: source.locale,
            kpis: overall_kpis(&results.overall),
            groups,
            groups_omitted: false,
        }
    }

    /// The groups of one dimension.
    pub fn groups_of(&self, dim: Dimension) -> impl Iterator<Item = &SnapshotGroup> {
        self.groups.iter().filter(move |g| g.dim == dim.name())
    }
}

fn overall_kpis(set: &KpiSet) -> Vec<SnapshotKpi> {
    set.iter()
        .map(|(def, value)| SnapshotKpi::of(def.id, value))
        .collect()
}

/// The `#s=` payload of a snapshot. When it is too long the groups are left out
/// (`groups_omitted`); when even that is too long, [`SnapshotError::TooLarge`].
pub fn encode(snapshot: &Snapshot) -> Result<String, SnapshotError> {
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

/// Reads a `#s=` payload back (refusing one longer than [`MAX_SNAPSHOT_CHARS`]).
pub fn decode(payload: &str) -> Result<Snapshot, SnapshotError> {
    if payload.len() > MAX_SNAPSHOT_CHARS {
        return Err(SnapshotError::TooLarge {
            chars: payload.len(),
        });
    }
    let invalid = |why: &str| SnapshotError::Invalid(why.to_owned());
    let deflated = base64url_decode(payload).ok_or_else(|| invalid("it is not base64url"))?;
    let json = decompress_to_vec_with_limit(&deflated, MAX_INFLATED_BYTES)
        .map_err(|_| invalid("its data is damaged"))?;
    let snapshot: Snapshot = serde_json::from_slice(&json)
        .map_err(|e| SnapshotError::Invalid(format!("unexpected content ({e})")))?;
    if snapshot.version != VERSION {
        return Err(invalid("it was made by another version of the dashboard"));
    }
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
    use crate::metrics::settings::Settings;

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
        let context = ExportContext::new(&Settings::default(), &ViewQuery::default(), None);
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
        let roas = snap.kpis.iter().find(|k| k.id == "roas").unwrap();
        assert_eq!(roas.v, Some(5.0)); // 200 / 40
        assert_eq!(snap.groups_of(Dimension::Creator).count(), 2);
        let payload = encode(&snap).unwrap();
        assert!(payload.len() <= MAX_SNAPSHOT_CHARS);
        let back = decode(fragment_payload(&format!("#s={payload}")).unwrap()).unwrap();
        assert_eq!(back, snap);
        for (def, value) in r.overall.iter() {
            let kept = back.kpis.iter().find(|k| k.id == def.id).unwrap();
            assert_eq!(&kept.value(), value, "{}", def.id);
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
        // Pseudo-random (incompressible) names make the groups too large: they go.
        for (i, g) in snap.groups.iter_mut().enumerate() {
            g.name = noise(i as u64 + 1, 4000);
        }
        let slim = decode(&encode(&snap).unwrap()).unwrap();
        assert!(slim.groups_omitted && slim.groups.is_empty());
        // A dataset name that is too large on its own: a clear error.
        snap.dataset = noise(99, 20_000);
        let err = encode(&snap).unwrap_err();
        assert!(matches!(err, SnapshotError::TooLarge { chars } if chars > MAX_SNAPSHOT_CHARS));
        assert!(err.to_string().contains("8000"));
    }

    #[test]
    fn kpi_values_survive_bit_for_bit() {
        let value = 0.982_758_620_689_655_1_f64; // 57 / 58
        let kpi = SnapshotKpi::of("delivery_rate", &KpiValue::Value(57.0 / 58.0));
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
