//! The JSON form of a [`KpiValue`]: a number, or `{"na": reason}` for an n/a. Inside
//! a document written by [`to_json_sharing_reasons`] (the data worker's answers), an
//! n/a names an index into the document's table of distinct reasons instead: results
//! repeat the same few reasons for every group, so that makes them a third of the size.

use std::cell::RefCell;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::engine::KpiValue;

/// The distinct n/a reasons of one JSON document, in first-seen order.
#[derive(Default)]
struct SharedReasons {
    list: Vec<String>,
    index: HashMap<String, usize>,
}

thread_local! {
    /// Set while [`to_json_sharing_reasons`] writes, or [`from_json_sharing_reasons`]
    /// reads, a document: its n/a reasons then go by index into this table.
    static SHARED_REASONS: RefCell<Option<SharedReasons>> = const { RefCell::new(None) };
}

/// `value` as JSON in which each distinct n/a reason is written once: the document,
/// whose n/a values name an index, and the reasons.
pub fn to_json_sharing_reasons<T: Serialize>(
    value: &T,
) -> serde_json::Result<(String, Vec<String>)> {
    SHARED_REASONS.with(|r| *r.borrow_mut() = Some(SharedReasons::default()));
    let json = serde_json::to_string(value);
    let reasons = SHARED_REASONS
        .with(|r| r.borrow_mut().take())
        .unwrap_or_default();
    Ok((json?, reasons.list))
}

/// Reads a document of [`to_json_sharing_reasons`] back with its reasons.
pub fn from_json_sharing_reasons<T: serde::de::DeserializeOwned>(
    json: &str,
    reasons: Vec<String>,
) -> serde_json::Result<T> {
    let shared = SharedReasons {
        list: reasons,
        index: HashMap::new(),
    };
    SHARED_REASONS.with(|r| *r.borrow_mut() = Some(shared));
    let value = serde_json::from_str(json);
    SHARED_REASONS.with(|r| r.borrow_mut().take());
    value
}

impl Serialize for KpiValue {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            KpiValue::Value(v) => s.serialize_f64(*v),
            KpiValue::NotAvailable { reason } => {
                let shared = SHARED_REASONS.with(|r| {
                    let mut r = r.borrow_mut();
                    let table = r.as_mut()?;
                    let next = table.list.len();
                    let i = *table.index.entry(reason.clone()).or_insert(next);
                    if i == next {
                        table.list.push(reason.clone());
                    }
                    Some(i)
                });
                let mut map = s.serialize_map(Some(1))?;
                match shared {
                    Some(i) => map.serialize_entry("na", &i)?,
                    None => map.serialize_entry("na", reason)?,
                }
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for KpiValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<KpiValue, D::Error> {
        use serde::de::{Error, MapAccess, Visitor};

        /// The reason of an n/a: its text, or its index in the shared table.
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Reason {
            Shared(usize),
            Text(String),
        }

        struct KpiValueVisitor;
        impl<'de> Visitor<'de> for KpiValueVisitor {
            type Value = KpiValue;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(r#"a number or {"na": reason}"#)
            }
            fn visit_f64<E: Error>(self, v: f64) -> Result<KpiValue, E> {
                Ok(KpiValue::Value(v))
            }
            fn visit_u64<E: Error>(self, v: u64) -> Result<KpiValue, E> {
                Ok(KpiValue::Value(v as f64))
            }
            fn visit_i64<E: Error>(self, v: i64) -> Result<KpiValue, E> {
                Ok(KpiValue::Value(v as f64))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<KpiValue, A::Error> {
                let Some((key, reason)) = map.next_entry::<String, Reason>()? else {
                    return Err(A::Error::missing_field("na"));
                };
                if key != "na" {
                    return Err(A::Error::unknown_field(&key, &["na"]));
                }
                let reason = match reason {
                    Reason::Text(text) => text,
                    Reason::Shared(i) => SHARED_REASONS
                        .with(|r| r.borrow().as_ref().and_then(|t| t.list.get(i).cloned()))
                        .ok_or_else(|| A::Error::custom(format!("no shared reason {i}")))?,
                };
                Ok(KpiValue::NotAvailable { reason })
            }
        }
        d.deserialize_any(KpiValueVisitor)
    }
}
