//! Dates as people write them in Denmark, read in one place: a roster's
//! `dato` column, a form's info block and a collected CSV or workbook read
//! back all go through [`parse_date`]. Danish Excel writes `01-03-2027`,
//! people type `1.3.2027` or `1/3-2027`, and `mus` itself prints
//! `1. marts 2027`; ambiguity is resolved the Danish way, day first.
//!
//! A leaf module: it uses nothing else of the crate, so every stage may use it.

use chrono::NaiveDate;

/// Danish month names, for dates like "1. februar 2027".
pub const MONTHS: [&str; 12] = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
];

/// English month names, for dates like "1 February 2027".
pub const ENGLISH_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The Danish abbreviations of the months (with or without their dot), as
/// Danish Excel and calendars print them; `sept.` is the longer usage.
const MONTH_ABBREVIATIONS: [(&str, u32); 13] = [
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("maj", 5),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("sept", 9),
    ("okt", 10),
    ("nov", 11),
    ("dec", 12),
];

/// The years a written date may have: a two-digit year (`1/2/27`) is not
/// one (is it 1927 or 2027?), and a typo like `20277` is not either.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

/// A date in any of the forms people write one in Denmark, day first:
/// `2027-03-01`, `01-03-2027`, `1.3.2027`, `1/3-2027`, `1/3/2027`,
/// `1. marts 2027`, `1. mar. 2027`, `1 marts 2027`, and the English
/// `1 March 2027` that an English form prints. A time after an ISO date
/// (`2027-03-01 00:00:00`, `2027-03-01T09:30`, as spreadsheets export a
/// date cell) is left out. `None` for anything else, also a two-digit year.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    numeric_date(text).or_else(|| written_date(text))
}

/// A date as it is stored in a collected CSV: `2027-03-01` when `text` is
/// one (see [`parse_date`]), anything else as written, trimmed.
pub fn normalize_date(text: &str) -> String {
    match parse_date(text) {
        Some(date) => date.to_string(),
        None => text.trim().to_string(),
    }
}

/// `2027-03-01` (with an optional time after it), or day, month and year
/// as numbers separated by `-`, `.` or `/` (`1/3-2027` too).
fn numeric_date(text: &str) -> Option<NaiveDate> {
    if !text.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let iso_part = text.split_once(['T', ' ']).map_or(text, |(date, _)| date);
    let fields: Vec<&str> = iso_part.split(['-', '.', '/']).collect();
    let [a, b, c] = fields.as_slice() else {
        return None;
    };
    if [a, b, c]
        .iter()
        .any(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let number = |f: &str| f.parse::<u32>().ok();
    let (year, month, day) = if a.len() == 4 {
        // ISO: only with `-`, and only then may a time follow.
        if iso_part.contains(['.', '/']) {
            return None;
        }
        if b.len() > 2 || c.len() > 2 {
            return None;
        }
        (a.parse::<i32>().ok()?, number(b)?, number(c)?)
    } else {
        // Day first; a time after such a date is no date.
        if iso_part.len() != text.len() || a.len() > 2 || b.len() > 2 || c.len() != 4 {
            return None;
        }
        (c.parse::<i32>().ok()?, number(b)?, number(a)?)
    };
    if !YEARS.contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, day)
}

/// `1. marts 2027`, `1. mar. 2027`, `1 marts 2027`, `1 March 2027`: a day,
/// a month's name (Danish or English, in any case, or a Danish
/// abbreviation) and a year.
fn written_date(text: &str) -> Option<NaiveDate> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let [day, month, year] = words.as_slice() else {
        return None;
    };
    let day = day.strip_suffix('.').unwrap_or(day).parse::<u32>().ok()?;
    let month = month_number(month)?;
    if year.len() != 4 {
        return None;
    }
    let year = year.parse::<i32>().ok().filter(|y| YEARS.contains(y))?;
    NaiveDate::from_ymd_opt(year, month, day)
}

/// The number of a month written by name or Danish abbreviation.
fn month_number(word: &str) -> Option<u32> {
    let word = word.to_lowercase();
    let full = MONTHS
        .iter()
        .chain(&ENGLISH_MONTHS)
        .position(|m| m.to_lowercase() == word)
        .map(|i| (i % 12) as u32 + 1);
    full.or_else(|| {
        let short = word.strip_suffix('.').unwrap_or(&word);
        MONTH_ABBREVIATIONS
            .iter()
            .find(|(abbreviation, _)| *abbreviation == short)
            .map(|(_, month)| *month)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn every_danish_way_of_writing_the_first_of_march_is_read_day_first() {
        for text in [
            "2027-03-01",
            "01-03-2027",
            "1-3-2027",
            "1.3.2027",
            "01.03.2027",
            "1/3-2027",
            "1/3/2027",
            "1. marts 2027",
            "1 marts 2027",
            "1. Marts 2027",
            "1. mar. 2027",
            "1. mar 2027",
            " 1. MARTS 2027 ",
            "1 March 2027",
            "2027-03-01 00:00:00",
            "2027-03-01T09:30:00",
        ] {
            assert_eq!(parse_date(text), date(2027, 3, 1), "{text}");
        }
    }

    #[test]
    fn every_danish_month_abbreviation_is_read() {
        let abbreviations = [
            "jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.",
            "dec.",
        ];
        for (i, abbreviation) in abbreviations.iter().enumerate() {
            let text = format!("2. {abbreviation} 2027");
            assert_eq!(parse_date(&text), date(2027, i as u32 + 1, 2), "{text}");
        }
        assert_eq!(parse_date("30. sept. 2027"), date(2027, 9, 30));
        for (i, month) in MONTHS.iter().enumerate() {
            let text = format!("28. {month} 2027");
            assert_eq!(parse_date(&text), date(2027, i as u32 + 1, 28), "{text}");
        }
    }

    #[test]
    fn what_is_no_date_is_none() {
        for text in [
            "",
            "i foråret",
            "01-02-27",
            "1/2/27",
            "2027-13-01",
            "31-02-2027",
            "32. marts 2027",
            "1. martz 2027",
            "1. marts 27",
            "20277-01-01",
            "1.3.2027 10:00",
            "2027/03/01",
            "1-3-2027-4",
            "uge 9",
            "1..2027",
        ] {
            assert_eq!(parse_date(text), None, "{text:?}");
        }
    }

    #[test]
    fn normalize_gives_iso_or_the_text_as_written() {
        assert_eq!(normalize_date("1. februar 2027"), "2027-02-01");
        assert_eq!(normalize_date("15 march 2027"), "2027-03-15");
        assert_eq!(normalize_date(" i foråret "), "i foråret");
        assert_eq!(normalize_date("01-02-27"), "01-02-27");
    }
}
