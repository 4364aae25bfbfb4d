//! A workspace packed to move between threads (the page and a data worker, or two data
//! workers) and to be remembered: the row columns as plain typed vectors, which cross
//! `postMessage` as transferred typed arrays without a per-row step, and everything
//! small as one JSON header. Format [`FORMAT`] packs each measure column as it is kept
//! (`u8` and `u16` values as little-endian bytes, `u32` and `f64` as themselves, and its
//! absence bitset as `u32` words); a format-1 workspace (every measure as `f64`, NaN
//! for absent) is converted when unpacked, and any other format is refused in words.
//! [`unpack`] checks what it is given, so a damaged message is an error, not a panic
//! nor a silently wrong number: every length against the row count, every code against
//! its dictionary (which holds no value twice), every day in the calendar's range,
//! every time within a day, every measure finite or absent, and the key index part by
//! part against the rows it indexes (each row's combo has the row's codes and absent
//! measures, the per-combo row counts add up, the day span and sortedness hold).

use serde::{Deserialize, Serialize};

use super::calendar::{Day, FIRST_DAY, LAST_DAY};
use super::schema::MEASURE_COUNT;
use super::store::{
    Asset, Campaign, ColumnKind, ColumnValues, Comment, Creator, Dict, Disclosure,
    DisclosureMethod, KeyIndex, MeasureColumn, Posts, StrColumn, Workspace, NO_DAY, NO_TIME,
};

/// The format [`pack`] writes; [`unpack`] reads it and format 1 (which had no number).
pub const FORMAT: u32 = 2;

/// Why a packed workspace could not be unpacked: the part that is damaged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UnpackError {
    /// The JSON header does not read; the parser's message.
    Header(String),
    MeasureList,
    /// A column that is not there (`what` names it: `platform`, `post id`, …).
    MissingColumn(&'static str),
    MissingTextColumns,
    BadTextColumn,
    /// A dictionary gives a value twice.
    RepeatedDictionaryValue,
    BadKeyColumn,
    BadMeasureColumn,
    BadDayColumn,
    BadTimeColumn,
    UnexpectedDayColumn,
    BadDisclosureColumn,
    BadCurrency,
    MissingKeyIndex,
    /// A part of the key index does not fit the rows (`part` names it).
    BadKeyIndex(&'static str),
    UnexpectedColumn,
    /// The workspace was packed in a format this version does not read (a newer app's).
    Format(u32),
}

impl std::fmt::Display for UnpackError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UnpackError::Header(e) => write!(f, "bad workspace header: {e}"),
            UnpackError::MeasureList => f.write_str("bad measure list"),
            UnpackError::MissingColumn(what) => write!(f, "missing {what} column"),
            UnpackError::MissingTextColumns => f.write_str("missing text columns"),
            UnpackError::BadTextColumn => f.write_str("bad text column"),
            UnpackError::RepeatedDictionaryValue => {
                f.write_str("bad dictionary (a value given twice)")
            }
            UnpackError::BadKeyColumn => f.write_str("bad key column"),
            UnpackError::BadMeasureColumn => f.write_str("bad measure column"),
            UnpackError::BadDayColumn => f.write_str("bad day column"),
            UnpackError::BadTimeColumn => f.write_str("bad time column"),
            UnpackError::UnexpectedDayColumn => f.write_str("unexpected day column"),
            UnpackError::BadDisclosureColumn => f.write_str("bad disclosure column"),
            UnpackError::BadCurrency => f.write_str("bad currency"),
            UnpackError::MissingKeyIndex => f.write_str("missing key index"),
            UnpackError::BadKeyIndex(part) => write!(f, "bad key index ({part})"),
            UnpackError::UnexpectedColumn => f.write_str("unexpected column after the last one"),
            UnpackError::Format(v) => write!(
                f,
                "the workspace was packed in format {v}, and this version of the app reads formats 1 and {FORMAT}"
            ),
        }
    }
}

impl std::error::Error for UnpackError {}

/// The text of the error, for callers whose errors are text.
impl From<UnpackError> for String {
    fn from(e: UnpackError) -> String {
        e.to_string()
    }
}

/// A packed workspace. The vectors' order is private to [`pack`] and [`unpack`].
#[derive(Debug, Default, PartialEq)]
pub struct Packed {
    /// JSON of the small parts: dictionaries, flags and the dimension tables.
    pub header: String,
    pub u32s: Vec<Vec<u32>>,
    pub i32s: Vec<Vec<i32>>,
    pub f64s: Vec<Vec<f64>>,
    pub bytes: Vec<Vec<u8>>,
}

impl Packed {
    /// Bytes of the row columns (what crosses between threads besides the header).
    pub fn column_bytes(&self) -> usize {
        let u32s: usize = self.u32s.iter().map(Vec::len).sum();
        let i32s: usize = self.i32s.iter().map(Vec::len).sum();
        let f64s: usize = self.f64s.iter().map(Vec::len).sum();
        let bytes: usize = self.bytes.iter().map(Vec::len).sum();
        4 * (u32s + i32s) + 8 * f64s + bytes
    }
}

#[derive(Serialize, Deserialize)]
struct Header {
    /// [`FORMAT`] when written; format 1 had no number.
    #[serde(default = "first_format")]
    format: u32,
    rows: usize,
    dicts: [Vec<String>; 4],
    /// Which measures were supplied; only those columns are packed.
    present: Vec<bool>,
    disclosure_method: DisclosureMethod,
    campaigns: Vec<Campaign>,
    creators: Vec<Creator>,
    assets: Vec<Asset>,
    comments: Vec<Comment>,
    /// The key index's scalars, when it was built (its vectors follow the columns).
    index: Option<(bool, Option<(Day, Day)>)>,
    /// The workspace's currency.
    #[serde(default)]
    currency: Option<String>,
    /// Long audience rows (creator × dimension × share).
    #[serde(default)]
    audience: Vec<crate::data::audience::AudienceRow>,
    /// Per packed measure column: how its values are kept and whether an absence bitset
    /// follows them (format 2).
    #[serde(default)]
    columns: Vec<(ColumnKind, bool)>,
}

fn first_format() -> u32 {
    1
}

/// Packs a workspace (its key index too, when built).
pub fn pack(ws: Workspace) -> Packed {
    let Workspace {
        posts,
        campaigns,
        creators,
        assets,
        comments,
        currency,
        audience,
    } = ws;
    let rows = posts.len();
    let index = posts.cached_index().cloned();
    let Posts {
        platforms,
        campaigns: campaign_ids,
        creators: creator_ids,
        formats,
        platform,
        campaign,
        creator,
        format,
        day,
        time,
        post_id,
        caption,
        disclosure,
        measures,
        present,
        disclosure_method,
        ..
    } = posts;
    let (id_text, id_ends) = post_id.into_parts();
    let (caption_text, caption_ends) = caption.into_parts();
    let mut u32s = vec![platform, campaign, creator, format, id_ends, caption_ends];
    let mut f64s: Vec<Vec<f64>> = Vec::new();
    let mut bytes = vec![
        id_text.into_bytes(),
        caption_text.into_bytes(),
        disclosure.into_iter().map(|d| d as u8).collect(),
    ];
    // The index's vectors next (where format 1 had them), then the measures' words.
    if let Some(index) = &index {
        u32s.push(index.combo.clone());
        u32s.push(index.combos.iter().flatten().copied().collect());
        u32s.push(index.absent.clone());
    }
    let mut columns = Vec::new();
    for (column, present) in measures.into_iter().zip(present) {
        if !present {
            continue;
        }
        let (values, absent) = column.into_parts();
        columns.push((kind_of(&values), !absent.is_empty()));
        match values {
            ColumnValues::U8(v) => bytes.push(v),
            ColumnValues::U16(v) => bytes.push(v.iter().flat_map(|x| x.to_le_bytes()).collect()),
            ColumnValues::U32(v) => u32s.push(v),
            ColumnValues::F64(v) => f64s.push(v),
        }
        if !absent.is_empty() {
            u32s.push(absent);
        }
    }
    if let Some(index) = &index {
        f64s.push(index.combo_rows.iter().map(|&n| n as f64).collect());
    }
    let header = Header {
        format: FORMAT,
        rows,
        dicts: [platforms, campaign_ids, creator_ids, formats].map(|d| d.values().to_vec()),
        present: present.to_vec(),
        disclosure_method,
        campaigns,
        creators,
        assets,
        comments,
        index: index.map(|i| (i.days_sorted, i.day_span)),
        currency,
        columns,
        audience,
    };
    Packed {
        header: serde_json::to_string(&header).unwrap_or_default(),
        u32s,
        i32s: vec![day, time],
        f64s,
        bytes,
    }
}

fn kind_of(values: &ColumnValues) -> ColumnKind {
    match values {
        ColumnValues::U8(_) => ColumnKind::U8,
        ColumnValues::U16(_) => ColumnKind::U16,
        ColumnValues::U32(_) => ColumnKind::U32,
        ColumnValues::F64(_) => ColumnKind::F64,
    }
}

/// Rebuilds the workspace [`pack`] packed.
pub fn unpack(packed: Packed) -> Result<Workspace, UnpackError> {
    let Packed {
        header,
        u32s,
        i32s,
        f64s,
        bytes,
    } = packed;
    let header: Header =
        serde_json::from_str(&header).map_err(|e| UnpackError::Header(e.to_string()))?;
    if header.format != 1 && header.format != FORMAT {
        return Err(UnpackError::Format(header.format));
    }
    let rows = header.rows;
    let present: [bool; MEASURE_COUNT] = header
        .present
        .try_into()
        .map_err(|_| UnpackError::MeasureList)?;
    let mut u32s = u32s.into_iter();
    let mut f64s = f64s.into_iter();
    let mut next_u32 = |what: &'static str| u32s.next().ok_or(UnpackError::MissingColumn(what));
    let [platform, campaign, creator, format, id_ends, caption_ends] = [
        "platform", "campaign", "creator", "format", "post id", "caption",
    ]
    .map(&mut next_u32);
    let mut bytes = bytes.into_iter();
    let (Some(id_text), Some(caption_text), Some(disclosure)) =
        (bytes.next(), bytes.next(), bytes.next())
    else {
        return Err(UnpackError::MissingTextColumns);
    };
    let text = |bytes: Vec<u8>, ends: Vec<u32>| {
        String::from_utf8(bytes)
            .ok()
            .and_then(|text| StrColumn::from_parts(text, ends))
            .filter(|c| c.len() == rows)
            .ok_or(UnpackError::BadTextColumn)
    };
    let dicts = header.dicts.map(|values| {
        let mut dict = Dict::default();
        for value in &values {
            dict.intern(value);
        }
        // A value given twice would shift every later code onto another value.
        (dict.len() == values.len()).then_some(dict)
    });
    let [Some(platforms), Some(campaign_ids), Some(creator_ids), Some(formats)] = dicts else {
        return Err(UnpackError::RepeatedDictionaryValue);
    };
    let codes = |column: Result<Vec<u32>, UnpackError>, dict: &Dict| {
        column.and_then(|c| {
            let fits = c.len() == rows && c.iter().all(|&code| (code as usize) < dict.len());
            fits.then_some(c).ok_or(UnpackError::BadKeyColumn)
        })
    };
    // Format 2: the index's vectors come before the measures' words.
    let index_parts = match (header.format, header.index.is_some()) {
        (FORMAT, true) => match (u32s.next(), u32s.next(), u32s.next()) {
            (Some(combo), Some(flat), Some(absent)) => Some((combo, flat, absent)),
            _ => return Err(UnpackError::MissingKeyIndex),
        },
        _ => None,
    };
    let mut kinds = header.columns.iter();
    let mut measures = Vec::with_capacity(MEASURE_COUNT);
    for &given in &present {
        if !given {
            measures.push(MeasureColumn::default());
            continue;
        }
        let column = if header.format == 1 {
            f64s.next()
                .filter(|c| c.len() == rows && c.iter().all(|v| v.is_finite() || v.is_nan()))
                .map(|c| MeasureColumn::from_f64s(&c))
        } else {
            let &(kind, has_absent) = kinds.next().ok_or(UnpackError::MeasureList)?;
            let values = match kind {
                ColumnKind::U8 => bytes.next().map(ColumnValues::U8),
                ColumnKind::U16 => bytes.next().filter(|b| b.len() % 2 == 0).map(|b| {
                    ColumnValues::U16(
                        b.chunks_exact(2)
                            .map(|p| u16::from_le_bytes([p[0], p[1]]))
                            .collect(),
                    )
                }),
                ColumnKind::U32 => u32s.next().map(ColumnValues::U32),
                ColumnKind::F64 => f64s.next().map(ColumnValues::F64),
            };
            let absent = if has_absent {
                u32s.next()
            } else {
                Some(Vec::new())
            };
            values
                .zip(absent)
                .and_then(|(values, absent)| MeasureColumn::from_parts(values, absent))
                .filter(|c| c.len() == rows)
        };
        measures.push(column.ok_or(UnpackError::BadMeasureColumn)?);
    }
    if kinds.next().is_some() {
        return Err(UnpackError::MeasureList);
    }
    if bytes.next().is_some() {
        return Err(UnpackError::UnexpectedColumn);
    }
    let mut i32s = i32s.into_iter();
    let day = i32s
        .next()
        .filter(|d| d.len() == rows)
        .filter(|d| {
            d.iter()
                .all(|&d| d == NO_DAY || (FIRST_DAY..=LAST_DAY).contains(&d))
        })
        .ok_or(UnpackError::BadDayColumn)?;
    // Times of day: one per row, or none when no file gave a time.
    let time = i32s.next().unwrap_or_default();
    let time_ok = |&t: &i32| t == NO_TIME || (0..=86_400).contains(&t);
    if !time.is_empty() && (time.len() != rows || !time.iter().all(time_ok)) {
        return Err(UnpackError::BadTimeColumn);
    }
    if i32s.next().is_some() {
        return Err(UnpackError::UnexpectedDayColumn);
    }
    let disclosure = disclosure
        .iter()
        .map(|&d| match d {
            0 => Some(Disclosure::Unknown),
            1 => Some(Disclosure::Disclosed),
            2 => Some(Disclosure::Undisclosed),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()
        .filter(|d| d.len() == rows)
        .ok_or(UnpackError::BadDisclosureColumn)?;
    let currency = match header.currency {
        Some(code) => Some(
            super::currency::normalize_code(&code)
                .filter(|c| *c == code)
                .ok_or(UnpackError::BadCurrency)?,
        ),
        None => None,
    };
    let mut posts = Posts {
        platform: codes(platform, &platforms)?,
        campaign: codes(campaign, &campaign_ids)?,
        creator: codes(creator, &creator_ids)?,
        format: codes(format, &formats)?,
        platforms,
        campaigns: campaign_ids,
        creators: creator_ids,
        formats,
        day,
        time,
        post_id: text(id_text, id_ends?)?,
        caption: text(caption_text, caption_ends?)?,
        disclosure,
        // No rows: no columns (`Posts::default`'s), unless a measure is flagged present,
        // whose (empty) column must then be there to read.
        measures: if rows == 0 && !present.contains(&true) {
            Vec::new()
        } else {
            measures
        },
        present,
        disclosure_method: header.disclosure_method,
        ..Posts::default()
    };
    posts.recount_partial();
    if let Some((days_sorted, day_span)) = header.index {
        let (combo, flat, absent) = match index_parts {
            Some((combo, flat, absent)) => (Some(combo), Some(flat), Some(absent)),
            None => (u32s.next(), u32s.next(), u32s.next()),
        };
        let combo_rows = f64s.next();
        let (Some(combo), Some(flat), Some(absent), Some(combo_rows)) =
            (combo, flat, absent, combo_rows)
        else {
            return Err(UnpackError::MissingKeyIndex);
        };
        let index = checked_index(
            &posts,
            combo,
            flat,
            absent,
            combo_rows,
            days_sorted,
            day_span,
        )?;
        posts.set_key_index(index);
    }
    if u32s.next().is_some() || f64s.next().is_some() {
        return Err(UnpackError::UnexpectedColumn);
    }
    Ok(Workspace {
        posts,
        campaigns: header.campaigns,
        creators: header.creators,
        assets: header.assets,
        comments: header.comments,
        currency,
        audience: header.audience,
    })
}

/// The key index from its packed parts, each checked against the rows it indexes.
fn checked_index(
    posts: &Posts,
    combo: Vec<u32>,
    flat: Vec<u32>,
    absent: Vec<u32>,
    combo_rows: Vec<f64>,
    days_sorted: bool,
    day_span: Option<(Day, Day)>,
) -> Result<KeyIndex, UnpackError> {
    let bad = |part: &'static str| Err(UnpackError::BadKeyIndex(part));
    let rows = posts.len();
    if combo.len() != rows {
        return bad("combo column length");
    }
    if !flat.len().is_multiple_of(4) {
        return bad("combo codes length");
    }
    let combos: Vec<[u32; 4]> = flat
        .chunks_exact(4)
        .map(|c| [c[0], c[1], c[2], c[3]])
        .collect();
    let dicts = [
        &posts.platforms,
        &posts.campaigns,
        &posts.creators,
        &posts.formats,
    ];
    let codes_fit = combos.iter().all(|codes| {
        codes
            .iter()
            .zip(dicts)
            .all(|(&c, d)| (c as usize) < d.len())
    });
    if !codes_fit {
        return bad("combo code past its dictionary");
    }
    if absent.len() != combos.len() {
        return bad("absent measures length");
    }
    if absent.iter().any(|&a| a >> MEASURE_COUNT != 0) {
        return bad("absent measure past the measures");
    }
    if combo_rows.len() != combos.len() {
        return bad("combo row counts length");
    }
    let masks = posts.absent_masks();
    let mut counted = vec![0u64; combos.len()];
    for (r, &c) in combo.iter().enumerate() {
        let Some(codes) = combos.get(c as usize) else {
            return bad("combo past the combos");
        };
        let row = [
            posts.platform[r],
            posts.campaign[r],
            posts.creator[r],
            posts.format[r],
        ];
        if *codes != row {
            return bad("a row's combo has other codes");
        }
        if absent[c as usize] != masks.get(r).copied().unwrap_or(0) {
            return bad("a row's combo lacks other measures");
        }
        counted[c as usize] += 1;
    }
    let mut combo_counts = Vec::with_capacity(combo_rows.len());
    for (&n, &counted) in combo_rows.iter().zip(&counted) {
        if n != counted as f64 {
            return bad("combo row counts");
        }
        combo_counts.push(counted);
    }
    if days_sorted && !posts.day.windows(2).all(|w| w[0] <= w[1]) {
        return bad("days not sorted");
    }
    let mut dated = posts.day.iter().copied().filter(|&d| d != NO_DAY);
    let span = dated
        .next()
        .map(|first| dated.fold((first, first), |(lo, hi), d| (lo.min(d), hi.max(d))));
    if span != day_span {
        return bad("day span");
    }
    Ok(KeyIndex::from_parts(
        combo,
        combos,
        absent,
        combo_counts,
        days_sorted,
        day_span,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::demo::{generate, DEMO_SEED};
    use crate::data::schema::Measure;

    #[test]
    fn the_demo_round_trips_with_its_index() {
        let ws = generate(DEMO_SEED);
        let index = ws.posts.key_index();
        let packed = pack(ws.clone());
        // 3,000 posts: six u32 columns, the index's combo column, its combos and what
        // each combo's rows lack, then the measures kept as u32 (values over 65,535).
        assert_eq!(packed.u32s[0].len(), 3_000);
        let wide = ws
            .posts
            .measures
            .iter()
            .filter(|c| c.kind() == ColumnKind::U32);
        assert_eq!(packed.u32s.len(), 9 + wide.count());
        let back = unpack(packed).unwrap();
        assert_eq!(back.posts.len(), 3_000);
        assert_eq!(back.posts.post_id, ws.posts.post_id);
        assert_eq!(back.posts.caption, ws.posts.caption);
        assert_eq!(back.posts.disclosure, ws.posts.disclosure);
        assert_eq!(
            format!("{:?}", back.posts.measures),
            format!("{:?}", ws.posts.measures)
        );
        assert_eq!(back.posts.campaigns, ws.posts.campaigns);
        assert_eq!(back.campaigns, ws.campaigns);
        assert_eq!(back.creators, ws.creators);
        assert_eq!(back.comments, ws.comments);
        let copied = back.posts.key_index.get().expect("the index crossed too");
        assert_eq!(copied.combo, index.combo);
        assert_eq!(copied.combo_rows, index.combo_rows);
        assert_eq!(copied.day_span, index.day_span);
    }

    #[test]
    fn absent_measures_are_not_packed_and_stay_absent() {
        let mut ws = Workspace::default();
        let mut row = crate::data::store::PostRow {
            platform: "tiktok".into(),
            post_id: "p1".into(),
            ..Default::default()
        };
        row.values[Measure::Impressions as usize] = Some(1_200.0);
        ws.posts.push(&row);
        let packed = pack(ws);
        // Impressions (1,200: a u16, two bytes) and post_count which every row gets (1: a
        // u8), beside the post ids, captions and disclosures; no f64 column.
        assert_eq!(packed.bytes.len(), 3 + 2);
        assert_eq!((packed.bytes[3].len(), packed.bytes[4].len()), (2, 1));
        assert!(packed.f64s.is_empty());
        let back = unpack(packed).unwrap();
        assert_eq!(back.posts.measure(Measure::Impressions), &[1_200.0]);
        assert_eq!(back.posts.measure(Measure::Clicks), &[] as &[f64]);
        assert_eq!(back.posts.value(Measure::Clicks as usize, 0), None);
        assert!(!back.posts.has(Measure::Clicks));
    }

    #[test]
    fn damaged_input_is_an_error_not_a_panic() {
        let ws = generate(DEMO_SEED);
        let mut packed = pack(ws.clone());
        packed.u32s[0][7] = 999; // a platform code past the dictionary
        assert_eq!(err_of(packed), "bad key column");
        let mut packed = pack(ws.clone());
        packed.u32s[4][0] = u32::MAX; // a post id running past the text
        assert_eq!(err_of(packed), "bad text column");
        let mut packed = pack(ws);
        packed.f64s.pop();
        packed.f64s.pop();
        assert!(unpack(packed).is_err());
        assert!(unpack(Packed::default()).is_err());
    }

    /// The demo packed with its key index, some rows lacking a measure (so the index
    /// has absent masks) and times of day.
    fn indexed() -> Packed {
        let mut ws = generate(DEMO_SEED);
        ws.posts.column_mut(Measure::Saves as usize).set(3, None);
        ws.posts.recount_partial();
        let rows = ws.posts.len();
        ws.posts.time = (0..rows).map(|r| (r as i32 * 97) % 86_400).collect();
        // Days out of order (the index says so; a damaged message may say otherwise).
        ws.posts.day.swap(0, rows - 1);
        ws.posts.invalidate_index();
        let index = ws.posts.key_index();
        assert!(index.absent.iter().any(|&a| a != 0));
        assert!(!index.days_sorted);
        pack(ws)
    }

    /// Edits the JSON header.
    fn with_header(mut packed: Packed, edit: impl FnOnce(&mut serde_json::Value)) -> Packed {
        let mut header: serde_json::Value = serde_json::from_str(&packed.header).unwrap();
        edit(&mut header);
        packed.header = header.to_string();
        packed
    }

    fn damaged(edit: impl FnOnce(&mut Packed)) -> String {
        let mut packed = indexed();
        edit(&mut packed);
        err_of(packed)
    }

    /// The error of a damaged message (never the workspace's long Debug text).
    fn err_of(packed: Packed) -> String {
        match unpack(packed) {
            Ok(_) => "unpacked without an error".into(),
            Err(e) => e.to_string(),
        }
    }

    // Positions of the index parts in `pack`'s vectors.
    const COMBO: usize = 6;
    const FLAT: usize = 7;
    const ABSENT: usize = 8;

    #[test]
    fn an_intact_index_unpacks_and_computes_the_same() {
        use crate::data::calendar::Granularity;
        use crate::metrics::engine::{compute, Filter};
        use crate::metrics::settings::Settings;
        let packed = indexed();
        let back = unpack(packed).expect("intact");
        let mut rebuilt_ws = back.clone();
        rebuilt_ws.posts.invalidate_index();
        let settings = Settings::default();
        let filter = Filter {
            from: Some(back.posts.day[10]),
            ..Filter::default()
        };
        for filter in [Filter::default(), filter] {
            assert_eq!(
                compute(&back, &filter, &settings, Granularity::Week),
                compute(&rebuilt_ws, &filter, &settings, Granularity::Week)
            );
        }
        let index = back.posts.cached_index().expect("the index crossed");
        assert_eq!(index.absent.iter().filter(|&&a| a != 0).count(), 1);
        let mut fresh = back.posts.clone();
        fresh.invalidate_index();
        let rebuilt = fresh.key_index();
        assert_eq!(index.combo, rebuilt.combo);
        assert_eq!(index.combo_rows, rebuilt.combo_rows);
        assert_eq!(index.absent, rebuilt.absent);
        assert_eq!(index.day_span, rebuilt.day_span);
    }

    #[test]
    fn each_damaged_index_part_is_an_error() {
        let last = |p: &mut Packed| p.f64s.len() - 1;
        type Edit = Box<dyn FnOnce(&mut Packed)>;
        let cases: Vec<(&str, Edit)> = vec![
            (
                "combo past the combos",
                Box::new(|p| p.u32s[COMBO][0] = 1 << 30),
            ),
            (
                "combo column length",
                Box::new(|p| {
                    p.u32s[COMBO].pop();
                }),
            ),
            (
                "a row's combo has other codes",
                Box::new(|p| {
                    let (a, b) = (
                        p.u32s[COMBO][0],
                        p.u32s[COMBO][1..]
                            .iter()
                            .copied()
                            .find(|&c| c != p.u32s[COMBO][0])
                            .unwrap(),
                    );
                    p.u32s[COMBO][0] = b;
                    assert_ne!(a, b);
                }),
            ),
            (
                "combo code past its dictionary",
                Box::new(|p| p.u32s[FLAT][2] = 1 << 20),
            ),
            (
                "combo codes length",
                Box::new(|p| {
                    p.u32s[FLAT].pop();
                }),
            ),
            (
                "absent measures length",
                Box::new(|p| {
                    p.u32s[ABSENT].pop();
                }),
            ),
            (
                "absent measure past the measures",
                Box::new(|p| p.u32s[ABSENT][0] |= 1 << 31),
            ),
            (
                "a row's combo lacks other measures",
                Box::new(|p| p.u32s[ABSENT][0] ^= 1),
            ),
            (
                "combo row counts length",
                Box::new(move |p| {
                    let l = last(p);
                    p.f64s[l].pop();
                }),
            ),
            (
                "combo row counts",
                Box::new(move |p| {
                    let l = last(p);
                    p.f64s[l][0] += 1.0;
                }),
            ),
        ];
        for (part, edit) in cases {
            assert_eq!(damaged(edit), format!("bad key index ({part})"), "{part}");
        }
        // The index's scalars, in the header.
        let unsorted = with_header(indexed(), |h| h["index"][0] = true.into());
        assert_eq!(err_of(unsorted), "bad key index (days not sorted)");
        let narrow = with_header(indexed(), |h| h["index"][1][1] = h["index"][1][0].clone());
        assert_eq!(err_of(narrow), "bad key index (day span)");
        let none = with_header(indexed(), |h| h["index"][1] = serde_json::Value::Null);
        assert_eq!(err_of(none), "bad key index (day span)");
        let mut missing = indexed();
        missing.u32s.truncate(ABSENT);
        assert_eq!(err_of(missing), "missing key index");
    }

    #[test]
    fn each_damaged_column_is_an_error() {
        assert_eq!(damaged(|p| p.i32s[0][5] = LAST_DAY + 1), "bad day column");
        assert_eq!(damaged(|p| p.i32s[0][5] = NO_DAY + 1), "bad day column");
        assert_eq!(
            damaged(|p| {
                p.i32s[0].pop();
            }),
            "bad day column"
        );
        assert_eq!(damaged(|p| p.i32s[1][0] = 86_401), "bad time column");
        assert_eq!(
            damaged(|p| {
                p.i32s[1].pop();
            }),
            "bad time column"
        );
        assert_eq!(damaged(|p| p.i32s.push(vec![])), "unexpected day column");
        assert_eq!(damaged(|p| p.bytes[2][0] = 3), "bad disclosure column");
        assert_eq!(
            damaged(|p| p.f64s[0][0] = f64::INFINITY),
            "bad measure column"
        );
        assert_eq!(
            damaged(|p| {
                p.f64s[0].pop();
            }),
            "bad measure column"
        );
        assert_eq!(damaged(|p| p.u32s[1][0] = 1 << 30), "bad key column");
        assert_eq!(
            damaged(|p| {
                p.u32s[3].pop();
            }),
            "bad key column"
        );
        assert_eq!(
            damaged(|p| p.u32s.push(vec![0])),
            "unexpected column after the last one"
        );
        let twice = with_header(indexed(), |h| {
            let first = h["dicts"][0][0].clone();
            h["dicts"][0].as_array_mut().unwrap().push(first);
        });
        assert_eq!(err_of(twice), "bad dictionary (a value given twice)");
        let currency = with_header(indexed(), |h| h["currency"] = "=HYPERLINK(".into());
        assert_eq!(err_of(currency), "bad currency");
        let rows = with_header(indexed(), |h| h["rows"] = 7.into());
        assert!(unpack(rows).is_err());
    }
}
