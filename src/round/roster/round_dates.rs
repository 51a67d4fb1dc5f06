//! The round's dates, and what a roster's dates say against them: a date
//! that is no date summed up once, a date outside the round warned of.

use chrono::NaiveDate;

use crate::error::Diagnostic;
use crate::pipeline::config::Config;

use super::row::RosterRow;

/// The code of a row's date that is no date: many such rows are listed
/// without the hint each, and summed up with it once (see [`sum_up`]).
pub(super) const BAD_DATE: &str = "roster-date";

/// Every row's errors, and when more than one row has a date that is no
/// date, one line after them that says how many and how to write a date,
/// so 25 rows exported with the wrong format give 25 lines and the advice once.
pub fn sum_up(mut errors: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let bad_dates = errors.iter().filter(|d| d.code == BAD_DATE).count();
    if bad_dates < 2 {
        return errors;
    }
    let file = errors
        .iter()
        .find(|d| d.code == BAD_DATE)
        .map(|d| d.file.clone())
        .unwrap_or_default();
    for error in errors.iter_mut().filter(|d| d.code == BAD_DATE) {
        error.hint = None;
    }
    errors.push(
        Diagnostic::new(
            file,
            None,
            crate::msg!("roster.bad-dates", count = bad_dates),
        )
        .with_hint(crate::msg!("roster.bad-date.hint"))
        .with_code(BAD_DATE),
    );
    errors
}

/// The dates of a round that a roster's dates should fall within: its
/// year, and the interview period when the config sets one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoundDates {
    pub year: i32,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl RoundDates {
    /// The round's dates as a config gives them.
    pub fn of(config: &Config) -> RoundDates {
        RoundDates {
            year: config.year.value,
            from: config.schedule.interviews_from.as_ref().map(|s| s.value),
            to: config.schedule.interviews_to.as_ref().map(|s| s.value),
        }
    }

    /// Why `row`'s date does not belong to this round, if it does not.
    pub(super) fn outside(&self, row: &RosterRow) -> Option<String> {
        use chrono::Datelike;
        let (date, line) = (row.date?, row.line);
        if date.year() != self.year {
            return Some(crate::msg!(
                "roster.date-other-year",
                line = line,
                date = date,
                year = self.year
            ));
        }
        if let Some(from) = self.from.filter(|from| date < *from) {
            return Some(crate::msg!(
                "roster.date-before",
                line = line,
                date = date,
                from = from
            ));
        }
        if let Some(to) = self.to.filter(|to| date > *to) {
            return Some(crate::msg!(
                "roster.date-after",
                line = line,
                date = date,
                to = to
            ));
        }
        None
    }
}

/// A warning for every row whose date lies outside the round its unit's
/// config sets (another year, or before or after the interview period),
/// naming the row; when there are several, one line after them says how
/// many. Such a date is printed on the form as it is: it may be a typo, or
/// an interview moved. The rows are looked at as they come and not kept.
pub fn date_warnings(
    file: &str,
    rows: impl IntoIterator<Item = RosterRow>,
    round_of: impl Fn(&RosterRow) -> Option<RoundDates>,
) -> Vec<String> {
    let mut year = None;
    let mut warnings: Vec<String> = rows
        .into_iter()
        .filter_map(|row| {
            let round = round_of(&row)?;
            let why = round.outside(&row)?;
            year = Some(round.year);
            Some(format!("{file}:{}: {why}", row.line))
        })
        .collect();
    if let (true, Some(year)) = (warnings.len() > 1, year) {
        warnings.push(crate::msg!(
            "roster.dates-outside",
            file = file,
            count = warnings.len(),
            year = year
        ));
    }
    warnings
}
