//! Typed errors of the engine. Their `Display` starts with a stable code so that hosts (JS, tests) can tell them
//! apart without parsing prose.

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    #[error("corrupt-file: {file}: {what}")]
    CorruptFile { file: String, what: String },
    #[error("version-mismatch: {file}: format version {found}, this engine reads {expected}")]
    VersionMismatch { file: String, found: u8, expected: u8 },
    #[error("unexpected-file: {file}: the index did not ask for this file")]
    UnexpectedFile { file: String },
    #[error("bad-query: {0}")]
    BadQuery(String),
    #[error("bad-options: {0}")]
    BadOptions(String),
}

impl Error {
    pub fn corrupt(file: &str, what: impl Into<String>) -> Error {
        Error::CorruptFile { file: file.to_string(), what: what.into() }
    }

    /// The stable code at the start of the message.
    pub fn code(&self) -> &'static str {
        match self {
            Error::CorruptFile { .. } => "corrupt-file",
            Error::VersionMismatch { .. } => "version-mismatch",
            Error::UnexpectedFile { .. } => "unexpected-file",
            Error::BadQuery(_) => "bad-query",
            Error::BadOptions(_) => "bad-options",
        }
    }

    /// The bundle file the error is about, if any.
    pub fn file(&self) -> Option<&str> {
        match self {
            Error::CorruptFile { file, .. } | Error::VersionMismatch { file, .. } | Error::UnexpectedFile { file } => {
                Some(file)
            }
            _ => None,
        }
    }
}
