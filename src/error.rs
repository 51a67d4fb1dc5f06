//! The library's error and finding types. Callers tell invalid input from
//! I/O failure by the variant, so the exit code follows from the type, not
//! from the text; `mus check` reports the same [`Diagnostic`]s as findings.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;

/// A place in a user's file, for messages like `mus.yaml:7:5: …`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Location {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// The file (as the user named it) and, when known, the place in it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin {
    pub file: Arc<str>,
    pub location: Option<Location>,
}

impl Origin {
    pub fn new(file: &Arc<str>, location: Option<Location>) -> Origin {
        Origin {
            file: Arc::clone(file),
            location,
        }
    }
}

/// How serious a finding is: errors stop `generate`, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// Something about a file the user wrote: where, what, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    pub location: Option<Location>,
    pub severity: Severity,
    /// A stable kebab-case name, for scripts (`unknown-topic`, `no-follow-up` …).
    pub code: &'static str,
    pub message: String,
    /// What to do about it, when we can tell.
    pub hint: Option<String>,
    /// Why it matters, for the service check's readers (HR, SU).
    pub why: Option<String>,
}

impl Diagnostic {
    /// An error in `file` at `location`.
    pub fn new(
        file: impl Into<String>,
        location: Option<Location>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            file: file.into(),
            location,
            severity: Severity::Error,
            code: "invalid",
            message: message.into(),
            hint: None,
            why: None,
        }
    }

    /// An error at `origin`.
    pub fn at(origin: &Origin, message: impl Into<String>) -> Self {
        Diagnostic::new(origin.file.to_string(), origin.location, message)
    }

    /// A service-check warning at `origin`, with the reason it matters.
    pub fn warning(
        origin: &Origin,
        code: &'static str,
        message: impl Into<String>,
        why: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            code,
            why: Some(why.into()),
            ..Diagnostic::at(origin, message)
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = code;
        self
    }

    /// `file:line:column` (or just `file`).
    pub fn place(&self) -> String {
        match self.location {
            Some(loc) => format!("{}:{}:{}", self.file, loc.line, loc.column),
            None => self.file.clone(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place(), self.message)?;
        if let Some(why) = &self.why {
            write!(f, "\n  {}: {why}", crate::msg!("label.why"))?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  {}: {hint}", crate::msg!("label.hint"))?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}

/// One or more errors in the input, all reported at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

/// Everything the library can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Input the user has to fix: a config, the catalogue or a template.
    #[error("{0}")]
    Invalid(Diagnostics),
    /// A request that cannot be carried out as given, such as an output that
    /// would replace one of the run's inputs (exit 2, like a usage error).
    #[error("{0}")]
    Usage(Box<Diagnostic>),
    /// Writing an output (a file, the output folder, its lock or manifest)
    /// failed for a reason outside the input itself. Reading the input is
    /// [`Error::Invalid`]: the user names the file and can fix it.
    #[error("{}", crate::msg!("error.cannot-write", path = path.display()))]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Building a document in memory failed (packing the `.docx`, drawing the
    /// chart): nothing the user wrote causes it, so it is a bug or a lack of memory.
    #[error("{}", crate::msg!("error.cannot-build", name = name))]
    Build {
        name: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Self {
        Error::Invalid(Diagnostics(vec![d]))
    }
}

impl From<Vec<Diagnostic>> for Error {
    fn from(list: Vec<Diagnostic>) -> Self {
        Error::Invalid(Diagnostics(list))
    }
}

impl Error {
    /// The documented exit code: 1 invalid input, 2 usage, 3 I/O failure.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Invalid(_) => 1,
            Error::Usage(_) => 2,
            Error::Io { .. } | Error::Build { .. } => 3,
        }
    }

    /// A request that cannot be carried out as given (exit 2).
    pub fn usage(diagnostic: Diagnostic) -> Self {
        Error::Usage(Box::new(diagnostic))
    }

    /// Writing `path` failed. A file another program holds open (Word, on
    /// Windows) is named as such with what to do (exit 1): see [`Error::from_io`].
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        let held_open = crate::platform::is_sharing_violation(&source);
        Error::from_io(path.into(), source, held_open)
    }

    /// [`Error::io`] with the system's answer, whether `source` says another
    /// program holds the file open, given: the user can fix that by closing
    /// it, so it is input to fix (exit 1), not a failing disk (exit 3).
    pub fn from_io(path: PathBuf, source: std::io::Error, held_open: bool) -> Self {
        if held_open {
            return Diagnostic::new(
                path.display().to_string(),
                None,
                crate::msg!("write.held-open"),
            )
            .with_hint(crate::msg!("write.held-open.hint"))
            .with_code("output-held-open")
            .into();
        }
        Error::Io { path, source }
    }

    /// Building the document `name` in memory failed.
    pub fn build(
        name: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Error::Build {
            name: name.into(),
            source: source.into(),
        }
    }

    /// The diagnostics of an invalid-input error (empty for I/O errors).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Invalid(list) => &list.0,
            Error::Usage(d) => std::slice::from_ref(&**d),
            Error::Io { .. } | Error::Build { .. } => &[],
        }
    }
}

/// The closest of `candidates` to a misspelled `wrong`, for "did you mean".
pub fn closest<'a>(candidates: impl IntoIterator<Item = &'a str>, wrong: &str) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(c, wrong), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

pub type Result<T> = std::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_held_open_by_another_program_is_named_with_what_to_do() {
        let path = PathBuf::from("ud/samtaleskema-anna.docx");
        let err = Error::from_io(path.clone(), std::io::Error::other("in use"), true);
        assert_eq!(err.exit_code(), 1);
        let diagnostic = &err.diagnostics()[0];
        assert_eq!(diagnostic.code, "output-held-open");
        assert_eq!(diagnostic.file, path.display().to_string());
        assert_eq!(
            crate::messages::text_in(crate::language::Language::Da, "write.held-open.hint", &[]),
            "luk den i Word (eller et andet program) og kør igen"
        );
        assert_eq!(
            crate::messages::text_in(crate::language::Language::En, "write.held-open.hint", &[]),
            "close it in Word (or another program) and run again"
        );
        // Any other failure to write stays an I/O failure.
        let err = Error::from_io(path, std::io::Error::other("disk full"), false);
        assert_eq!(err.exit_code(), 3);
    }

    #[cfg(windows)]
    #[test]
    fn windows_sharing_and_lock_violations_are_files_held_open() {
        for code in [32, 33] {
            let err = Error::io("x.docx", std::io::Error::from_raw_os_error(code));
            assert_eq!(err.exit_code(), 1, "os error {code}");
            assert_eq!(err.diagnostics()[0].code, "output-held-open");
        }
        let denied = Error::io("x.docx", std::io::Error::from_raw_os_error(5));
        assert_eq!(
            denied.exit_code(),
            3,
            "access denied is not a file held open"
        );
    }
}
