//! Money in its own currency: the ISO code a file states (a `Currency` column, a symbol
//! or a code beside an amount), the workspace's currency, and the rule that two
//! currencies are never summed as one: an amount in another currency is converted with
//! a rate the user gave, or left out (absent) with a reason.

use super::schema::Measure;
use super::store::Posts;

/// The measures that are amounts of money.
pub const MONEY: [Measure; 2] = [Measure::Revenue, Measure::Cost];

/// Symbols and codes written beside amounts, with their ISO code (longest first, so
/// that `US$` wins over `$`). A bare `$` is read as US dollars.
const MARKS: [(&str, &str); 18] = [
    ("US$", "USD"),
    ("CA$", "CAD"),
    ("AU$", "AUD"),
    ("A$", "AUD"),
    ("R$", "BRL"),
    ("USD", "USD"),
    ("EUR", "EUR"),
    ("GBP", "GBP"),
    ("JPY", "JPY"),
    ("INR", "INR"),
    ("CAD", "CAD"),
    ("AUD", "AUD"),
    ("BRL", "BRL"),
    ("€", "EUR"),
    ("£", "GBP"),
    ("¥", "JPY"),
    ("₹", "INR"),
    ("$", "USD"),
];

/// The ISO code of the currency written beside an amount (`€12.50`, `12,50 EUR`,
/// `US$ 5`), if any.
pub fn code_in(raw: &str) -> Option<&'static str> {
    let t = raw.trim();
    if t.bytes()
        .all(|b| b.is_ascii_digit() || b".,-+() %".contains(&b))
    {
        return None;
    }
    let t = t.trim_start_matches(['-', '(', '+', ' ']);
    MARKS
        .iter()
        .find(|(mark, _)| t.starts_with(mark) || t.trim_end_matches(')').ends_with(mark))
        .map(|(_, code)| *code)
}

/// A currency cell (`eur`, ` USD `) as an ISO code: three ASCII letters, upper case.
pub fn normalize_code(raw: &str) -> Option<String> {
    let t = raw.trim();
    (t.len() == 3 && t.bytes().all(|b| b.is_ascii_alphabetic())).then(|| t.to_ascii_uppercase())
}

/// The symbol money in this currency is shown with (`€` for EUR); the code and a space
/// for a currency without a common symbol.
pub fn symbol_of(code: &str) -> String {
    match code {
        "USD" => "$".into(),
        "EUR" => "€".into(),
        "GBP" => "£".into(),
        "JPY" => "¥".into(),
        "INR" => "₹".into(),
        "BRL" => "R$".into(),
        "CAD" => "CA$".into(),
        "AUD" => "A$".into(),
        other => format!("{other} "),
    }
}

/// Rates as a person writes them, `USD=0.92, GBP 1.17` (code and units of the
/// workspace's currency per unit of it); an error names the first part it cannot read.
pub fn parse_rates(text: &str) -> Result<Vec<(String, f64)>, String> {
    let mut rates: Vec<(String, f64)> = Vec::new();
    for part in text
        .split([',', ';', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let (code, rate) = part
            .split_once(['=', ' ', ':'])
            .ok_or_else(|| format!("{part:?} is not CODE=rate"))?;
        let code = normalize_code(code)
            .ok_or_else(|| format!("{code:?} is not a three-letter currency code"))?;
        let rate: f64 = rate
            .trim()
            .trim_start_matches(['=', ':'])
            .trim()
            .parse()
            .ok()
            .filter(|r: &f64| r.is_finite() && *r > 0.0)
            .ok_or_else(|| format!("the rate of {code} is not a positive number"))?;
        rates.retain(|(c, _)| *c != code);
        rates.push((code, rate));
    }
    Ok(rates)
}

/// Rates written back as [`parse_rates`] reads them.
pub fn format_rates<'a>(rates: impl IntoIterator<Item = (&'a String, &'a f64)>) -> String {
    rates
        .into_iter()
        .map(|(code, rate)| format!("{code}={rate}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The currencies of one file's staged rows: the first one seen, and the rows in
/// another.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct FileCurrencies {
    /// The currency of the first row that states one.
    pub first: Option<String>,
    /// Staged rows whose currency differs from `first`.
    others: Vec<(usize, String)>,
}

/// What settling a file's currencies did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Settled {
    /// The currency of the file's money once settled (the workspace's, or the file's
    /// own when the workspace has none yet).
    pub currency: Option<String>,
    /// Staged rows whose amounts were left out: `(row, currency)`.
    pub left_out: Vec<(usize, String)>,
    /// One sentence per currency converted or left out.
    pub notices: Vec<String>,
}

impl FileCurrencies {
    /// Notes that staged row `row` is in `code`.
    pub fn note(&mut self, row: usize, code: &str) {
        match &self.first {
            None => self.first = Some(code.to_owned()),
            Some(first) if first == code => {}
            Some(_) => {
                if self.others.last().is_none_or(|(r, _)| *r != row) {
                    self.others.push((row, code.to_owned()));
                }
            }
        }
    }

    /// Appends the currencies of the next byte range of the same file, whose rows follow
    /// this one's `rows` staged rows ([`super::split`]); `false` (nothing changed) when
    /// that range's first currency is another than this one's, since the rows in its
    /// own first currency went unrecorded there.
    pub fn absorb(&mut self, later: FileCurrencies, rows: usize) -> bool {
        match (&self.first, &later.first) {
            (Some(a), Some(b)) if a != b => return false,
            (None, _) => self.first = later.first,
            _ => {}
        }
        self.others
            .extend(later.others.into_iter().map(|(r, code)| (r + rows, code)));
        true
    }

    /// The currency of staged row `row` (rows that state none are in the file's).
    fn of_row(&self, row: usize) -> Option<&str> {
        match self.others.binary_search_by_key(&row, |(r, _)| *r) {
            Ok(i) => Some(&self.others[i].1),
            Err(_) => self.first.as_deref(),
        }
    }

    /// Brings the staged rows' money into the workspace's currency `base` (the file's
    /// own when `None`): an amount in another currency is multiplied by its rate
    /// (`rates`: units of the workspace's currency per unit of that one), or made
    /// absent when no rate is given. Never sums two currencies as one.
    pub fn settle(
        &self,
        posts: &mut Posts,
        base: Option<&str>,
        rates: &[(String, f64)],
    ) -> Settled {
        let Some(base) = base.or(self.first.as_deref()).map(str::to_owned) else {
            return Settled::default();
        };
        let mut settled = Settled {
            currency: Some(base.clone()),
            ..Settled::default()
        };
        let mut converted: Vec<(String, usize, f64)> = Vec::new();
        let mut dropped: Vec<(String, usize)> = Vec::new();
        for row in 0..posts.len() {
            let Some(code) = self.of_row(row) else {
                continue;
            };
            if code == base
                || MONEY
                    .iter()
                    .all(|m| posts.value(*m as usize, row).is_none())
            {
                continue;
            }
            let rate = rates
                .iter()
                .find(|(c, r)| c == code && r.is_finite() && *r > 0.0)
                .map(|(_, r)| *r);
            for m in MONEY {
                if posts.value(m as usize, row).is_some() {
                    let column = posts.column_mut(m as usize);
                    column.set(row, rate.zip(column.get(row)).map(|(r, v)| v * r));
                }
            }
            match rate {
                Some(r) => match converted.iter_mut().find(|(c, _, _)| c == code) {
                    Some(entry) => entry.1 += 1,
                    None => converted.push((code.to_owned(), 1, r)),
                },
                None => {
                    settled.left_out.push((row, code.to_owned()));
                    match dropped.iter_mut().find(|(c, _)| c == code) {
                        Some(entry) => entry.1 += 1,
                        None => dropped.push((code.to_owned(), 1)),
                    }
                }
            }
        }
        if !settled.left_out.is_empty() {
            posts.partial[Measure::Revenue as usize] |= posts.has(Measure::Revenue);
            posts.partial[Measure::Cost as usize] |= posts.has(Measure::Cost);
        }
        for (code, rows, rate) in converted {
            settled.notices.push(format!(
                "{rows} rows in {code} were converted to {base} at 1 {code} = {rate} {base}."
            ));
        }
        for (code, rows) in dropped {
            settled.notices.push(format!(
                "{rows} rows are in {code} and the money of this workspace is in {base}: their amounts are left out (never summed as {base}). Give a rate for {code} in Settings and load the file again to include them."
            ));
        }
        settled
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::store::PostRow;

    #[test]
    fn codes_beside_amounts() {
        assert_eq!(code_in("€12.50"), Some("EUR"));
        assert_eq!(code_in("12,50 EUR"), Some("EUR"));
        assert_eq!(code_in("US$ 5"), Some("USD"));
        assert_eq!(code_in("-£3"), Some("GBP"));
        assert_eq!(code_in("R$ 10,00"), Some("BRL"));
        assert_eq!(code_in("$1,234.50"), Some("USD"));
        assert_eq!(code_in("1234.50"), None);
        assert_eq!(code_in(""), None);
        assert_eq!(normalize_code(" eur "), Some("EUR".into()));
        assert_eq!(normalize_code("euro"), None);
        assert_eq!(symbol_of("EUR"), "€");
        assert_eq!(symbol_of("CHF"), "CHF ");
    }

    #[test]
    fn rates_as_a_person_writes_them() {
        assert_eq!(
            parse_rates("usd=0.92, GBP 1.17;").unwrap(),
            vec![("USD".to_owned(), 0.92), ("GBP".to_owned(), 1.17)]
        );
        assert_eq!(parse_rates("").unwrap(), vec![]);
        assert!(parse_rates("USD=-1").unwrap_err().contains("USD"));
        assert!(parse_rates("dollars=1").is_err());
        let rates = [("USD".to_owned(), 0.92)];
        assert_eq!(format_rates(rates.iter().map(|(c, r)| (c, r))), "USD=0.92");
    }

    fn posts(revenues: &[f64]) -> Posts {
        let mut p = Posts::default();
        for &r in revenues {
            let mut row = PostRow {
                platform: "shopify".into(),
                ..PostRow::default()
            };
            row.values[Measure::Revenue as usize] = Some(r);
            p.push(&row);
        }
        p
    }

    #[test]
    fn another_currency_is_converted_or_left_out_never_summed() {
        let mut seen = FileCurrencies::default();
        seen.note(0, "EUR");
        seen.note(1, "USD");
        seen.note(2, "EUR");
        // No rate: the USD row's revenue is left out; 10 + 30 EUR remain.
        let mut p = posts(&[10.0, 20.0, 30.0]);
        let settled = seen.settle(&mut p, None, &[]);
        assert_eq!(settled.currency.as_deref(), Some("EUR"));
        assert_eq!(settled.left_out, vec![(1, "USD".to_owned())]);
        assert_eq!(p.sum(Measure::Revenue), 40.0);
        assert!(settled.notices[0].starts_with("1 rows are in USD"));
        // With a rate of 0.5 EUR per USD: 10 + 20 × 0.5 + 30 = 50.
        let mut p = posts(&[10.0, 20.0, 30.0]);
        let settled = seen.settle(&mut p, None, &[("USD".into(), 0.5)]);
        assert!(settled.left_out.is_empty());
        assert_eq!(p.sum(Measure::Revenue), 50.0);
        // A workspace already in USD: the EUR rows are the foreign ones.
        let mut p = posts(&[10.0, 20.0, 30.0]);
        let settled = seen.settle(&mut p, Some("USD"), &[]);
        assert_eq!(settled.left_out.len(), 2);
        assert_eq!(p.sum(Measure::Revenue), 20.0);
    }
}
