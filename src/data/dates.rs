//! Dates as a person reads them: one cell at a time ([`read_cell`]), then a whole date
//! column at once ([`DateColumn`]).
//!
//! A cell is read in the formats real exports use: ISO (`2025-03-04`,
//! `2025-03-04T10:30:00Z`, `2025-03-04 23:30 -0500`), `MM/DD/YYYY` or `DD/MM/YYYY`,
//! `DD.MM.YYYY`, month names (`Aug 28, 2025`, `28 Aug 2025`, `August 28, 2025`), 12-hour
//! times (`3/4/2025 2:05:09 PM`), year-less dates (`July 16`, `16 July`), and numbers:
//! Excel serial days (`45890` = 2025-08-21, 20000–80000), `YYYYMMDD`, epoch seconds (10
//! digits) and milliseconds (13 digits). A time alone (`12:15:25`) is not a date.
//!
//! **Offsets are honoured by ignoring them for the day**: a post is bucketed by its own
//! calendar day, the local date written in the value, so `2025-03-04 23:30 -0500` is
//! March 4 (not March 5 in UTC). Epoch numbers carry no local date and are read in UTC.
//!
//! A column is resolved once all of it is read: the day/month order of `03/04/2025`
//! comes from the other values of the column (one value over 12 settles it), and a
//! year-less date takes its year from the file name's period or, failing that, is the
//! latest year that puts no date of the file after today, crossing New Year in a
//! sorted list.

use super::calendar::{self, day_from_ymd, days_in_month, format_day, ymd_from_day, Day};
use super::error::DateProblem;
use super::ingest::DateOrder;
use super::store::NO_DAY;
use super::values::is_missing;

/// What a date cell says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CellDate {
    /// The day it names.
    pub when: When,
    /// Seconds after midnight, when the cell gives a time.
    pub time: Option<u32>,
}

/// The day of a date cell, and how sure the cell alone is of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    /// A day the cell settles by itself (ISO, a month name, a number, `DD.MM.YYYY`).
    Day(Day),
    /// `a/b/yyyy` with one number over 12: the cell shows the column's order.
    Settles { day: Day, order: DateOrder },
    /// `a/b/yyyy` with both numbers 12 or less (and different): `day` under the
    /// setting, `alt` under the other order.
    Ambiguous { day: Day, alt: Day },
    /// A month and a day without a year (`July 16`).
    YearLess { month: u32, day: u32 },
}

impl CellDate {
    /// The day read with the setting alone (`None` for a year-less date).
    pub fn day(&self) -> Option<Day> {
        match self.when {
            When::Day(day) | When::Settles { day, .. } | When::Ambiguous { day, .. } => Some(day),
            When::YearLess { .. } => None,
        }
    }
}

fn at_day(day: Day) -> CellDate {
    CellDate {
        when: When::Day(day),
        time: None,
    }
}

/// Reads one date cell. `Ok(None)` for a missing value, and for Meta's `Lifetime` (a
/// period, not a date); `Err(problem)` for text that is no date. `order` is the setting
/// for ambiguous `a/b/yyyy` values.
/// A date outside the supported years ([`calendar::YEARS`], 1900-01-01 to 2200-12-31)
/// is an unreadable value whose reason names the range.
pub fn read_cell(raw: &str, order: DateOrder) -> Result<Option<CellDate>, DateProblem> {
    let cell = read_any_year(raw, order)?;
    if let Some(c) = &cell {
        let days = match c.when {
            When::Day(day) | When::Settles { day, .. } => [day, day],
            When::Ambiguous { day, alt } => [day, alt],
            When::YearLess { .. } => return Ok(cell),
        };
        if days.iter().any(|&d| !calendar::in_range(i64::from(d))) {
            return Err(DateProblem::OutOfRange);
        }
    }
    Ok(cell)
}

fn read_any_year(raw: &str, order: DateOrder) -> Result<Option<CellDate>, DateProblem> {
    if let Some(day) = iso_date(raw.as_bytes()) {
        return Ok(Some(at_day(day)));
    }
    let t = raw.trim();
    if is_missing(t) || t.eq_ignore_ascii_case("lifetime") {
        return Ok(None);
    }
    if let Some(read) = numeric_date(t) {
        return read.map(Some);
    }
    let bad = || DateProblem::NotADate;
    let tokens = tokenize(t).ok_or_else(bad)?;
    let mut tk = tokens.as_slice();
    if let [Token::Word { text, .. }, rest @ ..] = tk {
        if is_weekday(text) {
            tk = rest;
        }
    }
    if let [Token::Num { .. }, Token::Num { sep: b':', .. }, ..] = tk {
        return Err(DateProblem::TimeWithoutDate);
    }
    let (when, rest) = match tk {
        [Token::Num {
            value: y,
            digits: 4,
            ..
        }, Token::Num {
            value: m, sep: s1, ..
        }, Token::Num {
            value: d, sep: s2, ..
        }, rest @ ..]
            if is_date_sep(*s1) && is_date_sep(*s2) =>
        {
            (When::Day(ymd(*y as i32, *m, *d)?), rest)
        }
        [Token::Word { text, .. }, Token::Num { value: d, .. }, y @ Token::Num { .. }, rest @ ..]
            if year_of(y, rest).is_some() =>
        {
            let month = month_of_name(text).ok_or_else(bad)?;
            (
                When::Day(ymd(year_of(y, rest).unwrap_or(0), month, *d)?),
                rest,
            )
        }
        [Token::Num { value: d, .. }, Token::Word { text, .. }, y @ Token::Num { .. }, rest @ ..]
            if year_of(y, rest).is_some() =>
        {
            let month = month_of_name(text).ok_or_else(bad)?;
            (
                When::Day(ymd(year_of(y, rest).unwrap_or(0), month, *d)?),
                rest,
            )
        }
        [Token::Num { value: a, .. }, Token::Num { value: b, sep, .. }, y @ Token::Num { sep: s2, .. }, rest @ ..]
            if is_date_sep(*sep) && is_date_sep(*s2) && year_of(y, rest).is_some() =>
        {
            let year = year_of(y, rest).unwrap_or(0);
            let (a, b) = (*a, *b);
            let when = if *sep == b'.' {
                When::Day(ymd(year, b, a)?)
            } else if a > 12 && b <= 12 {
                When::Settles {
                    day: ymd(year, b, a)?,
                    order: DateOrder::DayFirst,
                }
            } else if b > 12 && a <= 12 {
                When::Settles {
                    day: ymd(year, a, b)?,
                    order: DateOrder::MonthFirst,
                }
            } else if a > 12 {
                return Err(DateProblem::NoSuchDate);
            } else if a == b {
                When::Day(ymd(year, a, b)?)
            } else {
                let month_first = ymd(year, a, b)?;
                let day_first = ymd(year, b, a)?;
                match order {
                    DateOrder::MonthFirst => When::Ambiguous {
                        day: month_first,
                        alt: day_first,
                    },
                    DateOrder::DayFirst => When::Ambiguous {
                        day: day_first,
                        alt: month_first,
                    },
                }
            };
            (when, rest)
        }
        [Token::Word { text, .. }, Token::Num {
            value: d, digits, ..
        }, rest @ ..]
            if *digits <= 2 =>
        {
            (year_less(month_of_name(text).ok_or_else(bad)?, *d)?, rest)
        }
        [Token::Num {
            value: d, digits, ..
        }, Token::Word { text, .. }, rest @ ..]
            if *digits <= 2 =>
        {
            (year_less(month_of_name(text).ok_or_else(bad)?, *d)?, rest)
        }
        _ => return Err(bad()),
    };
    let time = parse_time(rest).ok_or(DateProblem::UnreadableTime)?;
    Ok(Some(CellDate { when, time }))
}

fn ymd(year: i32, month: u32, day: u32) -> Result<Day, DateProblem> {
    day_from_ymd(year, month, day).ok_or(DateProblem::NoSuchDate)
}

fn year_less(month: u32, day: u32) -> Result<When, DateProblem> {
    if day == 0 || day > days_in_month(2000, month) {
        return Err(DateProblem::NoSuchDate);
    }
    Ok(When::YearLess { month, day })
}

fn is_date_sep(sep: u8) -> bool {
    matches!(sep, b'-' | b'/' | b'.' | b' ')
}

/// The year a number token gives: four digits, or two digits (20xx) that are not the
/// hour of a time that follows (`Jul 16 10:30`).
fn year_of(token: &Token<'_>, rest: &[Token<'_>]) -> Option<i32> {
    let Token::Num { value, digits, .. } = *token else {
        return None;
    };
    let hour_next = matches!(rest.first(), Some(Token::Num { sep: b':', .. }));
    match digits {
        4 => Some(value as i32),
        2 if !hour_next => Some(2000 + value as i32),
        _ => None,
    }
}

/// Fast path: exactly `YYYY-MM-DD`, the shape of nearly every date of a big export
/// (`None` for anything else, including an impossible date, which the general parser
/// then reports).
fn iso_date(b: &[u8]) -> Option<Day> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    day_from_ymd(num(0..4)? as i32, num(5..7)?, num(8..10)?)
}

/// Excel's serial day of 1970-01-01 (1900 date system).
const EXCEL_EPOCH: i64 = 25_569;

/// A cell that is only a number (digits, an optional fraction): `Some(read)`, else
/// `None` (not a number: the text parser reads it).
fn numeric_date(t: &str) -> Option<Result<CellDate, DateProblem>> {
    let (int, frac) = match t.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (t, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
    if !digits(int) || frac.is_some_and(|f| !digits(f)) {
        return None;
    }
    let not_date = || Err(DateProblem::NumberNotADate);
    let n: i64 = match int.parse() {
        Ok(n) => n,
        Err(_) => return Some(not_date()),
    };
    let epoch = |secs: i64| CellDate {
        when: When::Day(calendar::saturate(secs.div_euclid(86_400))),
        time: Some(secs.rem_euclid(86_400) as u32),
    };
    Some(match (int.len(), frac) {
        (8, None) => {
            let (y, m, d) = (n / 10_000, (n / 100 % 100) as u32, (n % 100) as u32);
            let year = i32::try_from(y).unwrap_or(i32::MAX);
            match day_from_ymd(year, m, d).filter(|_| calendar::YEARS.contains(&year)) {
                Some(day) => Ok(at_day(day)),
                None => not_date(),
            }
        }
        (10, None) => Ok(epoch(n)),
        (13, None) => Ok(epoch(n.div_euclid(1000))),
        (5, _) if (20_000..=80_000).contains(&n) => {
            let fraction: f64 = frac.map_or(0.0, |f| format!("0.{f}").parse().unwrap_or(0.0));
            let secs = (fraction * 86_400.0).round().min(86_399.0) as u32;
            Ok(CellDate {
                when: When::Day((n - EXCEL_EPOCH) as Day),
                time: frac.map(|_| secs),
            })
        }
        _ => not_date(),
    })
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Token<'a> {
    Num { value: u32, digits: usize, sep: u8 },
    Word { text: &'a str, sep: u8 },
}

impl Token<'_> {
    fn sep(&self) -> u8 {
        match *self {
            Token::Num { sep, .. } | Token::Word { sep, .. } => sep,
        }
    }
}

/// Splits into runs of digits and runs of letters; `sep` is the last non-space
/// separator before the token (b' ' when only spaces, 0 at the start).
fn tokenize(s: &str) -> Option<Vec<Token<'_>>> {
    let b = s.as_bytes();
    let mut tokens = Vec::with_capacity(8);
    let mut i = 0;
    let mut sep = 0u8;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            let digits = i - start;
            if digits > 9 {
                return None;
            }
            let value = s[start..i].parse().ok()?;
            tokens.push(Token::Num { value, digits, sep });
            sep = 0;
        } else if c == b'T' && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
            sep = c;
            i += 1;
        } else if c.is_ascii_alphabetic() {
            let start = i;
            while i < b.len() && b[i].is_ascii_alphabetic() {
                i += 1;
            }
            tokens.push(Token::Word {
                text: &s[start..i],
                sep,
            });
            sep = 0;
        } else if c == b' ' || c == b',' {
            if sep == 0 {
                sep = b' ';
            }
            i += 1;
        } else if b"-/.:+".contains(&c) {
            sep = c;
            i += 1;
        } else {
            return None;
        }
    }
    Some(tokens)
}

/// The month of an English name or its abbreviation of 3+ letters (`Aug`, `Sept`,
/// `August`); a longer word that merely starts like one (`Marketing`) is not a month.
pub fn month_of_name(word: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let lower = word.to_ascii_lowercase();
    if lower == "sept" {
        return Some(9);
    }
    if lower.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(&lower))
        .map(|i| i as u32 + 1)
}

fn is_weekday(word: &str) -> bool {
    const DAYS: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    let lower = word.to_ascii_lowercase();
    lower.len() >= 3 && DAYS.iter().any(|d| d.starts_with(&lower))
}

/// The time after a date: `HH:MM[:SS[.fff]] [AM|PM] [Z|UTC|GMT|±HHMM|±HH:MM]`, or
/// nothing (`Some(None)`); `None` when unreadable. The zone is ignored (see the module
/// doc: a post keeps its own calendar day).
fn parse_time(tokens: &[Token<'_>]) -> Option<Option<u32>> {
    let mut time = None;
    let mut rest = tokens;
    if let [Token::Num { value: h, .. }, Token::Num {
        value: m,
        sep: b':',
        ..
    }, tail @ ..] = rest
    {
        let (s, tail) = match tail {
            [Token::Num {
                value: s,
                sep: b':',
                ..
            }, tail @ ..] => (*s, tail),
            _ => (0, tail),
        };
        let tail = match tail {
            [Token::Num { sep: b'.', .. }, t @ ..] => t,
            _ => tail,
        };
        let mut hour = *h;
        rest = tail;
        if let [Token::Word { text, .. }, t @ ..] = rest {
            if text.eq_ignore_ascii_case("pm") && hour < 12 {
                hour += 12;
                rest = t;
            } else if text.eq_ignore_ascii_case("pm") {
                rest = t;
            } else if text.eq_ignore_ascii_case("am") {
                if hour == 12 {
                    hour = 0;
                }
                rest = t;
            }
        }
        if hour > 23 || *m > 59 || s > 60 {
            return None;
        }
        time = Some(hour * 3600 + m * 60 + s.min(59));
    }
    let zone_ok = rest.iter().all(|t| match *t {
        Token::Word { text, .. } => ["z", "utc", "gmt"]
            .iter()
            .any(|z| text.eq_ignore_ascii_case(z)),
        Token::Num { .. } => matches!(t.sep(), b'+' | b'-' | b':'),
    });
    zone_ok.then_some(time)
}

/// The dates a file name gives (`Aug-01-2025_Oct-31-2025_…`, `2025-08-01_2025-10-31`,
/// `01-Aug-2025`, `20250801`), in the order they appear.
pub fn dates_in_name(name: &str) -> Vec<Day> {
    let mut runs: Vec<&str> = Vec::new();
    let b = name.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let start = i;
        let digit = b[i].is_ascii_digit();
        while i < b.len() && b[i].is_ascii_alphanumeric() && b[i].is_ascii_digit() == digit {
            i += 1;
        }
        if i > start {
            runs.push(&name[start..i]);
        } else {
            i += 1;
        }
    }
    let num = |s: &str, lens: &[usize]| -> Option<u32> {
        (lens.contains(&s.len()) && s.bytes().all(|c| c.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let plausible = |y: u32| (1990..=2100).contains(&y);
    let mut found = Vec::new();
    let mut k = 0;
    while k < runs.len() {
        let w = |j: usize| runs.get(k + j).copied().unwrap_or("");
        let date = if let Some(n) = num(w(0), &[8]) {
            plausible(n / 10_000)
                .then(|| day_from_ymd((n / 10_000) as i32, n / 100 % 100, n % 100))
                .flatten()
                .map(|d| (d, 1))
        } else if let (Some(y), Some(m), Some(d)) =
            (num(w(0), &[4]), num(w(1), &[1, 2]), num(w(2), &[1, 2]))
        {
            plausible(y)
                .then(|| day_from_ymd(y as i32, m, d))
                .flatten()
                .map(|d| (d, 3))
        } else if let (Some(m), Some(d), Some(y)) =
            (month_of_name(w(0)), num(w(1), &[1, 2]), num(w(2), &[4]))
        {
            plausible(y)
                .then(|| day_from_ymd(y as i32, m, d))
                .flatten()
                .map(|d| (d, 3))
        } else if let (Some(d), Some(m), Some(y)) =
            (num(w(0), &[1, 2]), month_of_name(w(1)), num(w(2), &[4]))
        {
            plausible(y)
                .then(|| day_from_ymd(y as i32, m, d))
                .flatten()
                .map(|d| (d, 3))
        } else {
            None
        };
        match date {
            Some((day, width)) => {
                found.push(day);
                k += width;
            }
            None => k += 1,
        }
    }
    found
}

/// Where the year of a year-less date comes from: the newest day it may be.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
enum Bound {
    /// The period in the file name.
    Period(Day, Day),
    /// One date in the file name (the export's day).
    NameDay(Day),
    /// Today (the UI's clock; tests give a fixed day).
    Today(Day),
}

impl Bound {
    fn newest(self) -> Day {
        match self {
            Bound::Period(_, end) => end,
            Bound::NameDay(d) | Bound::Today(d) => d,
        }
    }

    /// Why the years are what they are, for the notice.
    fn why(self, plural: bool) -> String {
        let (years, put) = if plural {
            ("years", "put")
        } else {
            ("year", "puts")
        };
        match self {
            Bound::Period(a, b) => format!(
                "from the period in the file name ({} to {})",
                format_day(a),
                format_day(b)
            ),
            Bound::NameDay(d) => format!(
                "the latest {years} that {put} no date after the date in the file name ({})",
                format_day(d)
            ),
            Bound::Today(d) => format!(
                "the latest {years} that {put} no date after today ({})",
                format_day(d)
            ),
        }
    }
}

/// `1 date has`, `3 dates have`.
fn dates_have(n: usize) -> String {
    if n == 1 {
        "1 date has".to_owned()
    } else {
        format!("{n} dates have")
    }
}

/// The latest day with this month and day that is not after `bound` (a February 29
/// goes back to a leap year).
fn latest_not_after(month: u32, day: u32, bound: Day) -> Option<Day> {
    let (by, bm, bd) = ymd_from_day(bound);
    let mut year = if (month, day) <= (bm, bd) { by } else { by - 1 };
    for _ in 0..8 {
        if let Some(d) = day_from_ymd(year, month, day) {
            return Some(d);
        }
        year -= 1;
    }
    None
}

/// A posts file's date column, read cell by cell and resolved once it is whole.
///
/// Rows are the indices of the staged rows. A row read again under the same index (the
/// previous one was rejected after its date was read) replaces it.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct DateColumn {
    setting: DateOrder,
    bound: Option<Bound>,
    /// Values that settle day-first / month-first, and one example of each.
    settled: [usize; 2],
    settled_example: [String; 2],
    /// `(row, day under the other order)` of the ambiguous values.
    ambiguous: Vec<(u32, Day)>,
    ambiguous_example: String,
    /// `(row, month, day)` of the year-less values.
    year_less: Vec<(u32, u8, u8)>,
    year_less_example: String,
    /// The last cell read as a plain day, and its day and time: the next row of a
    /// date-sorted file has the same text (a cell read as a day has no other effect).
    #[serde(skip)]
    last_day: Option<(String, Day, Option<u32>)>,
}

fn order_index(order: DateOrder) -> usize {
    match order {
        DateOrder::DayFirst => 0,
        DateOrder::MonthFirst => 1,
    }
}

impl DateColumn {
    /// A column of the file `file_name`, read with the day/month `setting`; `today`
    /// bounds year-less dates when the file name gives no date.
    pub fn new(setting: DateOrder, file_name: &str, today: Option<Day>) -> DateColumn {
        let in_name = dates_in_name(file_name);
        let bound = match (in_name.iter().min(), in_name.iter().max()) {
            (Some(&a), Some(&b)) if a < b => Some(Bound::Period(a, b)),
            (Some(&a), _) => Some(Bound::NameDay(a)),
            _ => today.map(Bound::Today),
        };
        DateColumn {
            setting,
            bound,
            settled: [0; 2],
            settled_example: Default::default(),
            ambiguous: Vec::new(),
            ambiguous_example: String::new(),
            year_less: Vec::new(),
            year_less_example: String::new(),
            last_day: None,
        }
    }

    /// Reads the cell of staged row `row`: the day read so far (ambiguous values with
    /// the setting, year-less ones with the year of their own bound; `None` when
    /// missing or when nothing tells the year) and the time of day.
    pub fn read(
        &mut self,
        row: usize,
        raw: &str,
    ) -> Result<(Option<Day>, Option<u32>), DateProblem> {
        // Row indices are kept as `u32` (half the memory of a big ambiguous column).
        let row = u32::try_from(row).unwrap_or(u32::MAX);
        if self.ambiguous.last().is_some_and(|&(r, _)| r >= row) {
            self.ambiguous.retain(|&(r, _)| r < row);
        }
        if self.year_less.last().is_some_and(|&(r, _, _)| r >= row) {
            self.year_less.retain(|&(r, _, _)| r < row);
        }
        if let Some((text, day, time)) = &self.last_day {
            if text == raw {
                return Ok((Some(*day), *time));
            }
        }
        let Some(cell) = read_cell(raw, self.setting)? else {
            return Ok((None, None));
        };
        let day = match cell.when {
            When::Day(day) => {
                let last = self.last_day.get_or_insert_with(Default::default);
                last.0.clear();
                last.0.push_str(raw);
                (last.1, last.2) = (day, cell.time);
                Some(day)
            }
            When::Settles { day, order } => {
                let k = order_index(order);
                self.settled[k] += 1;
                if self.settled_example[k].is_empty() {
                    self.settled_example[k] = raw.trim().to_owned();
                }
                Some(day)
            }
            When::Ambiguous { day, alt } => {
                self.ambiguous.push((row, alt));
                if self.ambiguous_example.is_empty() {
                    self.ambiguous_example = raw.trim().to_owned();
                }
                Some(day)
            }
            When::YearLess { month, day } => {
                self.year_less.push((row, month as u8, day as u8));
                if self.year_less_example.is_empty() {
                    self.year_less_example = raw.trim().to_owned();
                }
                self.bound
                    .and_then(|b| latest_not_after(month, day, b.newest()))
            }
        };
        Ok((day, cell.time))
    }

    /// Appends the column of the next byte range of the same file ([`super::split`]),
    /// read as if it went on from this one's `rows` staged rows: as one column read
    /// whole would be.
    pub fn absorb(&mut self, later: DateColumn, rows: usize) {
        let rows = u32::try_from(rows).unwrap_or(u32::MAX);
        // Entries at `rows` or past it were of rejected rows: a later read replaces them.
        self.ambiguous.retain(|&(r, _)| r < rows);
        self.year_less.retain(|&(r, _, _)| r < rows);
        for k in 0..2 {
            self.settled[k] += later.settled[k];
            if self.settled_example[k].is_empty() {
                self.settled_example[k] = later.settled_example[k].clone();
            }
        }
        let shift = |r: u32| r.saturating_add(rows);
        self.ambiguous
            .extend(later.ambiguous.iter().map(|&(r, alt)| (shift(r), alt)));
        self.year_less
            .extend(later.year_less.iter().map(|&(r, m, d)| (shift(r), m, d)));
        if self.ambiguous_example.is_empty() {
            self.ambiguous_example = later.ambiguous_example;
        }
        if self.year_less_example.is_empty() {
            self.year_less_example = later.year_less_example;
        }
    }

    /// Settles the column: switches the ambiguous rows when the column proved the other
    /// order, and gives the year-less rows their years. `days` are the staged rows'
    /// days ([`NO_DAY`] = undated). Returns the notices for the file report.
    pub fn resolve(&mut self, days: &mut [Day]) -> Vec<String> {
        let mut notices = Vec::new();
        self.ambiguous.retain(|&(r, _)| (r as usize) < days.len());
        self.year_less
            .retain(|&(r, _, _)| (r as usize) < days.len());
        if !self.ambiguous.is_empty() {
            notices.push(self.resolve_order(days));
        } else if self.settled[0] > 0 && self.settled[1] > 0 {
            notices.push(self.mixed_orders());
        }
        if !self.year_less.is_empty() {
            notices.push(self.resolve_years(days));
        }
        notices
    }

    fn mixed_orders(&self) -> String {
        format!(
            "the dates mix day/month ({}) and month/day ({}) orders: each was read in the order it shows",
            self.settled_example[0], self.settled_example[1]
        )
    }

    fn resolve_order(&self, days: &mut [Day]) -> String {
        let n = self.ambiguous.len();
        let example = &self.ambiguous_example;
        let name = |o: DateOrder| match o {
            DateOrder::DayFirst => "day/month",
            DateOrder::MonthFirst => "month/day",
        };
        let proved = match self.settled {
            [0, 0] => None,
            [_, 0] => Some(DateOrder::DayFirst),
            [0, _] => Some(DateOrder::MonthFirst),
            _ => {
                return format!(
                    "{}; {n} ambiguous dates such as {example} were read as {} (the setting)",
                    self.mixed_orders(),
                    name(self.setting)
                )
            }
        };
        match proved {
            None => format!(
                "dates like {example} are ambiguous: read as {} (the setting); {n} dates of the file could be read either way",
                name(self.setting)
            ),
            Some(order) => {
                let shown = &self.settled_example[order_index(order)];
                if order != self.setting {
                    for &(r, alt) in &self.ambiguous {
                        days[r as usize] = alt;
                    }
                }
                format!(
                    "dates like {example} were read as {}, the order that {shown} in the same column shows",
                    name(order)
                )
            }
        }
    }

    fn resolve_years(&self, days: &mut [Day]) -> String {
        let n = self.year_less.len();
        let example = &self.year_less_example;
        let Some(bound) = self.bound else {
            return format!(
                "{} no year (such as {example}) and neither the file name nor today's date tells it: those rows load undated",
                dates_have(n)
            );
        };
        let newest = bound.newest();
        let resolved = self
            .sorted_years(newest)
            .unwrap_or_else(|| self.independent_years(newest));
        let mut years: Vec<i32> = Vec::new();
        for (&(r, _, _), &day) in self.year_less.iter().zip(&resolved) {
            days[r as usize] = day;
            if day != NO_DAY {
                let y = ymd_from_day(day).0;
                if !years.contains(&y) {
                    years.push(y);
                }
            }
        }
        years.sort_unstable();
        let years = match years.as_slice() {
            [] => "no year".to_owned(),
            [y] => y.to_string(),
            [first @ .., last] => format!(
                "{} and {last}",
                first
                    .iter()
                    .map(i32::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        format!(
            "{} no year (such as {example}): read in {years}, {}",
            dates_have(n),
            bound.why(years.contains(" and "))
        )
    }

    /// Each value on its own: the latest day not after `newest`.
    fn independent_years(&self, newest: Day) -> Vec<Day> {
        self.year_less
            .iter()
            .map(|&(_, m, d)| {
                latest_not_after(u32::from(m), u32::from(d), newest).unwrap_or(NO_DAY)
            })
            .collect()
    }

    /// A list sorted in time (newest first, or oldest first): the years that keep it
    /// sorted across New Year, the newest value the latest not after `newest`. `None`
    /// when the values are not sorted (every step within half a year, one way).
    fn sorted_years(&self, newest: Day) -> Option<Vec<Day>> {
        let ordinal = |m: u8, d: u8| -> i32 {
            day_from_ymd(2000, u32::from(m), u32::from(d)).unwrap_or(0)
                - day_from_ymd(2000, 1, 1).unwrap_or(0)
        };
        let ords: Vec<i32> = self
            .year_less
            .iter()
            .map(|&(_, m, d)| ordinal(m, d))
            .collect();
        let (mut forward, mut backward) = (0, 0);
        for w in ords.windows(2) {
            match (w[1] - w[0]).rem_euclid(366) {
                0 => {}
                step if step < 183 => forward += 1,
                _ => backward += 1,
            }
        }
        if forward > 0 && backward > 0 || forward + backward == 0 {
            return None;
        }
        let ascending = forward > 0;
        // Year offsets relative to the first value.
        let mut offsets = Vec::with_capacity(ords.len());
        let mut offset = 0i32;
        for (i, &o) in ords.iter().enumerate() {
            if i > 0 {
                let prev = ords[i - 1];
                if ascending && o < prev {
                    offset += 1;
                } else if !ascending && o > prev {
                    offset -= 1;
                }
            }
            offsets.push(offset);
        }
        let newest_at = if ascending { ords.len() - 1 } else { 0 };
        let (_, m, d) = self.year_less[newest_at];
        let first_newest = latest_not_after(u32::from(m), u32::from(d), newest)?;
        let top_year = ymd_from_day(first_newest).0;
        // The newest value's year, going back when a February 29 needs a leap year.
        for year in (top_year - 8..=top_year).rev() {
            let base = year - offsets[newest_at];
            let days: Option<Vec<Day>> = self
                .year_less
                .iter()
                .zip(&offsets)
                .map(|(&(_, m, d), &off)| day_from_ymd(base + off, u32::from(m), u32::from(d)))
                .collect();
            if let Some(days) = days.filter(|ds| ds.iter().all(|&x| x <= newest)) {
                return Some(days);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::calendar::parse_iso_day;

    fn iso(s: &str) -> Day {
        parse_iso_day(s).unwrap()
    }

    fn day_of(raw: &str) -> Option<Day> {
        read_cell(raw, DateOrder::MonthFirst)
            .unwrap()
            .and_then(|c| c.day())
    }

    #[test]
    fn month_names_and_twelve_hour_times() {
        for raw in [
            "Aug 28, 2025",
            "28 Aug 2025",
            "August 28, 2025",
            "Thu, Aug 28, 2025",
            "Sept 28, 2025",
        ] {
            let want = if raw.starts_with("Sept") {
                "2025-09-28"
            } else {
                "2025-08-28"
            };
            assert_eq!(day_of(raw), Some(iso(want)), "{raw}");
        }
        let c = read_cell("8/28/2025 2:05:09 PM", DateOrder::MonthFirst)
            .unwrap()
            .unwrap();
        assert_eq!(c.day(), Some(iso("2025-08-28")));
        assert_eq!(c.time, Some(14 * 3600 + 5 * 60 + 9));
        let c = read_cell("8/28/2025 12:30:00 AM", DateOrder::MonthFirst)
            .unwrap()
            .unwrap();
        assert_eq!(c.time, Some(30 * 60));
        assert!(read_cell("Marketing 4, 2025", DateOrder::MonthFirst).is_err());
    }

    #[test]
    fn offsets_keep_the_written_calendar_day() {
        let c = read_cell("2025-03-04 23:30 -0500", DateOrder::MonthFirst)
            .unwrap()
            .unwrap();
        assert_eq!(c.day(), Some(iso("2025-03-04")));
        assert_eq!(c.time, Some(23 * 3600 + 30 * 60));
        let c = read_cell("2025-03-04T10:30:00Z", DateOrder::MonthFirst)
            .unwrap()
            .unwrap();
        assert_eq!((c.day(), c.time), (Some(iso("2025-03-04")), Some(37_800)));
        let c = read_cell("2025-03-04T00:15:00.000+05:30", DateOrder::MonthFirst)
            .unwrap()
            .unwrap();
        assert_eq!((c.day(), c.time), (Some(iso("2025-03-04")), Some(900)));
        // X writes `+0000`.
        assert_eq!(day_of("2025-03-04 16:02 +0000"), Some(iso("2025-03-04")));
        // A date alone has no time.
        assert_eq!(
            read_cell("2025-03-04", DateOrder::MonthFirst)
                .unwrap()
                .unwrap()
                .time,
            None
        );
    }

    #[test]
    fn a_time_alone_is_not_a_date() {
        for raw in ["12:15:25", "12:15", "2:05 PM", "12:15:25.5"] {
            assert_eq!(
                read_cell(raw, DateOrder::MonthFirst).map_err(|e| e.to_string()),
                Err("a time without a date".to_owned()),
                "{raw}"
            );
        }
    }

    #[test]
    fn numbers_as_dates() {
        // 45890 − 25569 (Excel's serial of 1970-01-01) = 20321 days = 2025-08-21.
        assert_eq!(day_of("45890"), Some(iso("2025-08-21")));
        let c = read_cell("45890.75", DateOrder::MonthFirst)
            .unwrap()
            .unwrap();
        assert_eq!(
            (c.day(), c.time),
            (Some(iso("2025-08-21")), Some(18 * 3600))
        );
        assert_eq!(day_of("20250821"), Some(iso("2025-08-21")));
        // 1755779400 s = 20321 days × 86400 + 45000 s (12:30 UTC).
        let c = read_cell("1755779400", DateOrder::MonthFirst)
            .unwrap()
            .unwrap();
        assert_eq!((c.day(), c.time), (Some(iso("2025-08-21")), Some(45_000)));
        assert_eq!(day_of("1755779400123"), Some(iso("2025-08-21")));
        for raw in ["12345", "99999", "20251341", "123", "12.5", "450000"] {
            assert!(read_cell(raw, DateOrder::MonthFirst).is_err(), "{raw}");
        }
    }

    #[test]
    fn lifetime_is_no_date() {
        assert_eq!(read_cell("Lifetime", DateOrder::MonthFirst), Ok(None));
        assert_eq!(read_cell(" - ", DateOrder::MonthFirst), Ok(None));
    }

    #[test]
    fn cells_classify_their_order() {
        let when = |raw| read_cell(raw, DateOrder::MonthFirst).unwrap().unwrap().when;
        assert_eq!(
            when("25/04/2025"),
            When::Settles {
                day: iso("2025-04-25"),
                order: DateOrder::DayFirst
            }
        );
        assert_eq!(
            when("04/25/2025"),
            When::Settles {
                day: iso("2025-04-25"),
                order: DateOrder::MonthFirst
            }
        );
        assert_eq!(
            when("03/04/2025"),
            When::Ambiguous {
                day: iso("2025-03-04"),
                alt: iso("2025-04-03")
            }
        );
        assert_eq!(
            read_cell("03/04/2025", DateOrder::DayFirst)
                .unwrap()
                .unwrap()
                .when,
            When::Ambiguous {
                day: iso("2025-04-03"),
                alt: iso("2025-03-04")
            }
        );
        assert_eq!(when("04/04/2025"), When::Day(iso("2025-04-04")));
        assert_eq!(when("04.03.2025"), When::Day(iso("2025-03-04")));
        assert_eq!(when("July 16"), When::YearLess { month: 7, day: 16 });
        assert_eq!(when("Jul 16"), When::YearLess { month: 7, day: 16 });
        assert_eq!(when("16 July"), When::YearLess { month: 7, day: 16 });
        assert_eq!(when("Feb 29"), When::YearLess { month: 2, day: 29 });
        let c = read_cell("Jul 16 10:30", DateOrder::MonthFirst)
            .unwrap()
            .unwrap();
        assert_eq!(
            (c.when, c.time),
            (When::YearLess { month: 7, day: 16 }, Some(37_800))
        );
        assert!(read_cell("Feb 30", DateOrder::MonthFirst).is_err());
        assert!(read_cell("13/13/2025", DateOrder::MonthFirst).is_err());
    }

    fn column(
        raws: &[&str],
        order: DateOrder,
        name: &str,
        today: Option<&str>,
    ) -> (Vec<String>, Vec<String>) {
        let mut col = DateColumn::new(order, name, today.map(iso));
        let mut days: Vec<Day> = raws
            .iter()
            .enumerate()
            .map(|(i, raw)| col.read(i, raw).unwrap().0.unwrap_or(NO_DAY))
            .collect();
        let notices = col.resolve(&mut days);
        let shown = days
            .iter()
            .map(|&d| {
                if d == NO_DAY {
                    "-".to_owned()
                } else {
                    format_day(d)
                }
            })
            .collect();
        (shown, notices)
    }

    #[test]
    fn a_value_over_twelve_settles_the_column() {
        let (days, notices) = column(
            &["03/04/2025", "25/04/2025", "01/02/2025"],
            DateOrder::MonthFirst,
            "f.csv",
            None,
        );
        assert_eq!(days, ["2025-04-03", "2025-04-25", "2025-02-01"]);
        assert_eq!(notices, ["dates like 03/04/2025 were read as day/month, the order that 25/04/2025 in the same column shows"]);
        let (days, _) = column(
            &["03/04/2025", "04/25/2025"],
            DateOrder::DayFirst,
            "f.csv",
            None,
        );
        assert_eq!(days, ["2025-03-04", "2025-04-25"]);
        // The setting already matches: nothing switches.
        let (days, _) = column(
            &["03/04/2025", "04/25/2025"],
            DateOrder::MonthFirst,
            "f.csv",
            None,
        );
        assert_eq!(days, ["2025-03-04", "2025-04-25"]);
    }

    #[test]
    fn an_ambiguous_column_follows_the_setting_and_says_so() {
        let (days, notices) = column(
            &["03/04/2025", "05/06/2025"],
            DateOrder::MonthFirst,
            "f.csv",
            None,
        );
        assert_eq!(days, ["2025-03-04", "2025-05-06"]);
        assert_eq!(notices, ["dates like 03/04/2025 are ambiguous: read as month/day (the setting); 2 dates of the file could be read either way"]);
        let (days, _) = column(&["03/04/2025"], DateOrder::DayFirst, "f.csv", None);
        assert_eq!(days, ["2025-04-03"]);
        // A column that shows both orders keeps the setting for the ambiguous values.
        let (days, notices) = column(
            &["03/04/2025", "25/04/2025", "04/25/2025"],
            DateOrder::MonthFirst,
            "f.csv",
            None,
        );
        assert_eq!(days, ["2025-03-04", "2025-04-25", "2025-04-25"]);
        assert!(
            notices[0]
                .starts_with("the dates mix day/month (25/04/2025) and month/day (04/25/2025)"),
            "{notices:?}"
        );
    }

    #[test]
    fn a_rejected_row_read_again_under_its_index_is_replaced() {
        let mut col = DateColumn::new(DateOrder::MonthFirst, "f.csv", None);
        col.read(0, "03/04/2025").unwrap(); // this row is then rejected…
        let mut days = vec![col.read(0, "2025-01-01").unwrap().0.unwrap()]; // …row 0 again
        days.push(col.read(1, "25/04/2025").unwrap().0.unwrap());
        col.resolve(&mut days);
        assert_eq!(days[0], iso("2025-01-01"));
    }

    #[test]
    fn file_names_give_periods() {
        assert_eq!(
            dates_in_name("Aug-01-2025_Oct-31-2025_1234567.csv"),
            [iso("2025-08-01"), iso("2025-10-31")]
        );
        assert_eq!(
            dates_in_name("overview 2025-08-01_2025-10-31.csv"),
            [iso("2025-08-01"), iso("2025-10-31")]
        );
        assert_eq!(
            dates_in_name("content_20250801-20251031.xlsx"),
            [iso("2025-08-01"), iso("2025-10-31")]
        );
        assert_eq!(
            dates_in_name("01-Aug-2025 to 31 October 2025.csv"),
            [iso("2025-08-01"), iso("2025-10-31")]
        );
        assert_eq!(dates_in_name("Marketing 12 2025.csv"), Vec::<Day>::new());
        assert_eq!(dates_in_name("Content.csv"), Vec::<Day>::new());
    }

    #[test]
    fn year_less_dates_take_the_file_name_period() {
        let (days, notices) = column(
            &["July 16", "Aug 2", "Oct 31"],
            DateOrder::MonthFirst,
            "Aug-01-2025_Oct-31-2025_export.csv",
            Some("2026-03-01"),
        );
        assert_eq!(days, ["2025-07-16", "2025-08-02", "2025-10-31"]);
        assert_eq!(notices, ["3 dates have no year (such as July 16): read in 2025, from the period in the file name (2025-08-01 to 2025-10-31)"]);
        // A period across New Year.
        let (days, _) = column(
            &["Jan 5", "Dec 3", "Nov 1"],
            DateOrder::MonthFirst,
            "2024-11-01_2025-02-28.csv",
            None,
        );
        assert_eq!(days, ["2025-01-05", "2024-12-03", "2024-11-01"]);
    }

    #[test]
    fn year_less_dates_cross_new_year_before_today() {
        // Newest first, today 2026-01-10: Jan 3 is 2026, Dec 28 the year before.
        let (days, notices) = column(
            &["Jan 3", "Dec 28", "Dec 20"],
            DateOrder::MonthFirst,
            "Content.csv",
            Some("2026-01-10"),
        );
        assert_eq!(days, ["2026-01-03", "2025-12-28", "2025-12-20"]);
        assert_eq!(notices, ["3 dates have no year (such as Jan 3): read in 2025 and 2026, the latest years that put no date after today (2026-01-10)"]);
        // Today before Jan 3: the sorted list puts Jan 3 in 2025 and Dec 28 in 2024.
        let (days, _) = column(
            &["Jan 3", "Dec 28"],
            DateOrder::MonthFirst,
            "Content.csv",
            Some("2026-01-02"),
        );
        assert_eq!(days, ["2025-01-03", "2024-12-28"]);
        // An ascending account-day list.
        let (days, _) = column(
            &["Dec 30", "Dec 31", "Jan 1"],
            DateOrder::MonthFirst,
            "Overview.csv",
            Some("2026-01-01"),
        );
        assert_eq!(days, ["2025-12-30", "2025-12-31", "2026-01-01"]);
        // Over more than a year: the sorted list gives each wrap its year.
        let (days, _) = column(
            &["Nov 1", "Feb 1", "Jun 1", "Oct 1", "Jan 1", "Jul 1"],
            DateOrder::MonthFirst,
            "x.csv",
            Some("2026-07-02"),
        );
        assert_eq!(
            days,
            [
                "2024-11-01",
                "2025-02-01",
                "2025-06-01",
                "2025-10-01",
                "2026-01-01",
                "2026-07-01"
            ]
        );
        // Unsorted (a list by views): each value on its own.
        let (days, _) = column(
            &["Mar 1", "Dec 1", "Jan 5", "Nov 2"],
            DateOrder::MonthFirst,
            "x.csv",
            Some("2026-02-01"),
        );
        assert_eq!(
            days,
            ["2025-03-01", "2025-12-01", "2026-01-05", "2025-11-02"]
        );
        // A leap day goes back to a leap year.
        let (days, _) = column(
            &["Feb 29"],
            DateOrder::MonthFirst,
            "x.csv",
            Some("2026-03-01"),
        );
        assert_eq!(days, ["2024-02-29"]);
    }

    #[test]
    fn year_less_dates_without_context_load_undated() {
        let (days, notices) = column(
            &["July 16", "2025-01-01"],
            DateOrder::MonthFirst,
            "Content.csv",
            None,
        );
        assert_eq!(days, ["-", "2025-01-01"]);
        assert_eq!(notices, ["1 date has no year (such as July 16) and neither the file name nor today's date tells it: those rows load undated"]);
        // One date in the name bounds them like today.
        let (days, _) = column(
            &["Dec 30", "Jan 2"],
            DateOrder::MonthFirst,
            "export_2026-01-05.csv",
            None,
        );
        assert_eq!(days, ["2025-12-30", "2026-01-02"]);
    }
}
