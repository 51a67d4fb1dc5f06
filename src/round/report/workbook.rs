//! The report's figures as a workbook (`mus report -o rapport.xlsx`), for
//! an SU that wants to sort, chart or compare them itself. It holds exactly
//! the figures the `.docx` shows, by the same rule: a row per group with a
//! full block of [`MIN_GROUP`], a group without one named with no figure,
//! the interviews in no group's blocks, and the workplace's total. Counts
//! and shares are numbers (shares formatted as percentages), never text.

use super::{Figures, Language, MIN_GROUP, Report, STATUS_ORDER, rest_name};
use crate::form::Status;
use crate::round::workbook::{Cell, write_sheet};

/// Which columns the sheet has: the follow-up figures only once they mean
/// something, the deadline's only when there is one, and the coverage only
/// with a roster — as in the `.docx`.
struct Columns {
    follow_up: bool,
    deadline: bool,
    coverage: bool,
}

impl Report {
    /// The report's figures as an `.xlsx` of one sheet, its words in
    /// `language`; `created` is the workbook's creation time (the report's
    /// date), so the same report gives the same bytes.
    pub fn to_xlsx(
        &self,
        language: Language,
        created: chrono::DateTime<chrono::Utc>,
    ) -> std::io::Result<Vec<u8>> {
        let labels = language.labels();
        let words = &labels.report.sheet;
        let columns = Columns {
            follow_up: !self.follow_up_pending(),
            deadline: self.follow_up_due.is_some(),
            coverage: self.coverage.is_some(),
        };
        let mut header = vec![
            words.unit,
            words.interviews,
            words.with_goals,
            words.with_goals_share,
            words.goals,
            words.goals_per_interview,
            words.goals_with_follow_up,
            words.follow_up_share,
        ];
        if columns.follow_up {
            header.extend([words.goals_followed_up, words.followed_up_share]);
            if columns.deadline {
                header.extend([words.in_time, words.in_time_share]);
            }
            header.extend(STATUS_ORDER.map(|s| Status::word(Some(s), labels)));
            header.push(labels.not_followed_up);
        }
        if columns.coverage {
            header.extend([words.invited, words.held, words.held_share]);
        }
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        if self.total.is_none() && self.coverage.is_none() {
            let note = labels
                .report
                .too_few
                .replace("{min}", &MIN_GROUP.to_string());
            rows.push(vec![Cell::Text(note)]);
        } else {
            let fewer = words.fewer_than.replace("{min}", &MIN_GROUP.to_string());
            for group in &self.groups {
                let mut row = vec![Cell::text(group.name_in(language))];
                row.extend(figure_cells(group.figures.as_ref(), &columns, &fewer));
                row.extend(coverage_cells(group.coverage.as_ref(), &columns));
                rows.push(row);
            }
            if let Some(rest) = &self.rest {
                let mut row = vec![Cell::text(rest_name(language))];
                row.extend(figure_cells(Some(rest), &columns, &fewer));
                row.extend(coverage_cells(None, &columns));
                rows.push(row);
            }
            let mut row = vec![Cell::text(words.total)];
            row.extend(figure_cells(self.total.as_ref(), &columns, &fewer));
            row.extend(coverage_cells(self.coverage.as_ref(), &columns));
            rows.push(row);
        }
        write_sheet(words.name, &header, rows, created)
    }
}

/// A count as a cell.
fn count(n: usize) -> Cell {
    Cell::Number(n as f64)
}

/// The figure columns of a row: blank but for `fewer` (`færre end 5`)
/// when the group has no full block, so no figure of a small group shows.
fn figure_cells(figures: Option<&Figures>, columns: &Columns, fewer: &str) -> Vec<Cell> {
    let width = 7 + if columns.follow_up {
        2 + if columns.deadline { 2 } else { 0 } + STATUS_ORDER.len() + 1
    } else {
        0
    };
    let Some(f) = figures else {
        let mut cells = vec![Cell::text(fewer)];
        cells.resize(width, Cell::text(""));
        return cells;
    };
    let mut cells = vec![
        count(f.interviews),
        count(f.with_goals),
        Cell::Share(f.with_goals_share()),
        count(f.goals),
        Cell::Decimal(f.goals_per_interview()),
        count(f.goals_with_follow_up),
        Cell::Share(f.follow_up_share()),
    ];
    if columns.follow_up {
        cells.extend([
            count(f.goals_followed_up),
            Cell::Share(f.followed_up_share()),
        ]);
        if columns.deadline {
            cells.push(f.goals_followed_up_in_time.map_or(Cell::text(""), count));
            cells.push(
                f.followed_up_in_time_share()
                    .map_or(Cell::text(""), Cell::Share),
            );
        }
        cells.extend(f.status.map(count));
        cells.push(count(f.goals - f.goals_followed_up));
    }
    cells
}

/// The coverage columns of a row (none without a roster): invited, held,
/// and the share held, blank when no one in the group was invited.
fn coverage_cells(coverage: Option<&super::Coverage>, columns: &Columns) -> Vec<Cell> {
    if !columns.coverage {
        return Vec::new();
    }
    match coverage {
        Some(c) => vec![
            count(c.invited),
            count(c.held),
            c.held_share().map_or(Cell::text(""), Cell::Share),
        ],
        None => vec![Cell::text(""), Cell::text(""), Cell::text("")],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::round::workbook::read_bytes;

    #[test]
    fn with_too_few_interviews_the_sheet_says_so_in_the_config_s_language() {
        let created = chrono::DateTime::UNIX_EPOCH;
        let report = super::super::compute(&[]);
        let english = report.to_xlsx(Language::En, created).expect("xlsx");
        let rows = read_bytes(&english, "r.xlsx", Some("Report")).expect("the sheet");
        assert_eq!(rows[0].cells[..2], ["Unit", "Interviews in the figures"]);
        assert_eq!(rows.len(), 2);
        assert!(
            rows[1].cells[0].starts_with("too few interviews"),
            "{rows:?}"
        );
        let danish = report.to_xlsx(Language::Da, created).expect("xlsx");
        let rows = read_bytes(&danish, "r.xlsx", Some("Rapport")).expect("the sheet");
        assert_eq!(rows[0].cells[0], "Enhed");
        assert_eq!(danish, report.to_xlsx(Language::Da, created).expect("xlsx"));
    }
}
