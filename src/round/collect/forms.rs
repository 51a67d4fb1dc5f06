//! What `collect` reads: the goals and forms, the files it could not read,
//! and what it met on the way.

use serde::Serialize;

use crate::form::{FormKind, Status};

/// One agreed development goal: a row of the goals table, or of a follow-up
/// form's table (then `status`, `helped`, `hindered` and `next_step` are
/// what it says, and the interview columns are empty). No serde record of
/// its own: every output writes a goal as a [`crate::form::GoalRecord`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Goal {
    pub goal: String,
    pub activities: String,
    pub when: String,
    pub follow_up: String,
    /// The follow-up status: `None` when nothing was written.
    pub status: Option<Status>,
    pub helped: String,
    pub hindered: String,
    pub next_step: String,
    /// Who is responsible for the goal (the interview form's goals table).
    pub responsible: String,
    /// How the two will see that the goal is reached (the same table).
    pub how_reached: String,
    /// On an interview goal read back from a CSV: the date of the follow-up
    /// form that gave its status (`YYYY-MM-DD` when readable), if any.
    pub followed_up_on: String,
    /// The goal's number in the development plan: its place in the plan's
    /// table, and in a follow-up form the number printed before the goal,
    /// which ties an adjusted goal text to the goal it follows up.
    pub goal_no: Option<u32>,
    /// A goal first written at the follow-up (the follow-up form's table of
    /// new goals).
    pub new_goal: bool,
}

impl Goal {
    /// The goal's number: its own, or its place (from 0) plus one.
    pub fn number(&self, place: usize) -> u32 {
        self.goal_no.unwrap_or(place as u32 + 1)
    }

    /// The goal as a row of the follow-up table says it; an interview goal
    /// has none of these.
    pub(super) fn followup_part(&self) -> (Option<Status>, &str, &str, &str) {
        (self.status, &self.helped, &self.hindered, &self.next_step)
    }
}

/// What one filled-in form says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Form {
    /// An interview form or a follow-up form.
    pub kind: FormKind,
    pub file: String,
    pub employee: String,
    pub manager: String,
    pub unit: String,
    /// The interview date as `YYYY-MM-DD` when it can be read as a date, else as written.
    pub date: String,
    /// "Samtalen er holdt den", as `YYYY-MM-DD` when readable: filled in by
    /// the two, never by `mus`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub held: String,
    /// The interview's identity ([`crate::form::form_id`]); empty on a form
    /// made without a roster.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// Not serialised: the JSON gives the goals as its top-level `goals`,
    /// the same records as the CSV's rows ([`super::to_records`]).
    #[serde(skip)]
    pub goals: Vec<Goal>,
}

impl Form {
    /// Whether the form shows that the two filled it in: the held date, a
    /// goal written, or (in a follow-up form) anything written about a goal.
    /// A form as `mus` wrote it shows none of these.
    pub fn filled_in(&self) -> bool {
        !self.held.trim().is_empty()
            || self.goals.iter().any(|g| match self.kind {
                FormKind::Samtale => !g.goal.trim().is_empty(),
                FormKind::Opfoelgning => {
                    g.new_goal
                        || g.status.is_some()
                        || !g.helped.trim().is_empty()
                        || !g.hindered.trim().is_empty()
                        || !g.next_step.trim().is_empty()
                }
            })
    }

    /// The date the interview is placed by: when it was held, else the
    /// agreed date.
    pub fn interview_date(&self) -> &str {
        match self.held.trim() {
            "" => &self.date,
            held => held,
        }
    }
}

/// A file that could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    pub file: String,
    pub reason: String,
}

/// Everything `collect` read.
#[derive(Debug, Default)]
pub struct Collection {
    pub forms: Vec<Form>,
    pub failures: Vec<Failure>,
    /// Our own other documents (guides, follow-up forms) found beside the
    /// forms: not forms, not failures.
    pub others: Vec<String>,
    /// Every symbolic link met, followed or not, so none is passed over unseen.
    pub links: Vec<Link>,
    /// Files counted once although found twice, and files in a folder left
    /// unread: said, so nothing is skipped silently.
    pub notes: Vec<Note>,
    /// Forms as `mus` wrote them, or with nothing the two wrote: not an
    /// interview held, in no figure, and named in one note.
    pub not_filled_in: Vec<String>,
    /// Interview forms with the pair's notes: not read, as they stay with
    /// the two; named, so HR knows to hand them back.
    pub notes_forms: Vec<String>,
}

/// A symbolic link met on the way, and what was done with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    pub path: String,
    /// Where the link points, as written in it.
    pub target: String,
    pub followed: bool,
    /// Why the link was not followed, if it was not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Something to know about a file that is neither a form nor a failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    pub file: String,
    pub note: String,
}

/// What a `.docx` of ours is to `collect`.
#[derive(Debug)]
pub enum Found {
    /// A development plan, a follow-up form, or an interview form from
    /// before the development plan (with its own goals table).
    Form(Form),
    /// An interview form with the pair's notes and no goals table: it stays
    /// with the two and is not read.
    Notes,
    /// A guide, the optional topics or the report.
    Other,
}
