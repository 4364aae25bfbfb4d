//! Messy cell values: numbers with grouping, currency, `k/m/b` suffixes and percentages;
//! dates in the formats real exports use; booleans; platform aliases.
//!
//! Every parser returns `Ok(None)` for a missing value (blank, `NaN`, `null`, `n/a`, …),
//! `Ok(Some(_))` for a value and `Err(`[`ValueError`]`)` for text it cannot read, so that
//! the caller can report the raw value and why.

use super::calendar::{Day, Timestamp};
use super::dates::read_cell;
use super::error::{DateProblem, ValueError};
use super::ingest::{DateOrder, NumberLocale};

/// `raw.trim()`, decided from the first and last bytes when both are ASCII and no
/// whitespace (nearly every cell of a big file): then the cell is its own trim.
#[inline]
pub fn trim_cell(raw: &str) -> &str {
    let b = raw.as_bytes();
    match (b.first(), b.last()) {
        (Some(&first), Some(&last)) if solid(first) && solid(last) => raw,
        _ => raw.trim(),
    }
}

/// An ASCII byte that is neither whitespace nor a control character (every whitespace
/// character `str::trim` removes is a control byte, a space or not ASCII).
#[inline]
fn solid(b: u8) -> bool {
    b > b' ' && b < 0x80
}

/// True for text that means "no value": blank, `NaN`, `NaN%`, `null`, `none`, `n/a`, `-`.
#[inline]
pub fn is_missing(raw: &str) -> bool {
    // Every such text starts with `n`, `N`, `-` or `—` once trimmed: a cell that starts
    // with any other ASCII byte that is no whitespace is a value.
    if let Some(&first) = raw.as_bytes().first() {
        if solid(first) && !matches!(first, b'n' | b'N' | b'-') {
            return false;
        }
    }
    is_missing_slow(raw)
}

fn is_missing_slow(raw: &str) -> bool {
    let t = raw.trim_matches(|c: char| c.is_whitespace());
    t.is_empty()
        || ["nan", "nan%", "null", "none", "n/a", "na", "-", "--", "—"]
            .iter()
            .any(|m| t.eq_ignore_ascii_case(m))
}

/// Parses a number: `12,400`, `1.2K`, `475.8m`, `29.0b`, `1.39%` (→ 0.0139), `$1,234.50`,
/// `(12)` (→ -12), and `€1.234,50` with [`NumberLocale::CommaDecimal`].
#[inline]
pub fn parse_number(raw: &str, locale: NumberLocale) -> Result<Option<f64>, ValueError> {
    if let Some(n) = plain_integer(raw.as_bytes()) {
        return Ok(Some(n));
    }
    parse_number_slow(raw, locale)
}

/// The commonest cell of a big file, read straight from its bytes: 1 to 15 ASCII
/// digits (exact in an `f64`, as `str::parse` gives it; the same in either locale).
#[inline]
fn plain_integer(b: &[u8]) -> Option<f64> {
    if b.is_empty() || b.len() > 15 {
        return None;
    }
    let mut n = 0u64;
    for &c in b {
        let digit = c.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        n = n * 10 + u64::from(digit);
    }
    Some(n as f64)
}

/// [`parse_number`] of everything but a plain integer.
fn parse_number_slow(raw: &str, locale: NumberLocale) -> Result<Option<f64>, ValueError> {
    let t = raw.trim();
    if locale == NumberLocale::DotDecimal || !t.contains('.') {
        if let Some(v) = plain_number(t) {
            return Ok(Some(v));
        }
    }
    if is_missing(t) {
        return Ok(None);
    }
    parse_messy_number(t, locale).map(Some).ok_or_else(|| {
        // `1e400` reads as infinity: a number, too large (`inf` itself is no number).
        let overflows =
            t.bytes().any(|c| c.is_ascii_digit()) && t.parse::<f64>().is_ok_and(f64::is_infinite);
        if overflows {
            ValueError::TooLarge
        } else {
            ValueError::NotANumber
        }
    })
}

/// Fast path: `-?digits(.digits)?`, the shape of nearly every cell of a big file.
fn plain_number(t: &str) -> Option<f64> {
    let digits = t.strip_prefix('-').unwrap_or(t);
    let b = digits.as_bytes();
    if b.is_empty() || !b[0].is_ascii_digit() || b.len() > 17 {
        return None;
    }
    let mut dots = 0;
    for &c in b {
        match c {
            b'0'..=b'9' => {}
            b'.' => dots += 1,
            _ => return None,
        }
    }
    if dots > 1 || b[b.len() - 1] == b'.' {
        return None;
    }
    if dots == 0 && b.len() <= 15 {
        // An integer of up to 15 digits is exact in an `f64`, as `str::parse` gives it.
        let n = b.iter().fold(0u64, |n, &c| n * 10 + u64::from(c - b'0')) as f64;
        return Some(if t.starts_with('-') { -n } else { n });
    }
    t.parse().ok()
}

fn parse_messy_number(t: &str, locale: NumberLocale) -> Option<f64> {
    let mut s = t;
    let mut negative = false;
    if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        negative = true;
        s = inner.trim();
    }
    let strip_sign = |s: &mut &str, negative: &mut bool| {
        if let Some(r) = s.strip_prefix('-').or_else(|| s.strip_prefix('−')) {
            *negative = !*negative;
            *s = r.trim_start();
        } else if let Some(r) = s.strip_prefix('+') {
            *s = r.trim_start();
        }
    };
    strip_sign(&mut s, &mut negative);
    s = strip_currency(s);
    strip_sign(&mut s, &mut negative);
    let mut scale = 1.0;
    if let Some(r) = s.strip_suffix('%') {
        scale = 0.01;
        s = r.trim_end();
    }
    if let Some(last) = s.chars().last() {
        let multiplier = match last {
            'k' | 'K' => 1e3,
            'm' | 'M' => 1e6,
            'b' | 'B' => 1e9,
            _ => 1.0,
        };
        if multiplier != 1.0 {
            scale *= multiplier;
            s = s[..s.len() - 1].trim_end();
        }
    }
    let (group, decimal) = match locale {
        NumberLocale::DotDecimal => (',', '.'),
        NumberLocale::CommaDecimal => ('.', ','),
    };
    let mut clean = String::with_capacity(s.len());
    let (int_part, frac_part) = match s.find(decimal) {
        Some(i) => (&s[..i], Some(&s[i + decimal.len_utf8()..])),
        None => (s, None),
    };
    let mut groups = int_part.split([group, ' ', '\u{a0}', '\'']);
    clean.push_str(groups.next()?);
    for g in groups {
        if g.len() != 3 {
            return None;
        }
        clean.push_str(g);
    }
    if let Some(frac) = frac_part {
        clean.push('.');
        clean.push_str(frac);
    }
    let valid = clean.bytes().any(|c| c.is_ascii_digit())
        && clean
            .bytes()
            .all(|c| c.is_ascii_digit() || b".eE+-".contains(&c))
        && clean.as_bytes()[0] != b'e'
        && clean.as_bytes()[0] != b'E';
    if !valid {
        return None;
    }
    let v: f64 = clean.parse().ok()?;
    let v = if negative { -v * scale } else { v * scale };
    v.is_finite().then_some(v)
}

fn strip_currency(s: &str) -> &str {
    const SYMBOLS: [&str; 8] = ["US$", "$", "€", "£", "¥", "₹", "USD", "EUR"];
    let mut s = s.trim();
    for sym in SYMBOLS {
        if let Some(r) = s.strip_prefix(sym) {
            s = r.trim_start();
            break;
        }
    }
    for sym in SYMBOLS {
        if let Some(r) = s.strip_suffix(sym) {
            s = r.trim_end();
            break;
        }
    }
    s
}

/// Parses a boolean: `true/false/yes/no/1/0/y/n` (also `t/f`), case-insensitively.
pub fn parse_bool(raw: &str) -> Result<Option<bool>, ValueError> {
    let t = trim_cell(raw);
    const TRUE: [&str; 5] = ["true", "yes", "1", "y", "t"];
    const FALSE: [&str; 5] = ["false", "no", "0", "n", "f"];
    if TRUE.iter().any(|v| t.eq_ignore_ascii_case(v)) {
        Ok(Some(true))
    } else if FALSE.iter().any(|v| t.eq_ignore_ascii_case(v)) {
        Ok(Some(false))
    } else if is_missing(t) {
        Ok(None)
    } else {
        Err(ValueError::NotYesNo)
    }
}

/// Parses a date; a time part, if any, is dropped. See [`super::dates`] for the formats;
/// an ambiguous `03/04/2025` follows `order` (a posts file's date column settles its
/// order from all its values instead: [`super::dates::DateColumn`]). A date without a
/// year is an error here.
pub fn parse_date(raw: &str, order: DateOrder) -> Result<Option<Day>, ValueError> {
    parse_date_time(raw, order).map(|o| o.map(|(day, _)| day))
}

/// Parses a date and time into seconds since 1970 (the local time written in the value:
/// an offset or `Z` does not move it). A date alone is midnight.
pub fn parse_datetime(raw: &str, order: DateOrder) -> Result<Option<Timestamp>, ValueError> {
    parse_date_time(raw, order)
        .map(|o| o.map(|(day, secs)| Timestamp::from(day) * 86_400 + Timestamp::from(secs)))
}

/// `(day, seconds of the day)`.
fn parse_date_time(raw: &str, order: DateOrder) -> Result<Option<(Day, u32)>, ValueError> {
    let Some(cell) = read_cell(raw, order)? else {
        return Ok(None);
    };
    let day = cell.day().ok_or(DateProblem::WithoutYear)?;
    Ok(Some((day, cell.time.unwrap_or(0))))
}

/// The platform key of a name or alias: `instagram|tiktok|youtube|x|facebook|linkedin|
/// pinterest|twitch|snapchat`; unknown names become lowercased trimmed text. `None` when
/// blank.
pub fn platform_key(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    if is_missing(trimmed) {
        return None;
    }
    let compact: String = trimmed
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    const EXACT: [(&str, &str); 14] = [
        ("ig", "instagram"),
        ("insta", "instagram"),
        ("reels", "instagram"),
        ("tt", "tiktok"),
        ("yt", "youtube"),
        ("shorts", "youtube"),
        ("x", "x"),
        ("xcom", "x"),
        ("tweet", "x"),
        ("fb", "facebook"),
        ("meta", "facebook"),
        ("li", "linkedin"),
        ("pin", "pinterest"),
        ("snap", "snapchat"),
    ];
    const PREFIX: [&str; 9] = [
        "instagram",
        "tiktok",
        "youtube",
        "twitter",
        "facebook",
        "linkedin",
        "pinterest",
        "twitch",
        "snapchat",
    ];
    if let Some((_, key)) = EXACT.iter().find(|(alias, _)| *alias == compact) {
        return Some((*key).to_owned());
    }
    if let Some(p) = PREFIX.iter().find(|p| compact.starts_with(*p)) {
        return Some(if *p == "twitter" { "x" } else { p }.to_owned());
    }
    Some(trimmed.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::calendar::parse_iso_day;

    fn num(s: &str) -> Result<Option<f64>, ValueError> {
        parse_number(s, NumberLocale::DotDecimal)
    }

    #[test]
    fn numbers() {
        assert_eq!(num("12,400"), Ok(Some(12_400.0)));
        assert_eq!(num("1.2K"), Ok(Some(1_200.0)));
        assert_eq!(num("475.8m"), Ok(Some(475_800_000.0)));
        assert_eq!(num("29.0b"), Ok(Some(29e9)));
        assert_eq!(num("3.3k"), Ok(Some(3_300.0)));
        assert_eq!(num("1.39%"), Ok(Some(0.0139)));
        assert_eq!(num("NaN%"), Ok(None));
        assert_eq!(num("NaN"), Ok(None));
        assert_eq!(num("  "), Ok(None));
        assert_eq!(num("$1,234.50"), Ok(Some(1_234.5)));
        assert_eq!(num("-$5"), Ok(Some(-5.0)));
        assert_eq!(num("(12)"), Ok(Some(-12.0)));
        assert_eq!(num("-3.5"), Ok(Some(-3.5)));
        assert_eq!(
            parse_number("€1.234,50", NumberLocale::CommaDecimal),
            Ok(Some(1_234.5))
        );
        assert_eq!(
            parse_number("1.200", NumberLocale::CommaDecimal),
            Ok(Some(1_200.0))
        );
        assert!(num("abc").is_err());
        assert!(num("1,5").is_err());
        assert!(num("inf").is_err());
        assert!(num("1.2.3").is_err());
    }

    #[test]
    fn dates() {
        let iso = |s| parse_iso_day(s);
        let d = |s| parse_date(s, DateOrder::MonthFirst).unwrap();
        assert_eq!(d("2025-03-04"), iso("2025-03-04"));
        assert_eq!(d("2025-03-04T10:30:00Z"), iso("2025-03-04"));
        assert_eq!(d("03/04/2025 14:05"), iso("2025-03-04"));
        assert_eq!(d("3/4/2025"), iso("2025-03-04"));
        assert_eq!(d("04.03.2025"), iso("2025-03-04"));
        assert_eq!(d("Mar 4, 2025"), iso("2025-03-04"));
        assert_eq!(d("13/04/2025"), iso("2025-04-13"));
        assert_eq!(
            parse_date("04/03/2025", DateOrder::DayFirst).unwrap(),
            iso("2025-03-04")
        );
        assert_eq!(d(""), None);
        assert!(parse_date("2025-02-30", DateOrder::MonthFirst).is_err());
        assert!(parse_date("soon", DateOrder::MonthFirst).is_err());
        let ts = parse_datetime("03/04/2025 2:05 PM", DateOrder::MonthFirst).unwrap();
        assert_eq!(
            ts,
            Some(i64::from(iso("2025-03-04").unwrap()) * 86_400 + 14 * 3600 + 5 * 60)
        );
        let shopify = parse_datetime("2024-03-05 14:22:10 -0500", DateOrder::MonthFirst);
        assert_eq!(
            shopify,
            Ok(Some(
                i64::from(iso("2024-03-05").unwrap()) * 86_400 + 14 * 3600 + 22 * 60 + 10
            ))
        );
    }

    #[test]
    fn dates_as_a_person_reads_them() {
        let iso = |s| parse_iso_day(s);
        let d = |s| parse_date(s, DateOrder::MonthFirst).map_err(|e| e.to_string());
        assert_eq!(d("Aug 28, 2025"), Ok(iso("2025-08-28")));
        assert_eq!(d("28 Aug 2025"), Ok(iso("2025-08-28")));
        assert_eq!(d("August 28, 2025"), Ok(iso("2025-08-28")));
        assert_eq!(d("8/28/2025 2:05:09 PM"), Ok(iso("2025-08-28")));
        assert_eq!(d("45890"), Ok(iso("2025-08-21")));
        assert_eq!(d("20250821"), Ok(iso("2025-08-21")));
        assert_eq!(d("1755779400"), Ok(iso("2025-08-21")));
        assert_eq!(d("1755779400123"), Ok(iso("2025-08-21")));
        assert_eq!(d("Lifetime"), Ok(None));
        assert_eq!(d("12:15:25"), Err("a time without a date".to_owned()));
        assert_eq!(d("July 16"), Err("a date without a year".to_owned()));
        // The offset does not move the calendar day written in the value.
        assert_eq!(d("2025-03-04 23:30 -0500"), Ok(iso("2025-03-04")));
        assert_eq!(
            parse_datetime("2025-03-04 23:30 -0500", DateOrder::MonthFirst),
            Ok(Some(
                i64::from(iso("2025-03-04").unwrap()) * 86_400 + 23 * 3600 + 30 * 60
            ))
        );
    }

    #[test]
    fn booleans_and_platforms() {
        assert_eq!(parse_bool("Yes"), Ok(Some(true)));
        assert_eq!(parse_bool("n"), Ok(Some(false)));
        assert_eq!(parse_bool(""), Ok(None));
        assert!(parse_bool("maybe").is_err());
        for (alias, key) in [
            ("IG", "instagram"),
            ("Instagram Reels", "instagram"),
            ("insta", "instagram"),
            ("twitter", "x"),
            ("x.com", "x"),
            ("X", "x"),
            ("YT", "youtube"),
            ("Youtube Shorts", "youtube"),
            ("tik tok", "tiktok"),
            ("Snap", "snapchat"),
            (" Mastodon ", "mastodon"),
        ] {
            assert_eq!(platform_key(alias).as_deref(), Some(key), "{alias}");
        }
        assert_eq!(platform_key(" "), None);
    }

    #[test]
    fn fast_trim_and_missing_agree_with_the_full_ones() {
        let cells = [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\u{a0}a",
            "a\u{a0}",
            "\u{3000}x",
            "\x0bx",
            "x\x0c",
            "\x01x\x01",
            "\u{85}n/a",
            "NaN",
            "nan%",
            " n/a ",
            "N/A",
            "-",
            "--",
            "—",
            " — ",
            "none",
            "na",
            "12",
            "-3",
            "nul",
            "x-",
            "\tnull\r",
        ];
        for cell in cells {
            assert_eq!(trim_cell(cell), cell.trim(), "{cell:?}");
            assert_eq!(is_missing(cell), is_missing_slow(cell), "{cell:?}");
        }
    }
}
