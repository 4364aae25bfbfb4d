//! A workspace packed to move between threads (the page and a data worker, or two data
//! workers): the row columns as plain typed vectors, which cross `postMessage` as
//! transferred typed arrays without a per-row step, and everything small as one JSON
//! header.
//! [`unpack`] checks what it is given, so a damaged message is an error, not a panic.

use serde::{Deserialize, Serialize};

use super::calendar::Day;
use super::schema::MEASURE_COUNT;
use super::store::{
    Asset, Campaign, Comment, Creator, Dict, Disclosure, DisclosureMethod, KeyIndex, Posts,
    StrColumn, Workspace,
};

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
    let mut f64s: Vec<Vec<f64>> = measures
        .into_iter()
        .zip(present)
        .filter_map(|(column, present)| present.then_some(column))
        .collect();
    if let Some(index) = &index {
        u32s.push(index.combo.clone());
        u32s.push(index.combos.iter().flatten().copied().collect());
        u32s.push(index.absent.clone());
        f64s.push(index.combo_rows.iter().map(|&n| n as f64).collect());
    }
    let header = Header {
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
    };
    Packed {
        header: serde_json::to_string(&header).unwrap_or_default(),
        u32s,
        i32s: vec![day, time],
        f64s,
        bytes: vec![
            id_text.into_bytes(),
            caption_text.into_bytes(),
            disclosure.into_iter().map(|d| d as u8).collect(),
        ],
    }
}

/// Rebuilds the workspace [`pack`] packed.
pub fn unpack(packed: Packed) -> Result<Workspace, String> {
    let Packed {
        header,
        u32s,
        i32s,
        f64s,
        bytes,
    } = packed;
    let header: Header =
        serde_json::from_str(&header).map_err(|e| format!("bad workspace header: {e}"))?;
    let rows = header.rows;
    let present: [bool; MEASURE_COUNT] = header
        .present
        .try_into()
        .map_err(|_| "bad measure list".to_string())?;
    let mut u32s = u32s.into_iter();
    let mut f64s = f64s.into_iter();
    let mut next_u32 = |what: &str| u32s.next().ok_or(format!("missing {what} column"));
    let [platform, campaign, creator, format, id_ends, caption_ends] = [
        "platform", "campaign", "creator", "format", "post id", "caption",
    ]
    .map(&mut next_u32);
    let [id_text, caption_text, disclosure]: [Vec<u8>; 3] = bytes
        .try_into()
        .map_err(|_| "missing text columns".to_string())?;
    let text = |bytes: Vec<u8>, ends: Vec<u32>| {
        String::from_utf8(bytes)
            .ok()
            .and_then(|text| StrColumn::from_parts(text, ends))
            .filter(|c| c.len() == rows)
            .ok_or("bad text column".to_string())
    };
    let dicts = header.dicts.map(|values| {
        let mut dict = Dict::default();
        for value in &values {
            dict.intern(value);
        }
        dict
    });
    let [platforms, campaign_ids, creator_ids, formats] = dicts;
    let codes = |column: Result<Vec<u32>, String>, dict: &Dict| {
        column.and_then(|c| {
            let fits = c.len() == rows && c.iter().all(|&code| (code as usize) < dict.len());
            fits.then_some(c).ok_or("bad key column".to_string())
        })
    };
    let measures = present
        .iter()
        .map(|&given| match given {
            true => f64s
                .next()
                .filter(|c| c.len() == rows)
                .ok_or("bad measure column".to_string()),
            false => Ok(Vec::new()),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut i32s = i32s.into_iter();
    let day = i32s
        .next()
        .filter(|d| d.len() == rows)
        .ok_or("bad day column")?;
    // Times of day: one per row, or none when no file gave a time.
    let time = i32s.next().unwrap_or_default();
    if !time.is_empty() && time.len() != rows {
        return Err("bad time column".into());
    }
    let disclosure = disclosure
        .iter()
        .map(|&d| match d {
            1 => Disclosure::Disclosed,
            2 => Disclosure::Undisclosed,
            _ => Disclosure::Unknown,
        })
        .collect::<Vec<_>>();
    if disclosure.len() != rows {
        return Err("bad disclosure column".into());
    }
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
        measures: if rows == 0 { Vec::new() } else { measures },
        present,
        disclosure_method: header.disclosure_method,
        ..Posts::default()
    };
    posts.recount_partial();
    if let Some((days_sorted, day_span)) = header.index {
        let (combo, flat, absent) = (u32s.next(), u32s.next(), u32s.next());
        let combo_rows = f64s.next();
        let (Some(combo), Some(flat), Some(absent), Some(combo_rows)) =
            (combo, flat, absent, combo_rows)
        else {
            return Err("missing key index".into());
        };
        let combos: Vec<[u32; 4]> = flat
            .chunks_exact(4)
            .map(|c| [c[0], c[1], c[2], c[3]])
            .collect();
        if combo.iter().any(|&c| c as usize >= combos.len())
            || combo_rows.len() != combos.len()
            || absent.len() != combos.len()
        {
            return Err("bad key index".into());
        }
        let combo_rows = combo_rows.into_iter().map(|n| n as u64).collect();
        posts.set_key_index(KeyIndex::from_parts(
            combo,
            combos,
            absent,
            combo_rows,
            days_sorted,
            day_span,
        ));
    }
    Ok(Workspace {
        posts,
        campaigns: header.campaigns,
        creators: header.creators,
        assets: header.assets,
        comments: header.comments,
        currency: header.currency,
    })
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
        // each combo's rows lack.
        assert_eq!(packed.u32s[0].len(), 3_000);
        assert_eq!(packed.u32s.len(), 9);
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
        // Impressions, and post_count which every row gets.
        assert_eq!(packed.f64s.len(), 2);
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
        assert_eq!(unpack(packed).unwrap_err(), "bad key column");
        let mut packed = pack(ws.clone());
        packed.u32s[4][0] = u32::MAX; // a post id running past the text
        assert_eq!(unpack(packed).unwrap_err(), "bad text column");
        let mut packed = pack(ws);
        packed.f64s.pop();
        packed.f64s.pop();
        assert!(unpack(packed).is_err());
        assert!(unpack(Packed::default()).is_err());
    }
}
